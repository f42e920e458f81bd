from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["xinfang.textmining", "xinfang.textmining.repeats", "xinfang.rules.taxonomy"])
def test_the_module_imports_no_django(module: str) -> None:
    code = (
        f"import sys, {module}, xinfang.textmining.organs, xinfang.textmining.data; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

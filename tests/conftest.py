from __future__ import annotations

import os

os.environ.setdefault("XINFANG_TESTING", "1")

from __future__ import annotations

import os

os.environ.setdefault("XINFANG_TESTING", "1")
# A fixed key for the encrypted personal-data fields in tests only (never a real deployment's key).
os.environ.setdefault("XINFANG_FIELD_KEY", "7465737420666965 6c64206b65792031".replace(" ", ""))

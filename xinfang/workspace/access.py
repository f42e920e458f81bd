"""Staff-only access. The decorator lives in `xinfang.org.access`; re-exported here for the apps that import it."""

from __future__ import annotations

from xinfang.org.access import staff_required

__all__ = ["staff_required"]

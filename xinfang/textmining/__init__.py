"""Text mining for triage suggestions: categories, competent organs, possible repeats.

Django-free (a test checks this), offline, CPU only, deterministic. Models are trained from data passed in
(confirmed labels); nothing is downloaded. See README.md in this package.
"""

from __future__ import annotations

__version__ = "0.3.0"  # 0.3.0: NB-scaled SVM per class (was one LinearSVC); 0.2.0: title block weight 0.7
FORMAT_VERSION = 1

from .classifier import ModelError, Suggestion, TextClassifier, fingerprint  # noqa: E402
from .features import Message  # noqa: E402

__all__ = ["FORMAT_VERSION", "Message", "ModelError", "Suggestion", "TextClassifier", "__version__", "fingerprint"]

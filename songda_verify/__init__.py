"""songda_verify: checks a songda archive offline, with no server and no database.

`python -m songda_verify ARCHIVE.zip [--court-key FINGERPRINT]` (or `songda verify`) opens the
zip, checks every file against manifest.json, the court's SM2 signature in manifest.sig over
manifest.json's exact bytes, and the audit chain head the manifest records; it prints a verdict
in Chinese and exits 0 only when every check passes. It imports nothing else of songda.
"""

from __future__ import annotations

from songda_verify.verdict import Check, Verdict
from songda_verify.verify import verify_archive

__all__ = ["Check", "Verdict", "verify_archive"]

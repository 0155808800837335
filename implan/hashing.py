"""Content hashes for tamper evidence of approved instruments, resolutions and minutes."""

import hashlib
import json
from typing import Any


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of a canonical JSON rendering (sorted keys, str() for dates and decimals)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

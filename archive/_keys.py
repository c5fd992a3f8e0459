"""Key rules shared by both backends, so a key valid in one store is valid in the other."""

from __future__ import annotations

import hashlib
import re

from archive.errors import InvalidKey

_MAX_KEY_BYTES = 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def validate_key(key: str) -> str:
    """Return ``key`` if it is a portable, relative, slash-separated key; raise InvalidKey."""
    if not key or len(key.encode()) > _MAX_KEY_BYTES:
        raise InvalidKey(f"key must be 1..{_MAX_KEY_BYTES} bytes")
    if _CONTROL.search(key) or "\\" in key:
        raise InvalidKey("key holds a control character or a backslash")
    for segment in key.split("/"):
        if segment in ("", ".", "..") or segment.startswith("."):
            raise InvalidKey(f"key segment {segment!r} is empty or starts with a dot")
    return key


def validate_prefix(prefix: str) -> str:
    """Return ``prefix`` if it is empty or a key start (may end with '/'); raise InvalidKey."""
    if prefix:
        validate_key(prefix.removesuffix("/"))
    return prefix


def validate_sha256(sha256: str) -> str:
    """Return ``sha256`` if it is 64 lower-case hex digits; raise InvalidKey."""
    if not _HEX64.fullmatch(sha256):
        raise InvalidKey("a SHA-256 is 64 lower-case hex digits")
    return sha256


def sha256_hex(data: bytes) -> str:
    """Return the lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def document_key(sha256: str) -> str:
    """Return the content-addressed key of a working document."""
    return f"sha256/{sha256[:2]}/{sha256}"

"""Whether a PDF's standard security handler needs a password, or the empty one opens it.

Readers try the empty user password first; a document "encrypted" only to set permissions opens
with it and is read as any other, so its object streams and stream data are decrypted here to
be checked like any other's (an empty password must not hide JavaScript from the check). The
algorithms are ISO 32000-2, 7.6 (2, 2.A, 2.B, 5, 6; RC4, AESV2, AESV3 stream ciphers).
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from ocr._pdfobjects import Document

_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


def _hash_2b(password: bytes, salt: bytes) -> bytes:
    """Algorithm 2.B (revision 6, AES-256) for the user password (no user key data)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: PLC0415

    k = hashlib.sha256(password + salt).digest()
    rounds = 0
    while True:
        encryptor = Cipher(algorithms.AES(k[:16]), modes.CBC(k[16:32])).encryptor()
        e = encryptor.update((password + k) * 64) + encryptor.finalize()
        k = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[sum(e[:16]) % 3](e).digest()
        rounds += 1
        if rounds >= 64 and e[-1] <= rounds - 32:
            return k[:32]


def _aes_cbc(key: bytes, data: bytes, *, iv: bytes | None = None, unpad: bool = True) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: PLC0415

    if iv is None:
        iv, data = data[:16], data[16:]
    data = data[: len(data) - len(data) % 16]
    if not data or len(iv) != 16:
        return b""
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    out = decryptor.update(data) + decryptor.finalize()
    if unpad and out and 1 <= out[-1] <= 16:
        out = out[: -out[-1]]
    return out


class Decryptor:
    """Decrypts strings and streams of a document the empty user password opens."""

    def __init__(self, key: bytes, method: str) -> None:
        self.key = key
        self.method = method
        """``RC4``, ``AESV2`` (AES-128), ``AESV3`` (AES-256) or ``None`` (identity)."""

    def __call__(self, num: int, gen: int, data: bytes) -> bytes:
        """Decrypt the data of object ``num gen``."""
        if self.method == "None":
            return data
        if self.method == "AESV3":
            return _aes_cbc(self.key, data)
        salt = b"sAlT" if self.method == "AESV2" else b""
        digest = hashlib.md5(
            self.key + num.to_bytes(4, "little")[:3] + gen.to_bytes(4, "little")[:2] + salt,
            usedforsecurity=False,
        ).digest()
        key = digest[: min(len(self.key) + 5, 16)]
        return _aes_cbc(key, data) if self.method == "AESV2" else _rc4(key, data)


def _method(enc: dict[str, Any], doc: Document) -> str:
    """Return the stream cipher: /StmF's crypt filter for V4 and V5, RC4 below."""
    version = enc.get("V")
    if version not in (4, 5):
        return "RC4"
    name = enc.get("StmF", "Identity")
    if name == "Identity":
        return "None"
    filters = doc.resolve(enc.get("CF"))
    cf = doc.resolve(filters.get(name)) if isinstance(filters, dict) else None
    cfm = doc.resolve(cf.get("CFM")) if isinstance(cf, dict) else None
    return {"V2": "RC4", "AESV2": "AESV2", "AESV3": "AESV3", "None": "None"}.get(str(cfm), "RC4")


def decryptor(enc: dict[str, Any], doc: Document) -> Decryptor | None:
    """Return the decryptor the empty user password gives, or None when it does not open."""
    key = _file_key(enc, doc)
    return Decryptor(key, _method(enc, doc)) if key is not None else None


def _file_key(enc: dict[str, Any], doc: Document) -> bytes | None:
    """Return the file key the empty user password yields (None: it does not open the file)."""
    if enc.get("Filter") != "Standard":
        return None  # public-key and other handlers always need credentials
    revision = enc.get("R")
    o, u = doc.resolve(enc.get("O")), doc.resolve(enc.get("U"))
    if type(revision) is not int or not isinstance(o, bytes) or not isinstance(u, bytes):
        return None
    if revision in (5, 6):
        if revision == 5:
            opens = hashlib.sha256(u[32:40]).digest() == u[:32]
            middle = hashlib.sha256(u[40:48]).digest()
        else:
            opens = _hash_2b(b"", u[32:40]) == u[:32]
            middle = _hash_2b(b"", u[40:48]) if opens else b""
        ue = doc.resolve(enc.get("UE"))
        if not opens or not isinstance(ue, bytes) or len(ue) < 32:
            return None
        return _aes_cbc(middle, ue[:32], iv=bytes(16), unpad=False)
    if revision not in (2, 3, 4):
        return None
    ids = doc.resolve(doc.trailer.get("ID"))
    id0 = doc.resolve(ids[0]) if isinstance(ids, list) and ids else b""
    id0 = id0 if isinstance(id0, bytes) else b""
    p, length = enc.get("P"), enc.get("Length", 40)
    if type(p) is not int:
        return None
    n = 5 if revision == 2 else max(5, min(16, (length if type(length) is int else 128) // 8))
    h = hashlib.md5(_PAD + o[:32] + struct.pack("<I", p & 0xFFFFFFFF) + id0, usedforsecurity=False)
    if revision >= 4 and enc.get("EncryptMetadata") is False:
        h.update(b"\xff\xff\xff\xff")
    key = h.digest()
    if revision >= 3:
        for _ in range(50):
            key = hashlib.md5(key[:n], usedforsecurity=False).digest()
    key = key[:n]
    if revision == 2:
        return key if _rc4(key, _PAD) == u[:32] else None
    x = _rc4(key, hashlib.md5(_PAD + id0, usedforsecurity=False).digest())
    for i in range(1, 20):
        x = _rc4(bytes(b ^ i for b in key), x)
    return key if x[:16] == u[:16] else None

"""PDF objects from raw bytes, within bounds.

A tokenizer and parser with explicit stacks, the object headers found in one vectorised pass,
the xref (tables, streams, /Prev chains), object streams, and Flate decoding that counts in
1 MiB chunks instead of allocating what a stream claims.

This is not a PDF reader: it serves the structural checks in ``_pdfscan`` and never renders.
"""

from __future__ import annotations

import re
import zlib
from base64 import a85decode
from binascii import unhexlify
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ocr.types import ExtractionLimits

WS = b"\x00\t\n\f\r "
_W = rb"[\x00\t\n\f\r ]"
_REGULAR = rb"[^\x00\t\n\f\r ()<>\[\]{}/%]"
_END = rb"(?!" + _REGULAR + rb")"  # the token ends here (no regular character follows)
_TOKEN = re.compile(
    rb"(?:[\x00\t\n\f\r ]|%[^\r\n]*)*"
    rb"(?:(<<|>>|\[|\]|\{|\})"  # 1 container delimiters
    rb"|/(" + _REGULAR + rb"*)"  # 2 name
    rb"|(\()"  # 3 literal string
    rb"|<([0-9A-Fa-f\x00\t\n\f\r ]*)>"  # 4 hex string
    rb"|([+-]?(?:\d+\.?\d*|\.\d+))"
    + _END  # 5 number
    + rb"|("
    + _REGULAR
    + rb"+)"  # 6 keyword
    rb"|(.))",  # 7 anything else
    re.S,
)
_STRING_STOP = re.compile(rb"[()\\]")
_TOP_REF = re.compile(_W + rb"+(\d{1,5})" + _W + rb"+R" + _END)
HEADER_AT = re.compile(_W + rb"{0,4}(\d{1,10})" + _W + rb"+(\d{1,5})" + _W + rb"+obj" + _END)
STREAM = re.compile(rb">>" + _W + rb"*stream(?:\r\n|\n|\r)")
_ENDSTREAM = re.compile(rb"(?:\r\n|\n|\r)?endstream")
_STARTXREF = re.compile(rb"startxref" + _W + rb"+(\d{1,12})")
_SUBSECTION = re.compile(_W + rb"*(\d{1,10})" + _W + rb"+(\d{1,10})" + _W + rb"*")
_ENTRY = re.compile(rb"(\d{10})" + _W + rb"(\d{5})" + _W + rb"([nf])")
_TRAILER = re.compile(_W + rb"*trailer")
_LENGTH = re.compile(
    rb"/Length" + _W + rb"+(\d{1,12})(?:" + _W + rb"+(\d{1,5})" + _W + rb"+R" + _END + rb")?"
)
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

MAX_TOKENS_PER_OBJECT = 200_000
TOKEN_BUDGET = 3_000_000
"""Tokens one scan may parse in all (a 2,000-page tree is about 10,000)."""
MAX_DICT_WINDOW = 64 * 1024
CHUNK = 1 << 20
_MAX_XREF_SECTIONS = 64
_OBJSTM_CACHE_BYTES = 64 * 1024 * 1024
_MAX_OBJSTM_BYTES = 16 * 1024 * 1024  # one decoded object stream (legit ones are a few MB)

_IS_WS = np.zeros(256, dtype=bool)
_IS_WS[list(WS)] = True
_IS_DIGIT = np.zeros(256, dtype=bool)
_IS_DIGIT[list(b"0123456789")] = True
_IS_REGULAR = np.ones(256, dtype=bool)
_IS_REGULAR[list(WS + b"()<>[]{}/%")] = False


class Name(str):
    """A PDF name, ``#xx`` escapes decoded, without its slash."""

    __slots__ = ()


class Keyword(str):
    """A bare keyword met at the top level (``stream``, ``endobj`` ...)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Ref:
    """An indirect reference ``num gen R``."""

    num: int
    gen: int


class TooDeep(Exception):
    """An object nests deeper than the limit."""


class TooBig(Exception):
    """An object has more tokens than one object may, or the scan spent its token budget."""


def decode_name(raw: bytes) -> Name:
    """Return the name ``raw`` (without its slash) with ``#xx`` escapes decoded."""
    if b"#" in raw:
        raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return Name(raw.decode("latin-1"))


class Parser:
    """Tokens to values with explicit stacks; every object parsed draws on one token budget."""

    def __init__(self, data: bytes, max_nesting: int, budget: list[int]) -> None:
        self.data = data
        self.max_nesting = max_nesting
        self.budget = budget  # shared, one cell, by every parser of one scan

    def _string(self, pos: int) -> tuple[bytes, int]:
        """Read a literal string whose ``(`` is just before ``pos``; return it and the end."""
        depth = 1
        out = bytearray()
        data = self.data
        while len(out) <= MAX_DICT_WINDOW:
            m = _STRING_STOP.search(data, pos)
            if m is None:
                return bytes(out + data[pos:]), len(data)
            out += data[pos : m.start()]
            ch = m.group()
            pos = m.end()
            if ch == b"\\":
                out += data[pos : pos + 1]
                pos += 1
                continue
            depth += 1 if ch == b"(" else -1
            if depth == 0:
                return bytes(out), pos
            out += ch
        return bytes(out), pos

    def parse(self, pos: int) -> tuple[Any, int]:
        """Parse one value starting at ``pos``; return it and the offset after it."""
        stack: list[list[Any]] = []
        kinds: list[bytes] = []
        tokens = 0
        data = self.data
        while True:
            m = _TOKEN.match(data, pos)
            if m is None:
                value: Any = None
                while stack:  # an unterminated container: close what is open
                    value = _close(kinds.pop(), stack.pop())
                    if stack:
                        stack[-1].append(value)
                return value, len(data)
            pos = m.end()
            tokens += 1
            self.budget[0] -= 1
            if tokens > MAX_TOKENS_PER_OBJECT or self.budget[0] < 0:
                raise TooBig("too many tokens")
            group = m.lastindex
            if group == 1:
                tok = m.group(1)
                if tok in (b"<<", b"[", b"{"):
                    if len(stack) >= self.max_nesting:
                        raise TooDeep(f"nesting deeper than {self.max_nesting}")
                    stack.append([])
                    kinds.append(tok)
                    continue
                if not stack:
                    return None, pos
                value = _close(kinds.pop(), stack.pop())
            elif group == 2:
                value = decode_name(m.group(2))
            elif group == 3:
                value, pos = self._string(pos)
            elif group == 4:
                digits = bytes(c for c in m.group(4) if c not in WS)
                value = unhexlify(digits + b"0" * (len(digits) % 2))
            elif group == 5:
                text = m.group(5)
                value = float(text) if b"." in text else int(text)
            elif group == 6:
                word = m.group(6)
                if word == b"R" and stack and len(stack[-1]) >= 2:
                    num, gen = stack[-1][-2], stack[-1][-1]
                    if type(num) is not int or type(gen) is not int:
                        continue
                    del stack[-1][-2:]
                    value = Ref(num, gen)
                elif word in (b"true", b"false"):
                    value = word == b"true"
                elif word == b"null":
                    value = None
                elif stack:
                    continue  # an operator inside a container is not a value
                else:
                    return Keyword(word.decode("latin-1")), pos
            else:
                continue
            if stack:
                stack[-1].append(value)
                continue
            if type(value) is int:
                ref = _TOP_REF.match(data, pos, pos + 16)
                if ref:
                    return Ref(value, int(ref.group(1))), ref.end()
            return value, pos


def _close(kind: bytes, items: list[Any]) -> Any:
    if kind != b"<<":
        return items
    return {
        str(items[i]): items[i + 1] for i in range(0, len(items) - 1, 2) if type(items[i]) is Name
    }


@dataclass(slots=True)
class Stream:
    """One stream: its object number, its dictionary as written, and where its data lies."""

    num: int
    gen: int
    window: bytes
    """The dictionary's bytes (up to 64 KB before ``stream``), for quick regex reads."""
    start: int
    end: int


def _headers(data: bytes, limit: int) -> tuple[npt.NDArray[np.int64], ...] | None:
    """Find every ``num gen obj`` header; return (starts, nums, gens) or None past ``limit``.

    The literal ``obj`` is found at C speed and the numbers before it are read backwards with
    array operations: a regex that starts on a digit tries every byte (half a second on 8 MB).
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    found = []
    total = 0
    for lo in range(0, max(0, len(buf) - 2), CHUNK):
        part = buf[lo : lo + CHUNK + 2]
        hit = np.flatnonzero((part[:-2] == 111) & (part[1:-1] == 98) & (part[2:] == 106))
        found.append(hit + lo)
        total += len(hit)
        if total > 2 * limit + 16:  # "endobj" counts once more per object
            return None
    p = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    p = p[(p >= 4) & (p + 3 <= len(buf))]
    after = np.minimum(p + 3, len(buf) - 1)
    ends_here = (p + 3 == len(buf)) | ~_IS_REGULAR[buf[after]]
    p = p[_IS_WS[buf[p - 1]] & ends_here]
    q = p - 1

    def back(table: npt.NDArray[np.bool_], most: int) -> npt.NDArray[np.int64]:
        moved = np.zeros(len(q), dtype=np.int64)
        for _ in range(most):
            step = (q >= 0) & table[buf[np.maximum(q, 0)]]
            if not step.any():
                break
            q[step] -= 1
            moved += step
        return moved

    ok = back(_IS_WS, 8) > 0
    gen_end = q + 1
    ok &= back(_IS_DIGIT, 5) > 0
    gen_start = q + 1
    ok &= back(_IS_WS, 8) > 0
    num_end = q + 1
    ok &= back(_IS_DIGIT, 10) > 0
    ok &= (q < 0) | ~_IS_DIGIT[buf[np.maximum(q, 0)]]
    starts, num_end, gen_start, gen_end = q[ok] + 1, num_end[ok], gen_start[ok], gen_end[ok]
    if len(starts) > limit:
        return None

    def value(lo: npt.NDArray[np.int64], hi: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        out = np.zeros(len(lo), dtype=np.int64)
        for k in range(10):
            pos = lo + k
            live = pos < hi
            if not live.any():
                break
            out[live] = out[live] * 10 + (buf[pos[live]].astype(np.int64) - 48)
        return out

    return starts, value(starts, num_end), value(gen_start, gen_end)


class Document:
    """Objects by number through the xref, repaired from the object headers when damaged."""

    def __init__(self, data: bytes, limits: ExtractionLimits) -> None:
        self.data = data
        self.limits = limits
        self.budget = [TOKEN_BUDGET]
        self.parser = Parser(data, limits.max_nesting, self.budget)
        empty = np.zeros(0, dtype=np.int64)
        self.header_starts, self.header_nums, self.header_gens = empty, empty, empty
        self._by_number: dict[int, int] | None = None
        self.xref: dict[int, tuple[int, int, int]] = {}  # num -> (type, field 2, field 3)
        self._section_rows: list[tuple[npt.NDArray[np.int64], ...]] = []
        """Rows of each xref section as read (newest first): numbers, types, fields 2 and 3."""
        self._objstm_numbers: list[int] | None = None
        self.decrypt: Callable[[int, int, bytes], bytes] | None = None
        """Set when the document is encrypted and the empty user password opens it."""
        self.trailer: dict[str, Any] = {}
        self.streams: list[Stream] = []
        self.gaps: list[tuple[int, int]] = []
        """Byte ranges outside stream data."""
        self._objstms: dict[int, tuple[bytes, dict[int, int]] | None] = {}
        self._objstm_bytes = 0

    def index(self) -> bool:
        """Find the object headers; False when there are more than ``max_objects``."""
        found = _headers(self.data, self.limits.max_objects)
        if found is None:
            return False
        self.header_starts, self.header_nums, self.header_gens = found
        return True

    def object_before(self, pos: int) -> tuple[int, int, int]:
        """Return the number, generation and header end of the object before ``pos``."""
        i = int(np.searchsorted(self.header_starts, pos, side="right")) - 1
        if i < 0:
            return -1, 0, 0
        start = int(self.header_starts[i])
        m = HEADER_AT.match(self.data, start)
        return int(self.header_nums[i]), int(self.header_gens[i]), m.end() if m else start

    def split_streams(self) -> None:
        """Find every stream's data by its /Length (or its ``endstream``); keep the gaps."""
        data = self.data
        pos = 0
        while True:
            m = STREAM.search(data, pos)
            if m is None:
                self.gaps.append((pos, len(data)))
                return
            num, gen, header_end = self.object_before(m.start())
            window = data[max(header_end, m.start() - MAX_DICT_WINDOW, pos) : m.start() + 2]
            body = m.end()
            end = -1
            length = _LENGTH.search(window)
            if length:
                size = int(length.group(1))
                if length.group(2) is not None:
                    resolved = self.resolve(Ref(size, int(length.group(2))))
                    size = resolved if type(resolved) is int else -1
                if 0 <= size <= len(data) - body:
                    # a few writers count the EOL before endstream: a little slack
                    near = _ENDSTREAM.search(data, body + size, body + size + 12)
                    end = near.start() if near is not None else -1
            if end < 0:
                found = _ENDSTREAM.search(data, body)
                end = found.start() if found else len(data)
            self.gaps.append((pos, m.start() + 2))
            self.streams.append(Stream(num, gen, window, body, end))
            pos = end

    # --- the cross-reference table ------------------------------------------------------

    def read_xref(self) -> bool:
        """Read the xref sections from ``startxref`` along /Prev; False when it is unusable."""
        try:
            return self._read_xref()
        finally:
            self._merge_rows()

    def _merge_rows(self) -> None:
        """Fold the sections' rows into ``xref``, oldest first, so the newest one wins."""
        for nums, kinds, second, third in reversed(self._section_rows):
            self.xref.update(
                zip(
                    nums.tolist(),
                    zip(kinds.tolist(), second.tolist(), third.tolist(), strict=True),
                    strict=True,
                )
            )
        self._section_rows.clear()

    def _read_xref(self) -> bool:
        data = self.data
        found = list(_STARTXREF.finditer(data, max(0, len(data) - 4096)))
        if not found:
            found = list(_STARTXREF.finditer(data))
        if not found:
            return False
        offset = int(found[-1].group(1))
        seen: set[int] = set()
        while offset not in seen and len(seen) < _MAX_XREF_SECTIONS:
            seen.add(offset)
            trailer = self._section(offset)
            if trailer is None:
                return bool(self.trailer)
            if not self.trailer:
                self.trailer = trailer
            hybrid = trailer.get("XRefStm")
            if type(hybrid) is int and hybrid not in seen:
                seen.add(hybrid)
                self._section(hybrid)
            prev = trailer.get("Prev")
            if type(prev) is not int:
                break
            offset = prev
        return True

    def _section(self, offset: int) -> dict[str, Any] | None:
        data = self.data
        if not 0 <= offset < len(data):
            return None
        start = offset
        while start < len(data) and data[start] in WS:
            start += 1
        if data.startswith(b"xref", start):
            return self._table(start + 4)
        m = HEADER_AT.match(data, offset)
        if m is None:
            return None
        value, end = self.parser.parse(m.end())
        if not isinstance(value, dict) or value.get("Type") != "XRef":
            return None
        widths, size = value.get("W"), value.get("Size")
        if not (isinstance(widths, list) and len(widths) == 3 and type(size) is int):
            return None
        if not all(type(w) is int and 0 <= w <= 8 for w in widths) or sum(widths) == 0:
            return None
        stream = STREAM.match(data, end - 2)
        length = value.get("Length")
        if stream is None or type(length) is not int:
            return None
        index = value.get("Index", [0, size])
        pairs = [
            (index[i], index[i + 1])
            for i in range(0, len(index) - 1, 2)
            if type(index[i]) is int and type(index[i + 1]) is int
        ]
        row = sum(widths)
        expected = row * sum(count for _, count in pairs)
        raw = data[stream.end() : stream.end() + length]
        decoded = self.decode(value, raw, expected + CHUNK)
        if decoded is None:
            return None
        total = sum(count for _, count in pairs)
        n = min(total, len(decoded) // row, self.limits.max_objects)
        table = np.frombuffer(decoded[: n * row], dtype=np.uint8).reshape(n, row).astype(np.int64)
        cols: list[npt.NDArray[np.int64]] = []
        at = 0
        for w in widths:
            col = np.zeros(n, dtype=np.int64)
            for k in range(w):
                col = col * 256 + table[:, at + k]
            cols.append(col)
            at += w
        kinds = cols[0] if widths[0] else np.ones(n, dtype=np.int64)
        nums = np.concatenate(
            [np.arange(first, first + count, dtype=np.int64) for first, count in pairs]
            or [np.zeros(0, dtype=np.int64)]
        )[:n]
        used = (kinds == 1) | (kinds == 2)
        self._section_rows.append((nums[used], kinds[used], cols[1][used], cols[2][used]))
        return value

    def _table(self, pos: int) -> dict[str, Any] | None:
        data = self.data
        while True:
            m = _SUBSECTION.match(data, pos)
            if m is None or data.startswith(b"trailer", m.start(1)):
                break
            first, count = int(m.group(1)), int(m.group(2))
            if count > self.limits.max_objects:
                return None
            pos = m.end()
            self._rows(first, data[pos : pos + 20 * count], count)
            pos += 20 * count
        m2 = _TRAILER.match(data, pos) or _TRAILER.search(data, pos, pos + 4096)
        if m2 is None:
            return None
        value, _ = self.parser.parse(m2.end())
        return value if isinstance(value, dict) else None

    def _rows(self, first: int, block: bytes, count: int) -> None:
        """Add a classic xref subsection (20-byte rows; damaged rows read one by one)."""
        rows = np.frombuffer(block[: 20 * count], dtype=np.uint8)
        if len(rows) == 20 * count and count:
            rows = rows.reshape(count, 20)
            digits = rows[:, np.r_[0:10, 11:16]].astype(np.int64) - 48
            if ((digits >= 0) & (digits <= 9)).all():
                offsets = digits[:, :10] @ (10 ** np.arange(9, -1, -1, dtype=np.int64))
                gens = digits[:, 10:] @ (10 ** np.arange(4, -1, -1, dtype=np.int64))
                used = rows[:, 17] == ord("n")
                nums = np.arange(first, first + count, dtype=np.int64)[used]
                ones = np.ones(len(nums), dtype=np.int64)
                self._section_rows.append((nums, ones, offsets[used], gens[used]))
                return
        found = _ENTRY.findall(block)
        kept = [(first + i, int(o), int(g)) for i, (o, g, k) in enumerate(found) if k == b"n"]
        if kept:
            cols = [np.array(c, dtype=np.int64) for c in zip(*kept, strict=True)]
            self._section_rows.append((cols[0], np.ones(len(kept), dtype=np.int64), *cols[1:]))

    def check_xref(self) -> tuple[int, int]:
        """Return (offsets that miss their object, offsets checked) for in-use entries."""
        if not self.xref:
            return 0, 0
        table = np.array([(n, *e) for n, e in self.xref.items()], dtype=np.int64)
        table = table[(table[:, 1] == 1) & (table[:, 0] > 0)]
        nums, offsets, gens = table[:, 0], table[:, 2], table[:, 3]
        starts = self.header_starts
        if len(starts) == 0 or len(nums) == 0:
            return len(nums), len(nums)
        i = np.minimum(np.searchsorted(starts, offsets), len(starts) - 1)
        gap = starts[i] - offsets
        ok = (gap >= 0) & (gap <= 4) & (self.header_nums[i] == nums) & (self.header_gens[i] == gens)
        for j in np.flatnonzero(ok & (gap > 0)):  # only whitespace may come before the header
            if self.data[offsets[j] : starts[i[j]]].strip(WS):
                ok[j] = False
        return int((~ok).sum()), len(nums)

    # --- objects ------------------------------------------------------------------------

    def by_number(self) -> dict[int, int]:
        """Header offset by object number (the last definition wins, as in an update)."""
        if self._by_number is None:
            self._by_number = dict(
                zip(self.header_nums.tolist(), self.header_starts.tolist(), strict=True)
            )
        return self._by_number

    def _parse_at(self, offset: int, num: int) -> tuple[bool, Any]:
        m = HEADER_AT.match(self.data, offset)
        if m is None or int(m.group(1)) != num:
            return False, None
        return True, self.parser.parse(m.end())[0]

    def get(self, num: int) -> Any:
        """Return object ``num`` (None when it does not exist)."""
        entry = self.xref.get(num)
        if entry is not None and entry[0] == 1:
            ok, value = self._parse_at(entry[1], num)
            if ok:
                return value
        if entry is not None and entry[0] == 2:
            return self._from_objstm(entry[1], num)
        offset = self.by_number().get(num)
        return self._parse_at(offset, num)[1] if offset is not None else None

    def resolve(self, value: Any) -> Any:
        """Follow references (a bounded chain) to a direct value."""
        for _ in range(32):
            if not isinstance(value, Ref):
                return value
            value = self.get(value.num)
        return None

    def forget_objstms(self) -> None:
        """Drop the decoded object streams (read again after decryption is known)."""
        self._objstms.clear()
        self._objstm_bytes = 0

    def in_objstm(self, num: int) -> bool:
        """Tell whether object ``num`` lives in an object stream (its strings are plain)."""
        entry = self.xref.get(num)
        return entry is not None and entry[0] == 2

    def objstm(self, num: int) -> tuple[bytes, dict[int, int]] | None:
        """Return object stream ``num`` decoded and the offset of each object in it."""
        if num in self._objstms:
            return self._objstms[num]
        got = self._load_objstm(num)
        if got is not None and self._objstm_bytes + len(got[0]) > _OBJSTM_CACHE_BYTES:
            self._objstms = {k: v for k, v in self._objstms.items() if v is None}
            self._objstm_bytes = 0
        self._objstms[num] = got
        self._objstm_bytes += len(got[0]) if got else 0
        return got

    def _load_objstm(self, num: int) -> tuple[bytes, dict[int, int]] | None:
        entry = self.xref.get(num)
        offset = entry[1] if entry is not None and entry[0] == 1 else None
        m = HEADER_AT.match(self.data, offset) if offset is not None else None
        if m is None:
            offset = self.by_number().get(num)
            m = HEADER_AT.match(self.data, offset) if offset is not None else None
        if m is None:
            return None
        head, end = self.parser.parse(m.end())
        stream = STREAM.match(self.data, end - 2) if isinstance(head, dict) else None
        if stream is None or not isinstance(head, dict):
            return None
        length = self.resolve(head.get("Length"))
        body = stream.end()
        raw = self.data[body : body + length] if type(length) is int and length >= 0 else b""
        if self.decrypt is not None:
            raw = self.decrypt(num, int(m.group(2)), raw)
        cap = min(self.limits.max_stream_bytes, _MAX_OBJSTM_BYTES)
        filters = self.resolve(head.get("Filter"))
        names = (
            [str(self.resolve(f)) for f in filters] if isinstance(filters, list) else [str(filters)]
        )
        size = inflated_size(raw, names, cap)
        if size is not None and size > cap:
            return None  # counted in chunks first: a bomb is never decoded into memory
        decoded = self.decode(head, raw, cap)
        first, count = head.get("First"), head.get("N")
        if decoded is None or type(first) is not int or type(count) is not int:
            return None
        nums = re.findall(rb"\d+", decoded[:first])[: 2 * count]
        offsets = {int(nums[i]): first + int(nums[i + 1]) for i in range(0, len(nums) - 1, 2)}
        return decoded, offsets

    def _from_objstm(self, stm: int, num: int) -> Any:
        got = self.objstm(stm)
        if got is None or num not in got[1]:
            return None
        return Parser(got[0], self.limits.max_nesting, self.budget).parse(got[1][num])[0]

    def objstm_numbers(self) -> list[int]:
        """Numbers of the object streams (from the xref, else from their dictionaries)."""
        if self._objstm_numbers is None:
            nums = {a for kind, a, _ in self.xref.values() if kind == 2}
            marked = re.compile(rb"/Type" + _W + rb"*/ObjStm")
            nums |= {s.num for s in self.streams if marked.search(s.window)}
            self._objstm_numbers = sorted(nums)
        return self._objstm_numbers

    def decode(self, head: dict[str, Any], raw: bytes, cap: int) -> bytes | None:
        """Decode a stream's Flate/ASCII filters into memory; None past ``cap`` or unknown."""
        filters = self.resolve(head.get("Filter"))
        names = filters if isinstance(filters, list) else [filters] if filters else []
        parms = self.resolve(head.get("DecodeParms"))
        plist = parms if isinstance(parms, list) else [parms] * len(names)
        out = raw
        for i, name in enumerate(names):
            name = self.resolve(name)
            if name in FLATE:
                d = zlib.decompressobj()
                try:
                    out = d.decompress(out, cap + 1)
                except zlib.error:
                    return None
                if len(out) > cap:
                    return None
                p = self.resolve(plist[i]) if i < len(plist) else None
                if isinstance(p, dict):
                    out = _unpredict(out, p)
            elif name in ("ASCIIHexDecode", "AHx"):
                out = ahx(out)
            elif name in ("ASCII85Decode", "A85"):
                out = a85(out)
            else:
                return None
        return out


FLATE = ("FlateDecode", "Fl")
_TEXTUAL = ("ASCIIHexDecode", "AHx", "ASCII85Decode", "A85")


def ahx(raw: bytes) -> bytes:
    """ASCIIHexDecode."""
    digits = bytes(c for c in raw.split(b">", 1)[0] if c not in WS)
    try:
        return unhexlify(digits + b"0" * (len(digits) % 2))
    except ValueError:
        return b""


def a85(raw: bytes) -> bytes:
    """ASCII85Decode."""
    body = raw.strip(WS)
    body = body[2:] if body.startswith(b"<~") else body
    try:
        return a85decode(bytes(c for c in body.split(b"~>", 1)[0] if c not in WS))
    except ValueError:
        return b""


def _unpredict(data: bytes, parms: dict[str, Any]) -> bytes:
    """Undo a PNG predictor (what xref and object streams use); TIFF's is left alone."""
    predictor = parms.get("Predictor")
    if type(predictor) is not int or predictor < 10:
        return data
    columns, colors, bpc = (
        parms.get("Columns", 1),
        parms.get("Colors", 1),
        parms.get("BitsPerComponent", 8),
    )
    if not all(type(v) is int and 0 < v <= 1 << 16 for v in (columns, colors, bpc)):
        return data
    bpp = max(1, colors * bpc // 8)
    width = (columns * colors * bpc + 7) // 8
    out = bytearray()
    prev = bytearray(width)
    for pos in range(0, len(data) - width, width + 1):
        kind = data[pos]
        row = bytearray(data[pos + 1 : pos + 1 + width])
        if kind == 2:
            row = bytearray((r + p) & 0xFF for r, p in zip(row, prev, strict=True))
        elif kind == 1:
            for j in range(bpp, width):
                row[j] = (row[j] + row[j - bpp]) & 0xFF
        elif kind in (3, 4):
            for j in range(width):
                left = row[j - bpp] if j >= bpp else 0
                up = prev[j]
                if kind == 3:
                    row[j] = (row[j] + (left + up) // 2) & 0xFF
                    continue
                corner = prev[j - bpp] if j >= bpp else 0
                pa, pb, pc = abs(up - corner), abs(left - corner), abs(left + up - 2 * corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[j] = (row[j] + guess) & 0xFF
        out += row
        prev = row
    return bytes(out)


def inflated_size(raw: bytes, filters: list[str], cap: int) -> int | None:
    """Return how many bytes ``raw`` inflates to, stopping past ``cap``.

    Counted in 1 MiB chunks through the Flate (and ASCII) filters; None when no Flate filter is
    in the chain. Filters after the first one this cannot run (DCT, JBIG2 ...) are not counted:
    images are capped by their declared pixel size instead.
    """
    chain: list[str] = []
    for name in filters:
        if name not in FLATE and name not in _TEXTUAL:
            break
        chain.append(name)
    if not any(n in FLATE for n in chain):
        return None
    data = raw
    while chain and chain[0] in _TEXTUAL:
        data = ahx(data) if chain.pop(0) in ("ASCIIHexDecode", "AHx") else a85(data)
    stages = [zlib.decompressobj() for n in chain if n in FLATE]
    total = 0

    def chunks(level: int, chunk: bytes) -> Iterator[bytes]:
        d = stages[level]
        while chunk:
            try:
                out = d.decompress(chunk, CHUNK)
            except zlib.error:
                return
            chunk = d.unconsumed_tail
            if not out and not chunk:
                return
            yield out

    def run(level: int, chunk: bytes) -> bool:
        nonlocal total
        for out in chunks(level, chunk):
            if level + 1 < len(stages):
                if run(level + 1, out):
                    return True
                continue
            total += len(out)
            if total > cap:
                return True
        return False

    for start in range(0, len(data), CHUNK):
        if run(0, data[start : start + CHUNK]):
            break
    return total

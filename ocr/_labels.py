"""Finding "label : value" pairs on lines by label words, colons and geometry."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ocr._layout import Line, norm
from ocr.types import Word

# Field labels as printed on Indonesian documents, normalised (see ``_layout.norm``).
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "NOMOR INDUK KEPENDUDUKAN", "NO KTP", "NOMOR KTP"),
    "nama": (
        "NAMA",
        "NAMA LENGKAP",
        "NAMA WAJIB PAJAK",
        "NAMA PEMOHON",
        "NAMA PEMILIK",
        "NAMA PELAKU USAHA",
    ),
    "ttl": (
        "TEMPAT TGL LAHIR",
        "TEMPAT TANGGAL LAHIR",
        "TEMPAT DAN TANGGAL LAHIR",
        "TTL",
        # The first word alone, for when OCR mangles the rest ("Tempat/Igi Lah"):
        # ``_fields`` drops the leftover label words from the value.
        "TEMPAT",
    ),
    "tempat_lahir": ("TEMPAT LAHIR",),
    "tanggal_lahir": ("TANGGAL LAHIR", "TGL LAHIR"),
    "jenis_kelamin": ("JENIS KELAMIN", "KELAMIN"),
    "alamat": ("ALAMAT", "ALAMAT PEMOHON", "ALAMAT KANTOR", "ALAMAT PELAKU USAHA"),
    "kecamatan": ("KECAMATAN",),
    "npwp": ("NPWP", "NOMOR POKOK WAJIB PAJAK", "NO NPWP"),
    "nib": ("NIB", "NOMOR INDUK BERUSAHA", "NO NIB"),
    "kbli": ("KBLI", "KODE KBLI", "KBLI 2020"),
    "nama_usaha": (
        "NAMA USAHA",
        "NAMA PERUSAHAAN",
        "NAMA BADAN USAHA",
        "NAMA KEGIATAN USAHA",
    ),
    "nomor_dokumen": ("NOMOR", "NO", "NOMOR SURAT", "NOMOR AKTA", "NOMOR SK", "NOMOR DOKUMEN"),
    "tanggal_terbit": (
        "TANGGAL TERBIT",
        "DITERBITKAN TANGGAL",
        "TANGGAL TERDAFTAR",
        "TGL TERDAFTAR",
        "TANGGAL PENERBITAN",
        "DITETAPKAN TANGGAL",
        "PADA TANGGAL",
        "TGL TERBIT",
        "TANGGAL",
    ),
    "berlaku_hingga": ("BERLAKU HINGGA", "BERLAKU SAMPAI", "BERLAKU S D", "MASA BERLAKU"),
    "lokasi_usaha": (
        "LOKASI USAHA",
        "ALAMAT USAHA",
        "LOKASI",
        "ALAMAT LOKASI USAHA",
        "LOKASI KEGIATAN",
    ),
}

# Labels that only end the value before them (they are not extracted).
STOP_LABELS: tuple[str, ...] = (
    "AGAMA",
    "GOL DARAH",
    "GOL DARAH",
    "RT RW",
    "KEL DESA",
    "DESA KELURAHAN",
    "KELURAHAN",
    "DESA",
    "STATUS PERKAWINAN",
    "PEKERJAAN",
    "KEWARGANEGARAAN",
    "KABUPATEN",
    "KABUPATEN KOTA",
    "PROVINSI",
    "KODE POS",
    "TELEPON",
    "NO TELEPON",
    "EMAIL",
    "STATUS PENANAMAN MODAL",
    "SKALA USAHA",
    "JUDUL KBLI",
    "RISIKO",
    "TINGKAT RISIKO",
    "KPP",
    "JABATAN",
    "NIP",
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A label found on a line: which field, and where its words are."""

    name: str
    line: Line
    start: int
    end: int
    """Index after the label's last word (a trailing colon token is included)."""
    colon: bool
    above: bool = False
    """The label stands on a row of labels only (a card printing labels over their values):
    its value is under it, between its own left edge and the next label's."""


# Letter pairs OCR produces for a printed W ("NPMUP", "NPMVP" for "NPWP").
_W_CONFUSIONS = ("MU", "MV", "VV", "VY", "IW", "WV")


def _tokens(line: Line) -> list[str]:
    out = []
    for w in line.words:
        token = norm(w.text)
        for pair in _W_CONFUSIONS:
            token = token.replace(pair, "W")
        token = token.replace("RN", "M")  # "NARNA" for "NAMA"
        out.append(token)
    return out


@functools.lru_cache(maxsize=65536)
def word_matches(token: str, label_word: str, *, in_phrase: bool) -> bool:
    """Compare one word with OCR slack.

    One wrong letter is allowed in words of 4+ letters, or of 3 letters inside a multi-word
    label ("Tgi" for "Tgl"); long words may match by a close ratio.
    """
    if token == label_word:
        return True
    same_length = len(token) == len(label_word) and (len(label_word) >= 4 or in_phrase)
    if same_length and sum(a != b for a, b in zip(token, label_word, strict=True)) <= 1:
        return len(label_word) >= 3
    if in_phrase and len(label_word) >= 4 and abs(len(token) - len(label_word)) == 1:
        # One letter too many or too few inside a phrase ("NAMNA WAJIB PAJAK").
        short, long_ = sorted((token, label_word), key=len)
        if any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_))):
            return True
    if len(label_word) < 5 or abs(len(token) - len(label_word)) > 2:
        return False
    matcher = SequenceMatcher(None, token, label_word)
    # quick_ratio is an upper bound of ratio, cheap enough to try first.
    return matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8


_ALL_LABELS: list[tuple[str, tuple[str, ...]]] = sorted(
    [(name, tuple(lbl.split())) for name, lbls in FIELD_LABELS.items() for lbl in lbls]
    + [("_stop", tuple(lbl.split())) for lbl in STOP_LABELS],
    key=lambda item: -len(item[1]),
)


def _match_at(tokens: list[str], i: int) -> tuple[str, int] | None:
    """Return (name, words consumed) of the longest label starting at token ``i``."""
    for name, words in _ALL_LABELS:
        # A token can hold several label words ("Tempat/Tgl" -> "TEMPAT TGL").
        flat: list[str] = []
        j = i
        while len(flat) < len(words) and j < len(tokens):
            flat.extend(tokens[j].split() or [""])
            j += 1
        # The label may end inside the last token it takes ("Tempat/Igi" for "TEMPAT").
        if len(flat) < len(words) or len(flat) - len(tokens[j - 1].split()) >= len(words):
            continue
        flat = flat[: len(words)]
        if all(
            word_matches(t, lw, in_phrase=len(words) > 1) for t, lw in zip(flat, words, strict=True)
        ):
            return name, j - i
    return None


_LABEL_WORDS = frozenset(w for _, words in _ALL_LABELS for w in words if len(w) >= 3)


def is_label_word(token: str) -> bool:
    """Tell whether a token is (a misreading of) a word of some label ("NIIK" for "NIK")."""
    if token in _LABEL_WORDS:
        return True
    return any(
        len(w) >= 3 and abs(len(w) - len(token)) <= 1 and word_matches(token, w, in_phrase=True)
        for w in _LABEL_WORDS
    ) or (
        len(token) == 4 and any(token.replace(c * 2, c) == w for c in token for w in _LABEL_WORDS)
    )


def _has_colon(word: Word) -> bool:
    return ":" in word.text or "\uff1a" in word.text


def find_hits(line: Line) -> list[Hit]:
    """Find labels on a line: at its start, or anywhere when a colon follows the label.

    A row made of labels only ("Nama ... Tempat/Tgl Lahir", small print over the values) gives
    every label on it, each marked ``above``.
    """
    tokens = _tokens(line)
    hits: list[Hit] = []
    anywhere: list[Hit] = []
    i = 0
    while i < len(tokens):
        if not tokens[i]:
            i += 1
            continue
        found = _match_at(tokens, i)
        if found is None:
            i += 1
            continue
        name, used = found
        end = i + used
        colon = _has_colon(line.words[end - 1])
        # A dash or a stray mark may stand between a label and its colon ("LAHIR — : ...").
        after = end
        while after < len(tokens) and not tokens[after] and not _has_colon(line.words[after]):
            after += 1
        if (
            not colon
            and after < len(tokens)
            and line.words[after].text.strip()[:1]
            in (
                ":",
                "\uff1a",
            )
        ):
            colon = True
            if not tokens[after]:
                end = after + 1
        anywhere.append(Hit(name, line, i, end, colon))
        # The row starts with the label (a card's edge or a bullet read as "|" before it).
        first = i == next(k for k, t in enumerate(tokens) if t)
        if first or colon or (hits and hits[-1].end == i):
            hits.append(Hit(name, line, i, end, colon))
            i = end
        else:
            i += 1
    real = [t for t in tokens if t]
    covered = len({k for h in anywhere for k in range(h.start, h.end) if tokens[k]})
    if (
        anywhere
        and not any(h.colon for h in anywhere)
        and covered >= 0.8 * len(real)
        and any(h.name != "_stop" for h in anywhere)
    ):
        kept: list[Hit] = []
        for h in anywhere:  # overlapping matches ("NAMA USAHA", "USAHA"): the first wins
            if not kept or h.start >= kept[-1].end:
                kept.append(Hit(h.name, h.line, h.start, h.end, False, above=True))
        return kept
    return hits


# A colon read together with a stray mark: "1:", ":1", "l;", "1." right after a label.
_GLUED_COLON = re.compile(r"[1lI|!i]?[:;.\uff1a][1lI|!i]?")
_COLON_MISREADS = frozenset({"1", "l", "I", "|", "!", "i", ";", "¦"})


def value_words(hit: Hit, hits_on_line: list[Hit]) -> list[Word]:
    """Return the words after ``hit`` up to the next label on the same line."""
    stop = len(hit.line.words)
    for other in hits_on_line:
        if other.start >= hit.end and other is not hit:
            stop = min(stop, other.start)
    words = list(hit.line.words[hit.end : stop])
    # Without a colon after the label, a lone "1", "l" or "|" first is that colon misread.
    if (
        not hit.colon
        and len(words) > 1
        and (words[0].text in _COLON_MISREADS or _GLUED_COLON.fullmatch(words[0].text))
    ):
        words = words[1:]
    # Leading colons, dashes and stray marks are not part of the value.
    while words and not any(c.isalnum() for c in words[0].text):
        words = words[1:]
    if words:
        first = words[0]
        start = next(i for i, c in enumerate(first.text) if c.isalnum())
        if start:
            words[0] = replace(first, text=first.text[start:])
    # A wide gap ends the value: what follows belongs to another column (a photo's caption).
    for i in range(1, len(words)):
        height = max(words[i - 1].bbox.y1 - words[i - 1].bbox.y0, 1.0)
        if words[i].bbox.x0 - words[i - 1].bbox.x1 > 3.0 * height:
            return words[:i]
    return words

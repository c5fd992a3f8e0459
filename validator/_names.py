"""Comparing people's and businesses' names as the office does.

Case, spacing, punctuation, honorifics (``Hj.``, ``H.``, ``Dr.``, ``Ir.`` ...) and academic degrees
(``, S.Pd.``, ``S.E.``, ``M.M.`` ...) do not make two names different. A difference in letters does,
unless one of the two reads is a low-confidence OCR read and the difference is small and of the
kind OCR makes (``rn``/``m``, ``0``/``O``, ``1``/``I``/``l`` ...).
"""

from __future__ import annotations

import re
import unicodedata

_HONORIFICS = frozenset(
    {"H", "HJ", "HAJI", "HAJJAH", "DR", "DRS", "DRA", "IR", "PROF", "NY", "TN", "SDR", "SDRI", "KH"}
)
_DEGREES = frozenset(
    {
        "SE",
        "SH",
        "ST",
        "SPD",
        "SKOM",
        "SKM",
        "SAG",
        "SIP",
        "SSOS",
        "SPT",
        "SHUT",
        "SKED",
        "SFARM",
        "SKEP",
        "STP",
        "SPI",
        "SAK",
        "SSI",
        "SS",
        "SPSI",
        "SHI",
        "SPDI",
        "SIKOM",
        "MM",
        "MH",
        "MT",
        "MSI",
        "MPD",
        "MKES",
        "MAP",
        "MAK",
        "MKOM",
        "MSC",
        "MBA",
        "MA",
        "AMD",
        "AMDKEP",
        "AMDKEB",
        "BSC",
        "PHD",
        "SPOG",
        "SPA",
        "SPB",
    }
)
_COMPANY_WORDS = frozenset(
    {"PT", "CV", "FA", "FIRMA", "KOPERASI", "YAYASAN", "TBK", "PERSEROAN", "TERBATAS", "UD", "PD"}
)
_NOT_LETTER = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")
# Characters tesseract confuses; compared after upper-casing.
_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "L": "I", "5": "S", "8": "B", "6": "G", "2": "Z"})


def _ascii_upper(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).upper()


def _tokens(part: str) -> list[str]:
    return [t for t in _SPACES.split(part.strip()) if t]


def _bare(token: str) -> str:
    return _NOT_LETTER.sub("", token.replace(".", ""))


def person_key(name: str) -> str:
    """Return a person's name reduced to letters, without titles, degrees or spaces."""
    text = _ascii_upper(name)
    text = text.split(",", 1)[0]  # "NAMA, S.Pd., M.M." -> degrees follow the first comma
    tokens = _tokens(text)
    while tokens and _bare(tokens[0]) in _HONORIFICS and len(tokens) > 1:
        tokens.pop(0)
    while len(tokens) > 1 and (
        _bare(tokens[-1]) in _DEGREES or re.fullmatch(r"[A-Z]\.[A-Z.]+", tokens[-1])
    ):
        tokens.pop()
    return "".join(_bare(t) for t in tokens)


def business_key(name: str) -> str:
    """Return a business name reduced to letters, without legal-form words or spaces."""
    tokens = _tokens(_NOT_LETTER.sub(" ", _ascii_upper(name).replace(".", " ")))
    return "".join(t for t in tokens if t not in _COMPANY_WORDS)


_COMPANY_PREFIX = re.compile(
    r"^\s*(PT|P\.T|CV|C\.V|FA|FIRMA|KOPERASI|KOP|YAYASAN|UD|PD|PERSEROAN|PERUM|PERSERODA)\b\.?",
    re.IGNORECASE,
)
_COMPANY_SUFFIX = re.compile(r",?\s*(TBK|PERSERO)\.?\s*$", re.IGNORECASE)


def company_form(name: str) -> str | None:
    """Return the legal form a name starts with (``pt``, ``cv``, ``firma`` ...), or None."""
    found = _COMPANY_PREFIX.match(_ascii_upper(name))
    if found is None:
        return "pt" if _COMPANY_SUFFIX.search(_ascii_upper(name)) else None
    word = found.group(1).replace(".", "")
    return {"FA": "firma", "KOP": "koperasi", "UD": "perorangan", "PD": "perorangan"}.get(
        word, word.lower() if word in ("PT", "CV", "FIRMA", "KOPERASI", "YAYASAN") else "pt"
    )


def is_company_name(name: str) -> bool:
    """Tell whether a name is a business's (PT, CV, firma, koperasi, yayasan, UD ...)."""
    return company_form(name) is not None


def _ocr_distance(a: str, b: str) -> float:
    """Edit distance where an OCR-confusable substitution costs 0.25 and ``RN``/``M`` 0.25."""
    a_c, b_c = a.translate(_CONFUSABLE), b.translate(_CONFUSABLE)
    prev = [float(j) for j in range(len(b) + 1)]
    prev_prev = prev
    for i in range(1, len(a) + 1):
        cur = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                sub = 0.0
            elif a_c[i - 1] == b_c[j - 1]:
                sub = 0.25
            else:
                sub = 1.0
            cur[j] = min(prev[j] + 1.0, cur[j - 1] + 1.0, prev[j - 1] + sub)
            if i > 1 and j > 0 and a[i - 2 : i] == "RN" and b[j - 1] == "M":
                cur[j] = min(cur[j], prev_prev[j - 1] + 0.25)
            if j > 1 and a[i - 1] == "M" and b[j - 2 : j] == "RN":
                cur[j] = min(cur[j], prev[j - 2] + 0.25)
        prev_prev, prev = prev, cur
    return prev[len(b)]


def names_agree(a: str, b: str, *, tolerant: bool) -> bool:
    """Whether two comparable keys name the same person or business.

    ``tolerant`` (one side is a low-confidence OCR read) allows a small OCR-like difference:
    about one wrong character per eight.
    """
    if a == b:
        return True
    if not tolerant or not a or not b:
        return False
    allowed = 1.0 + max(len(a), len(b)) // 8
    return _ocr_distance(a, b) <= allowed

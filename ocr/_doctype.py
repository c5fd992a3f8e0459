"""Document type by weighted cues, with the cues that decided it kept as the explanation."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ocr._ids import nik_is_valid, repair_digits
from ocr._labels import word_matches
from ocr._layout import Line, norm
from ocr.types import PageText

# (doc_type, cue phrase (normalised), weight). A title phrase weighs more than a label.
_CUES: tuple[tuple[str, str, float], ...] = (
    ("ktp", "KARTU TANDA PENDUDUK", 5.0),
    ("ktp", "NIK", 1.0),
    ("ktp", "BERLAKU HINGGA", 1.5),
    ("ktp", "GOL DARAH", 2.0),
    ("ktp", "KEWARGANEGARAAN", 1.5),
    ("ktp", "STATUS PERKAWINAN", 2.0),
    ("ktp", "AGAMA", 1.0),
    ("ktp", "KEL DESA", 1.0),
    ("ktp", "TEMPAT TGL LAHIR", 1.0),
    ("ktp", "JENIS KELAMIN", 1.0),
    ("ktp", "PEKERJAAN", 1.0),
    ("ktp", "RT RW", 1.0),
    ("ktp", "PROVINSI", 0.5),
    # What a KTP prints as values, for when its small labels are lost.
    ("ktp", "SEUMUR HIDUP", 1.5),
    ("ktp", "WNI", 1.0),
    ("ktp", "KAWIN", 1.0),
    ("ktp", "LAKI LAKI", 1.0),
    ("ktp", "PEREMPUAN", 1.0),
    ("npwp", "NOMOR POKOK WAJIB PAJAK", 4.0),
    ("npwp", "DIREKTORAT JENDERAL PAJAK", 4.0),
    ("npwp", "NPWP", 2.0),
    ("npwp", "TANGGAL TERDAFTAR", 2.0),
    ("npwp", "KPP PRATAMA", 2.0),
    ("npwp", "KEMENTERIAN KEUANGAN", 1.5),
    ("npwp", "TERDAFTAR", 1.0),
    ("npwp", "KPP", 1.0),
    ("npwp", "NOMOR POKOK", 1.5),
    ("nib", "NOMOR INDUK BERUSAHA", 5.0),
    ("nib", "PERIZINAN BERUSAHA BERBASIS RISIKO", 2.0),
    ("nib", "ONLINE SINGLE SUBMISSION", 2.0),
    ("nib", "KBLI", 1.0),
    ("nib", "NIB", 1.0),
    ("nib", "PELAKU USAHA", 1.5),
    ("nib", "TINGKAT RISIKO", 1.0),
    ("nib", "OSS", 1.0),
    ("akta_pendirian", "AKTA PENDIRIAN", 5.0),
    ("akta_pendirian", "NOTARIS", 2.0),
    ("akta_pendirian", "MENGHADAP KEPADA SAYA", 3.0),
    ("akta_pendirian", "ANGGARAN DASAR", 1.5),
    ("sk_kemenkumham", "MENTERI HUKUM DAN HAK ASASI MANUSIA", 4.0),
    ("sk_kemenkumham", "PENGESAHAN PENDIRIAN BADAN HUKUM", 4.0),
    ("sk_kemenkumham", "AHU", 2.0),
    ("pkkpr", "KESESUAIAN KEGIATAN PEMANFAATAN RUANG", 5.0),
    ("pkkpr", "PKKPR", 4.0),
    ("pkkpr", "KKPR", 3.0),
    ("sppl", "SURAT PERNYATAAN KESANGGUPAN PENGELOLAAN DAN PEMANTAUAN LINGKUNGAN HIDUP", 7.0),
    ("sppl", "SPPL", 4.0),
    ("ukl_upl", "UPAYA PENGELOLAAN LINGKUNGAN HIDUP", 5.0),
    ("ukl_upl", "UPAYA PEMANTAUAN LINGKUNGAN HIDUP", 5.0),
    ("ukl_upl", "UKL UPL", 5.0),
    ("pbg", "PERSETUJUAN BANGUNAN GEDUNG", 5.0),
    ("pbg", "PBG", 2.0),
    ("slf", "SERTIFIKAT LAIK FUNGSI", 5.0),
    ("slf", "SLF", 2.0),
    ("surat_pernyataan", "SURAT PERNYATAAN", 4.0),
    ("surat_pernyataan", "MENYATAKAN DENGAN SEBENARNYA", 2.0),
    ("surat_pernyataan", "YANG BERTANDA TANGAN DI BAWAH INI", 1.0),
    ("surat_kuasa", "SURAT KUASA", 5.0),
    ("surat_kuasa", "PEMBERI KUASA", 3.0),
    ("surat_kuasa", "PENERIMA KUASA", 3.0),
    ("surat_kuasa", "MEMBERIKAN KUASA", 3.0),
)

# Scores below this are "other".
_MIN_SCORE = 3.5
# Identifier forms on the page: (doc_type, cue, weight).
_FORM_CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "nik": (("ktp", 2.5),),
    "npwp_printed": (("npwp", 2.5),),
    "nib": (("nib", 1.0),),
}
_NPWP_PRINTED = re.compile(r"\d{2}[.,]\d{3}[.,]\d{3}[.,]\d[-.]\d{3}[.,]\d{3}")
_CARD_TYPES = ("ktp", "npwp")


def _tokens(lines: Sequence[Line]) -> list[str]:
    return [t for ln in lines for w in ln.words for t in norm(w.text).split()]


def _count_phrase(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """Tell whether ``phrase`` occurs in ``tokens``, each word with OCR slack."""
    n = len(phrase)
    first = phrase[0]
    for i in range(len(tokens) - n + 1):
        if not word_matches(tokens[i], first, in_phrase=n > 1):
            continue
        if all(
            word_matches(t, w, in_phrase=n > 1)
            for t, w in zip(tokens[i + 1 : i + n], phrase[1:], strict=True)
        ):
            return True
    return False


def _forms(lines: Sequence[Line]) -> set[str]:
    """Return the identifier forms printed (a valid NIK, a printed NPWP, a 13-digit NIB)."""
    found: set[str] = set()
    for ln in lines:
        for w in ln.words:
            text = w.text.strip(":|")
            if _NPWP_PRINTED.fullmatch(text):
                found.add("npwp_printed")
            digits, _ = repair_digits(text)
            if len(digits) == 16 and digits.isdigit() and nik_is_valid(digits):
                found.add("nik")
            elif len(digits) == 13 and digits.isdigit() and sum(c.isdigit() for c in text) == 13:
                found.add("nib")
    return found


def classify(
    lines: list[Line], pages: Sequence[PageText] = ()
) -> tuple[str, tuple[str, ...], dict[str, float]]:
    """Return (doc_type, the cues that decided it, every type's score) for a document.

    Cues: title phrases (more in the first rows), the labels typical of a type, identifier forms
    printed on it, and the first page's shape (an ID-1 card). A document whose best score stays
    low is ``other``: a question for a person, never taken as a missing document.
    """
    if not lines:
        return "other", (), {}
    first_page = lines[0].page
    head = [ln for ln in lines if ln.page == first_page][:12]
    head_tokens = _tokens(head)
    all_tokens = _tokens(lines)
    scores: dict[str, float] = {}
    cues: dict[str, list[str]] = {}

    def gain(doc_type: str, weight: float, cue: str) -> None:
        scores[doc_type] = scores.get(doc_type, 0.0) + weight
        cues.setdefault(doc_type, []).append(cue)

    for doc_type, phrase, weight in _CUES:
        words = tuple(phrase.split())
        if _count_phrase(head_tokens, words):
            gain(doc_type, weight * 1.5, f"title:{phrase}")
        elif _count_phrase(all_tokens, words):
            gain(doc_type, weight, f"text:{phrase}")
    for form in _forms(lines):
        for doc_type, weight in _FORM_CUES[form]:
            gain(doc_type, weight, f"form:{form}")
    first = next((p for p in pages if p.number == first_page), None)
    if first is not None and first.width > 0 and first.height > 0:
        ratio = max(first.width, first.height) / min(first.width, first.height)
        if 1.45 <= ratio <= 1.75 and max(first.width, first.height) < 5.5 * 72:
            for doc_type in _CARD_TYPES:
                if doc_type in scores:
                    gain(doc_type, 1.0, "shape:card")
    # A more specific statement (SPPL) also contains the generic "SURAT PERNYATAAN".
    if "sppl" in scores and "surat_pernyataan" in scores:
        scores["surat_pernyataan"] -= 6.0
    if not scores:
        return "other", (), {}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < _MIN_SCORE:
        return "other", tuple(cues[best]), scores
    return best, tuple(cues[best]), scores

"""Document type by weighted cues, with the cues that decided it kept as the explanation."""

from __future__ import annotations

from ocr._layout import Line, norm

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
    ("npwp", "NOMOR POKOK WAJIB PAJAK", 4.0),
    ("npwp", "DIREKTORAT JENDERAL PAJAK", 4.0),
    ("npwp", "NPWP", 2.0),
    ("npwp", "TANGGAL TERDAFTAR", 2.0),
    ("npwp", "KPP PRATAMA", 2.0),
    ("npwp", "KEMENTERIAN KEUANGAN", 1.5),
    ("nib", "NOMOR INDUK BERUSAHA", 5.0),
    ("nib", "PERIZINAN BERUSAHA BERBASIS RISIKO", 2.0),
    ("nib", "ONLINE SINGLE SUBMISSION", 2.0),
    ("nib", "KBLI", 1.0),
    ("nib", "NIB", 1.0),
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


def classify(lines: list[Line]) -> tuple[str, tuple[str, ...]]:
    """Return (doc_type, matched cues) for a document's lines."""
    if not lines:
        return "other", ()
    first_page = lines[0].page
    head = [ln for ln in lines if ln.page == first_page][:12]
    head_text = " " + " ".join(norm(ln.text) for ln in head) + " "
    all_text = " " + " ".join(norm(ln.text) for ln in lines) + " "
    scores: dict[str, float] = {}
    cues: dict[str, list[str]] = {}
    for doc_type, phrase, weight in _CUES:
        needle = f" {phrase} "
        if needle in head_text:
            gained, where = weight * 1.5, "title"
        elif needle in all_text:
            gained, where = weight, "text"
        else:
            continue
        scores[doc_type] = scores.get(doc_type, 0.0) + gained
        cues.setdefault(doc_type, []).append(f"{where}:{phrase}")
    # A more specific statement (SPPL) also contains the generic "SURAT PERNYATAAN".
    if "sppl" in scores and "surat_pernyataan" in scores:
        scores["surat_pernyataan"] -= 6.0
    if not scores:
        return "other", ()
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < _MIN_SCORE:
        return "other", tuple(cues[best])
    return best, tuple(cues[best])

"""Rules on identifiers and names: NIB, NIK, NPWP, and names across documents.

Severity follows the evidence. What cannot be a misreading is certain: the declared data, a PDF's
text layer, two readers that agree, two printed fields that agree; a problem such a value shows is
blocking. What only a single reader (or a doubtful read) says may be a misreading: a question for
a person (a warning), unless the difference is too large for any misreading. Each finding says
which it is in ``basis``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from validator._context import Context, FieldRead
from validator._identifiers import NikCheck, check_nib, check_nik, check_npwp, compact
from validator._names import business_key, is_company_name, names_agree, person_key
from validator.types import Severity

_FEMALE = ("PEREMPUAN", "WANITA", "P")
_MALE = ("LAKI-LAKI", "LAKI LAKI", "LAKI", "PRIA", "L")
# Digits a misreading can change in one number (a blurred 8 for a 3, a 1 for a 7 ...).
_MISREAD_DIGITS = 2
_PRINTED_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)")


def _declared(ctx: Context, name: str, value: str | None) -> list[FieldRead]:
    return [FieldRead(None, name, value)] if value else []


def _groups(reads: Sequence[FieldRead], key: object = compact) -> list[list[FieldRead]]:
    """Group reads that carry the same number (one finding per distinct value, all sources)."""
    groups: dict[str, list[FieldRead]] = {}
    for read in reads:
        groups.setdefault(key(read.value), []).append(read)  # type: ignore[operator]
    return list(groups.values())


def certain_basis(reads: Sequence[FieldRead]) -> str:
    """Return the ``basis`` text for a finding resting on ``reads``."""
    sure = [r for r in reads if r.certain]
    if sure:
        return f"pasti: {sure[0].how} ({sure[0].where})"
    return f"mungkin salah baca: {reads[0].how} ({reads[0].where}); petugas mencocokkannya"


def _severity(group: Sequence[FieldRead]) -> Severity:
    """Blocking when a certain source says the value; a warning when only uncertain reads do."""
    return "blocking" if any(r.certain for r in group) else "warning"


def _sources(group: Sequence[FieldRead]) -> str:
    return ", ".join(r.where for r in group)


def _digit_distance(a: str, b: str) -> int:
    """Return the edit distance between two digit strings."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[len(b)]


def _disagree(
    ctx: Context,
    rule_id: str,
    what: str,
    reads: Sequence[FieldRead],
    key: object = compact,
) -> None:
    """One finding when differently written numbers appear.

    Blocking when every source is certain, or when the numbers differ by more than a misreading
    could explain; a warning when an uncertain read may have misread a digit or two.
    """
    values = {key(r.value) for r in reads}  # type: ignore[operator]
    if len(values) < 2:
        return
    listing = "; ".join(f"{r.where}: {r.value}" for r in reads)
    unsure = [r for r in reads if not r.certain]
    ordered = sorted(values, key=str)
    spread = max(
        _digit_distance(str(a), str(b)) for i, a in enumerate(ordered) for b in ordered[i + 1 :]
    )
    if unsure and spread <= _MISREAD_DIGITS:
        severity: Severity = "warning"
        basis = (
            f"mungkin salah baca: {unsure[0].how} ({unsure[0].where}) dan bedanya hanya "
            f"{spread} angka; petugas mencocokkannya dengan dokumen"
        )
        tail = "; sebagian dibaca mesin tanpa kepastian, petugas mencocokkannya."
    else:
        severity = "blocking"
        basis = (
            "pasti: semua sumber pasti"
            if not unsure
            else f"pasti: bedanya {spread} angka, terlalu banyak untuk salah baca"
        )
        tail = "."
    ctx.add(
        rule_id,
        severity,
        f"{what} tidak sama antar dokumen ({listing}){tail}",
        [r.evidence for r in reads],
        basis=basis,
    )


def check_nib_rule(ctx: Context) -> None:
    """NIB is 13 digits and the same on the declared data and the NIB document."""
    reads = _declared(ctx, "nib", ctx.declared.nib) + list(ctx.reads("nib", ("nib",)))
    valid: list[FieldRead] = []
    for group in _groups(reads):
        problem = check_nib(group[0].value)
        if problem is None:
            valid.extend(group)
            continue
        ctx.add(
            "nib.format",
            _severity(group),
            f"{problem}; sumber: {_sources(group)}.",
            [r.evidence for r in group],
            basis=certain_basis(group),
        )
    _disagree(ctx, "nib.tidak_sama", "NIB", valid)


def _birth_year(ctx: Context, ktp_dates: Sequence[FieldRead]) -> int | None:
    for read in ktp_dates:
        try:
            return date.fromisoformat(read.value[:10]).year
        except ValueError:
            continue
    return None


def nik_check(ctx: Context, value: str, birth_year: int | None = None) -> NikCheck:
    """Check a NIK with the rule set's provinces and age bounds."""
    params = ctx.rules.parameters
    return check_nik(
        value,
        today=ctx.today,
        provinces=ctx.rules.region.province_codes(),
        min_age=params.min_age,
        max_age=params.max_age,
        birth_year=birth_year,
    )


def _printed_birth_agrees(ctx: Context, nik: str, group: Sequence[FieldRead]) -> FieldRead | None:
    """Return the KTP's printed date of birth when it says the NIK's (impossible) date too.

    Two printed fields that agree cannot both be misread: a NIK whose birth digits make no real
    date, printed beside the same impossible date, is certainly what the card says.
    """
    day, month, yy = int(nik[6:8]) % 40, int(nik[8:10]), nik[10:12]
    docs = {r.document.document_id for r in group if r.document is not None}
    for doc in ctx.by_type.get("ktp", ()):
        if docs and doc.document_id not in docs:
            continue
        for name in ("tanggal_lahir_tertulis", "tanggal_lahir"):
            found = doc.extraction.fields.get(name)
            if found is None or not isinstance(found.value, str):
                continue
            iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", found.value)
            printed = (
                (int(iso.group(3)), int(iso.group(2)), iso.group(1))
                if iso
                else next(
                    (
                        (int(m.group(1)), int(m.group(2)), m.group(3))
                        for m in _PRINTED_DATE.finditer(found.value)
                    ),
                    None,
                )
            )
            if printed and printed[0] == day and printed[1] == month and printed[2][2:] == yy:
                return FieldRead(doc, name, found.value, found)
    return None


def check_nik_rule(ctx: Context) -> None:
    """NIK structure, region and birth date; KTP birth date and sex agree; same NIK everywhere."""
    ktp_dates = list(ctx.reads("tanggal_lahir", ("ktp",)))
    birth_year = _birth_year(ctx, ktp_dates)
    reads = _declared(ctx, "pemilik.nik", ctx.declared.pemilik.nik) + list(ctx.reads("nik"))
    checked: dict[str, NikCheck] = {}
    valid: list[FieldRead] = []
    for group in _groups(reads):
        result = nik_check(ctx, group[0].value, birth_year)
        if result.problem is not None:
            severity = _severity(group)
            basis = certain_basis(group)
            evidence = [r.evidence for r in group]
            if severity == "warning" and result.problem_kind == "tanggal_lahir":
                printed = _printed_birth_agrees(ctx, result.nik, group)
                if printed is not None:
                    severity = "blocking"
                    basis = (
                        "pasti: tanggal lahir yang tercetak pada KTP sama dengan tanggal dalam NIK"
                    )
                    evidence.append(printed.evidence)
            ctx.add(
                f"nik.{result.problem_kind}",
                severity,
                f"NIK tidak sah: {result.problem}; sumber: {_sources(group)}.",
                evidence,
                basis=basis,
            )
            continue
        valid.extend(group)
        for read in group:
            if read.document is not None and read.document.extraction.doc_type == "ktp":
                checked[read.document.document_id] = result
    _disagree(ctx, "nik.tidak_sama", "NIK", valid)
    for doc in ctx.by_type.get("ktp", ()):
        ktp_nik = checked.get(doc.document_id)
        if ktp_nik is None or ktp_nik.birth_date is None:
            continue
        nik_read = next(r for r in ctx.reads("nik") if r.document is doc)
        for read in (r for r in ktp_dates if r.document is doc):
            on_card = read.value[:10]
            if on_card != ktp_nik.birth_date.isoformat():
                pair = [nik_read, read]
                ctx.add(
                    "nik.tanggal_lahir_tidak_sama",
                    "blocking" if all(r.certain for r in pair) else "warning",
                    f"Tanggal lahir pada KTP ({on_card}) tidak sesuai dengan tanggal lahir "
                    f"dalam NIK ({ktp_nik.birth_date.isoformat()}).",
                    [nik_read.evidence, read.evidence],
                    basis=_pair_basis(pair),
                )
        for read in ctx.reads("jenis_kelamin", ("ktp",)):
            if read.document is not doc:
                continue
            sex = read.value.upper().strip()
            female = True if sex in _FEMALE else False if sex in _MALE else None
            if female is not None and female != ktp_nik.female:
                pair = [nik_read, read]
                ctx.add(
                    "nik.jenis_kelamin_tidak_sama",
                    "blocking" if all(r.certain for r in pair) else "warning",
                    f"Jenis kelamin pada KTP ({read.value}) tidak sesuai dengan NIK (tanggal "
                    "lahir perempuan ditambah 40).",
                    [nik_read.evidence, read.evidence],
                    basis=_pair_basis(pair),
                )


def _pair_basis(pair: Sequence[FieldRead]) -> str:
    unsure = [r for r in pair if not r.certain]
    if not unsure:
        return "pasti: kedua isian dibaca dengan pasti"
    return f"mungkin salah baca: {unsure[0].how}; petugas mencocokkannya dengan KTP"


def _npwp_key(value: str) -> str:
    """Compare NPWPs as one number: a 16-digit ``0`` + old 15 is the old 15."""
    number = compact(value)
    return number[1:] if len(number) == 16 and number.startswith("0") else number


def check_npwp_rule(ctx: Context) -> None:
    """Check NPWP 15/16 digits with its check digit; an individual's NPWP16 is the NIK.

    A company's NPWP16 is ``0`` + its old NPWP15: the two forms compare as one number.
    """
    reads = (
        _declared(ctx, "npwp", ctx.declared.npwp)
        + list(ctx.reads("npwp", ("npwp",)))
        + list(ctx.reads("npwp", ("nib",)))
    )
    owner_niks = [
        compact(r.value)
        for r in _declared(ctx, "pemilik.nik", ctx.declared.pemilik.nik)
        + list(ctx.reads("nik", ("ktp",)))
    ]
    valid: list[FieldRead] = []
    personal: list[FieldRead] = []
    for group in _groups(reads, _npwp_key):
        kind = _npwp_ok(ctx, group, owner_niks)
        if kind == "nik":
            personal.extend(group)
        elif kind is not None:
            valid.extend(group)
    if ctx.is_company or not personal or not valid:
        _disagree(ctx, "npwp.tidak_sama", "NPWP", valid + personal, _npwp_key)
        return
    _disagree(ctx, "npwp.tidak_sama", "NPWP", valid, _npwp_key)
    # An individual may keep his old NPWP15 beside the NIK that is now his NPWP16: two forms
    # that cannot be compared digit by digit; a person confirms both are his.
    listing = "; ".join(f"{r.where}: {r.value}" for r in (*valid, *personal))
    ctx.add(
        "npwp.tidak_sama",
        "warning",
        f"NPWP ditulis dalam dua bentuk ({listing}): NPWP lama 15 angka dan NPWP 16 angka "
        "(NIK); petugas memastikan keduanya milik pemohon.",
        [r.evidence for r in (*valid, *personal)],
        basis="dua bentuk NPWP orang pribadi yang sah, tidak dapat dibandingkan angka demi angka",
    )


def _npwp_ok(ctx: Context, group: Sequence[FieldRead], owner_niks: Sequence[str]) -> str | None:
    """Check one NPWP value; return its kind when well-formed (for the cross-document check)."""
    result = check_npwp(group[0].value)
    severity = _severity(group)
    basis = certain_basis(group)
    evidence = [r.evidence for r in group]
    if result.problem is not None:
        ctx.add(
            "npwp.tidak_sah",
            severity,
            f"NPWP tidak sah: {result.problem}; sumber: {_sources(group)}.",
            evidence,
            basis=basis,
        )
        return None
    if result.kind != "nik":
        return result.kind
    if ctx.is_company:
        ctx.add(
            "npwp.bukan_npwp_badan",
            "warning",
            f"NPWP {group[0].value} berbentuk NIK (NPWP orang pribadi), sedangkan pemohon "
            "adalah badan usaha yang memerlukan NPWP badan.",
            evidence,
            basis=basis,
        )
        return "nik"
    as_nik = nik_check(ctx, result.npwp)
    if as_nik.problem is not None:
        ctx.add(
            "npwp.tidak_sah",
            severity,
            f"NPWP 16 angka orang pribadi adalah NIK, tetapi {as_nik.problem}; "
            f"sumber: {_sources(group)}.",
            evidence,
            basis=basis,
        )
        return None
    if owner_niks and result.npwp not in owner_niks:
        nearest = min(_digit_distance(result.npwp, n) for n in owner_niks)
        sure = severity == "blocking" or nearest > _MISREAD_DIGITS
        ctx.add(
            "npwp.bukan_nik_pemilik",
            "blocking" if sure else "warning",
            f"NPWP 16 angka orang pribadi harus sama dengan NIK pemilik, tetapi NPWP "
            f"{group[0].value} ({_sources(group)}) berbeda dengan NIK pemilik.",
            evidence,
            basis=basis
            if severity == "blocking" or not sure
            else "pasti: berbeda terlalu jauh dari NIK pemilik untuk salah baca",
        )
    return "nik"


def _name_clusters(
    ctx: Context, reads: Sequence[FieldRead], keys: Sequence[str]
) -> list[list[int]]:
    parent = list(range(len(reads)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(reads)):
        for j in range(i + 1, len(reads)):
            tolerant = ctx.low(reads[i]) or ctx.low(reads[j])
            if names_agree(keys[i], keys[j], tolerant=tolerant):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(reads)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=len, reverse=True)


def _contained(a: str, b: str) -> bool:
    """Tell whether one key holds the other whole: a reading fault, not another name.

    A name read short, or run into the neighbouring column's words.
    """
    return bool(a) and bool(b) and (a in b or b in a)


def _compare_names(
    ctx: Context,
    rule_id: str,
    what: str,
    reads: list[FieldRead],
    person: bool,
    authoritative: tuple[str, ...],
) -> None:
    """One finding when the names disagree.

    Blocking only when two authoritative sources (the declared data, and the documents that
    name this person or business: ``authoritative``) differ beyond any misreading. A name
    another document prints differently (a deed names several people), a read that may be a
    misreading, or one that holds the other whole, is a question for a person.
    """
    keyed = [(r, person_key(r.value) if person else business_key(r.value)) for r in reads]
    keyed = [(r, k) for r, k in keyed if k]
    if len(keyed) < 2:
        return
    reads = [r for r, _ in keyed]
    keys = [k for _, k in keyed]
    clusters = _name_clusters(ctx, reads, keys)
    if len(clusters) < 2:
        return
    outliers = [reads[i] for group in clusters[1:] for i in group]
    majority = [reads[i] for i in clusters[0]]
    listing = "; ".join(f"{r.where}: {r.value}" for r in reads)

    def counts(r: FieldRead) -> bool:
        return r.document is None or r.document.extraction.doc_type in authoritative

    def certain_difference(i: int, j: int) -> bool:
        if _contained(keys[i], keys[j]):
            return False
        if reads[i].certain and reads[j].certain:
            return True
        # One uncertain read: only a difference no misreading explains.
        return not names_agree(keys[i], keys[j], tolerant=True)

    cluster_of = {i: c for c, group in enumerate(clusters) for i in group}
    sure = any(
        counts(reads[i])
        and counts(reads[j])
        and cluster_of[i] != cluster_of[j]
        and certain_difference(i, j)
        for i in range(len(reads))
        for j in range(i + 1, len(reads))
    )
    ctx.add(
        rule_id,
        "blocking" if sure else "warning",
        f"{what} tidak sama antar dokumen ({listing})"
        + ("." if sure else "; mungkin salah baca atau nama lain pada dokumen, petugas "
           "mencocokkannya."),
        [r.evidence for r in (*outliers, *majority)],
        basis=(
            "pasti: nama pada data permohonan dan dokumen identitas berbeda lebih dari yang "
            "dapat dijelaskan oleh salah baca"
            if sure
            else f"tidak pasti: {outliers[0].how} ({outliers[0].where})"
        ),
    )  # fmt: skip


# Where each document type prints a person's name and a business's name.
_PERSON_NAME_DOCS = ("ktp", "npwp", "nib", "akta_pendirian", "surat_kuasa", "surat_pernyataan")
_BUSINESS_NAME_DOCS = ("nib", "npwp", "akta_pendirian", "sk_kemenkumham", "pkkpr")
_BUSINESS = ("nib", "npwp", "akta_pendirian", "sk_kemenkumham")


def check_names(ctx: Context) -> None:
    """Compare a person with a person and a company with a company.

    The owner's (director's) name: the declared owner, the KTP, and any other document's name that
    is a person's (the NIB's *nama pelaku usaha* of an individual, a personal NPWP). The business:
    the declared business name, the documents' business names, and any name that is a company's
    (a PT's NIB holder, a company NPWP).
    """
    person_reads = [r for r in ctx.reads("nama", _PERSON_NAME_DOCS) if not is_company_name(r.value)]
    if ctx.is_company:
        # A company's NPWP and NIB name the company; a person's name there is someone else's.
        person_reads = [
            r
            for r in person_reads
            if r.document is not None
            and r.document.extraction.doc_type in ("ktp", "akta_pendirian")
        ]
    persons = _declared(ctx, "pemilik.nama", ctx.declared.pemilik.nama) + person_reads
    _compare_names(
        ctx, "nama.tidak_sama", "Nama pemilik/penanggung jawab", persons, True,
        ("ktp", "npwp", "nib"),
    )  # fmt: skip
    businesses = _declared(ctx, "nama_usaha", ctx.declared.nama_usaha) + list(
        ctx.reads("nama_usaha", _BUSINESS_NAME_DOCS)
    )
    if ctx.is_company:
        businesses += [
            r for r in ctx.reads("nama", _BUSINESS_NAME_DOCS) if is_company_name(r.value)
        ]
    # A company's legal name (PT ..., on its NPWP, akta, NIB holder) and a trade name (the
    # NIB's *nama usaha*, "Roti Jongkat") are two names: each is compared with its own kind.
    legal = [r for r in businesses if is_company_name(r.value)]
    trade = [r for r in businesses if not is_company_name(r.value)]
    if ctx.is_company and legal and trade:
        _compare_names(ctx, "nama_usaha.tidak_sama", "Nama badan usaha", legal, False, _BUSINESS)
        _compare_names(ctx, "nama_usaha.tidak_sama", "Nama usaha", trade, False, _BUSINESS)
    else:
        _compare_names(ctx, "nama_usaha.tidak_sama", "Nama usaha", businesses, False, _BUSINESS)

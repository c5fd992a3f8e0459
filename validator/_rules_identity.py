"""Rules on identifiers and names: NIB, NIK, NPWP, and names across documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from validator._context import Context, FieldRead
from validator._identifiers import NikCheck, check_nib, check_nik, check_npwp, compact
from validator._names import business_key, names_agree, person_key
from validator.types import Severity

_FEMALE = ("PEREMPUAN", "WANITA", "P")
_MALE = ("LAKI-LAKI", "LAKI LAKI", "LAKI", "PRIA", "L")


def _declared(ctx: Context, name: str, value: str | None) -> list[FieldRead]:
    return [FieldRead(None, name, value)] if value else []


def _groups(reads: Sequence[FieldRead]) -> list[list[FieldRead]]:
    """Group reads that carry the same number (one finding per distinct value, all sources)."""
    groups: dict[str, list[FieldRead]] = {}
    for read in reads:
        groups.setdefault(compact(read.value), []).append(read)
    return list(groups.values())


def _severity(ctx: Context, group: Sequence[FieldRead]) -> Severity:
    """Blocking when any read is certain; a warning when only unsure OCR reads say it."""
    return "warning" if all(ctx.low(r) for r in group) else "blocking"


def _sources(group: Sequence[FieldRead]) -> str:
    return ", ".join(r.where for r in group)


def _disagree(ctx: Context, rule_id: str, what: str, reads: Sequence[FieldRead]) -> None:
    """One finding when differently written numbers appear; a warning if OCR was unsure."""
    values = {compact(r.value) for r in reads}
    if len(values) < 2:
        return
    unsure = any(ctx.low(r) for r in reads)
    listing = "; ".join(f"{r.where}: {r.value}" for r in reads)
    ctx.add(
        rule_id,
        "warning" if unsure else "blocking",
        f"{what} tidak sama antar dokumen ({listing})"
        + (
            "; sebagian dibaca mesin dengan keyakinan rendah, petugas mencocokkannya."
            if unsure
            else "."
        ),
        [r.evidence for r in reads],
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
            _severity(ctx, group),
            f"{problem}; sumber: {_sources(group)}.",
            [r.evidence for r in group],
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
            ctx.add(
                f"nik.{result.problem_kind}",
                _severity(ctx, group),
                f"NIK tidak sah: {result.problem}; sumber: {_sources(group)}.",
                [r.evidence for r in group],
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
            printed = read.value[:10]
            if printed != ktp_nik.birth_date.isoformat():
                ctx.add(
                    "nik.tanggal_lahir_tidak_sama",
                    "warning" if ctx.low(read) or ctx.low(nik_read) else "blocking",
                    f"Tanggal lahir pada KTP ({printed}) tidak sesuai dengan tanggal lahir "
                    f"dalam NIK ({ktp_nik.birth_date.isoformat()}).",
                    [nik_read.evidence, read.evidence],
                )
        for read in ctx.reads("jenis_kelamin", ("ktp",)):
            if read.document is not doc:
                continue
            sex = read.value.upper().strip()
            female = True if sex in _FEMALE else False if sex in _MALE else None
            if female is not None and female != ktp_nik.female:
                ctx.add(
                    "nik.jenis_kelamin_tidak_sama",
                    "warning" if ctx.low(read) or ctx.low(nik_read) else "blocking",
                    f"Jenis kelamin pada KTP ({read.value}) tidak sesuai dengan NIK (tanggal "
                    "lahir perempuan ditambah 40).",
                    [nik_read.evidence, read.evidence],
                )


def check_npwp_rule(ctx: Context) -> None:
    """NPWP 15/16 digits with its check digit; for individuals an NPWP16 is the owner's NIK."""
    reads = _declared(ctx, "npwp", ctx.declared.npwp) + list(ctx.reads("npwp", ("npwp",)))
    owner_niks = [
        compact(r.value)
        for r in _declared(ctx, "pemilik.nik", ctx.declared.pemilik.nik)
        + list(ctx.reads("nik", ("ktp",)))
    ]
    valid: list[FieldRead] = []
    for group in _groups(reads):
        if _npwp_ok(ctx, group, owner_niks):
            valid.extend(group)
    _disagree(ctx, "npwp.tidak_sama", "NPWP", valid)


def _npwp_ok(ctx: Context, group: Sequence[FieldRead], owner_niks: Sequence[str]) -> bool:
    """Check one NPWP value; return whether it is well-formed (for the cross-document check)."""
    result = check_npwp(group[0].value)
    severity = _severity(ctx, group)
    evidence = [r.evidence for r in group]
    if result.problem is not None:
        ctx.add(
            "npwp.tidak_sah",
            severity,
            f"NPWP tidak sah: {result.problem}; sumber: {_sources(group)}.",
            evidence,
        )
        return False
    if result.kind != "nik":
        return True
    if ctx.is_company:
        ctx.add(
            "npwp.bukan_npwp_badan",
            "warning",
            f"NPWP {group[0].value} berbentuk NIK (NPWP orang pribadi), sedangkan pemohon "
            "adalah badan usaha yang memerlukan NPWP badan.",
            evidence,
        )
        return True
    as_nik = nik_check(ctx, result.npwp)
    if as_nik.problem is not None:
        ctx.add(
            "npwp.tidak_sah",
            severity,
            f"NPWP 16 angka orang pribadi adalah NIK, tetapi {as_nik.problem}; "
            f"sumber: {_sources(group)}.",
            evidence,
        )
        return False
    if owner_niks and result.npwp not in owner_niks:
        ctx.add(
            "npwp.bukan_nik_pemilik",
            severity,
            f"NPWP 16 angka orang pribadi harus sama dengan NIK pemilik, tetapi NPWP "
            f"{group[0].value} ({_sources(group)}) berbeda dengan NIK pemilik.",
            evidence,
        )
    return True


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


def _compare_names(
    ctx: Context, rule_id: str, what: str, reads: list[FieldRead], person: bool
) -> None:
    keyed = [(r, person_key(r.value) if person else business_key(r.value)) for r in reads]
    keyed = [(r, k) for r, k in keyed if k]
    if len(keyed) < 2:
        return
    reads = [r for r, _ in keyed]
    clusters = _name_clusters(ctx, reads, [k for _, k in keyed])
    if len(clusters) < 2:
        return
    outliers = [reads[i] for group in clusters[1:] for i in group]
    majority = [reads[i] for i in clusters[0]]
    listing = "; ".join(f"{r.where}: {r.value}" for r in reads)
    ctx.add(
        rule_id,
        "blocking",
        f"{what} tidak sama antar dokumen ({listing}).",
        [r.evidence for r in (*outliers, *majority)],
    )


def check_names(ctx: Context) -> None:
    """Check that the owner's (director's) name and the business name agree across documents."""
    person_docs: tuple[str, ...] = ("ktp",) if ctx.is_company else ("ktp", "npwp", "nib")
    persons = _declared(ctx, "pemilik.nama", ctx.declared.pemilik.nama) + list(
        ctx.reads("nama", person_docs)
    )
    _compare_names(ctx, "nama.tidak_sama", "Nama pemilik/penanggung jawab", persons, True)
    businesses = _declared(ctx, "nama_usaha", ctx.declared.nama_usaha) + list(
        ctx.reads("nama_usaha", ("nib", "akta_pendirian", "sk_kemenkumham"))
    )
    if ctx.is_company:
        businesses += list(ctx.reads("nama", ("npwp",)))
    _compare_names(ctx, "nama_usaha.tidak_sama", "Nama usaha", businesses, False)

"""Rules on the KBLI lines: form, existence, authority, and whether the risk level fits the SS."""

from __future__ import annotations

import re
from dataclasses import replace

from ocr import Field
from validator._context import Context
from validator.authority import LEVEL_NAMES, OSS_LEVELS, kbli_authority
from validator.types import RISIKO_VALUES, Evidence, KbliClaim

_FIVE = re.compile(r"\d{5}")


def _printed_kbli(ctx: Context) -> list[tuple[str, str | None, str | None, Evidence, bool]]:
    """Return the KBLI lines the NIB prints: (code, risk, location, evidence, risk certain)."""
    out: list[tuple[str, str | None, str | None, Evidence, bool]] = []
    seen: set[str] = set()
    for doc in ctx.by_type.get("nib", ()):
        fields = doc.extraction.fields
        found = fields.get("kbli")
        if found is None:
            continue
        codes = (found.value,) if isinstance(found.value, str) else found.value
        risks = _column(fields.get("kbli_risiko"), len(codes))
        places = _column(fields.get("kbli_lokasi"), len(codes))
        risk_field = fields.get("kbli_risiko")
        sure = risk_field is not None and not risk_field.low_confidence
        for code, risk, place in zip(codes, risks, places, strict=True):
            if code in seen:
                continue
            seen.add(code)
            evidence = Evidence(doc.document_id, found.page, "kbli", code)
            out.append((code, risk or None, place or None, evidence, sure))
    return out


def _column(found: Field | None, n: int) -> tuple[str, ...]:
    if found is None:
        return ("",) * n
    values = (found.value,) if isinstance(found.value, str) else tuple(found.value)
    return (values + ("",) * n)[:n]


def claims(ctx: Context) -> tuple[tuple[KbliClaim, Evidence], ...]:
    """Return the KBLI lines: declared ones, else the codes on the NIB document.

    A line's risk level is the one declared (sent by OSS, or typed in), else the one the NIB
    prints for its code; where the two differ, ``check_risk`` asks a person.
    """
    printed = {code: (risk, sure) for code, risk, _, _, sure in _printed_kbli(ctx)}
    if ctx.declared.kbli:
        out: list[tuple[KbliClaim, Evidence]] = []
        for i, c in enumerate(ctx.declared.kbli):
            risk, _ = printed.get(c.kode, (None, False))
            if risk in RISIKO_VALUES and c.risiko is None:
                c = replace(c, risiko=risk)  # type: ignore[arg-type]
            out.append((c, Evidence(None, None, f"kbli[{i}].kode", c.kode)))
        return tuple(out)
    return tuple(
        (
            KbliClaim(code, risiko=risk if risk in RISIKO_VALUES else None),  # type: ignore[arg-type]
            evidence,
        )
        for code, risk, _, evidence, _ in _printed_kbli(ctx)
    )


def printed_locations(ctx: Context) -> list[tuple[str, Evidence]]:
    """Return the business locations the NIB's KBLI table prints, one per code."""
    return [(place, evidence) for _, _, place, evidence, _ in _printed_kbli(ctx) if place]


def check_kbli(ctx: Context) -> None:
    """KBLI 5 digits, in the list in force, within the office's authority."""
    lines = claims(ctx)
    if not lines:
        ctx.add(
            "kbli.tidak_ada",
            "blocking",
            "Tidak ada kode KBLI pada data permohonan maupun pada NIB.",
        )
        return
    nib_codes = _nib_codes(ctx)
    regency = ctx.rules.region.regency_digits
    unknown: list[Evidence] = []
    not_on_nib: list[Evidence] = []
    for claim, evidence in lines:
        code = claim.kode
        if not _FIVE.fullmatch(code):
            ctx.add(
                "kbli.format",
                "blocking",
                f"Kode KBLI '{code}' tidak sah: kode KBLI untuk perizinan harus tepat 5 angka.",
                [evidence],
            )
            continue
        answer = kbli_authority(
            code, ctx.rules, skala=ctx.declared.skala, risiko=claim.risiko, today=ctx.today
        )
        if not answer.exists:
            ctx.add(
                "kbli.tidak_terdaftar",
                "blocking",
                f"Kode KBLI {code} tidak terdapat dalam daftar KBLI yang berlaku "
                f"({ctx.kbli_table.version}).",
                [evidence],
            )
            continue
        if nib_codes is not None and ctx.declared.kbli and code not in nib_codes:
            not_on_nib.append(evidence)
        if ctx.declared.from_oss and claim.kewenangan is not None:
            _check_oss_authority(ctx, claim, evidence, regency)
            continue
        if answer.authority == "outside":
            level = LEVEL_NAMES.get(answer.level or "", answer.level or "")
            if answer.verified:
                ctx.add(
                    "kbli.di_luar_kewenangan",
                    "blocking",
                    f"KBLI {code} merupakan kewenangan {level}, bukan kewenangan DPMPTSP "
                    f"Kabupaten/Kota (dasar: {answer.basis}).",
                    [evidence],
                    correctable=False,
                    basis="pasti: baris tabel kewenangan yang terverifikasi",
                )
            else:
                ctx.add(
                    "kbli.di_luar_kewenangan",
                    "warning",
                    f"Menurut tabel kewenangan kantor yang belum diverifikasi, KBLI {code} "
                    f"merupakan kewenangan {level} ({answer.basis}); petugas memastikan "
                    "kewenangan menurut lampiran peraturan sebelum menolak.",
                    [evidence],
                    basis="aturan belum diverifikasi: hanya peringatan",
                    unverified=[answer.row],
                )
        elif answer.authority == "unknown":
            unknown.append(evidence)
        if claim.kewenangan is not None and not ctx.declared.from_oss:
            typed = OSS_LEVELS.get(claim.kewenangan)
            if answer.level is not None and typed != answer.level:
                ctx.add(
                    "kbli.kewenangan_isian_berbeda",
                    "info",
                    f"Kewenangan yang diisi pemohon untuk KBLI {code} ({claim.kewenangan}) "
                    f"berbeda dengan tabel kewenangan kantor ({answer.level}); yang dipakai "
                    "adalah tabel kantor.",
                    [Evidence(None, None, "kewenangan", claim.kewenangan)],
                )
    if unknown:
        codes = ", ".join(e.value or "" for e in unknown)
        ctx.add(
            "kbli.kewenangan_tidak_diketahui",
            "warning",
            f"Kewenangan untuk KBLI {codes} tidak ada dalam tabel kewenangan kantor; petugas "
            "memutuskan apakah permohonan ini menjadi kewenangan kantor.",
            unknown,
        )
    if not_on_nib:
        codes = ", ".join(e.value or "" for e in not_on_nib)
        ctx.add(
            "kbli.tidak_ada_di_nib",
            "warning",
            f"Kode KBLI {codes} tidak tercantum pada dokumen NIB yang diunggah.",
            [*not_on_nib, *(nib_codes or {}).values()],
        )


def _nib_codes(ctx: Context) -> dict[str, Evidence] | None:
    docs = ctx.by_type.get("nib", ())
    out: dict[str, Evidence] = {}
    read_any = False
    for doc in docs:
        found = doc.extraction.fields.get("kbli")
        if found is None:
            continue
        read_any = True
        codes = (found.value,) if isinstance(found.value, str) else found.value
        for code in codes:
            out.setdefault(code, Evidence(doc.document_id, found.page, "kbli", code))
    return out if read_any else None


def _check_oss_authority(ctx: Context, claim: KbliClaim, evidence: Evidence, regency: str) -> None:
    """OSS decides mechanically: kewenangan 02 and kd_daerah inside the regency."""
    where = Evidence(None, None, "kd_daerah", claim.kd_daerah)
    kind = Evidence(None, None, "kewenangan", claim.kewenangan)
    if claim.kewenangan != "02":
        level = LEVEL_NAMES.get(OSS_LEVELS.get(claim.kewenangan or "", ""), claim.kewenangan)
        ctx.add(
            "kbli.di_luar_kewenangan",
            "blocking",
            f"Menurut OSS, KBLI {claim.kode} merupakan kewenangan {level} "
            f"(kewenangan {claim.kewenangan}), bukan kewenangan Kabupaten/Kota.",
            [evidence, kind],
            correctable=False,
        )
    elif not (claim.kd_daerah or "").replace(".", "").startswith(regency):
        ctx.add(
            "kbli.di_luar_kewenangan",
            "blocking",
            f"Menurut OSS, KBLI {claim.kode} menjadi kewenangan daerah {claim.kd_daerah or '-'}, "
            f"bukan kabupaten ini ({ctx.rules.region.regency.kode}).",
            [evidence, where],
            correctable=False,
        )


def check_risk(ctx: Context) -> None:
    """MT is verified, MR recorded; Rendah and Tinggi are routed elsewhere with a reason."""
    lines = claims(ctx)
    risks = [c.risiko for c, _ in lines]
    all_outside_ss = bool(lines) and all(r in ("R", "T") for r in risks)
    printed = {code: (risk, ev) for code, risk, _, ev, _ in _printed_kbli(ctx) if risk}
    differ = [
        (claim, evidence, printed[claim.kode])
        for claim, evidence in lines
        if claim.risiko and claim.kode in printed and printed[claim.kode][0] != claim.risiko
    ]
    if differ:
        listing = "; ".join(
            f"KBLI {c.kode}: diisi {c.risiko}, pada NIB {p[0]}" for c, _, p in differ
        )
        ctx.add(
            "risiko.tidak_sama",
            "warning",
            f"Tingkat risiko pada data permohonan berbeda dengan yang tercetak pada NIB "
            f"({listing}); petugas memastikan tingkat risiko menurut OSS.",
            [e for _, ev, p in differ for e in (ev, p[1])],
        )
    unknown = [evidence for claim, evidence in lines if claim.risiko is None]
    if unknown:
        codes = ", ".join(e.value or "" for e in unknown)
        ctx.add(
            "risiko.tidak_diketahui",
            "warning",
            f"Tingkat risiko KBLI {codes} tidak diketahui (tidak diisi dan tidak terbaca pada "
            "NIB); petugas memastikan bahwa KBLI ini berisiko Menengah Tinggi atau Menengah "
            "Rendah.",
            unknown,
        )
    for claim, evidence in lines:
        risk_evidence = [Evidence(None, None, "risiko", claim.risiko), evidence]
        if claim.risiko == "MR":
            ctx.add(
                "risiko.menengah_rendah",
                "info",
                f"KBLI {claim.kode} berisiko Menengah Rendah: Sertifikat Standar berupa "
                "pernyataan mandiri, dicatat tanpa verifikasi.",
                risk_evidence,
            )
        elif claim.risiko in ("R", "T"):
            reason = (
                "berisiko Rendah: cukup NIB, tidak memerlukan Sertifikat Standar"
                if claim.risiko == "R"
                else "berisiko Tinggi: memerlukan Izin melalui layanan perizinan lain, "
                "bukan Sertifikat Standar"
            )
            ctx.add(
                "risiko.bukan_sertifikat_standar",
                "blocking" if all_outside_ss else "warning",
                f"KBLI {claim.kode} {reason}.",
                risk_evidence,
                correctable=False,
            )

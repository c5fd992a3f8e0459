"""The business location lies inside the regency (never judged from the owner's KTP address)."""

from __future__ import annotations

from validator._context import Context, FieldRead
from validator._rules_kbli import printed_locations
from validator.types import Evidence


def check_location(ctx: Context) -> None:
    """NIB's lokasi usaha and the declared location must place the business in the regency.

    The NIB prints the business location on page 1 (*Lokasi Usaha*) or per KBLI in its table;
    only when it prints neither, and nothing is declared, does its office address
    (*Alamat Kantor*) stand in, and then it can only warn.
    """
    regency = ctx.rules.region.regency
    index = ctx.region_index
    unknown: list[tuple[str, Evidence, str]] = []
    sources: list[FieldRead] = list(ctx.reads("lokasi_usaha", ("nib",)))
    printed = printed_locations(ctx)
    lokasi = ctx.declared.lokasi
    declared_text = ", ".join(
        v for v in (lokasi.alamat, lokasi.desa, lokasi.kecamatan, lokasi.kabupaten) if v
    )
    if not sources and not printed and not declared_text:
        offices = list(ctx.reads("alamat", ("nib",)))
        for read in offices:
            placed = ctx.region_index.place_text(read.value)
            if placed.placement != "inside":
                ctx.add(
                    "lokasi.tidak_ada",
                    "warning",
                    f"Lokasi usaha tidak tercantum; alamat kantor pada NIB ({read.value}) "
                    f"tidak dapat dipastikan berada di {regency.nama}; petugas memastikan lokasi "
                    "usaha.",
                    [read.evidence],
                )
            return
        ctx.add(
            "lokasi.tidak_ada",
            "warning",
            "Lokasi usaha tidak ditemukan pada NIB maupun data permohonan; petugas memastikan "
            f"lokasi usaha berada di {regency.nama}.",
        )
        return
    for read in sources:
        _place(ctx, read.value, read.evidence, read.where, unknown, sure=not ctx.low(read))
    nib_docs = {d.document_id: d for d in ctx.by_type.get("nib", ())}
    for place, evidence in printed:
        doc = nib_docs.get(evidence.document_id or "")
        found = doc.extraction.fields.get("kbli_lokasi") if doc is not None else None
        sure = found is not None and not found.low_confidence
        where = f"NIB ({doc.file_name})" if doc is not None else "NIB"
        _place(ctx, place, Evidence(evidence.document_id, evidence.page, "kbli_lokasi", place),
               f"{where}, KBLI {evidence.value}", unknown, sure=sure)  # fmt: skip
    _unknown(ctx, unknown)
    if not declared_text:
        return
    declared_unknown: list[tuple[str, Evidence, str]] = []
    if lokasi.kabupaten:
        _place(
            ctx,
            lokasi.kabupaten,
            Evidence(None, None, "lokasi.kabupaten", lokasi.kabupaten),
            "data permohonan",
            declared_unknown,
        )
    kecamatan_code = None
    if lokasi.kecamatan:
        evidence = Evidence(None, None, "lokasi.kecamatan", lokasi.kecamatan)
        kecamatan_code = index.kecamatan_code(lokasi.kecamatan)
        if kecamatan_code is None:
            placed = index.place_text(lokasi.kecamatan)
            if placed.placement == "outside":
                _outside(ctx, evidence, "data permohonan", placed.matched)
            else:
                ctx.add(
                    "lokasi.tidak_dikenali",
                    "warning",
                    f"Kecamatan '{lokasi.kecamatan}' tidak dikenal sebagai kecamatan di "
                    f"{regency.nama}; petugas memeriksanya.",
                    [evidence],
                )
    if lokasi.desa:
        evidence = Evidence(None, None, "lokasi.desa", lokasi.desa)
        codes = index.desa_codes(lokasi.desa)
        if not codes:
            ctx.add(
                "lokasi.tidak_dikenali",
                "warning",
                f"Desa/kelurahan '{lokasi.desa}' tidak dikenal di {regency.nama}; petugas "
                "memeriksanya.",
                [evidence],
            )
        elif kecamatan_code is not None and not any(
            c.startswith(kecamatan_code + ".") for c in codes
        ):
            ctx.add(
                "lokasi.desa_kecamatan_tidak_cocok",
                "warning",
                f"Desa/kelurahan '{lokasi.desa}' tidak berada di kecamatan '{lokasi.kecamatan}'.",
                [evidence, Evidence(None, None, "lokasi.kecamatan", lokasi.kecamatan)],
            )
    if lokasi.alamat and not lokasi.kecamatan and not lokasi.kabupaten and not sources:
        _place(
            ctx,
            lokasi.alamat,
            Evidence(None, None, "lokasi.alamat", lokasi.alamat),
            "data permohonan",
            declared_unknown,
        )
    _unknown(ctx, declared_unknown)


def _outside(ctx: Context, evidence: Evidence, where: str, matched: str | None) -> None:
    ctx.add(
        "lokasi.di_luar_wilayah",
        "blocking",
        f"Lokasi usaha ({where}: {evidence.value}) berada di {matched or 'luar daerah'}, di luar "
        f"{ctx.rules.region.regency.nama}; permohonan bukan kewenangan kantor ini.",
        [evidence],
        correctable=False,
    )


def _place(
    ctx: Context,
    text: str,
    evidence: Evidence,
    where: str,
    unknown: list[tuple[str, Evidence, str]],
    *,
    sure: bool = True,
) -> None:
    placed = ctx.region_index.place_text(text)
    if placed.placement == "outside":
        if sure:
            _outside(ctx, evidence, where, placed.matched)
        else:
            ctx.add(
                "lokasi.di_luar_wilayah",
                "warning",
                f"Lokasi usaha ({where}: {text}) tampaknya berada di "
                f"{placed.matched or 'luar daerah'}, di luar {ctx.rules.region.regency.nama}, "
                "tetapi dibaca mesin dengan keyakinan rendah; petugas memeriksanya.",
                [evidence],
                basis="mungkin salah baca: bacaan mesin berkeyakinan rendah",
            )
    elif placed.placement == "unknown":
        unknown.append((text, evidence, where))


def _unknown(ctx: Context, unknown: list[tuple[str, Evidence, str]]) -> None:
    """One warning for every location that could not be placed (one concern, one finding)."""
    if not unknown:
        return
    listing = "; ".join(f"{where}: {text}" for text, _, where in unknown)
    ctx.add(
        "lokasi.tidak_dikenali",
        "warning",
        f"Lokasi usaha ({listing}) tidak dapat dipastikan berada di "
        f"{ctx.rules.region.regency.nama}; petugas memeriksanya.",
        [e for _, e, _ in unknown],
    )

"""The business location lies inside the regency (never judged from the owner's KTP address)."""

from __future__ import annotations

from validator._context import Context, FieldRead
from validator.types import Evidence


def check_location(ctx: Context) -> None:
    """NIB's lokasi usaha and the declared location must place the business in the regency."""
    regency = ctx.rules.region.regency
    index = ctx.region_index
    sources: list[FieldRead] = list(ctx.reads("lokasi_usaha", ("nib",)))
    lokasi = ctx.declared.lokasi
    declared_text = ", ".join(
        v for v in (lokasi.alamat, lokasi.desa, lokasi.kecamatan, lokasi.kabupaten) if v
    )
    if not sources and not declared_text:
        ctx.add(
            "lokasi.tidak_ada",
            "warning",
            "Lokasi usaha tidak ditemukan pada NIB maupun data permohonan; petugas memastikan "
            f"lokasi usaha berada di {regency.nama}.",
        )
        return
    for read in sources:
        _place(ctx, read.value, read.evidence, read.where)
    if not declared_text:
        return
    if lokasi.kabupaten:
        _place(
            ctx,
            lokasi.kabupaten,
            Evidence(None, None, "lokasi.kabupaten", lokasi.kabupaten),
            "data permohonan",
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
        )


def _outside(ctx: Context, evidence: Evidence, where: str, matched: str | None) -> None:
    ctx.add(
        "lokasi.di_luar_wilayah",
        "blocking",
        f"Lokasi usaha ({where}: {evidence.value}) berada di {matched or 'luar daerah'}, di luar "
        f"{ctx.rules.region.regency.nama}; permohonan bukan kewenangan kantor ini.",
        [evidence],
        correctable=False,
    )


def _place(ctx: Context, text: str, evidence: Evidence, where: str) -> None:
    placed = ctx.region_index.place_text(text)
    if placed.placement == "outside":
        _outside(ctx, evidence, where, placed.matched)
    elif placed.placement == "unknown":
        ctx.add(
            "lokasi.tidak_dikenali",
            "warning",
            f"Lokasi usaha ({where}: {text}) tidak dapat dipastikan berada di "
            f"{ctx.rules.region.regency.nama}; petugas memeriksanya.",
            [evidence],
        )

"""The permit's own data: its number, the values it prints, and what its template is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.checking.mapping import declared_data
from workflow.checking.read_values import confirmed_values
from workflow.db.models import Application


def next_permit_number(session: Session, application: Application) -> str:
    """Return the next permit number: the NIB and a 4-digit sequence (DOMAIN.md)."""
    nib = application.nib or "0000000000000"
    issued = session.scalar(
        select(func.count())
        .select_from(Application)
        .where(Application.nib == nib, Application.permit_number.is_not(None))
    )
    return f"{nib}-{(issued or 0) + 1:04d}"


@dataclass(frozen=True, slots=True)
class PermitValues:
    """What the permit says of the applicant: declared, or read and confirmed by the Tim Teknis.

    A value only the machine read and nobody confirmed is never among them.
    """

    nama_usaha: str | None
    nib: str | None
    kbli: tuple[tuple[str, str | None], ...]
    """(kode, judul) per KBLI line."""


def permit_values(application: Application) -> PermitValues:
    """Return what the permit prints of the application."""
    data = declared_data(application)
    confirmed = confirmed_values(application)
    nama_usaha = data.nama_usaha
    if not nama_usaha and "nama_usaha" in confirmed:
        nama_usaha = str(confirmed["nama_usaha"].value)
    kbli: tuple[tuple[str, str | None], ...] = tuple((k.kode, k.judul) for k in data.kbli)
    if not kbli and "kbli" in confirmed:
        read = confirmed["kbli"]
        codes = (read.value,) if isinstance(read.value, str) else read.value
        titles = [*read.titles, *([""] * len(codes))]
        kbli = tuple((code, titles[i] or None) for i, code in enumerate(codes))
    return PermitValues(nama_usaha=nama_usaha, nib=application.nib or data.nib, kbli=kbli)


def permit_render_data(
    application: Application,
    *,
    verification_url: str,
    signer_name: str,
    signer_nip: str | None,
    signer_position: str | None,
    issue_date: date,
) -> dict[str, Any]:
    """Return the data the Sertifikat Standar template takes."""
    data = application.data
    values = permit_values(application)
    return {
        "nomor": application.permit_number,
        "nama_usaha": values.nama_usaha,
        "nib": values.nib,
        "status_penanaman_modal": data.get("status_penanaman_modal", "PMDN"),
        "kbli": [{"kode": kode, "judul": judul} for kode, judul in values.kbli],
        "lokasi": data.get("lokasi", {}),
        "status_standar": "Terverifikasi",
        "tanggal_terbit": issue_date,
        "penandatangan": {"nama": signer_name, "nip": signer_nip, "jabatan": signer_position},
        "verification_url": verification_url,
    }

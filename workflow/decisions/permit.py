"""The permit's own data: its number, and what the Sertifikat Standar template is given."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    return {
        "nomor": application.permit_number,
        "nama_usaha": data.get("nama_usaha"),
        "nib": application.nib or data.get("nib"),
        "status_penanaman_modal": data.get("status_penanaman_modal", "PMDN"),
        "kbli": [{"kode": k["kode"], "judul": k.get("judul")} for k in data.get("kbli", [])],
        "lokasi": data.get("lokasi", {}),
        "status_standar": "Terverifikasi",
        "tanggal_terbit": issue_date,
        "penandatangan": {"nama": signer_name, "nip": signer_nip, "jabatan": signer_position},
        "verification_url": verification_url,
    }

"""The one application-data shape (DOMAIN.md "Application data") shared by API, CLI and permit."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Code5 = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
Digits = Annotated[str, StringConstraints(pattern=r"^\d+$", max_length=16)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pemilik(_Strict):
    """The owner, or the director for a company."""

    nama: Text | None = None
    nik: Annotated[str, StringConstraints(pattern=r"^\d{16}$")] | None = None


class Lokasi(_Strict):
    """The business location (never the owner's KTP address)."""

    alamat: Text | None = None
    desa: Text | None = None
    kecamatan: Text | None = None


class KbliItem(_Strict):
    """One KBLI line of the OSS checklist."""

    kode: Code5
    judul: Text | None = None
    risiko: Literal["R", "MR", "MT", "T"] | None = None
    kewenangan: Literal["00", "01", "02"] | None = None
    kd_daerah: Annotated[str, StringConstraints(pattern=r"^\d{2,10}$")] | None = None


class ApplicationData(_Strict):
    """The declared data of one application; every key optional where documents can supply it."""

    nama_usaha: Text | None = None
    bentuk: Literal["perorangan", "pt", "cv", "firma", "koperasi", "yayasan"] | None = None
    skala: Literal["mikro", "kecil", "menengah", "besar"] | None = None
    status_penanaman_modal: Literal["PMDN", "PMA"] | None = None
    nib: Annotated[str, StringConstraints(pattern=r"^\d{13}$")] | None = None
    npwp: Annotated[str, StringConstraints(pattern=r"^\d{15,16}$")] | None = None
    pemilik: Pemilik | None = None
    lokasi: Lokasi | None = None
    kbli: list[KbliItem] = Field(default_factory=list, max_length=50)
    email: Annotated[str, StringConstraints(max_length=200)] | None = None
    whatsapp: Annotated[str, StringConstraints(pattern=r"^\+?\d{8,15}$")] | None = None

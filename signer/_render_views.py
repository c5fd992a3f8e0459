"""One frozen view model per document, built from the caller's plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from signer._render_data import (
    EMPTY,
    Field,
    Instansi,
    Kbli,
    Lokasi,
    Orang,
    choice,
    clean_text,
    instansi,
    items_of,
    kbli_list,
    lokasi,
    mapping_of,
    nama_hari,
    orang,
    orang_list,
    parse_date,
    require,
    tanggal_indonesia,
    text_of,
    texts_of,
    verification_url,
)

DASAR_PENERBITAN = (
    "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko"
)
_STATUS_STANDAR_DEFAULT = "Terverifikasi"
_PERNYATAAN_DEFAULT = (
    "Sertifikat Standar ini diterbitkan setelah Pelaku Usaha memenuhi persyaratan standar "
    "kegiatan usaha dan telah diverifikasi oleh Pemerintah Daerah sesuai kewenangannya."
)

KESIMPULAN = {
    "memenuhi": "MEMENUHI",
    "perlu_perbaikan": "PERLU PERBAIKAN",
    "tidak_memenuhi": "TIDAK MEMENUHI",
}
REKOMENDASI = {
    "setuju": "DISETUJUI",
    "tolak": "DITOLAK",
    "perbaiki": "DIKEMBALIKAN UNTUK DIPERBAIKI",
}
_STATUS_LABEL = {
    "ada": "Ada",
    "tidak_ada": "Tidak Ada",
    "sesuai": "Sesuai",
    "tidak_sesuai": "Tidak Sesuai",
    "memenuhi": "Memenuhi",
    "tidak_memenuhi": "Tidak Memenuhi",
    "perlu_perbaikan": "Perlu Perbaikan",
    "tidak_berlaku": "Tidak Berlaku",
    "ok": "Sesuai",
    "true": "Sesuai",
    "false": "Tidak Sesuai",
}
_SEVERITY_LABEL = {
    "blocking": "Berat",
    "error": "Berat",
    "critical": "Berat",
    "warning": "Peringatan",
    "warn": "Peringatan",
    "info": "Informasi",
}


@dataclass(frozen=True, slots=True)
class SertifikatStandar:
    """What the Sertifikat Standar shows."""

    instansi: Instansi
    nomor: str
    nama_usaha: str
    nib: str
    alamat_kantor: str
    status_penanaman_modal: str
    kbli: tuple[Kbli, ...]
    lokasi: Lokasi
    status_standar: str
    pernyataan: str
    dasar_penerbitan: str
    tanggal_terbit: str
    penandatangan: Orang
    verification_url: str


_SS_REQUIRED = (
    Field("nomor", lambda v: v.nomor),
    Field("nama_usaha", lambda v: v.nama_usaha),
    Field("nib", lambda v: v.nib),
    Field("kbli", lambda v: v.kbli),
    Field("tanggal_terbit", lambda v: "" if v.tanggal_terbit == EMPTY else v.tanggal_terbit),
    Field("penandatangan.nama", lambda v: v.penandatangan.nama),
    Field("verification_url", lambda v: v.verification_url),
)


def sertifikat_standar(data: Mapping[str, Any], *, draft: bool) -> SertifikatStandar:
    """Build the Sertifikat Standar view; a final one must carry every required field."""
    view = SertifikatStandar(
        instansi=instansi(data),
        nomor=text_of(data, "nomor"),
        nama_usaha=text_of(data, "nama_usaha"),
        nib=text_of(data, "nib"),
        alamat_kantor=text_of(data, "alamat_kantor"),
        status_penanaman_modal=text_of(data, "status_penanaman_modal").upper(),
        kbli=kbli_list(data),
        lokasi=lokasi(data),
        status_standar=text_of(data, "status_standar") or _STATUS_STANDAR_DEFAULT,
        pernyataan=text_of(data, "pernyataan") or _PERNYATAAN_DEFAULT,
        dasar_penerbitan=text_of(data, "dasar_penerbitan") or DASAR_PENERBITAN,
        tanggal_terbit=tanggal_indonesia(parse_date(data.get("tanggal_terbit"), "tanggal_terbit")),
        penandatangan=orang(data.get("penandatangan"), "penandatangan"),
        verification_url=verification_url(data.get("verification_url")),
    )
    if not draft:
        require(view, _SS_REQUIRED, "sertifikat_standar")
    return view


@dataclass(frozen=True, slots=True)
class BarisPeriksa:
    """One row of the requirement checklist."""

    persyaratan: str
    status: str
    catatan: str


@dataclass(frozen=True, slots=True)
class Temuan:
    """One finding of the automatic checks."""

    rule_id: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class SumberData:
    """Where one value of the application data came from (declared, confirmed, read)."""

    data: str
    sumber: str


@dataclass(frozen=True, slots=True)
class VersiAturan:
    """One rule table the check used, and its version."""

    tabel: str
    versi: str


@dataclass(frozen=True, slots=True)
class BeritaAcara:
    """What the Berita Acara Pemeriksaan shows."""

    instansi: Instansi
    nomor: str
    tanggal: str
    hari: str
    dasar_hukum: tuple[str, ...]
    tim: tuple[Orang, ...]
    nama_usaha: str
    nib: str
    pemilik: Orang
    kbli: tuple[Kbli, ...]
    lokasi: Lokasi
    checklist: tuple[BarisPeriksa, ...]
    temuan: tuple[Temuan, ...]
    aturan_belum_diverifikasi: tuple[str, ...]
    """Rule-table rows the findings rest on that the office has not verified (they only warn)."""
    sumber_data: tuple[SumberData, ...]
    versi_aturan: tuple[VersiAturan, ...]
    kesimpulan_kode: str
    kesimpulan: str
    catatan: str
    mengetahui: Orang | None
    verification_url: str


def _label(value: object, field: str, labels: Mapping[str, str]) -> str:
    if isinstance(value, bool):
        return labels[str(value).lower()] if str(value).lower() in labels else str(value)
    text = clean_text(value, field)
    return labels.get("_".join(text.lower().replace("-", " ").split()), text)


def _checklist(data: Mapping[str, Any]) -> tuple[BarisPeriksa, ...]:
    rows = []
    for i, item in enumerate(items_of(data.get("checklist"), "checklist")):
        row = mapping_of(item, f"checklist[{i}]")
        name_key = "persyaratan" if "persyaratan" in row else "dokumen"
        rows.append(
            BarisPeriksa(
                persyaratan=text_of(row, name_key, f"checklist[{i}]."),
                status=_label(row.get("status"), f"checklist[{i}].status", _STATUS_LABEL),
                catatan=text_of(row, "catatan", f"checklist[{i}]."),
            )
        )
    return tuple(rows)


def _temuan(data: Mapping[str, Any]) -> tuple[Temuan, ...]:
    found = []
    for i, item in enumerate(items_of(data.get("temuan"), "temuan")):
        row = mapping_of(item, f"temuan[{i}]")
        found.append(
            Temuan(
                rule_id=text_of(row, "rule_id", f"temuan[{i}]."),
                severity=_label(row.get("severity"), f"temuan[{i}].severity", _SEVERITY_LABEL),
                message=text_of(row, "message", f"temuan[{i}]."),
            )
        )
    return tuple(found)


def _sumber_data(data: Mapping[str, Any]) -> tuple[SumberData, ...]:
    rows = []
    for i, item in enumerate(items_of(data.get("sumber_data"), "sumber_data")):
        row = mapping_of(item, f"sumber_data[{i}]")
        path = f"sumber_data[{i}]."
        rows.append(SumberData(text_of(row, "data", path), text_of(row, "sumber", path)))
    return tuple(rows)


def _versi_aturan(data: Mapping[str, Any]) -> tuple[VersiAturan, ...]:
    rows = []
    for i, item in enumerate(items_of(data.get("versi_aturan"), "versi_aturan")):
        row = mapping_of(item, f"versi_aturan[{i}]")
        path = f"versi_aturan[{i}]."
        rows.append(VersiAturan(text_of(row, "tabel", path), text_of(row, "versi", path)))
    return tuple(rows)


_BAP_REQUIRED = (
    Field("nomor", lambda v: v.nomor),
    Field("tanggal", lambda v: "" if v.tanggal == EMPTY else v.tanggal),
    Field("tim", lambda v: v.tim),
    Field("kesimpulan", lambda v: v.kesimpulan_kode),
)


def berita_acara(data: Mapping[str, Any], *, draft: bool) -> BeritaAcara:
    """Build the BAP view; ``kesimpulan`` is memenuhi, perlu_perbaikan or tidak_memenuhi."""
    day = parse_date(data.get("tanggal"), "tanggal")
    kode, label = choice(data, "kesimpulan", KESIMPULAN, required=False)
    mengetahui = data.get("mengetahui")
    view = BeritaAcara(
        instansi=instansi(data),
        nomor=text_of(data, "nomor"),
        tanggal=tanggal_indonesia(day),
        hari=nama_hari(day),
        dasar_hukum=texts_of(data, "dasar_hukum"),
        tim=orang_list(data, "tim"),
        nama_usaha=text_of(data, "nama_usaha"),
        nib=text_of(data, "nib"),
        pemilik=orang(data.get("pemilik"), "pemilik"),
        kbli=kbli_list(data),
        lokasi=lokasi(data),
        checklist=_checklist(data),
        temuan=_temuan(data),
        aturan_belum_diverifikasi=texts_of(data, "aturan_belum_diverifikasi"),
        sumber_data=_sumber_data(data),
        versi_aturan=_versi_aturan(data),
        kesimpulan_kode=kode,
        kesimpulan=label,
        catatan=text_of(data, "catatan"),
        mengetahui=None if mengetahui is None else orang(mengetahui, "mengetahui"),
        verification_url=verification_url(data.get("verification_url")),
    )
    if not draft:
        require(view, _BAP_REQUIRED, "bap")
    return view


@dataclass(frozen=True, slots=True)
class PertimbanganTeknis:
    """What the Pertimbangan Teknis letter shows."""

    instansi: Instansi
    nomor: str
    tanggal: str
    kepada: str
    nomor_bap: str
    tanggal_bap: str
    nama_usaha: str
    nib: str
    kbli: tuple[Kbli, ...]
    analisis: tuple[str, ...]
    rekomendasi_kode: str
    rekomendasi: str
    syarat: tuple[str, ...]
    penandatangan: Orang
    verification_url: str


_PT_REQUIRED = (
    Field("nomor", lambda v: v.nomor),
    Field("tanggal", lambda v: "" if v.tanggal == EMPTY else v.tanggal),
    Field("nomor_bap", lambda v: v.nomor_bap),
    Field("rekomendasi", lambda v: v.rekomendasi_kode),
    Field("penandatangan.nama", lambda v: v.penandatangan.nama),
)
_KEPADA_DEFAULT = "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Mempawah"


def pertimbangan_teknis(data: Mapping[str, Any], *, draft: bool) -> PertimbanganTeknis:
    """Build the Pertimbangan Teknis view; ``rekomendasi`` is setuju, tolak or perbaiki."""
    kode, label = choice(data, "rekomendasi", REKOMENDASI, required=False)
    kepada = data.get("kepada")
    kepada_text = (
        orang(kepada, "kepada").jabatan or orang(kepada, "kepada").nama
        if isinstance(kepada, Mapping)
        else clean_text(kepada, "kepada")
    )
    view = PertimbanganTeknis(
        instansi=instansi(data),
        nomor=text_of(data, "nomor"),
        tanggal=tanggal_indonesia(parse_date(data.get("tanggal"), "tanggal")),
        kepada=kepada_text or _KEPADA_DEFAULT,
        nomor_bap=text_of(data, "nomor_bap"),
        tanggal_bap=tanggal_indonesia(parse_date(data.get("tanggal_bap"), "tanggal_bap")),
        nama_usaha=text_of(data, "nama_usaha"),
        nib=text_of(data, "nib"),
        kbli=kbli_list(data),
        analisis=texts_of(data, "analisis"),
        rekomendasi_kode=kode,
        rekomendasi=label,
        syarat=texts_of(data, "syarat"),
        penandatangan=orang(data.get("penandatangan"), "penandatangan"),
        verification_url=verification_url(data.get("verification_url")),
    )
    if not draft:
        require(view, _PT_REQUIRED, "pertimbangan_teknis")
    return view

"""Fictional applicants and businesses with structurally valid NIK, NPWP and NIB."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from stdnum import luhn

KECAMATAN_DESA: dict[str, tuple[str, ...]] = {
    "MEMPAWAH HILIR": ("TERUSAN", "TANJUNG", "TENGAH", "SENGKUBANG", "PENIBUNG", "PASIR"),
    "TOHO": ("TOHO ILIR", "SEMPALAI", "SUNGAI SIDIK"),
    "SUNGAI PINYUH": ("SUNGAI PINYUH", "SUNGAI BATANG", "GALANG"),
    "JONGKAT": ("JUNGKAT", "WAJOK HULU", "PEMATANG TIKAR"),
    "SEGEDONG": ("PENIRAMAN", "SUNGAI BURUNG"),
    "MEMPAWAH TIMUR": ("PEDALAMAN", "SENGKUBANG"),
}
KECAMATAN_CODE = {
    "MEMPAWAH HILIR": "01",
    "TOHO": "06",
    "SUNGAI PINYUH": "07",
    "JONGKAT": "08",
    "SEGEDONG": "15",
    "MEMPAWAH TIMUR": "18",
}
FIRST_M = ("AHMAD", "BUDI", "RUDI", "HENDRA", "MUHAMMAD", "AGUS", "YUSUF", "RIZKY", "FAJAR", "DEDI")
FIRST_F = ("SITI", "NUR", "DEWI", "RINA", "FITRI", "AYU", "LESTARI", "INDAH", "PUTRI", "WULAN")
LAST = ("RAHMAWATI", "SAPUTRA", "HIDAYAT", "KURNIAWAN", "SETIAWAN", "PRATAMA", "WIJAYA",
        "NURHALIZA", "SUSANTI", "HARAHAP", "SIREGAR", "LUBIS", "ANWAR", "SYAHRIAL")  # fmt: skip
PLACES = ("MEMPAWAH", "PONTIANAK", "SINGKAWANG", "SAMBAS", "KETAPANG", "SANGGAU", "SINTANG")
STREETS = ("JL. GAJAH MADA", "JL. DAENG MANAMBON", "JL. RAYA SUNGAI PINYUH", "JL. HUSEIN HAMZAH",
           "JL. KOM YOS SUDARSO", "JL. PATIMURA", "JL. SULTAN SYARIF ABDURRAHMAN")  # fmt: skip
AGAMA = ("ISLAM", "KRISTEN", "KATHOLIK", "BUDDHA", "KONGHUCU", "HINDU")
PEKERJAAN = ("WIRASWASTA", "PEDAGANG", "KARYAWAN SWASTA", "PETANI/PEKEBUN", "NELAYAN/PERIKANAN")
USAHA_PREFIX = ("KEDAI KOPI", "WARUNG", "RUMAH MAKAN", "TOKO", "HOMESTAY", "KAFE")
USAHA_NAME = ("SENJA", "BERKAH", "SEJAHTERA", "MAKMUR", "KHATULISTIWA", "PESISIR", "MANDIRI")
KBLI = (
    ("56303", "RUMAH MINUM/KAFE"),
    ("56101", "RESTORAN"),
    ("56102", "WARUNG MAKAN"),
    ("55201", "HOMESTAY/PONDOK WISATA"),
    ("47111", "PERDAGANGAN ECERAN BERBAGAI MACAM BARANG YANG UTAMANYA MAKANAN, MINUMAN ATAU "
     "TEMBAKAU DI MINIMARKET/SUPERMARKET/HYPERMARKET"),
    ("10792", "INDUSTRI KUE-KUE BASAH"),
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    nik: str
    nama: str
    tempat_lahir: str
    tanggal_lahir: datetime.date
    jenis_kelamin: str
    alamat: str
    rt_rw: str
    desa: str
    kecamatan: str
    agama: str
    pekerjaan: str
    status: str


@dataclass(frozen=True)
class Business:
    nib: str
    npwp: str
    nama_usaha: str
    kbli: tuple[tuple[str, str], ...]
    alamat: str
    desa: str
    kecamatan: str
    tanggal_terbit: datetime.date
    npwp_terdaftar: datetime.date


def make_nik(kecamatan: str, born: datetime.date, female: bool, serial: int) -> str:
    day = born.day + (40 if female else 0)
    return (
        f"6102{KECAMATAN_CODE[kecamatan]}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    )


def make_npwp(rng: random.Random) -> str:
    """Return an old-style 15-digit NPWP with a correct Luhn check digit."""
    body = f"{rng.randint(1, 99):02d}{rng.randint(0, 999_999):06d}"
    return body + luhn.calc_check_digit(body) + "704" + "000"


def make_person(rng: random.Random) -> Person:
    female = rng.random() < 0.5
    kecamatan = rng.choice(sorted(KECAMATAN_DESA))
    born = datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
    first = rng.choice(FIRST_F if female else FIRST_M)
    nama = (
        f"{first} {rng.choice(LAST)}"
        if rng.random() < 0.7
        else f"{first} {rng.choice(LAST)} {rng.choice(LAST)}"
    )
    return Person(
        nik=make_nik(kecamatan, born, female, rng.randint(1, 9999)),
        nama=nama,
        tempat_lahir=rng.choice(PLACES),
        tanggal_lahir=born,
        jenis_kelamin="PEREMPUAN" if female else "LAKI-LAKI",
        alamat=f"{rng.choice(STREETS)} NO. {rng.randint(1, 120)}",
        rt_rw=f"{rng.randint(1, 20):03d}/{rng.randint(1, 9):03d}",
        desa=rng.choice(KECAMATAN_DESA[kecamatan]),
        kecamatan=kecamatan,
        agama=rng.choice(AGAMA),
        pekerjaan=rng.choice(PEKERJAAN),
        status=rng.choice(("KAWIN", "BELUM KAWIN")),
    )


def make_business(rng: random.Random, owner: Person) -> Business:
    issued = datetime.date(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28))
    nib = (
        f"{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{rng.randint(0, 9_999_999):07d}"
    )
    codes = rng.sample(KBLI, rng.choice((1, 1, 2)))
    return Business(
        nib=nib,
        npwp=make_npwp(rng),
        nama_usaha=f"{rng.choice(USAHA_PREFIX)} {rng.choice(USAHA_NAME)}",
        kbli=tuple(codes),
        alamat=f"{rng.choice(STREETS)} NO. {rng.randint(1, 120)}",
        desa=owner.desa,
        kecamatan=owner.kecamatan,
        tanggal_terbit=issued,
        npwp_terdaftar=datetime.date(
            rng.randint(2010, 2023), rng.randint(1, 12), rng.randint(1, 28)
        ),
    )


DEMO_PERSON = Person(
    nik=make_nik("MEMPAWAH HILIR", datetime.date(1988, 5, 12), True, 3),
    nama="SITI RAHMAWATI",
    tempat_lahir="MEMPAWAH",
    tanggal_lahir=datetime.date(1988, 5, 12),
    jenis_kelamin="PEREMPUAN",
    alamat="JL. GAJAH MADA NO. 17",
    rt_rw="003/002",
    desa="TERUSAN",
    kecamatan="MEMPAWAH HILIR",
    agama="ISLAM",
    pekerjaan="WIRASWASTA",
    status="KAWIN",
)
DEMO_BUSINESS = Business(
    nib="1203240012345",
    npwp="71234567" + luhn.calc_check_digit("71234567") + "704000",
    nama_usaha="KEDAI KOPI SENJA",
    kbli=(("56303", "RUMAH MINUM/KAFE"),),
    alamat="JL. GAJAH MADA NO. 17",
    desa="TERUSAN",
    kecamatan="MEMPAWAH HILIR",
    tanggal_terbit=datetime.date(2024, 3, 12),
    npwp_terdaftar=datetime.date(2019, 2, 3),
)

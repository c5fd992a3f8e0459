"""Fictional applicants for the varied splits (heldout4, heldout5): persons, CV/PT companies.

Used only by the varied generators (``variety``, ``applicants``); ``persona`` stays as it was for
the earlier splits. Villages are real Mempawah desa/kelurahan (Kemendagri 61.02) so that a
business location can be placed in the regency; people, streets numbers and businesses are
invented. A NIK keeps its original region: some owners carry a Kota Pontianak (61.71) NIK.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from stdnum import luhn

from tests.corpus.persona import Person

# A few real desa/kelurahan per kecamatan of Kabupaten Mempawah (code: names).
DESA: dict[tuple[str, str], tuple[str, ...]] = {
    ("01", "MEMPAWAH HILIR"): ("TANJUNG", "TENGAH", "TERUSAN", "PENIBUNG", "KUALA SECAPAH"),
    ("06", "TOHO"): ("TOHO ILIR", "PAK LAHENG", "KECURIT", "SAMBORA"),
    ("07", "SUNGAI PINYUH"): ("SUNGAI PINYUH", "SUNGAI RASAU", "NUSAPATI", "GALANG"),
    ("08", "JONGKAT"): ("WAJOK HILIR", "SUNGAI NIPAH", "PENITI LUAR", "JUNGKAT"),
    ("12", "SUNGAI KUNYIT"): ("BUKIT BATU", "SUNGAI LIMAU", "MENDALOK", "SEMUDUN"),
    ("15", "SEGEDONG"): ("PENITI BESAR", "PARIT BUGIS", "SUNGAI BURUNG"),
    ("16", "ANJONGAN"): ("ANJUNGAN MELANCAR", "KEPAYANG", "DEMA"),
    ("18", "MEMPAWAH TIMUR"): ("PULAU PEDALAMAN", "ANTIBAR", "SEJEGI", "PASIR PANJANG"),
}
# Kota Pontianak kecamatan codes (61.71.xx) for owners whose NIK was issued there.
PONTIANAK_KEC = ("01", "02", "03", "04", "05", "06")

FIRST_M = ("ABDUL", "ANDRE", "BAMBANG", "DANIEL", "EKO", "FERRY", "GUNAWAN", "HARIS", "IRFAN",
           "JOKO", "KEVIN", "LUKMAN", "MARTINUS", "NOVIANUS", "OKTAVIANUS", "RAHMAT", "SYARIF",
           "TONI", "USMAN", "WAHYU", "YOHANES", "ZULKIFLI", "ABANG", "HERMAN")  # fmt: skip
FIRST_F = ("ANITA", "BELLA", "CHRISTINA", "DAYANG", "ELISABETH", "FATIMAH", "GRACE", "HANA",
           "IRMA", "JULIANA", "KARTIKA", "LINDA", "MARIA", "NOVITA", "RATNA", "SRI", "UTIN",
           "VERONIKA", "WIDYA", "YULIANI", "MELATI", "SHINTA")  # fmt: skip
LAST = ("ALKADRIE", "BUDIMAN", "CHANDRA", "DARMAWAN", "EFENDI", "FIRMANSYAH", "GUNADI",
        "HALIM", "ISKANDAR", "JUNAIDI", "KUSUMA", "LIMANTO", "MAULANA", "NASUTION", "OKTAVIA",
        "PURNAMASARI", "RAMADHAN", "SAFITRI", "TANJUNG", "UTAMI", "WIBOWO", "YUSUF", "SUHENDRA",
        "MARLINA", "HASIBUAN", "SANTOSO")  # fmt: skip
PLACES = ("MEMPAWAH", "PONTIANAK", "SINGKAWANG", "SUNGAI PINYUH", "KUBU RAYA", "LANDAK",
          "BENGKAYANG", "JAKARTA", "SURABAYA", "MEDAN", "PALEMBANG", "SEMARANG")  # fmt: skip
STREETS = ("JL. RAYA MEMPAWAH", "JL. WAN SAGAF", "JL. OPU DAENG MENAMBON", "JL. HASANUDDIN",
           "JL. BARDAN NADI", "JL. RAYA ANJONGAN", "JL. TRANS KALIMANTAN", "JL. PANGERAN MAS",
           "JL. RAYA TOHO", "JL. PARIT MAYOR", "GG. MELATI", "GG. SEPAKAT", "JL. RAYA SEGEDONG",
           "KOMPLEK PERUMAHAN PESONA KHATULISTIWA")  # fmt: skip
AGAMA = ("ISLAM", "KRISTEN", "KATOLIK", "BUDHA", "KONGHUCU", "HINDU")
PEKERJAAN = ("WIRASWASTA", "PEDAGANG", "KARYAWAN SWASTA", "PETANI/PEKEBUN", "MENGURUS RUMAH TANGGA",
             "NELAYAN/PERIKANAN", "BURUH HARIAN LEPAS", "GURU")  # fmt: skip
STATUS = ("KAWIN", "BELUM KAWIN", "CERAI HIDUP", "KAWIN TERCATAT")
COMPANY_WORDS = ("KHATULISTIWA", "BORNEO", "PESISIR", "MANDIRI", "SEJAHTERA", "ABADI", "PERKASA",
                 "MEMPAWAH", "BERSAMA", "MAKMUR", "GEMILANG", "SENTOSA", "BAROKAH", "CAHAYA",
                 "NUSANTARA", "KAPUAS", "BAHARI", "JAYA")  # fmt: skip
USAHA_PREFIX = ("WARUNG", "KEDAI", "TOKO", "DAPUR", "RUMAH MAKAN", "KOPI", "PONDOK", "BENGKEL")

# (code, title as KBLI 2020 prints it, risk, whether the office's checklist asks for more).
KBLI_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("56303", "RUMAH MINUM/KAFE", "MR"),
    ("56304", "KEDAI MINUMAN", "MR"),
    ("56101", "RESTORAN", "MT"),
    ("56102", "RUMAH/WARUNG MAKAN", "MR"),
    ("56103", "KEDAI MAKANAN", "MR"),
    ("56210", "JASA BOGA UNTUK SUATU EVENT TERTENTU (EVENT CATERING)", "MR"),
    ("47111", "PERDAGANGAN ECERAN BERBAGAI MACAM BARANG YANG UTAMANYA MAKANAN, MINUMAN ATAU "
     "TEMBAKAU DI MINIMARKET/SUPERMARKET/HYPERMARKET", "MR"),
    ("47112", "PERDAGANGAN ECERAN BERBAGAI MACAM BARANG YANG UTAMANYA MAKANAN, MINUMAN ATAU "
     "TEMBAKAU BUKAN DI MINIMARKET/SUPERMARKET/HYPERMARKET (TRADISIONAL)", "MR"),
    ("47241", "PERDAGANGAN ECERAN BERAS", "MR"),
    ("47711", "PERDAGANGAN ECERAN PAKAIAN", "MR"),
    ("47721", "PERDAGANGAN ECERAN BARANG DAN OBAT FARMASI UNTUK MANUSIA DI APOTIK", "MT"),
    ("10710", "INDUSTRI PRODUK ROTI DAN KUE", "MT"),
    ("10792", "INDUSTRI KUE BASAH", "MR"),
    ("55130", "PONDOK WISATA", "MT"),
    ("79111", "AKTIVITAS AGEN PERJALANAN WISATA", "MR"),
    ("96111", "AKTIVITAS PANGKAS RAMBUT", "MR"),
)  # fmt: skip
KBLI_TITLES = {code: title for code, title, _ in KBLI_CHOICES} | {
    "06100": "PERTAMBANGAN MINYAK BUMI",
}


@dataclass(frozen=True)
class Company:
    """A CV or PT: its name, NPWP (15 digits; printed as 16 with a leading 0 on new cards)."""

    bentuk: str  # "cv" or "pt"
    nama: str
    npwp: str
    alamat: str
    desa: str
    kecamatan: str
    director: Person
    akta_nomor: int
    akta_tanggal: datetime.date
    notaris: str
    ahu: str


@dataclass(frozen=True)
class Venture:
    """One business as the NIB shows it: who holds it, where it runs, its KBLI lines."""

    nib: str
    nama_usaha: str
    pelaku: str
    """Nama Pelaku Usaha: the person's name, or the company's for a CV/PT."""
    npwp: str
    alamat: str
    desa: str
    kecamatan: str
    kabupaten: str
    kbli: tuple[tuple[str, str, str], ...]
    """(code, title, risk) per KBLI line."""
    tanggal_terbit: datetime.date
    skala: str
    telepon: str
    email: str


def npwp15(rng: random.Random, kpp: str = "704") -> str:
    body = f"{rng.randint(1, 99):02d}{rng.randint(0, 999_999):06d}"
    return body + luhn.calc_check_digit(body) + kpp + "000"


def nik_for(region: str, born: datetime.date, female: bool, serial: int) -> str:
    day = born.day + (40 if female else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def registered_on(rng: random.Random, holder: Person | Company) -> datetime.date:
    """An NPWP registration day: after a company's deed, or once a person is 18 and earning."""
    if isinstance(holder, Company):
        day = holder.akta_tanggal + datetime.timedelta(days=rng.randint(10, 120))
        return min(day, datetime.date(2026, 6, 30))
    first = max(2008, holder.tanggal_lahir.year + 18)
    return datetime.date(
        rng.randint(first, max(first, 2025)), rng.randint(1, 12), rng.randint(1, 28)
    )


def make_person(rng: random.Random, *, today: datetime.date) -> Person:
    """A fictional adult with a valid NIK (a Mempawah one mostly, some from Kota Pontianak)."""
    female = rng.random() < 0.5
    (kec_code, kecamatan), villages = rng.choice(sorted(DESA.items()))
    year = rng.randint(today.year - 70, today.year - 19)
    born = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
    region = "6102" + kec_code
    if rng.random() < 0.15:
        region = "6171" + rng.choice(PONTIANAK_KEC)
    first = rng.choice(FIRST_F if female else FIRST_M)
    parts = [first, rng.choice(LAST)]
    if rng.random() < 0.35:
        parts.append(rng.choice(LAST))
    return Person(
        nik=nik_for(region, born, female, rng.randint(1, 9999)),
        nama=" ".join(dict.fromkeys(parts)),
        tempat_lahir=rng.choice(PLACES),
        tanggal_lahir=born,
        jenis_kelamin="PEREMPUAN" if female else "LAKI-LAKI",
        alamat=f"{rng.choice(STREETS)} NO. {rng.randint(1, 250)}",
        rt_rw=f"{rng.randint(1, 30):03d}/{rng.randint(1, 12):03d}",
        desa=rng.choice(villages),
        kecamatan=kecamatan,
        agama=rng.choice(AGAMA),
        pekerjaan=rng.choice(PEKERJAAN),
        status=rng.choice(STATUS),
    )


def _place(rng: random.Random) -> tuple[str, str, str]:
    (_, kecamatan), villages = rng.choice(sorted(DESA.items()))
    street = f"{rng.choice(STREETS)} NO. {rng.randint(1, 250)}"
    return street, rng.choice(villages), kecamatan


def make_company(rng: random.Random, director: Person, bentuk: str) -> Company:
    words = rng.sample(COMPANY_WORDS, rng.choice((2, 2, 3)))
    nama = f"{bentuk.upper()} {' '.join(words)}"
    alamat, desa, kecamatan = _place(rng)
    # Founded by an adult, never after 2025 (the NIB and the check come later).
    first_year = min(max(2012, director.tanggal_lahir.year + 20), 2025)
    akta = datetime.date(rng.randint(first_year, 2025), rng.randint(1, 12), rng.randint(1, 28))
    notaris_first = rng.choice(FIRST_F + FIRST_M)
    return Company(
        bentuk=bentuk,
        nama=nama,
        npwp=npwp15(rng),
        alamat=alamat,
        desa=desa,
        kecamatan=kecamatan,
        director=director,
        akta_nomor=rng.randint(1, 60),
        akta_tanggal=akta,
        notaris=f"{notaris_first} {rng.choice(LAST)}, S.H., M.Kn.",
        ahu=f"AHU-{rng.randint(1000, 99999):05d}.AH.01.01.TAHUN {akta.year}",
    )


def make_venture(
    rng: random.Random,
    holder: Person | Company,
    *,
    kbli: tuple[tuple[str, str, str], ...] | None = None,
    npwp: str | None = None,
) -> Venture:
    """The NIB's view of a business held by a person or a company."""
    issued = datetime.date(rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28))
    if issued > datetime.date(2026, 10, 30):
        issued = issued.replace(month=rng.randint(1, 10))
    nib = f"{rng.randint(1, 9)}{rng.randint(0, 999_999_999_999):012d}"
    if rng.random() < 0.6:  # many NIBs begin with their issue date
        nib = f"{issued:%d%m%y}{rng.randint(0, 9_999_999):07d}"
    if kbli is None:
        n = rng.choice((1, 1, 2, 2, 3))
        kbli = tuple(rng.sample(KBLI_CHOICES, n))
    if isinstance(holder, Company):
        # A company's NIB comes after its deed.
        if issued <= holder.akta_tanggal:
            issued = min(holder.akta_tanggal + datetime.timedelta(days=rng.randint(20, 400)),
                         datetime.date(2026, 10, 30))  # fmt: skip
        pelaku, alamat, desa, kecamatan = holder.nama, holder.alamat, holder.desa, holder.kecamatan
        nama_usaha = holder.nama
        skala = rng.choice(("kecil", "kecil", "menengah"))
        email = f"admin@{holder.nama.split()[1].lower()}.co.id"
        if npwp is None:
            npwp = holder.npwp
    else:
        pelaku = holder.nama
        alamat, desa, kecamatan = _place(rng)
        nama_usaha = f"{rng.choice(USAHA_PREFIX)} {rng.choice(COMPANY_WORDS)}"
        skala = rng.choice(("mikro", "mikro", "kecil"))
        email = f"{holder.nama.split()[0].lower()}{rng.randint(1, 99)}@gmail.com"
        if npwp is None:
            npwp = holder.nik if rng.random() < 0.5 else npwp15(rng)
    if any(code.startswith("10") for code, _, _ in kbli) and skala == "menengah":
        skala = "kecil"  # industry above small scale is the province's
    return Venture(
        nib=nib,
        nama_usaha=nama_usaha,
        pelaku=pelaku,
        npwp=npwp,
        alamat=alamat,
        desa=desa,
        kecamatan=kecamatan,
        kabupaten="MEMPAWAH",
        kbli=kbli,
        tanggal_terbit=issued,
        skala=skala,
        telepon=f"08{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}",
        email=email,
    )

"""Applicant folders of the varied splits, each with an ``application.json`` and its documents,
and a manifest saying which applicants are clean and which defects were planted in the others.

``python -m tests.corpus.applicants OUT --split heldout4|heldout5`` writes
``OUT/applicants-v1-SPLIT/`` with one folder per applicant (``P01``, ``P02``, ... in a shuffled
order, so a name says nothing) and ``manifest.json``::

    {"split": ..., "check_day": "2026-12-01", "applicants": [
        {"folder": "P01", "bentuk": "pt", "clean": true, "expected_verdict": "memenuhi",
         "documents": [{"file": ..., "doc_type": ..., "origin": ..., "layout": ..., ...}]},
        {"folder": "P02", ..., "clean": false, "expected_verdict": "perlu_perbaikan",
         "defects": [{"kind": "nib_declared_differs", "rule_id": "nib.tidak_sama",
                      "severity": "blocking", "explains": [], "note": ...}]}]}

A defect names the finding a careful officer expects (``rule_id`` may end in ``*``: any rule of
that family) with its severity, and ``explains`` the findings that follow from the same fault
(allowed, not required). Everything else is clean: identifiers valid and the same everywhere,
the owner/director the same person on every document, KBLI codes in the office's table and
authority, the business inside Kabupaten Mempawah, each document the office's checklist asks
for (``persyaratan.csv`` as shipped: SPPL for 561 MT; PKKPR and SPPL for 10 MT; PKKPR, SPPL,
PBG, SLF for 551 MT; akta for a CV/PT) present and in force on the check day.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tests.corpus import cards2, oss
from tests.corpus.camera import phone_photo2
from tests.corpus.people import (
    FIRST_F,
    FIRST_M,
    KBLI_CHOICES,
    LAST,
    Company,
    Venture,
    make_company,
    make_person,
    make_venture,
    nik_for,
    npwp15,
    registered_on,
)
from tests.corpus.persona import Person
from tests.corpus.variety import (
    CHECK_DAY,
    VARIETIES,
    Variety,
    check_installed,
    photo_spec,
    scan_card,
    scan_document,
)

VERSION = 1
KBLI = {code: (code, title, risk) for code, title, risk in KBLI_CHOICES}
MIGAS = ("06100", "PERTAMBANGAN MINYAK BUMI", "T")
NOT_A_CODE = ("56399", "KEDAI KOPI DAN MINUMAN LAINNYA")  # in no KBLI list
# The office's checklist as shipped (persyaratan.csv): documents beyond the base list, by the
# KBLI prefix of an MT line.
EXTRA_FOR_MT = {"561": ("sppl",), "10": ("pkkpr", "sppl"), "551": ("pkkpr", "sppl", "pbg", "slf")}
OUTSIDE = ("JL. ADI SUCIPTO NO. 27", "SUNGAI RAYA", "SUNGAI RAYA", "KUBU RAYA")


@dataclass
class Plan:
    """One applicant to build."""

    bentuk: str
    kbli: tuple[str, ...]
    defect: str | None = None
    ktp: str = "photo"  # photo | scan
    npwp: str = "scan"  # photo | scan | none
    nib: str = "digital"  # digital | scan
    akta: str = "scan"  # scan | digital | none (companies)
    pkkpr: str = "none"  # none | recent | expired
    declare_risk: bool = True
    declare_lokasi: str = "full"  # full | alamat | none
    npwp16: bool = False
    """A person's NPWP is their NIK; a company's is 0 + NPWP15 (on the card and declared)."""
    declared_npwp16_card15: bool = False
    """A company declares 0 + NPWP15 while its old card prints the 15 digits (same NPWP)."""
    sk: bool = False
    extras: dict[str, str] = field(default_factory=dict)


DEFECTS: dict[str, dict[str, Any]] = {
    "nib_declared_differs": {
        "rule_id": "nib.tidak_sama",
        "severity": "blocking",
        "note": "declared NIB has two digits swapped; the born-digital NIB prints the right one",
    },
    "nib_12_digits": {
        "rule_id": "nib.format",
        "severity": "blocking",
        "note": "the born-digital NIB's text layer prints a 12-digit NIB (no NIB declared)",
    },
    "npwp_missing": {
        "rule_id": "dokumen.wajib_tidak_ada",
        "severity": "blocking",
        "note": "no NPWP document attached",
    },
    "akta_missing": {
        "rule_id": "dokumen.wajib_tidak_ada",
        "severity": "blocking",
        "note": "a PT without its akta pendirian",
    },
    "kbli_migas": {
        "rule_id": "kbli.di_luar_kewenangan",
        "severity": "blocking",
        "explains": ["risiko.bukan_sertifikat_standar"],
        "note": "KBLI 06100 (crude oil): central government's authority (UU 22/2001), risk Tinggi",
    },
    "kbli_not_a_code": {
        "rule_id": "kbli.tidak_terdaftar",
        "severity": "blocking",
        "explains": ["kbli.tidak_ada_di_nib"],
        "note": "declared KBLI 56399 exists in no KBLI list (the NIB prints the real code)",
    },
    "location_outside": {
        "rule_id": "lokasi.di_luar_wilayah",
        "severity": "blocking",
        "explains": ["lokasi.tidak_dikenali", "lokasi.desa", "lokasi.kecamatan"],
        "note": "the born-digital NIB's annex prints a business location in Kabupaten Kubu Raya",
    },
    "npwp16_not_owner_nik": {
        "rule_id": "npwp.bukan_nik_pemilik",
        "severity": "blocking",
        "note": "a person's 16-digit NPWP (declared and clearly printed) is another person's NIK",
    },
    "owner_name_differs": {
        "rule_id": "nama.tidak_sama",
        "severity": "blocking",
        "note": "the declared owner's name is a completely different person's",
    },
    "nik_impossible_date": {
        "rule_id": "nik.*",
        "severity": "blocking",
        "explains": ["npwp.tidak_sah"],
        "note": "the NIK encodes 31 February and the KTP prints the same date of birth",
    },
    "pkkpr_expired": {
        "rule_id": "dokumen.kedaluwarsa",
        "severity": "warning",
        "note": "PKKPR issued more than 3 years before the check day; the 3-year row of "
        "masa_berlaku.csv is unverified, so at most a warning",
    },
}
UNCORRECTABLE = {"kbli.di_luar_kewenangan", "lokasi.di_luar_wilayah"}


def plans(rng: random.Random) -> list[Plan]:
    """Eleven clean applicants and one per defect, in a shuffled order."""
    clean = [
        Plan("perorangan", ("56303",)),
        Plan("perorangan", ("56102", "56304"), ktp="scan", npwp="photo", npwp16=True,
             declare_risk=False),
        Plan("perorangan", ("56101",), pkkpr="recent", declare_lokasi="alamat"),
        Plan("perorangan", ("47112",), nib="scan", declare_risk=False, npwp16=True),
        Plan("perorangan", ("47241", "47711", "56210"), ktp="scan", npwp="photo",
             declare_lokasi="none"),
        Plan("perorangan", ("96111",), npwp="scan", declare_risk=False),
        Plan("cv", ("56303", "56103"), npwp16=True),
        Plan("cv", ("10710",), akta="digital", declare_risk=False),
        Plan("pt", ("47111", "56303"), sk=True, declared_npwp16_card15=True),
        Plan("pt", ("55130",), akta="digital", ktp="scan", declare_risk=False),
        Plan("pt", ("79111",), nib="scan", npwp="photo", sk=True),
    ]  # fmt: skip
    defects = [
        Plan("perorangan", ("56303",), defect="nib_declared_differs"),
        Plan("cv", ("47112",), defect="nib_12_digits"),
        Plan("perorangan", ("56102",), defect="npwp_missing", npwp="none"),
        Plan("pt", ("47111",), defect="akta_missing", akta="none"),
        Plan("pt", ("06100",), defect="kbli_migas"),
        Plan("perorangan", ("56303",), defect="kbli_not_a_code"),
        Plan("perorangan", ("56304",), defect="location_outside", declare_lokasi="alamat"),
        Plan("perorangan", ("96111",), defect="npwp16_not_owner_nik", npwp16=True),
        Plan("perorangan", ("56102",), defect="owner_name_differs", ktp="scan"),
        Plan("perorangan", ("47241",), defect="nik_impossible_date", ktp="scan"),
        Plan("cv", ("10792", "10710"), defect="pkkpr_expired", pkkpr="expired"),
    ]
    out = clean + defects
    rng.shuffle(out)
    return out


def extra_documents(lines: tuple[tuple[str, str, str], ...]) -> list[str]:
    out: list[str] = []
    for code, _, risk in lines:
        if risk != "MT":
            continue
        for prefix, docs in EXTRA_FOR_MT.items():
            if code.startswith(prefix):
                out.extend(d for d in docs if d not in out)
    return out


def _other_name(rng: random.Random, taken: str) -> str:
    words = set(taken.split())
    while True:
        first = rng.choice(FIRST_F + FIRST_M)
        name = f"{first} {rng.choice(LAST)}"
        if not words & set(name.split()):
            return name


def _file_name(rng: random.Random, doc_type: str, ext: str, n: int) -> str:
    if rng.random() < 0.3:
        stamp = f"{rng.randint(1, 28):02d}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}"
        return f"{'IMG' if ext == 'jpg' else 'SCAN'}_202611{stamp}_{n}.{ext}"
    label = {"akta_pendirian": "akta_pendirian", "sk_kemenkumham": "sk_ahu"}.get(doc_type, doc_type)
    return f"{label.upper() if rng.random() < 0.5 else label}.{ext}"


class Folder:
    """The documents of one applicant, written as they are made."""

    def __init__(self, path: Path, rng: random.Random) -> None:
        self.path = path
        self.rng = rng
        self.records: list[dict[str, Any]] = []
        path.mkdir(parents=True, exist_ok=True)

    def add(self, doc_type: str, data: bytes, ext: str, origin: str, truth: dict[str, Any],
            tags: list[str] | None = None) -> None:  # fmt: skip
        name = _file_name(self.rng, doc_type, ext, len(self.records) + 1)
        while (self.path / name).exists():
            name = f"{len(self.records) + 1}_{name}"
        (self.path / name).write_bytes(data)
        self.records.append(
            {
                "file": name,
                "doc_type": doc_type,
                "origin": origin,
                "layout": truth.pop("layout", None),
                "font": truth.pop("font", None),
                "degradation": tags or [],
                "truth": truth,
            }
        )


def _card(folder: Folder, doc_type: str, card: cards2.Card, how: str, meta: dict[str, str]) -> None:
    truth = {**card.truth, **meta}
    if how == "photo":
        spec = photo_spec(folder.rng)
        data = phone_photo2(card.img, folder.rng, spec)
        folder.add(doc_type, data, "jpg", "degraded_photo", truth, spec.tags())
    else:
        data, ext, tags = scan_card(card.img, folder.rng)
        folder.add(doc_type, data, ext, "clean_scan", truth, tags)


def _pdf(folder: Folder, doc_type: str, pdf: bytes, truth: dict[str, Any], how: str) -> None:
    if how == "scan":
        data, tags = scan_document(pdf, folder.rng)
        folder.add(doc_type, data, "pdf", "clean_scan", truth, tags)
    else:
        folder.add(doc_type, pdf, "pdf", "born_digital", truth)


def build_applicant(
    path: Path, plan: Plan, v: Variety, rng: random.Random, today: datetime.date
) -> dict[str, Any]:
    """Write one applicant's folder; return its manifest entry."""
    folder = Folder(path, rng)
    person = make_person(rng, today=today)
    while plan.bentuk != "perorangan" and person.tanggal_lahir.year > today.year - 30:
        person = make_person(rng, today=today)  # a company's director founded it years ago
    birth_text = None
    if plan.defect == "nik_impossible_date":
        female = person.jenis_kelamin == "PEREMPUAN"
        yy = person.tanggal_lahir.year % 100
        nik = f"{person.nik[:6]}{31 + (40 if female else 0):02d}02{yy:02d}{person.nik[12:]}"
        birth_text = f"31-02-{person.tanggal_lahir.year}"
        person = replace(person, nik=nik)
    company: Company | None = None
    if plan.bentuk != "perorangan":
        company = make_company(rng, person, plan.bentuk)
        if plan.npwp16:
            company = replace(company, npwp="0" + company.npwp)
    lines = tuple(MIGAS if c == MIGAS[0] else KBLI[c] for c in plan.kbli)
    if company is not None:
        npwp = company.npwp
    elif plan.defect == "npwp16_not_owner_nik":
        spouse_born = person.tanggal_lahir.replace(year=person.tanggal_lahir.year + 1)
        other_female = person.jenis_kelamin != "PEREMPUAN"
        npwp = nik_for(person.nik[:6], spouse_born, other_female, rng.randint(1, 9999))
    else:
        npwp = person.nik if plan.npwp16 else npwp15(rng)
    venture = make_venture(rng, company or person, kbli=lines, npwp=npwp)
    if plan.defect == "location_outside":
        alamat, desa, kec, kab = OUTSIDE
        venture = replace(venture, alamat=alamat, desa=desa, kecamatan=kec, kabupaten=kab)
    extras = extra_documents(lines)
    if plan.pkkpr != "none" and "pkkpr" not in extras:
        extras.insert(0, "pkkpr")
    # A PKKPR is granted to a business that has its NIB (it prints the number): the NIB first.
    if plan.pkkpr == "expired":
        pkkpr_day = today.replace(year=today.year - rng.randint(4, 5), day=rng.randint(1, 28))
    else:
        pkkpr_day = today - datetime.timedelta(days=rng.randint(60, 700))
    if "pkkpr" in extras and venture.tanggal_terbit > pkkpr_day - datetime.timedelta(days=14):
        earlier = pkkpr_day - datetime.timedelta(days=rng.randint(14, 200))
        venture = replace(venture, tanggal_terbit=earlier)
    if company is not None and company.akta_tanggal >= venture.tanggal_terbit:
        deed = venture.tanggal_terbit - datetime.timedelta(days=rng.randint(60, 700))
        company = replace(company, akta_tanggal=deed)
    if company is not None and plan.declared_npwp16_card15:
        declared_npwp = "0" + company.npwp
    else:
        declared_npwp = npwp

    # KTP of the owner or director.
    design, font = rng.choice(v.ktp_designs), rng.choice(v.card_fonts)
    card = cards2.ktp_card(person, design, font, rng, birth_text=birth_text)
    _card(folder, "ktp", card, plan.ktp, {"layout": design.name, "font": font.name})
    # NPWP: the person's, or the company's.
    if plan.npwp != "none":
        design, font = rng.choice(v.npwp_designs), rng.choice(v.card_fonts)
        holder: Person | Company = company if company is not None else person
        registered = registered_on(rng, holder)
        card = cards2.npwp_card(holder, npwp, registered, design, font, rng)
        _card(folder, "npwp", card, plan.npwp, {"layout": design.name, "font": font.name})
    # NIB with its annex.
    style, annex = rng.choice(v.page_styles), rng.choice(v.annexes)
    office = (
        oss.full_place(company.alamat, company.desa, company.kecamatan)
        if company is not None
        else oss.full_place(person.alamat, person.desa, person.kecamatan)
    )
    printed_nib = venture.nib[:-1] if plan.defect == "nib_12_digits" else None
    pdf, truth = oss.nib_pdf(
        venture,
        style,
        annex,
        rng,
        office=office,
        printed_nib=printed_nib,
        show_npwp=rng.random() < 0.4,
        show_nama_usaha=company is None and rng.random() < 0.5,
        printed_on=today - datetime.timedelta(days=rng.randint(3, 60)),
    )
    _pdf(folder, "nib", pdf, {**truth, "layout": f"{style.name}+{annex.name}", "font": style.font},
         "digital" if plan.defect in ("nib_declared_differs", "nib_12_digits",
                                      "location_outside") else plan.nib)  # fmt: skip
    # Akta pendirian and the Kemenkumham decree of a company.
    if company is not None and plan.akta != "none":
        style = rng.choice(v.page_styles)
        pdf, truth = oss.akta_pdf(company, style, rng)
        _pdf(folder, "akta_pendirian", pdf, {**truth, "layout": style.name, "font": style.font},
             plan.akta)  # fmt: skip
    if company is not None and plan.sk:
        style = rng.choice(v.page_styles)
        issued = company.akta_tanggal + datetime.timedelta(days=rng.randint(3, 30))
        number = int(company.ahu.split("-")[1].split(".")[0])
        pdf, truth = oss.letter_pdf("sk_kemenkumham", person, company.nama, office, issued,
                                    style, number)  # fmt: skip
        _pdf(folder, "sk_kemenkumham", pdf, {**truth, "layout": style.name, "font": style.font},
             "digital")  # fmt: skip
    # The checklist's extra documents for MT lines, and a PKKPR where planned.
    holder_name = company.nama if company is not None else person.nama
    nama_usaha = company.nama if company is not None else venture.nama_usaha
    place = f"{venture.alamat}, {venture.desa}, {venture.kecamatan}"
    cursor = venture.tanggal_terbit  # NIB, then PKKPR, SPPL, PBG, SLF in that order
    for kind in extras:
        style = rng.choice(v.page_styles)
        how = "scan" if rng.random() < 0.35 else "digital"
        if kind == "pkkpr":
            pdf, truth = oss.pkkpr_pdf(venture, holder_name, pkkpr_day, style, rng.randint(1, 400))
            how = "digital" if plan.pkkpr == "expired" else how
            cursor = pkkpr_day
        else:
            issued = cursor + datetime.timedelta(days=rng.randint(10, 120))
            issued = cursor = min(issued, today - datetime.timedelta(days=7))
            pdf, truth = oss.letter_pdf(kind, person, nama_usaha, place, issued, style,
                                        rng.randint(1, 999))  # fmt: skip
        _pdf(folder, kind, pdf, {**truth, "layout": style.name, "font": style.font}, how)

    declared = _declared(plan, person, company, venture, declared_npwp, rng)
    (path / "application.json").write_text(
        json.dumps(declared, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    entry: dict[str, Any] = {"folder": path.name, "bentuk": plan.bentuk}
    if plan.defect is None:
        entry |= {"clean": True, "expected_verdict": "memenuhi"}
    else:
        d = DEFECTS[plan.defect]
        defect = {"kind": plan.defect, "rule_id": d["rule_id"], "severity": d["severity"],
                  "explains": d.get("explains", []), "note": d["note"]}  # fmt: skip
        verdict = "memenuhi"
        if d["severity"] == "blocking":
            verdict = "tidak_memenuhi" if d["rule_id"] in UNCORRECTABLE else "perlu_perbaikan"
        entry |= {"clean": False, "expected_verdict": verdict, "defects": [defect]}
    entry["documents"] = folder.records
    _check_dates(entry, today)
    return entry


def _check_dates(entry: dict[str, Any], today: datetime.date) -> None:
    """Fail loudly on an applicant whose dates no real file would carry."""
    issued = {
        d["doc_type"]: datetime.date.fromisoformat(d["truth"]["tanggal_terbit"])
        for d in entry["documents"]
        if "tanggal_terbit" in d["truth"]
    }
    assert all(day < today for day in issued.values()), (entry["folder"], issued)
    order = ("akta_pendirian", "sk_kemenkumham", "nib", "pkkpr", "sppl", "pbg", "slf")
    present = [issued[k] for k in order if k in issued and k != "sk_kemenkumham"]
    assert present == sorted(present), (entry["folder"], issued)


def _declared(
    plan: Plan,
    person: Person,
    company: Company | None,
    venture: Venture,
    npwp: str,
    rng: random.Random,
) -> dict[str, Any]:
    """The application data in DOMAIN.md's shape, as the applicant typed it in OSS."""
    out: dict[str, Any] = {
        "nama_usaha": company.nama if company is not None else venture.nama_usaha,
        "bentuk": plan.bentuk,
        "skala": venture.skala,
        "status_penanaman_modal": "PMDN",
    }
    if plan.defect != "nib_12_digits":
        nib = venture.nib
        if plan.defect == "nib_declared_differs":
            i = next(k for k in range(4, 12) if nib[k] != nib[k + 1])
            nib = nib[:i] + nib[i + 1] + nib[i] + nib[i + 2 :]
        out["nib"] = nib
    out["npwp"] = npwp
    nama = person.nama
    if plan.defect == "owner_name_differs":
        nama = _other_name(rng, person.nama)
    out["pemilik"] = {"nama": nama, "nik": person.nik}
    if plan.declare_lokasi == "full":
        out["lokasi"] = {
            "alamat": venture.alamat,
            "desa": venture.desa.title(),
            "kecamatan": venture.kecamatan.title(),
        }
    elif plan.declare_lokasi == "alamat":
        out["lokasi"] = {"alamat": venture.alamat}
    kbli = []
    for code, title, risk in venture.kbli:
        if plan.defect == "kbli_not_a_code":
            code, title = NOT_A_CODE
        item: dict[str, Any] = {"kode": code, "judul": title}
        if plan.declare_risk:
            item["risiko"] = risk
        kbli.append(item)
    out["kbli"] = kbli
    return out


def build(out: Path, split: str) -> tuple[Path, dict[str, Any]]:
    """Build the applicants of ``split`` (kept when their manifest exists)."""
    root = out / f"applicants-v{VERSION}-{split}"
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        return root, dict(json.loads(manifest_path.read_text(encoding="utf-8")))
    v = VARIETIES[split]
    check_installed(v)
    rng = random.Random(f"pintu-applicants-{split}")
    entries = []
    for i, plan in enumerate(plans(rng)):
        entries.append(build_applicant(root / f"P{i + 1:02d}", plan, v, rng, CHECK_DAY))
    manifest = {"split": split, "check_day": CHECK_DAY.isoformat(), "applicants": entries}
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return root, manifest


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--split", default="heldout4", choices=tuple(VARIETIES))
    args = parser.parse_args()
    root, manifest = build(args.out, args.split)
    clean = sum(1 for a in manifest["applicants"] if a["clean"])
    print(f"{len(manifest['applicants'])} applicants ({clean} clean) in {root}")

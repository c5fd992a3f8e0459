"""Rule tables: importers refuse malformed files with a line number; the table in force stays."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from validator import (
    RuleTableError,
    kbli_authority,
    load_rules,
    parse_authority_table,
    parse_checklists,
    parse_kbli_csv,
    parse_region_table,
    parse_validity_table,
)
from validator.ruleset import DEFAULT_FOLDER

V = {"version": "test-1", "effective_from": date(2026, 1, 1)}


def test_kbli_import_keeps_leading_zeros_and_counts_skipped_rows() -> None:
    data = (
        b"kode,level,kategori,judul,uraian\n"
        b"A,kategori,A,PERTANIAN,x\n"
        b"01,golongan_pokok,A,PERTANIAN TANAMAN,x\n"
        b"011,golongan,A,SEMUSIM,x\n"
        b"0111,subgolongan,A,SEREALIA,x\n"
        b'01111,kelompok,A,PERTANIAN JAGUNG,"uraian, dengan koma"\n'
        b"06100,kelompok,B,PERTAMBANGAN MINYAK BUMI,x\n"
    )
    table = parse_kbli_csv(data, **V)
    assert dict(table.titles) == {"01111": "PERTANIAN JAGUNG", "06100": "PERTAMBANGAN MINYAK BUMI"}
    assert table.skipped == 4
    assert table.version == "test-1"


@pytest.mark.parametrize(
    "header",
    ["code,title", "kode,judul", "Kode,Judul", "title,code", "x,code,y,title", "\ufeffcode,title"],
)
def test_kbli_import_accepts_either_header_name(header: str) -> None:
    names = [h.strip().lower().lstrip("\ufeff") for h in header.split(",")]
    row = ["" for _ in names]
    row[names.index("code" if "code" in names else "kode")] = "56303"
    row[names.index("title" if "title" in names else "judul")] = "RUMAH MINUM/KAFE"
    data = f"{header}\n{','.join(row)}\n".encode()
    assert parse_kbli_csv(data, **V).title("56303") == "RUMAH MINUM/KAFE"


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"nomor,nama\n56303,KAFE\n", 1, "code"),
        (b"code,title\n56303,KAFE\n563031,X\n", 3, "563031"),
        (b"code,title\n56303,KAFE\n5630a,X\n", 3, "5630a"),
        (b"code,title\n56303,\n", 2, "no title"),
        (b"code,title\n56303,KAFE\n56303,BAR\n", 3, "twice"),
        (b"code,title\n56303,KAFE\n56101,RESTORAN,extra\n", 3, "cells"),
        (b"code,title\n56303,KAFE\n,LOST\n", 3, "empty"),
        (b"code,title\n56303,KAFE\n56101,RESTOR\xe1N\n", 3, "UTF-8"),
        (b"", 1, "empty"),
    ],
)
def test_malformed_kbli_file_is_refused_naming_the_line(data: bytes, line: int, words: str) -> None:
    with pytest.raises(RuleTableError) as caught:
        parse_kbli_csv(data, source="upload.csv", **V)
    assert caught.value.line == line
    assert words in caught.value.message
    assert f"upload.csv, line {line}" in caught.value.message
    assert caught.value.detail_id is not None and f"baris {line}" in caught.value.detail_id
    assert caught.value.http_status == 422


def test_file_without_any_five_digit_code_is_refused() -> None:
    with pytest.raises(RuleTableError, match="no 5-digit"):
        parse_kbli_csv(b"code,title\nA,PERTANIAN\n01,X\n", **V)


def test_refused_import_leaves_the_table_in_force_unchanged() -> None:
    rules = load_rules()
    before = rules.kbli
    with pytest.raises(RuleTableError):
        rules = rules.with_kbli(parse_kbli_csv(b"code,title\n5630,X\n56303x,Y\n", **V))
    assert rules.kbli is before
    assert kbli_authority("56303", rules).exists


def test_imported_kbli_list_becomes_a_new_version_in_force_from_its_date() -> None:
    rules = load_rules()
    new = parse_kbli_csv(
        b"code,title\n55201,PONDOK WISATA\n",
        version="kbli2025-test",
        effective_from=date(2027, 1, 1),
    )
    updated = rules.with_kbli(new)
    assert rules.kbli_versions == load_rules().kbli_versions  # the old value is untouched
    assert updated.kbli_in_force(date(2026, 12, 31)).version == rules.kbli.version
    assert updated.kbli_in_force(date(2027, 1, 1)).version == "kbli2025-test"
    assert not kbli_authority("56303", updated, today=date(2027, 2, 1)).exists
    assert kbli_authority("56303", updated, today=date(2026, 2, 1)).exists


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("56303,,,kabupaten,PP", "kewenangan"),
        ("56303,raksasa,,kabkota,PP", "skala"),
        ("56303,,XT,kabkota,PP", "risiko"),
        ("56303,,,kabkota,", "dasar_hukum"),
        ("563031,,,kabkota,PP", "1-5 digits"),
        ("56303,,,pusat,PP", "already on line 2"),
    ],
)
def test_malformed_authority_row_is_refused_naming_the_line(row: str, words: str) -> None:
    data = f"kbli,skala,risiko,kewenangan,dasar_hukum\n56303,,,kabkota,PP\n{row}\n".encode()
    with pytest.raises(RuleTableError) as caught:
        parse_authority_table(data, **V)
    assert caught.value.line == 3
    assert words in caught.value.message


def test_authority_longest_prefix_and_scale_decide() -> None:
    data = (
        b"kbli,skala,risiko,kewenangan,dasar_hukum\n"
        b"10,,,provinsi,sektor\n10,mikro,,kabkota,mikro\n107,,,pusat,roti\n10710,,MT,kabkota,tepat\n"
    )
    table = parse_authority_table(data, **V)
    assert table.lookup("10130", skala="mikro").dasar_hukum == "mikro"  # type: ignore[union-attr]
    assert table.lookup("10130", skala="besar").dasar_hukum == "sektor"  # type: ignore[union-attr]
    assert table.lookup("10792").dasar_hukum == "roti"  # type: ignore[union-attr]
    assert table.lookup("10710", risiko="MT").dasar_hukum == "tepat"  # type: ignore[union-attr]
    assert table.lookup("10710", risiko="MR").dasar_hukum == "roti"  # type: ignore[union-attr]
    assert table.lookup("56303") is None


@pytest.mark.parametrize(
    ("row", "words"),
    [
        ("*,,,ijazah,Ijazah,ya", "doc_type"),
        ("*,,,ktp,KTP,mungkin", "wajib"),
        ("*,XX,,ktp,KTP,ya", "risiko"),
        ("*,,bumn,ktp,KTP,ya", "bentuk"),
        ("*,,,ktp,,ya", "persyaratan"),
        ("5a,,,ktp,KTP,ya", "digits or *"),
    ],
)
def test_malformed_checklist_row_is_refused_naming_the_line(row: str, words: str) -> None:
    data = f"kbli,risiko,bentuk,doc_type,persyaratan,wajib\n*,,,nib,NIB,ya\n{row}\n".encode()
    with pytest.raises(RuleTableError) as caught:
        parse_checklists(data, **V)
    assert caught.value.line == 3
    assert words in caught.value.message


def test_checklist_rows_apply_by_kbli_risk_and_form() -> None:
    data = (
        b"kbli,risiko,bentuk,doc_type,persyaratan,wajib\n"
        b"*,,,ktp,KTP,ya\n*,,badan_usaha,akta_pendirian,Akta,ya\n551,MT|T,,slf,SLF,ya\n"
    )
    items = {i.doc_type: i for i in parse_checklists(data, **V).items}
    assert items["ktp"].applies(("56303",), ("MR",), "perorangan")
    assert items["akta_pendirian"].applies(("56303",), ("MR",), "cv")
    assert not items["akta_pendirian"].applies(("56303",), ("MR",), "perorangan")
    assert items["slf"].applies(("56303", "55130"), ("MR", "MT"), "pt")
    assert not items["slf"].applies(("55130",), ("MR",), "pt")
    assert not items["slf"].applies(("56303",), ("MT",), "pt")


def test_region_table_needs_one_regency_and_its_parts_inside_it() -> None:
    head = "kode,level,nama,nama_lain\n"
    with pytest.raises(RuleTableError, match="exactly one row"):
        parse_region_table((head + "61,provinsi,Kalimantan Barat,\n").encode(), **V)
    with pytest.raises(RuleTableError) as caught:
        parse_region_table(
            (
                head
                + "61.02,kabupaten,Kabupaten Mempawah,\n61.71.01,kecamatan,Pontianak Selatan,\n"
            ).encode(),
            **V,
        )
    assert caught.value.line == 3
    with pytest.raises(RuleTableError) as caught:
        parse_region_table((head + "6102,kabupaten,Kabupaten Mempawah,\n").encode(), **V)
    assert caught.value.line == 2


def test_validity_table_needs_years_for_berlaku_tahun() -> None:
    with pytest.raises(RuleTableError) as caught:
        parse_validity_table(
            b"doc_type,berlaku,tahun,keterangan\nktp,seumur_hidup,,\npkkpr,tahun,,x\n", **V
        )
    assert caught.value.line == 3


def test_shipped_defaults_load_with_versions_and_mempawah_region() -> None:
    rules = load_rules()
    assert rules.region.regency.kode == "61.02"
    assert "Kabupaten Pontianak" in rules.region.regency.nama_lain
    jongkat = next(r for r in rules.region.regions if r.nama == "Jongkat")
    assert jongkat.kode == "61.02.08" and "Siantan" in jongkat.nama_lain
    assert sum(r.level == "kecamatan" for r in rules.region.regions) == 9
    assert sum(r.level == "desa" for r in rules.region.regions) == 67
    assert {"65", "92", "93", "96"} <= rules.region.province_codes()
    for code in ("56303", "55201", "55203", "55209", "06100", "47111", "10710"):
        assert rules.kbli.title(code), code
    assert 30 <= len(rules.kbli.titles) <= 60
    assert set(rules.versions()) == {"kbli", "authority", "checklists", "region", "validity"}


def _copy_defaults(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(DEFAULT_FOLDER, folder)
    return folder


def test_an_edited_folder_loads_and_a_broken_one_names_file_and_line(tmp_path: Path) -> None:
    folder = _copy_defaults(tmp_path)
    with (folder / "kewenangan.csv").open("a", encoding="utf-8") as out:
        out.write("86103,,,kabkota,Keputusan Kepala Dinas (uji)\n")
    assert kbli_authority("86103", load_rules(folder)).authority == "within"
    with (folder / "persyaratan.csv").open("a", encoding="utf-8") as out:
        out.write("*,,,ijazah,Ijazah,ya\n")
    lines = (folder / "persyaratan.csv").read_text(encoding="utf-8").count("\n")
    with pytest.raises(RuleTableError) as caught:
        load_rules(folder)
    assert caught.value.source == "persyaratan.csv" and caught.value.line == lines


def test_broken_manifest_is_refused(tmp_path: Path) -> None:
    folder = _copy_defaults(tmp_path)
    manifest = json.loads((folder / "rules.json").read_text(encoding="utf-8"))
    manifest["kbli"]["effective_from"] = "kemarin"
    (folder / "rules.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(RuleTableError, match="effective_from"):
        load_rules(folder)
    (folder / "rules.json").write_text("{", encoding="utf-8")
    with pytest.raises(RuleTableError) as caught:
        load_rules(folder)
    assert caught.value.line == 1
    with pytest.raises(RuleTableError, match="manifest"):
        load_rules(tmp_path / "missing")

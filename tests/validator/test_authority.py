"""KBLI authority: the office's table, or OSS's own kewenangan/kd_daerah when from OSS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.validator import factory as f
from validator import check, kbli_authority, load_rules

RULES = load_rules()


@pytest.mark.parametrize(
    ("code", "skala", "exists", "authority", "level"),
    [
        ("56303", None, True, "within", "kabkota"),
        ("55201", None, True, "within", "kabkota"),
        ("55209", None, True, "within", "kabkota"),
        ("06100", None, True, "outside", "pusat"),
        ("05100", None, True, "outside", "pusat"),
        ("03111", None, True, "outside", "provinsi"),
        ("10710", "mikro", True, "within", "kabkota"),
        ("10710", "menengah", True, "outside", "provinsi"),
        ("10710", None, True, "unknown", None),  # scale decides: unknown without it
        ("86103", None, True, "unknown", None),
        ("56399", None, False, "unknown", None),  # no row covers 56399, 563, 56 or 5
        ("5630", None, False, "unknown", None),
        ("5630A", None, False, "unknown", None),
    ],
)
def test_kbli_answers(
    code: str, skala: str | None, exists: bool, authority: str, level: str | None
) -> None:
    answer = kbli_authority(code, RULES, skala=skala)
    assert (answer.exists, answer.authority, answer.level) == (exists, authority, level)
    assert answer.basis
    assert answer.to_json()["authority"] == authority


def _oss(kbli: list[dict[str, Any]], from_oss: bool = True):  # type: ignore[no-untyped-def]
    declared = f.declared(kbli=kbli)
    from dataclasses import replace

    declared = replace(declared, from_oss=from_oss)
    codes = tuple(k["kode"] for k in kbli)
    return check(declared, [f.ktp(), f.npwp(), f.nib_doc(kbli=codes)], RULES, today=f.TODAY)


def _ids(report) -> set[str]:  # type: ignore[no-untyped-def]
    return {x.rule_id for x in report.findings if x.severity != "info"}


@pytest.mark.parametrize(
    ("kewenangan", "kd_daerah", "outside"),
    [
        ("02", "6102080000", False),
        ("02", "61.02.08.2010", False),
        ("02", "6171010000", True),  # Kota Pontianak
        ("02", None, True),
        ("01", "6100000000", True),
        ("00", "6102000000", True),
    ],
)
def test_oss_decides_mechanically_when_the_data_came_from_oss(
    kewenangan: str, kd_daerah: str | None, outside: bool
) -> None:
    # 86103 is unknown to the office's table: OSS alone decides here.
    claim = {"kode": "86103", "risiko": "MT", "kewenangan": kewenangan}
    if kd_daerah is not None:
        claim["kd_daerah"] = kd_daerah
    report = _oss([claim])
    assert ("kbli.di_luar_kewenangan" in _ids(report)) is outside
    assert "kbli.kewenangan_tidak_diketahui" not in _ids(report)
    assert report.verdict == ("tidak_memenuhi" if outside else "memenuhi")


def test_typed_in_kewenangan_is_shown_but_the_table_decides() -> None:
    claim = {"kode": "06100", "risiko": "MT", "kewenangan": "02", "kd_daerah": "6102080000"}
    report = _oss([claim], from_oss=False)
    assert "kbli.di_luar_kewenangan" in _ids(report)
    assert any(x.rule_id == "kbli.kewenangan_isian_berbeda" for x in report.findings)
    unknown = _oss([{**claim, "kode": "86103"}], from_oss=False)
    assert "kbli.kewenangan_tidak_diketahui" in _ids(unknown)
    assert unknown.verdict == "memenuhi"  # a person decides; never an automatic refusal


def test_mixed_risk_lines_route_only_the_r_and_t_lines_elsewhere() -> None:
    report = _oss(
        [{"kode": "56303", "risiko": "MR"}, {"kode": "56101", "risiko": "R"}], from_oss=False
    )
    routed = [x for x in report.findings if x.rule_id == "risiko.bukan_sertifikat_standar"]
    assert [x.severity for x in routed] == ["warning"]
    assert "56101" in routed[0].message and "Rendah" in routed[0].message
    assert report.verdict == "memenuhi"

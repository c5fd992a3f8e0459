"""Placing the business inside or outside Kabupaten Mempawah."""

from __future__ import annotations

import pytest

from validator import load_rules
from validator._region import RegionIndex

INDEX = RegionIndex.build(load_rules().region)


@pytest.mark.parametrize(
    ("text", "placement"),
    [
        ("Jl. Raya Sungai Pinyuh Km 2, Kab. Mempawah", "inside"),
        ("DESA JUNGKAT, KEC. SIANTAN, KABUPATEN PONTIANAK", "inside"),  # pre-2014 names
        ("Kec. Jongkat", "inside"),
        ("Kabupaten Pontianak, Kalimantan Barat", "inside"),
        ("JL. GAJAH MADA NO. 7, KOTA PONTIANAK", "outside"),
        ("Kec. Pontianak Barat", "outside"),
        ("Sungai Raya, Kab. Kubu Raya", "outside"),
        ("Kotamadya Pontianak", "outside"),
        ("Jl. Merdeka No. 1", "unknown"),
        ("Jl. Raya Mempawah, Kota Pontianak", "unknown"),  # both named: a person decides
    ],
)
def test_place_text(text: str, placement: str) -> None:
    assert INDEX.place_text(text).placement == placement


def test_kecamatan_and_desa_lookups_accept_former_names() -> None:
    assert INDEX.kecamatan_code("Siantan") == "61.02.08"
    assert INDEX.kecamatan_code("Kecamatan Jongkat") == "61.02.08"
    assert INDEX.kecamatan_code("Pontianak Barat") is None
    assert INDEX.desa_codes("Desa Jungkat") == ("61.02.08.2010",)

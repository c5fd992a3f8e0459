"""The application data of DOMAIN.md, validated at the edge of the validator."""

from __future__ import annotations

from typing import Any

import pytest

from validator import ApplicationDataError, Declared, KbliClaim


def test_full_application_round_trips() -> None:
    data: dict[str, Any] = {
        "nama_usaha": "Kafe Senja",
        "bentuk": "perorangan",
        "skala": "mikro",
        "status_penanaman_modal": "PMDN",
        "nib": "0220001234567",
        "npwp": "013121660091000",
        "pemilik": {"nama": "Siti Aminah", "nik": "6102085203880003"},
        "lokasi": {"alamat": "Jl. Raya 1", "desa": "Galang", "kecamatan": "Sungai Pinyuh"},
        "kbli": [
            {
                "kode": "06100",
                "judul": "Pertambangan minyak bumi",
                "risiko": "MT",
                "kewenangan": "00",
                "kd_daerah": "6102000000",
            }
        ],
    }
    declared = Declared.from_json(data)
    assert declared.kbli == (
        KbliClaim("06100", "Pertambangan minyak bumi", "MT", "00", "6102000000"),
    )
    assert declared.nib == "0220001234567"
    assert declared.from_oss is False
    assert declared.to_json() == data


def test_everything_is_optional() -> None:
    declared = Declared.from_json({})
    assert declared == Declared()
    assert declared.pemilik.nik is None and declared.kbli == ()


def test_choices_are_case_insensitive_and_canonicalised() -> None:
    declared = Declared.from_json(
        {
            "bentuk": "PT",
            "skala": "Kecil",
            "status_penanaman_modal": "pma",
            "kbli": [{"kode": "56303", "risiko": "mt"}],
        }
    )
    assert (declared.bentuk, declared.skala, declared.status_penanaman_modal) == (
        "pt",
        "kecil",
        "PMA",
    )
    assert declared.kbli[0].risiko == "MT"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"nib": 9120304150017}, "nib"),
        ({"kbli": [{"kode": 6100}]}, "kbli[0].kode"),
        ({"kbli": [{"judul": "tanpa kode"}]}, "kbli[0].kode"),
        ({"kbli": "56303"}, "kbli"),
        ({"kbli": [{"kode": "56303", "risiko": "sedang"}]}, "kbli[0].risiko"),
        ({"kbli": [{"kode": "56303", "kewenangan": "2"}]}, "kbli[0].kewenangan"),
        ({"kbli": [{"kode": "56303", "kode_baru": "x"}]}, "kbli[0]"),
        ({"bentuk": "ud"}, "bentuk"),
        ({"pemilik": "Siti"}, "pemilik"),
        ({"pemilik": {"nama": "Siti", "alamat": "x"}}, "pemilik"),
        ({"lokasi": {"kecamatan": 8}}, "lokasi.kecamatan"),
        ({"nama": "Kafe"}, "$"),
        ({"from_oss": "yes"}, "from_oss"),
    ],
)
def test_bad_shapes_are_refused_naming_the_key(data: dict[str, Any], path: str) -> None:
    with pytest.raises(ApplicationDataError) as caught:
        Declared.from_json(data)
    assert f"'{path}'" in (caught.value.detail_id or "")
    assert caught.value.http_status == 422
    assert caught.value.code == "invalid_application_data"


def test_not_an_object_is_refused() -> None:
    with pytest.raises(ApplicationDataError):
        Declared.from_json(["kbli"])  # type: ignore[arg-type]

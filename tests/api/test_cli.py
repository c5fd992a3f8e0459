"""The `pintu` command line on embedded defaults: JSON out, clear errors, non-zero exits."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.env import embedded_env

DEMO = Path(__file__).parents[2] / "workflow" / "demo_data"
PINTU = str(Path(sys.executable).parent / "pintu")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A DATA_DIR set up as an operator does it first: `pintu db upgrade`."""
    env = embedded_env(tmp_path_factory.mktemp("cli-data"))
    upgraded = pintu(env, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    return env


def pintu(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PINTU, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_extract_prints_one_json_object_per_file(env: dict[str, str]) -> None:
    names = ("nib.pdf", "ktp.png", "npwp.png")
    run = pintu(env, "extract", *(str(DEMO / n) for n in names), "--json")
    assert run.returncode == 0, run.stderr
    results = dict(zip(names, json.loads(run.stdout), strict=True))
    truth = json.loads((DEMO / "ground_truth.json").read_text())
    assert results["nib.pdf"]["pages"][0]["source"] == "text"
    assert results["ktp.png"]["pages"][0]["source"] == "ocr"
    for name, result in results.items():
        assert result["file"].endswith(name) and len(result["sha256"]) == 64
        expected = truth[name]
        assert result["doc_type"] == expected["doc_type"]
        for field, value in expected.items():
            if field == "doc_type":
                continue
            got = result["fields"][field]["value"]
            assert (sorted(got) if isinstance(got, list) else got) == (
                sorted(value) if isinstance(value, list) else value
            ), (name, field)


def test_extract_refuses_a_file_that_is_not_a_document(env: dict[str, str], tmp_path: Path) -> None:
    fake = tmp_path / "surat.pdf"
    fake.write_bytes(b"#!/bin/sh\necho this is a script behind a PDF name\n")
    run = pintu(env, "extract", str(fake), "--json")
    assert run.returncode != 0
    result = json.loads(run.stdout)
    assert result["error"]["code"] == "unsupported_file_type"


def test_check_folder_gives_memenuhi_for_the_sample_applicant(env: dict[str, str]) -> None:
    run = pintu(env, "check", str(DEMO), "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["verdict"] == "memenuhi", result["findings"]
    assert not [f for f in result["findings"] if f["severity"] == "blocking"]


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def test_the_reading_commands_leave_data_dir_untouched(env: dict[str, str], tmp_path: Path) -> None:
    data_dir = Path(env["DATA_DIR"])
    before = _tree(data_dir)
    assert "pintu.db" in before
    for args in (
        ("check", str(DEMO), "--json"),
        ("kbli", "56303"),
        ("verify", str(DEMO / "nib.pdf")),
    ):
        run = pintu(env, *args)
        assert run.returncode in (0, 4), run.stderr  # 4: verify's "not VALID"
        assert _tree(data_dir) == before, args
    nowhere = {**env, "DATA_DIR": str(tmp_path / "not-created")}
    assert pintu(nowhere, "check", str(DEMO), "--json").returncode == 0
    assert pintu(nowhere, "kbli", "56303").returncode == 0
    assert not (tmp_path / "not-created").exists()


def test_kbli_lookup_and_a_refused_import(env: dict[str, str], tmp_path: Path) -> None:
    cafe = pintu(env, "kbli", "56303", "--json")
    assert cafe.returncode == 0, cafe.stderr
    assert json.loads(cafe.stdout)["authority"] == "within"

    broken = tmp_path / "kbli.csv"
    broken.write_text("kode,judul\n56303,Kafe\n5630X,Rusak\n", encoding="utf-8")
    refused = pintu(env, "kbli", "import", str(broken))
    assert refused.returncode != 0
    assert "3" in refused.stderr  # the line number of the bad row
    still = pintu(env, "kbli", "56303", "--json")
    assert json.loads(still.stdout) == json.loads(cafe.stdout)


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf")
def test_verify_reports_an_unsigned_pdf_without_calling_it_valid(env: dict[str, str]) -> None:
    run = pintu(env, "verify", str(DEMO / "nib.pdf"), "--json")
    report = json.loads(run.stdout)
    assert report["status"] != "VALID" and report["signature_count"] == 0
    assert run.returncode != 0


def test_missing_file_is_a_clear_error(env: dict[str, str]) -> None:
    run = pintu(env, "verify", "/tidak/ada.pdf")
    assert run.returncode != 0 and "not found" in run.stderr


def test_an_imported_kbli_list_is_in_force_at_once(env: dict[str, str], tmp_path: Path) -> None:
    table = tmp_path / "kbli-baru.csv"
    table.write_text(
        "kategori,kode,judul\nI,56,Penyediaan makanan\nI,56303,Rumah minum/kafe\n"
        "S,99999,Kegiatan uji coba daftar KBLI\n",
        encoding="utf-8",
    )
    assert pintu(env, "kbli", "99999", "--json").returncode != 0  # not in the shipped list
    assert pintu(env, "kbli", "47111", "--json").returncode == 0  # in the shipped list
    imported = pintu(env, "kbli", "import", str(table), "--json")
    assert imported.returncode == 0, imported.stderr
    summary = json.loads(imported.stdout)
    assert summary["codes"] == 2 and summary["skipped"] == 1
    found = json.loads(pintu(env, "kbli", "99999", "--json").stdout)
    assert found["exists"] is True and found["code"] == "99999"
    assert pintu(env, "kbli", "47111", "--json").returncode != 0  # the new list replaced it


def test_a_malformed_authority_table_is_refused_with_its_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    table = tmp_path / "kewenangan.csv"
    table.write_text(
        "kbli,skala,risiko,kewenangan,dasar_hukum\n56303,,,kabkota,PP 28/2025\n"
        "56303,,,kerajaan,PP 28/2025\n",
        encoding="utf-8",
    )
    refused = pintu(env, "rules", "import", "kewenangan", str(table))
    assert refused.returncode != 0
    assert "3" in refused.stderr and "kewenangan" in refused.stderr


def test_sign_batch_signs_with_one_passphrase_and_shows_progress(env: dict[str, str]) -> None:
    """Two applications prepared through the API's own functions, signed from the command line."""
    prepare = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys\n"
            "from pathlib import Path\n"
            "from workflow.config import Settings\n"
            "from workflow.bootstrap import build_runtime\n"
            "from workflow.intake.applications import create_application, upload_document\n"
            "from workflow.sop.transitions import Actor\n"
            "from workflow.db.engine import transaction\n"
            "from workflow.db.models import User\n"
            "from workflow.intake.schema import ApplicationData\n"
            "from workflow.decisions.steps import take_step\n"
            "rt = build_runtime(Settings())\n"
            "def who(name):\n"
            "    with transaction(rt.sessions) as s:\n"
            "        return Actor.of(s.query(User).filter_by(username=name).one())\n"
            f"demo = Path({str(DEMO)!r})\n"
            "data = ApplicationData.model_validate_json((demo / 'application.json').read_text())\n"
            "ids = []\n"
            "for _ in range(2):\n"
            "    a = create_application(rt, who('teknis'), data)\n"
            "    for n in ('ktp.png', 'npwp.png', 'nib.pdf'):\n"
            "        upload_document(rt, who('teknis'), a.id, n, (demo / n).read_bytes())\n"
            "    for user, event in (('teknis', 'submit'), ('teknis', 'approve_technical'),\n"
            "                        ('penata', 'validate'), ('koordinator', 'set_penetapan')):\n"
            "        take_step(rt, who(user), a.id, event)\n"
            "    ids.append(a.id)\n"
            "print(json.dumps(ids))\n",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert prepare.returncode == 0, prepare.stderr
    ids = json.loads(prepare.stdout.strip().splitlines()[-1])
    run = subprocess.run(
        [PINTU, "sign-batch", *ids, "--yes", "--passphrase-stdin"],
        env=env,
        input="kadis-demo\n",
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 signed, 0 failed" in run.stdout
    assert "2/2" in run.stderr  # the progress bar
    assert "kadis-demo" not in run.stdout + run.stderr

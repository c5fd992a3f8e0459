"""`pintu demo` on embedded defaults: no server, a permit that pdfsig and qpdf accept."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.env import embedded_env


@pytest.mark.skipif(not shutil.which("pdfsig") or not shutil.which("qpdf"), reason="poppler/qpdf")
def test_pintu_demo_writes_a_signed_permit_bap_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    pintu = Path(sys.executable).parent / "pintu"
    run = subprocess.run(
        [str(pintu), "demo", "--out", str(out)],
        env=embedded_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for step in (3, 4, 5, 6, 7, 8):
        assert f"step {step}:" in run.stdout, run.stdout

    permit = out / "sertifikat-standar.pdf"
    pdfsig = subprocess.run(["pdfsig", str(permit)], capture_output=True, text=True)
    assert "Signature is Valid." in pdfsig.stdout, pdfsig.stdout
    qpdf = subprocess.run(["qpdf", "--check", str(permit)], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr
    assert (out / "berita-acara-pemeriksaan.pdf").read_bytes().startswith(b"%PDF")

    manifest = json.loads((out / "manifest.json").read_text())
    names = {f["name"] for f in manifest["files"]}
    assert {"permit.pdf", "berita-acara-pemeriksaan.pdf", "temuan.json"} <= names
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    # the archive folder holds the permit read-only, byte for byte what was signed
    archived = next((tmp_path / "data" / "store").rglob("permit.pdf"))
    assert archived.read_bytes() == permit.read_bytes()
    assert archived.stat().st_mode & 0o222 == 0  # no write bit left on an archived file

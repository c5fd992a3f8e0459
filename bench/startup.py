"""Start-up: wall time of four CLI commands, each in a fresh process, beside a bare interpreter.

``pintu kbli 56303`` (a table look-up), ``pintu extract nib.pdf`` (one born-digital page),
``pintu verify permit.pdf`` (a B-LTA permit signed by the development PKI of the same
``DATA_DIR``) and ``pintu check DIR`` (the demo applicant's three documents: two card scans are
OCR'd, so its time is mostly work, not start-up). Baseline in the same run: ``python -c pass``.
Median of ``--runs`` runs each, after one run that fills the caches (the dev PKI, .pyc files).

    .venv/bin/python -m bench.startup [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._results import Result, record
from signer import SignatureRequest, Signer, TimestampConfig, TrustConfig, ensure_dev_pki
from signer import load_pkcs12 as open_p12
from tests.fixtures.env import embedded_env
from workflow.config import Settings

DEMO = Path(__file__).parents[1] / "workflow" / "demo_data"
PINTU = str(Path(sys.executable).parent / "pintu")


def _signed_permit(data_dir: Path, out: Path) -> Path:
    """The demo NIB signed at B-LTA by the dev PKI the CLI will trust (same DATA_DIR)."""
    passphrase = Settings(data_dir=data_dir).dev_kadis_passphrase.get_secret_value()
    pki = ensure_dev_pki(data_dir / "pki", kadis_passphrase=passphrase)
    service = Signer(TrustConfig.from_dev_pki(pki), TimestampConfig.from_dev_pki(pki))
    try:
        signed = service.sign(
            (DEMO / "nib.pdf").read_bytes(),
            open_p12(pki.kadis_p12, passphrase),
            SignatureRequest(signer_name="Kadis", nip="197003151995031002", position="Kadis"),
        )
    finally:
        service.close()
    out.write_bytes(signed.pdf)
    return out


def _wall(argv: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(argv, env=env, capture_output=True, check=True, timeout=300)  # fill caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True, timeout=300)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pintu-bench-startup-") as tmp:
        folder = Path(tmp)
        data_dir = folder / "data"
        env = embedded_env(data_dir)
        env.pop("PINTU_BENCH_RESULTS", None)
        applicant = folder / "applicant"
        applicant.mkdir()
        for name in ("application.json", "ktp.png", "npwp.png", "nib.pdf"):
            shutil.copy(DEMO / name, applicant / name)
        permit = _signed_permit(data_dir, folder / "permit.pdf")
        bare = _wall([sys.executable, "-c", "pass"], env, args.runs)
        commands = {
            "pintu kbli 56303": [PINTU, "kbli", "56303"],
            "pintu extract nib.pdf": [PINTU, "extract", str(DEMO / "nib.pdf")],
            "pintu verify permit.pdf (B-LTA)": [PINTU, "verify", str(permit)],
            "pintu check DIR (3 documents, 2 OCR'd)": [PINTU, "check", str(applicant)],
        }
        measured = {name: _wall(argv, env, args.runs) for name, argv in commands.items()}
    print(f"median of {args.runs} runs, fresh process each; bare interpreter {bare:.3f} s")
    for name, seconds in measured.items():
        print(f"  {name:<42} {seconds:7.2f} s  ({seconds / bare:5.1f}x python -c pass)")
        record(
            Result(
                "startup",
                name,
                seconds,
                "s",
                "python -c pass",
                bare,
                seconds / bare,
                "x a bare interpreter",
                "< 1 s to start (issue 15; another engineer's change)",
                None,
            )
        )
    print(f"  load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

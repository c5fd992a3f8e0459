"""``pintu demo``: one sample application through steps 3-8, timed against the SOP's standard."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from workflow.bootstrap import build_runtime, upgrade_database
from workflow.config import Settings
from workflow.db.engine import transaction
from workflow.db.models import ArchiveEntry, User
from workflow.decisions.steps import take_step
from workflow.intake.applications import create_application, get_application, upload_document
from workflow.intake.schema import ApplicationData
from workflow.runtime import Runtime
from workflow.signing.request import sign_permit
from workflow.sop.states import TIME_STANDARD_MINUTES
from workflow.sop.transitions import Actor
from workflow.staff.accounts import seed_demo_office

DEMO_DATA = Path(__file__).parent / "demo_data"
DEMO_DOCUMENTS = ("ktp.png", "npwp.png", "nib.pdf")


def _actor(rt: Runtime, username: str) -> Actor:
    with transaction(rt.sessions) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None, f"demo user {username} missing"
        return Actor.of(user)


def run_demo(settings: Settings, out: Path, *, echo: Callable[[str], None]) -> dict[str, str]:
    """Run the sample through steps 3-8; write the permit, BAP and manifest to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings)  # the demo sets up its own DATA_DIR, as `pintu db upgrade` would
    rt = build_runtime(settings)
    with transaction(rt.sessions) as session:
        seed_demo_office(session)
    teknis, penata = _actor(rt, "teknis"), _actor(rt, "penata")
    koordinator, kadis = _actor(rt, "koordinator"), _actor(rt, "kadis")

    @contextmanager
    def step(number: int, title: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        budget = TIME_STANDARD_MINUTES.get(number)
        limit = f" (standard {budget} min)" if budget else ""
        echo(f"step {number}: {title}: {seconds:.2f} s{limit}")

    declared = json.loads((DEMO_DATA / "application.json").read_text(encoding="utf-8"))
    with step(3, "create the application and upload its documents"):
        application = create_application(rt, teknis, ApplicationData.model_validate(declared))
        for name in DEMO_DOCUMENTS:
            upload_document(rt, teknis, application.id, name, (DEMO_DATA / name).read_bytes())
    with step(3, "OCR, extraction and the Tim Teknis's rules"):
        application = take_step(rt, teknis, application.id, "submit")
    echo(f"        verdict: {application.verdict}")
    if application.verdict != "memenuhi":
        findings = (application.findings or {}).get("findings", [])
        for finding in findings:
            echo(f"        [{finding['severity']}] {finding['rule_id']}: {finding['message']}")
        raise SystemExit("the sample application did not pass the checks")
    with step(3, "Tim Teknis approves: BAP and Pertimbangan Teknis issued"):
        take_step(rt, teknis, application.id, "approve_technical")
    with step(4, "JF Penata Perizinan validates; Koordinator sets the penetapan"):
        take_step(rt, penata, application.id, "validate")
        take_step(rt, koordinator, application.id, "set_penetapan")
    with step(5, "Kadis signs (PAdES)"):
        sign_permit(rt, kadis, application.id, settings.dev_kadis_passphrase.get_secret_value())
    with transaction(rt.sessions) as session:
        application = get_application(session, application.id)
        entries = session.scalars(
            select(ArchiveEntry).where(ArchiveEntry.application_id == application.id)
        ).all()
        manifest_entry = next(e for e in entries if e.role == "manifest")
    echo(f"step 6: notification queued for {application.id}")
    echo(f"step 8: archived {len(entries)} objects, state {application.state}")
    files = {
        "sertifikat-standar.pdf": rt.documents.get(application.signed_permit_sha256 or ""),
        "berita-acara-pemeriksaan.pdf": rt.documents.get(application.bap_sha256 or ""),
        "manifest.json": rt.archive.get(manifest_entry.key, manifest_entry.version_id),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    echo(f"step 7: permit {application.permit_number} written to {out / 'sertifikat-standar.pdf'}")
    return {name: str(out / name) for name in files}

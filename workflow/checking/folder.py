"""``pintu check DIR``: extraction and every rule on one applicant's folder, no database writes."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import ocr
import signer
import validator
from common.errors import PintuError
from workflow.checking import mapping
from workflow.config import Settings
from workflow.errors import InvalidApplicationData
from workflow.intake.schema import ApplicationData
from workflow.runtime import build_runtime

APPLICATION_FILE = "application.json"


def load_declared(folder: Path) -> dict[str, Any]:
    """Read and validate the folder's optional application.json (the API's schema)."""
    path = folder / APPLICATION_FILE
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        data = ApplicationData.model_validate(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidApplicationData(f"{path}: {exc}") from exc
    return data.model_dump(mode="json", exclude_none=True)


def check_folder(settings: Settings, folder: Path, *, today: date | None = None) -> dict[str, Any]:
    """Extract each document in ``folder``, verify PDF signatures, run all rules."""
    if not folder.is_dir():
        raise InvalidApplicationData(f"{folder} is not a folder")
    rt = build_runtime(settings, install_for_tasks=False)
    declared = validator.Declared.from_json(load_declared(folder))
    evidences: list[validator.DocumentEvidence] = []
    documents: list[dict[str, Any]] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.name == APPLICATION_FILE or path.name.startswith("."):
            continue
        data = path.read_bytes()
        document_id = hashlib.sha256(data).hexdigest()[:16]
        try:
            extraction = ocr.extract(data)
        except PintuError as exc:
            documents.append(
                {"file": path.name, "error": {"code": exc.code, "message": exc.message}}
            )
            continue
        signature = None
        if extraction.mime == "application/pdf":
            signature = mapping.signature_evidence(
                signer.verify_pdf(data, rt.signing.trust).to_dict()
            )
        evidences.append(
            validator.DocumentEvidence(
                document_id=document_id,
                file_name=path.name,
                extraction=extraction,
                signature=signature,
            )
        )
        documents.append({"file": path.name, "document_id": document_id, **extraction.to_json()})
    report = validator.check(declared, evidences, rt.rules.get(), today=today or date.today())
    return {"folder": str(folder), "documents": documents, **report.to_dict()}

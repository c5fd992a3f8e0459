"""``pintu check DIR``: extraction and every rule on one applicant's folder, writing nothing.

It is handed what it reads against (the rules in force, the trust anchors, the reading limits),
built read-only by the composition root: no database row, no store, no PKI file is created.
"""

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
from workflow.intake.schema import ApplicationData

APPLICATION_FILE = "application.json"


def load_declared(folder: Path) -> ApplicationData:
    """Read and validate the folder's optional application.json (the API's schema)."""
    path = folder / APPLICATION_FILE
    if not path.exists():
        return ApplicationData()
    try:
        return ApplicationData.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise validator.ApplicationDataError(f"{path}: {exc}") from exc


def check_folder(
    folder: Path,
    *,
    rules: validator.RuleSet,
    trust: signer.TrustConfig,
    limits: ocr.ExtractionLimits,
    today: date | None = None,
) -> dict[str, Any]:
    """Extract each document in ``folder``, verify PDF signatures, run all rules."""
    if not folder.is_dir():
        raise validator.ApplicationDataError(f"{folder} is not a folder")
    declared = mapping.declared_of(load_declared(folder))
    evidences: list[validator.DocumentEvidence] = []
    documents: list[dict[str, Any]] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if path.name == APPLICATION_FILE or path.name.startswith("."):
            continue
        data = path.read_bytes()
        document_id = hashlib.sha256(data).hexdigest()[:16]
        try:
            extraction = ocr.extract(data, limits=limits)
        except PintuError as exc:
            documents.append(
                {"file": path.name, "error": {"code": exc.code, "message": exc.message}}
            )
            continue
        signature = None
        if extraction.mime == "application/pdf":
            signature = mapping.signature_evidence(signer.verify_pdf(data, trust))
        evidences.append(
            validator.DocumentEvidence(
                document_id=document_id,
                file_name=path.name,
                extraction=extraction,
                signature=signature,
            )
        )
        documents.append({"file": path.name, "document_id": document_id, **extraction.to_json()})
    report = validator.check(declared, evidences, rules, today=today or date.today())
    return {"folder": str(folder), "documents": documents, **report.to_json()}

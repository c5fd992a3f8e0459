"""Independent checks of signed PDFs: poppler's pdfsig, qpdf, pdffonts and pyHanko's AdES."""

from __future__ import annotations

import asyncio
import re
import subprocess
from io import BytesIO
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESStatus
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.authority import CertTrustAnchor
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

from signer import DevPki


def run(args: list[str], pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> tuple[int, str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    proc = subprocess.run(
        [*args, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    return proc.returncode, proc.stdout + proc.stderr


def pdfsig_valid_count(pdf: bytes, tmp_path: Path) -> tuple[int, int, str]:
    """Return (signatures reported "Signature is Valid.", signature count, raw output)."""
    _, out = run(["pdfsig"], pdf, tmp_path, "pdfsig.pdf")
    valid = out.count("Signature is Valid.")
    total = len(re.findall(r"^Signature #\d+:", out, flags=re.M))
    return valid, total, out


def qpdf_check(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    return run(["qpdf", "--check"], pdf, tmp_path, "qpdf.pdf")


def fonts_not_embedded(pdf: bytes, tmp_path: Path) -> list[str]:
    """Lines of ``pdffonts`` whose font is not embedded."""
    _, out = run(["pdffonts"], pdf, tmp_path, "fonts.pdf")
    rows = out.splitlines()[2:]
    missing = []
    for row in rows:
        cols = row.split()
        # columns from the right: obj gen uni sub emb ...
        if len(cols) >= 6 and cols[-5] != "yes":
            missing.append(row)
    return missing


def _certs(path: Path) -> list[x509.Certificate]:
    return [x509.Certificate.load(der) for _, _, der in pem.unarmor(path.read_bytes(), True)]


def pyhanko_ades_status(pdf: bytes, pki: DevPki, level: str, *, with_crls: bool = True) -> str:
    """Run pyHanko's AdES validation for ``level`` directly (revinfo required, LOCAL_ONLY)."""
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(
                    trust_roots=[CertTrustAnchor(c) for c in _certs(pki.root_cert)]
                ),
                revinfo_policy=CertRevTrustPolicy(
                    RevocationCheckingPolicy(
                        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
                        intermediate_ca_cert_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
                    )
                ),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
            local_knowledge=LocalKnowledge(
                known_crls=[
                    CRLContainer(asn1_crl.CertificateList.load(p.read_bytes())) for p in pki.crls
                ]
                if with_crls
                else [],
                known_certs=_certs(pki.intermediate_cert) + _certs(pki.tsa_cert),
            ),
        )
    )
    reader = PdfFileReader(BytesIO(pdf))
    sig = next(s for s in reader.embedded_signatures if s.sig_object_type == "/Sig")

    async def _go() -> AdESStatus:
        if level == "B-LTA":
            result = await ades.ades_lta_validation(sig, spec)
        elif level == "B-B":
            result = await ades.ades_basic_validation(
                sig.signed_data, spec.signature_validation_spec, raw_digest=sig.compute_digest()
            )
        else:
            result = await ades.ades_with_time_validation(
                sig.signed_data, spec.signature_validation_spec, raw_digest=sig.compute_digest()
            )
        return result.ades_subindic.status

    return asyncio.run(_go()).name

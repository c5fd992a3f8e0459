"""A small local server speaking BSrE's eSign Client API v2 (DOMAIN.md), signing with a test CA.

It signs like BSrE does: PAdES B-T with its own appearance and no certification level, timestamps
from the test PKI's TSA (in-process). ``mode`` injects faults through the real HTTP seam:
``ok``, ``lose_answer`` (signs, then never answers in time), ``wrong_prefix`` (returns a file that
does not start with the bytes sent), ``two_signatures``, ``server_error``. Every call is recorded
(never the secret's value: only whether one was present).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from pyhanko.keys import load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from signer import DevPki
from tests.fixtures.pki import PASSPHRASE

CLIENT_ID = "pintu-mempawah"
CLIENT_SECRET = "s3cret-client"
USER_NIK = "6104011503700002"
USER_PASSPHRASE = "bsre-passphrase"


@dataclass
class BsreTestServer:
    pki: DevPki
    signer_p12_label: str = "kadis"
    mode: str = "ok"
    calls: list[dict[str, Any]] = field(default_factory=list)
    _server: BaseWSGIServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    def _signer(self, label: str) -> signers.SimpleSigner:
        p12 = self.pki.kadis_p12 if label == "kadis" else self.pki.test_signer_p12(label)
        loaded = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSPHRASE.encode())
        assert loaded is not None
        return loaded

    def _timestamper(self) -> DummyTimeStamper:
        from asn1crypto import pem, x509

        _, _, der = pem.unarmor(self.pki.tsa_cert.read_bytes())
        cert = x509.Certificate.load(der)
        key = load_private_key_from_pemder(str(self.pki.tsa_key), passphrase=None)
        return DummyTimeStamper(
            tsa_cert=cert, tsa_key=key, certs_to_embed=SimpleCertificateStore.from_certs([cert])
        )

    def _sign_one(self, pdf: bytes, props: dict[str, Any], label: str, name: str) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=props.get("reason"),
            location=props.get("location"),
        )
        spec = None
        if props.get("tampilan") == "VISIBLE":
            x, y = float(props["originX"]), float(props["originY"])
            w, h = float(props["width"]), float(props["height"])
            spec = fields.SigFieldSpec(
                name, on_page=int(props["page"]) - 1, box=(int(x), int(y), int(x + w), int(y + h))
            )
        pdf_signer = signers.PdfSigner(
            meta, signer=self._signer(label), timestamper=self._timestamper(), new_field_spec=spec
        )
        return pdf_signer.sign_pdf(writer).getvalue()

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        response = self._dispatch(request)
        return response(environ, start_response)

    def _json(self, status: int, body: dict[str, Any]) -> Response:
        return Response(json.dumps(body), status=status, mimetype="application/json")

    def _dispatch(self, request: Request) -> Response:
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
            return self._json(
                401,
                {
                    "timestamp": int(time.time()),
                    "status": 401,
                    "error": "Unauthorized",
                    "path": request.path,
                },
            )
        body = request.get_json(silent=True) or {}
        self.calls.append(
            {
                "path": request.path,
                "files": len(body.get("file", [])),
                "had_secret": bool(body.get("passphrase") or body.get("totp")),
            }
        )
        if request.path == "/api/v2/user/check/status":
            ready = body.get("nik") == USER_NIK
            return self._json(
                200,
                {
                    "status_code": 1111 if ready else 2011,
                    "message": "",
                    "status": "ISSUE" if ready else "NOT_REGISTERED",
                },
            )
        if request.path != "/api/v2/sign/pdf":
            return self._json(404, {"error": "Not Found"})
        if self.mode == "server_error":
            return self._json(500, {"error": "Internal Server Error"})
        if body.get("nik") != USER_NIK or body.get("passphrase") not in (USER_PASSPHRASE, None):
            return self._json(400, {"status_code": 2031, "message": "Passphrase anda salah"})
        files = [base64.b64decode(f) for f in body.get("file", [])]
        props = body.get("signatureProperties", [])
        if not files or len(files) != len(props):
            return self._json(500, {"error": "Internal Server Error"})
        label = "rogue-signer" if self.mode == "wrong_signer" else self.signer_p12_label
        out = []
        for pdf, prop in zip(files, props, strict=True):
            signed = self._sign_one(pdf, prop, label, "BSrE_Sig")
            if self.mode == "two_signatures":
                signed = self._sign_one(signed, {}, label, "BSrE_Sig2")
            if self.mode == "wrong_prefix":
                signed = signed.replace(b"Sertifikat Standar (uji)", b"Sertifikat Palsu (uji)!!", 1)
            out.append(base64.b64encode(signed).decode())
        if self.mode == "lose_answer":
            time.sleep(3)  # longer than the client's timeout in the test
        return self._json(200, {"time": 900, "file": out})

    def start(self) -> None:
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

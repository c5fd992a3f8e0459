"""Signing throughput: Pintu against a stock pyHanko loop and the raw RSA-2048 operation.

Run alone: ``.venv/bin/python -m bench.signing [--n 30]``. Everything is measured in one run on
the same key (the development PKI's Kadis, RSA-2048) and the same one-page PDF:

- raw RSA-2048 PKCS#1 v1.5 signatures/s (the physical limit);
- stock pyHanko B-B loop with ``SimpleSigner.load_pkcs12`` (re-parses its key per signature);
- pyHanko B-B loop with Pintu's loaded-key signer (same call, key parsed once);
- Pintu ``Signer.sign`` at B-B: visible stamp, DocMDP certification, certificate check (cached)
  and full re-verification of the output (what the permit workflow pays);
- Pintu B-LTA with the in-process development TSA and CRLs (``make run``'s default);
- Pintu B-LTA against certomancer's TSA/OCSP/CRLs on loopback (werkzeug thread).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter
from pyhanko.sign import fields, signers
from werkzeug.serving import make_server

from signer import (
    SignatureRequest,
    Signer,
    TimestampConfig,
    TrustConfig,
    ensure_dev_pki,
    load_pkcs12,
)
from signer._pki import ARCH_LABEL, load_architecture

PASSPHRASE = "bench-passphrase"


def one_page_pdf() -> bytes:
    writer = PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
            }
        )
    )
    content = b"BT /F1 14 Tf 72 770 Td (Sertifikat Standar - bench) Tj ET"
    page = PageObject(
        contents=writer.add_object(generic.StreamObject(stream_data=content)),
        media_box=generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        resources=generic.DictionaryObject(
            {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): font})}
        ),
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def timed(fn: Callable[[], object], n: int, warmup: int = 2) -> tuple[float, float]:
    """Mean wall-clock and CPU seconds per call after ``warmup`` calls.

    CPU time of this process (the loopback PKI server runs in a thread of it) is reported too:
    on a shared machine it is far steadier than wall time.
    """
    for _ in range(warmup):
        fn()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        fn()
    return (time.perf_counter() - wall) / n, (time.process_time() - cpu) / n


def pyhanko_bb(pdf: bytes, cms_signer: signers.Signer) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name="Sig", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    result: bytes = signers.PdfSigner(meta, signer=cms_signer).sign_pdf(writer).getvalue()
    return result


def request(level: str) -> SignatureRequest:
    return SignatureRequest(
        signer_name="Dr. Rahmat Hidayat, S.Sos., M.Si.",
        nip="197003151995031002",
        position="Kepala DPMPTSP Kabupaten Mempawah",
        level=level,  # type: ignore[arg-type]
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="documents per B-B measurement")
    parser.add_argument("--n-lta", type=int, default=10, help="documents per B-LTA measurement")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # pyHanko warns about offline LTV collection

    with tempfile.TemporaryDirectory(prefix="pintu-bench-") as tmp:
        folder = Path(tmp)
        pki = ensure_dev_pki(folder / "dev", kadis_passphrase=PASSPHRASE)
        pdf = one_page_pdf()
        key = load_pkcs12(pki.kadis_p12, PASSPHRASE)

        raw_key, _, _ = pkcs12.load_key_and_certificates(
            pki.kadis_p12.read_bytes(), PASSPHRASE.encode()
        )
        payload = b"x" * 64
        raw = timed(
            lambda: raw_key.sign(payload, padding.PKCS1v15(), hashes.SHA256()),  # type: ignore[union-attr, call-arg, arg-type]
            args.n * 10,
        )

        stock = signers.SimpleSigner.load_pkcs12(str(pki.kadis_p12), passphrase=PASSPHRASE.encode())
        assert stock is not None
        stock_bb = timed(lambda: pyhanko_bb(pdf, stock), args.n)

        with key.open() as loaded_signer:
            loaded_bb = timed(lambda: pyhanko_bb(pdf, loaded_signer), args.n)

        trust = TrustConfig.from_dev_pki(pki)
        plain = Signer(trust)
        pintu_bb = timed(lambda: plain.sign(pdf, key, request("B-B")), args.n)

        # Where Pintu's time goes: the signing step alone, without the re-verification that
        # Signer.sign always runs (private call, for this breakdown only).
        async def sign_step() -> bytes:
            _, context = await plain._validation_context()
            return await plain._sign_at(pdf, key, request("B-B"), "B-B", context)

        pintu_step = timed(lambda: plain._loop.run_until_complete(sign_step()), args.n)
        plain.close()

        dev = Signer(trust, TimestampConfig.from_dev_pki(pki))
        dev_lta = timed(lambda: dev.sign(pdf, key, request("B-LTA")), args.n_lta)
        dev.close()

        port = free_port()
        served = ensure_dev_pki(
            folder / "served", kadis_passphrase=PASSPHRASE, service_url=f"http://127.0.0.1:{port}"
        )
        app = Animator(
            AnimatorArchStore({ArchLabel(ARCH_LABEL): load_architecture(served.folder)}),
            with_web_ui=False,
        )
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            online = Signer(
                TrustConfig.from_dev_pki(served, allow_fetching=True),
                TimestampConfig(tsa_urls=(f"http://127.0.0.1:{port}/{ARCH_LABEL}/tsa/tsa",)),
            )
            served_key = load_pkcs12(served.kadis_p12, PASSPHRASE)
            online_lta = timed(lambda: online.sign(pdf, served_key, request("B-LTA")), args.n_lta)
            online.close()
        finally:
            server.shutdown()
            server.server_close()

    print(f"one-page PDF, RSA-2048 Kadis key, n={args.n} (B-LTA n={args.n_lta})")
    rows = [
        ("raw RSA-2048 sign", raw),
        ("stock pyHanko B-B (SimpleSigner.load_pkcs12)", stock_bb),
        ("pyHanko B-B with Pintu's loaded key", loaded_bb),
        ("Pintu Signer.sign B-B (stamp+certify+re-verify)", pintu_bb),
        ("  of which signing step (stamp+certify, no verify)", pintu_step),
        ("Pintu B-LTA, in-process dev TSA + CRLs", dev_lta),
        ("Pintu B-LTA, loopback certomancer TSA/OCSP", online_lta),
    ]
    print(f"  {'':<50} {'wall ms/op':>10} {'op/s':>8} {'CPU ms/op':>10}")
    for name, (wall, cpu) in rows:
        print(f"  {name:<50} {wall * 1000:10.2f} {1 / wall:8.1f} {cpu * 1000:10.2f}")
    for label, index in (("wall", 0), ("CPU", 1)):
        print(
            f"  [{label}] Pintu B-B vs stock pyHanko loop: "
            f"{stock_bb[index] / pintu_bb[index]:.2f}x faster; "
            f"loaded-key pyHanko vs stock: {stock_bb[index] / loaded_bb[index]:.2f}x; "
            f"Pintu B-B / raw RSA: {pintu_bb[index] / raw[index]:.0f}x"
        )
    print(f"  load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

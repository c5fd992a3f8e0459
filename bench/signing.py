"""Signing throughput: Pintu against a stock pyHanko loop and the raw RSA-2048 operation.

Run alone: ``.venv/bin/python -m bench.signing [--n 30]``. Everything is measured in one run on
the same key (the development PKI's Kadis, RSA-2048) and the same one-page PDF:

- raw RSA-2048 PKCS#1 v1.5 signatures/s (the physical limit);
- stock pyHanko B-B loop with ``SimpleSigner.load_pkcs12`` (re-parses its key per signature);
- pyHanko B-B loop with Pintu's loaded-key signer (same call, key parsed once);
- Pintu ``Signer.sign`` at B-B: visible stamp, DocMDP certification, certificate check (cached)
  and the proportional check of the output (what the permit workflow pays);
- the same with ``full_recheck=True`` (every output validated in full, as before issue 15);
- Pintu B-LTA with the in-process development TSA and CRLs (``make run``'s default);
- Pintu B-LTA against certomancer's TSA/OCSP/CRLs on loopback (werkzeug thread);
- bulk signing: ``--bulk`` rendered Sertifikat Standar permits at B-LTA (in-process TSA), one
  ``Signer`` per process, in 1 and in 2 processes (permits/s, key and signer ready beforehand).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
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

from bench._results import Result, record
from signer import (
    DevPki,
    SignatureRequest,
    Signer,
    SigningKey,
    TimestampConfig,
    TrustConfig,
    ensure_dev_pki,
    load_pkcs12,
    render_pdf,
)
from signer._pki import ARCH_LABEL, load_architecture
from signer.render import signature_box

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


def permits(count: int) -> list[bytes]:
    """``count`` Sertifikat Standar PDFs as the permit workflow renders them (distinct numbers)."""
    from tests.signer.test_render import SERTIFIKAT  # noqa: PLC0415 - test data, bench only

    return [
        render_pdf("sertifikat_standar", {**SERTIFIKAT, "nomor": f"2711260012345-{i:04d}"})
        for i in range(count)
    ]


def permit_request() -> SignatureRequest:
    box = signature_box("sertifikat_standar")
    return dataclasses.replace(
        request("B-LTA"),
        page=box.page,
        box=(box.x0, box.y0, box.x1, box.y1),
        qr_url="https://pintu.mempawahkab.go.id/verifikasi/01JD7Q2K",
    )


_WORKER: tuple[Signer, SigningKey] | None = None


def _bulk_init(pki_folder: str) -> None:
    global _WORKER
    pki = ensure_dev_pki(Path(pki_folder), kadis_passphrase=PASSPHRASE)  # exists: only read
    _WORKER = (
        Signer(TrustConfig.from_dev_pki(pki), TimestampConfig.from_dev_pki(pki)),
        load_pkcs12(pki.kadis_p12, PASSPHRASE),
    )


def _bulk_sign(pdf: bytes) -> tuple[str, float]:
    assert _WORKER is not None
    service, key = _WORKER
    started = time.process_time()
    level = service.sign(pdf, key, permit_request()).level
    return level, time.process_time() - started


def bulk_rate(pki: DevPki, documents: list[bytes], processes: int) -> tuple[float, float]:
    """Permits/s of ``processes`` workers (each with its own ready signer), CPU s per permit."""
    with ProcessPoolExecutor(
        processes, initializer=_bulk_init, initargs=(str(pki.folder),)
    ) as pool:
        list(pool.map(_bulk_sign, documents[: processes * 2]))  # warm every worker
        started = time.perf_counter()
        outcomes = list(pool.map(_bulk_sign, documents))
        elapsed = time.perf_counter() - started
    assert {level for level, _ in outcomes} == {"B-LTA"}, outcomes
    return len(documents) / elapsed, sum(cpu for _, cpu in outcomes) / len(outcomes)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="documents per B-B measurement")
    parser.add_argument("--n-lta", type=int, default=10, help="documents per B-LTA measurement")
    parser.add_argument("--bulk", type=int, default=100, help="permits in the bulk measurement")
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
        plain.close()
        full = Signer(trust, full_recheck=True)
        full_bb = timed(lambda: full.sign(pdf, key, request("B-B")), args.n)
        full.close()

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

        documents = permits(args.bulk)
        bulk_1, bulk_cpu_1 = bulk_rate(pki, documents, 1)
        bulk_2, bulk_cpu_2 = bulk_rate(pki, documents, 2)

    print(f"one-page PDF, RSA-2048 Kadis key, n={args.n} (B-LTA n={args.n_lta})")
    rows = [
        ("raw RSA-2048 sign", raw),
        ("stock pyHanko B-B (SimpleSigner.load_pkcs12)", stock_bb),
        ("pyHanko B-B with Pintu's loaded key", loaded_bb),
        ("Pintu Signer.sign B-B (stamp+certify+check)", pintu_bb),
        ("Pintu B-B, full re-validation of each output", full_bb),
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
    print(
        f"  bulk: {args.bulk} rendered permits at B-LTA: {bulk_1:.1f} permits/s in 1 process, "
        f"{bulk_2:.1f} permits/s in 2 ({bulk_2 / bulk_1:.2f}x); CPU per permit "
        f"{bulk_cpu_1 * 1000:.1f} / {bulk_cpu_2 * 1000:.1f} ms (2 idle cores: "
        f"{2 / bulk_cpu_2:.0f} permits/s)"
    )
    print(f"  load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    topic = "signing"
    record(
        Result(
            topic,
            "Pintu B-B per document (stamp, certification, proportional check), CPU",
            pintu_bb[1] * 1000,
            "ms",
            "stock pyHanko B-B loop (SimpleSigner.load_pkcs12)",
            stock_bb[1] * 1000,
            stock_bb[1] / pintu_bb[1],
            "x faster than the stock loop",
            ">= 4x stock, <= 15 ms",
            stock_bb[1] / pintu_bb[1] >= 4 and pintu_bb[1] * 1000 <= 15,
            f"wall {pintu_bb[0] * 1000:.1f} ms vs stock {stock_bb[0] * 1000:.1f} ms "
            f"({stock_bb[0] / pintu_bb[0]:.2f}x); raw RSA-2048 {raw[1] * 1000:.2f} ms CPU",
        )
    )
    record(
        Result(
            topic,
            "Pintu B-B with full re-validation of each output (before issue 15's check), CPU",
            full_bb[1] * 1000,
            "ms",
            "Pintu B-B with the proportional check",
            pintu_bb[1] * 1000,
            full_bb[1] / pintu_bb[1],
            "x the proportional check's time",
        )
    )
    record(
        Result(
            topic,
            "Pintu B-LTA per document, in-process dev TSA + CRLs, CPU",
            dev_lta[1] * 1000,
            "ms",
            "stock pyHanko B-B loop",
            stock_bb[1] * 1000,
            dev_lta[1] / stock_bb[1],
            "x the stock B-B loop's time",
            "<= 150 ms",
            dev_lta[1] * 1000 <= 150,
            f"wall {dev_lta[0] * 1000:.1f} ms",
        )
    )
    record(
        Result(
            topic,
            "Pintu B-LTA per document, certomancer TSA/OCSP on loopback, wall",
            online_lta[0] * 1000,
            "ms",
            "in-process dev TSA (wall)",
            dev_lta[0] * 1000,
            online_lta[0] / dev_lta[0],
            "x the in-process TSA",
            note="certomancer's single-threaded TSA/OCSP runs in a thread of this process",
        )
    )
    record(
        Result(
            topic,
            f"bulk signing of {args.bulk} rendered permits at B-LTA, 2 processes",
            bulk_2,
            "permits/s",
            "the same in 1 process",
            bulk_1,
            bulk_2 / bulk_1,
            "x one process",
            ">= 10 permits/s on 2 cores",
            bulk_2 >= 10,
            f"CPU {bulk_cpu_2 * 1000:.1f} ms per permit in the 2-process run "
            f"(2 idle cores would sign {2 / bulk_cpu_2:.0f}/s); 1 process {bulk_1:.1f}/s",
        )
    )


if __name__ == "__main__":
    main()

"""Hostile uploads give a clear error or an unreadable page, never a crash, hang or blow-up."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import ocr
from tests.ocr.conftest import BROKEN_DIR

ROOT = Path(__file__).resolve().parents[2]

REFUSED = {
    "empty.pdf": ocr.UnsupportedFileType,
    "not-a-pdf.pdf": ocr.UnsupportedFileType,
    "zip-named.pdf": ocr.UnsupportedFileType,
    "truncated.pdf": ocr.CorruptDocument,
    "encrypted.pdf": ocr.EncryptedDocument,
    "truncated.jpg": ocr.CorruptDocument,
    "bomb.png": ocr.ImageTooLarge,
}


@pytest.mark.parametrize(("name", "error"), sorted(REFUSED.items()))
def test_hostile_file_is_refused_with_a_clear_indonesian_reason(name, error):
    with pytest.raises(error) as info:
        ocr.extract((BROKEN_DIR / name).read_bytes())
    assert 400 <= info.value.http_status < 500
    assert info.value.detail_id and info.value.detail_id.endswith(".")


def test_pdf_page_with_an_image_bomb_is_unreadable_and_not_rendered():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = ocr.extract((BROKEN_DIR / "image-bomb.pdf").read_bytes())
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.pages[0].unreadable
    assert "cap" in (result.pages[0].reason or "")
    assert grown_mb < 200


def test_every_committed_broken_sample_is_covered():
    samples = {p.name for p in BROKEN_DIR.iterdir() if p.name != "README.md"}
    assert samples == set(REFUSED) | {"image-bomb.pdf"}


def _vector_heavy_pdf(rectangles: int) -> bytes:
    """One A4 page of ``rectangles`` small grey squares: valid, small to upload, slow to draw."""
    ops = "\n".join(
        f"{i % 10 / 10:.1f} g {(i * 7) % 580} {(i * 13) % 830} 3 3 re f" for i in range(rectangles)
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_page_that_takes_too_long_to_render_is_unreadable_not_a_held_worker():
    data = _vector_heavy_pdf(200_000)
    limits = ocr.ExtractionLimits(render_timeout_s=0.05)
    page = ocr.read_page(data, 1, limits)
    assert page.unreadable
    assert page.reason == "rendering took over 0.05 s"


# --- the generated hostile corpus, each file in a fresh process with its peaks measured -------

GIB_MB = 1024
WALL_S = 60


@dataclass(frozen=True)
class Expect:
    """What each step must answer: an error code, or ``unreadable``/``read`` for a page."""

    refusal: str | None
    read: str
    says: str = ""
    """A word the refusal's message (or the unreadable page's reason) must contain."""
    notes: tuple[str, ...] = ()
    pages: int = 1


EXPECTED = {
    "huge-media-box.pdf": Expect("image_too_large", "unreadable", "UserUnit"),
    "flate-bomb.pdf": Expect("decompression_bomb", "unreadable", "inflates"),
    "nested-flate-bomb.pdf": Expect("decompression_bomb", "unreadable", "inflates"),
    "image-stream-bomb.pdf": Expect("decompression_bomb", "unreadable", "inflates"),
    "object-stream-bomb.pdf": Expect("decompression_bomb", "unreadable", "inflates"),
    "xref-stream-bomb.pdf": Expect("decompression_bomb", "unreadable", "inflates"),
    "many-pages.pdf": Expect("file_too_large", "skip", "200"),
    "encrypted.pdf": Expect("encrypted_document", "encrypted_document", "password"),
    "cyclic-page-tree.pdf": Expect("malformed_document", "unreadable", "page tree"),
    "deep-page-tree.pdf": Expect("malformed_document", "unreadable", "deeper than 64"),
    "deep-nesting.pdf": Expect("malformed_document", "unreadable", "nested"),
    "open-action-javascript.pdf": Expect("active_content", "read", "OpenAction"),
    "hidden-javascript.pdf": Expect("active_content", "read", "javascript"),
    "launch-action.pdf": Expect("active_content", "read", "launch"),
    "page-additional-actions.pdf": Expect("active_content", "read", "/AA"),
    "rich-media.pdf": Expect("active_content", "read", "rich media"),
    "xfa-form.pdf": Expect("active_content", "read", "XFA"),
    "embedded-exe.pdf": Expect("active_content", "read", "setup.exe"),
    "shifted-xref.pdf": Expect(None, "read", notes=("xref_damaged",)),
    "png-bomb.png": Expect("image_too_large", "image_too_large", "100000x100000"),
    "jpeg-bomb.jpg": Expect("image_too_large", "image_too_large", "65000x65000"),
    "tiff-bomb.tif": Expect("image_too_large", "image_too_large", "100000x100000"),
    "many-frames.tif": Expect("file_too_large", "skip", "frames"),
    "truncated.png": Expect("corrupt_document", "unreadable", "truncated"),
    "truncated.tif": Expect("corrupt_document", "unreadable", "past the end"),
    "truncated.jpg": Expect("corrupt_document", "unreadable", "truncated"),
}


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and every process below it, from /proc, in MB."""
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        total += (
            next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:")), 0)
            / 1024
        )
    return total


def probe(
    name: str, limits: dict[str, Any] | None = None, steps: str = "inspect,open,read,extract"
) -> dict[str, Any]:
    """Run ``tests.ocr.probe`` on one file; return its report and the sampled tree peak."""
    cmd = [
        sys.executable,
        "-m",
        "tests.ocr.probe",
        name,
        "--limits",
        json.dumps(limits or {}),
        "--steps",
        steps,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    tree_peak = 0.0
    while proc.poll() is None:
        tree_peak = max(tree_peak, _tree_rss_mb(proc.pid))
        if time.monotonic() - start > WALL_S + 30:
            proc.kill()
            break
        time.sleep(0.05)
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()[-2000:]
    report = json.loads(out.decode().strip().splitlines()[-1])
    report["tree_peak_mb"] = tree_peak
    report["wall_s"] = time.monotonic() - start
    return report


def _within_bounds(report: dict[str, Any]) -> None:
    assert report["self_peak_mb"] <= GIB_MB, report
    assert report["children_peak_mb"] <= GIB_MB, report
    assert report["tree_peak_mb"] <= GIB_MB, report
    assert report["seconds"] <= WALL_S, report


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_upload_is_refused_or_unreadable_within_1_gib_and_60_s(name):
    expect = EXPECTED[name]
    steps = "inspect,open,extract" if expect.read == "skip" else "inspect,open,read,extract"
    report = probe(name, steps=steps)
    _within_bounds(report)
    inspected = report["inspect"]["ok"]
    assert inspected["refusal"] == expect.refusal
    assert report["inspect_cpu_s"] < 1.0  # cheap enough for the upload request itself
    assert report["inspect_grew_mb"] < 100
    notes = {f["code"] for f in inspected["findings"] if not f["refused"]}
    assert set(expect.notes) <= notes
    if expect.refusal is None:
        assert report["open"] == {"ok": expect.pages}
        assert report["extract"]["ok"]["pages"][0]["unreadable"] is False
        assert report["extract"]["ok"]["text_chars"] > 0
    else:
        assert 400 <= inspected["status"] < 500
        assert inspected["detail_id"] and inspected["detail_id"].endswith(".")
        assert expect.says.lower() in inspected["message"].lower()
        # submit (open_document) and the CLI (extract) refuse the same way upload does
        assert report["open"]["error"] == expect.refusal
        assert report["extract"]["error"] == expect.refusal
    if expect.read == "skip":
        return
    (page,) = report["read"]
    if expect.read == "read":
        assert page["ok"]["unreadable"] is False and page["ok"]["words"] > 0
    elif expect.read == "unreadable":
        # a caller that reads a page without opening the document first gets a recorded
        # outcome, not an exception and not a crash
        assert page["ok"]["unreadable"] is True and page["ok"]["reason"]
    else:
        assert page["error"] == expect.read

"""Degradations of the varied splits: pictures taken sideways or upside down, stronger
perspective, low-resolution phone photos, glare (specular highlights), shadows, photocopies.

``degrade`` keeps the earlier splits' scans and photos as they were; this module adds to them.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from tests.corpus.degrade import _background, _noise, flat_scan

A4_MM = (210, 297)


@dataclass(frozen=True)
class PhotoSpec:
    """What happens to one phone photo (recorded in the manifest)."""

    quarter: int = 0
    """Extra rotation in quarter turns counter-clockwise (1 = 90°, 2 = 180°, 3 = 270°)."""
    low_res: bool = False
    glare: bool = False
    shadow: bool = False
    tilt: float = 0.06
    """Perspective jitter of the corners, as a share of the card's width."""

    def tags(self) -> list[str]:
        out = [f"rot{90 * self.quarter}"] if self.quarter else []
        out += [n for n, on in (("low_res", self.low_res), ("glare", self.glare),
                                ("shadow", self.shadow)) if on]  # fmt: skip
        if self.tilt > 0.08:
            out.append("perspective")
        return out


def turn(img: Image.Image, quarter: int) -> Image.Image:
    """Rotate by ``quarter`` quarter turns counter-clockwise (lossless)."""
    ops = {1: Image.Transpose.ROTATE_90, 2: Image.Transpose.ROTATE_180,
           3: Image.Transpose.ROTATE_270}  # fmt: skip
    if quarter % 4 == 0:
        return img
    out = img.transpose(ops[quarter % 4])
    if "dpi" in img.info:
        out.info["dpi"] = img.info["dpi"]
    return out


def photocopy(card: Image.Image, rng: random.Random, *, dpi: int) -> Image.Image:
    """A photocopy of the card on an A4 page, scanned: grey, contrasty, toner specks."""
    page_w, page_h = (round(mm / 25.4 * dpi) for mm in A4_MM)
    gray = np.asarray(card.convert("L")).astype(np.float32)
    gray = np.clip((gray - 110.0) * rng.uniform(1.3, 1.7) + 150.0, 0, 255)
    scale = dpi / 300.0
    gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    page = np.full((page_h, page_w), 248.0, np.float32)
    ch, cw = gray.shape
    x = (page_w - cw) // 2 + rng.randint(-page_w // 10, page_w // 10)
    y = round(page_h * rng.uniform(0.06, 0.3))
    page[y : y + ch, x : x + cw] = gray
    gen = np.random.default_rng(rng.randint(0, 2**31))
    specks = gen.random(page.shape) < 0.0015
    page[specks] = gen.uniform(30, 120, int(specks.sum()))
    img = Image.fromarray(page.astype(np.uint8)).convert("RGB")
    img.info["dpi"] = (300, 300)
    out = flat_scan(img, rng, dpi=300, on_page=False)  # already at ``dpi``: no resampling
    out.info["dpi"] = (dpi, dpi)
    return out


def _glare(photo: np.ndarray, rng: random.Random) -> np.ndarray:
    """Add one or two specular highlights: bright, soft-edged, slightly elongated blobs."""
    h, w = photo.shape[:2]
    out = photo.astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    for _ in range(rng.choice((1, 1, 2))):
        cx, cy = rng.uniform(0.25, 0.75) * w, rng.uniform(0.25, 0.75) * h
        sx, sy = rng.uniform(0.05, 0.12) * w, rng.uniform(0.03, 0.08) * h
        theta = rng.uniform(0, np.pi)
        dx, dy = xx - cx, yy - cy
        u = (dx * np.cos(theta) + dy * np.sin(theta)) / sx
        v = (-dx * np.sin(theta) + dy * np.cos(theta)) / sy
        blob = np.exp(-(u * u + v * v) / 2.0) * rng.uniform(0.55, 0.85)
        out = out + (255.0 - out) * blob[:, :, None]
    return np.clip(out, 0, 255).astype(np.uint8)


def _shadow(photo: np.ndarray, rng: random.Random) -> np.ndarray:
    """Darken a soft-edged region (the phone's or a hand's shadow over part of the card)."""
    h, w = photo.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    side = rng.choice(("left", "top", "corner"))
    if side == "left":
        x = round(w * rng.uniform(0.25, 0.45))
        pts = [(0, 0), (x, 0), (round(x * rng.uniform(0.6, 1.3)), h), (0, h)]
    elif side == "top":
        y = round(h * rng.uniform(0.2, 0.4))
        pts = [(0, 0), (w, 0), (w, round(y * rng.uniform(0.5, 1.4))), (0, y)]
    else:
        x, y = round(w * rng.uniform(0.45, 0.65)), round(h * rng.uniform(0.4, 0.6))
        pts = [(w, h), (x, h), (w, y)]
    cv2.fillPoly(mask, [np.array(pts, np.int32)], 255)
    soft = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), w * 0.02)
    dark = 1.0 - soft * rng.uniform(0.35, 0.55)
    return np.clip(photo.astype(np.float32) * dark[:, :, None], 0, 255).astype(np.uint8)


def phone_photo2(img: Image.Image, rng: random.Random, spec: PhotoSpec) -> bytes:
    """A phone photo of a card: perspective, light, blur, JPEG, and what ``spec`` adds."""
    card = np.asarray(img.convert("RGB")).copy()
    ch, cw = card.shape[:2]
    out_w, out_h = (1600, 1200) if not spec.low_res else rng.choice(((1024, 768), (1152, 864)))
    bg = _background(rng, out_w, out_h)
    fill = rng.uniform(0.55, 0.78) if not spec.low_res else rng.uniform(0.72, 0.88)
    target_w = out_w * fill
    s = target_w / cw
    cx = out_w / 2 + rng.uniform(-0.06, 0.06) * out_w
    cy = out_h / 2 + rng.uniform(-0.06, 0.06) * out_h
    angle = np.deg2rad(rng.uniform(-12.0, 12.0))
    corners = np.array([[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2],
                        [-cw / 2, ch / 2]]) * s  # fmt: skip
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = corners @ rot.T + [cx, cy]
    jitter = target_w * spec.tilt
    dst = dst + np.array(
        [[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)]
    )
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(card, m, (out_w, out_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (out_w, out_h))
    photo = np.where(mask[:, :, None] > 0, warped, bg)
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    grad = (np.cos(theta) * xx / out_w + np.sin(theta) * yy / out_h + 1.0) / 2.0
    light = rng.uniform(0.65, 0.85) + grad * rng.uniform(0.15, 0.3)
    photo = np.clip(photo.astype(np.float32) * light[:, :, None], 0, 255).astype(np.uint8)
    if spec.shadow:
        photo = _shadow(photo, rng)
    if spec.glare:
        photo = _glare(photo, rng)
    photo = cv2.GaussianBlur(photo, (0, 0), rng.uniform(0.4, 1.0))
    photo = _noise(photo, rng, rng.uniform(2.0, 5.0))
    out = turn(Image.fromarray(photo), spec.quarter)
    buf = io.BytesIO()
    quality = rng.randint(45, 70) if spec.low_res else rng.randint(55, 88)
    out.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()

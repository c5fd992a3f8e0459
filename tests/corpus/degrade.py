"""Turn clean renderings into flat scans and phone photos (skew, blur, noise, light, JPEG)."""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image


def _to_array(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB")).copy()


def _noise(arr: np.ndarray, rng: random.Random, sigma: float) -> np.ndarray:
    gen = np.random.default_rng(rng.randint(0, 2**31))
    noisy = arr.astype(np.float32) + gen.normal(0.0, sigma, arr.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def flat_scan(img: Image.Image, rng: random.Random, *, dpi: int, on_page: bool) -> Image.Image:
    """A flatbed scan at ``dpi`` (source rendered at 300 dpi) with mild skew and noise."""
    arr = _to_array(img)
    scale = dpi / 300.0
    arr = cv2.resize(arr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    pad = int(60 * scale) if on_page else 0
    arr = cv2.copyMakeBorder(arr, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(250, 250, 250))
    angle = rng.uniform(-2.0, 2.0) if on_page else rng.uniform(-1.5, 1.5)
    h, w = arr.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    arr = cv2.warpAffine(arr, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    arr = _noise(arr, rng, rng.uniform(3.0, 8.0))
    out = Image.fromarray(arr)
    out.info["dpi"] = (dpi, dpi)
    return out


def _background(rng: random.Random, w: int, h: int) -> np.ndarray:
    gen = np.random.default_rng(rng.randint(0, 2**31))
    base = np.array([rng.randint(40, 200) for _ in range(3)], dtype=np.float32)
    texture = cv2.GaussianBlur(
        gen.normal(0, 25, (h // 8 + 1, w // 8 + 1)).astype(np.float32), (0, 0), 2
    )
    texture = cv2.resize(texture, (w, h))
    bg = base[None, None, :] + texture[:, :, None]
    return np.clip(bg, 0, 255).astype(np.uint8)


def phone_photo(img: Image.Image, rng: random.Random) -> bytes:
    """A phone photo of the card on a table: perspective, rotation, uneven light, blur, JPEG."""
    card = _to_array(img)
    ch, cw = card.shape[:2]
    out_w, out_h = 1600, 1200
    bg = _background(rng, out_w, out_h)
    # Place the card so that it fills 45-75% of the frame's width, rotated and in perspective.
    target_w = out_w * rng.uniform(0.5, 0.75)
    s = target_w / cw
    cx, cy = out_w / 2 + rng.uniform(-120, 120), out_h / 2 + rng.uniform(-90, 90)
    angle = np.deg2rad(rng.uniform(-20.0, 20.0))
    corners = (
        np.array([[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2], [-cw / 2, ch / 2]]) * s
    )
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = corners @ rot.T + [cx, cy]
    jitter = target_w * 0.06
    dst = dst + np.array(
        [[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)]
    )
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(card, m, (out_w, out_h))
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (out_w, out_h))
    photo = np.where(mask[:, :, None] > 0, warped, bg)
    # Uneven light: a linear gradient between 0.55 and 1.1 in a random direction.
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    grad = (np.cos(theta) * xx / out_w + np.sin(theta) * yy / out_h + 1.0) / 2.0
    light = rng.uniform(0.55, 0.8) + grad * rng.uniform(0.2, 0.4)
    photo = np.clip(photo.astype(np.float32) * light[:, :, None], 0, 255).astype(np.uint8)
    sigma = rng.uniform(0.4, 1.3)
    photo = cv2.GaussianBlur(photo, (0, 0), sigma)
    photo = _noise(photo, rng, rng.uniform(2.0, 6.0))
    buf = io.BytesIO()
    Image.fromarray(photo).save(buf, format="JPEG", quality=rng.randint(30, 85))
    return buf.getvalue()


def scanned_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF (no text layer), as a scanner writes it."""
    buf = io.BytesIO()
    gray = [p.convert("L") for p in pages]
    gray[0].save(buf, format="PDF", resolution=float(dpi), save_all=True, append_images=gray[1:])
    return buf.getvalue()

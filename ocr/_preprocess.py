"""Image clean-up applied only where a page needs it: card finding, deskew, binarisation.

Every step returns the new image with the 3x3 matrix that maps its pixels back to the pixels of
the image it was given, so word boxes can be reported on the uploaded page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]
Matrix = npt.NDArray[np.float64]

IDENTITY: Matrix = np.eye(3, dtype=np.float64)

# Height of a warped card: ~500 dpi for an ID-1 card (54 mm), ample for tesseract.
_CARD_HEIGHT = 1000


def _order_corners(pts: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
        dtype=np.float32,
    )


# Proportions of a card (ID-1: 1.586) or a sheet (A4: 1.414) seen at an angle, long side / short.
_MIN_ASPECT, _MAX_ASPECT = 1.15, 2.2


def _card_or_sheet(quad: npt.NDArray[np.float32]) -> bool:
    """Tell whether a quadrilateral has the proportions of a card or a sheet of paper."""
    tl, tr, br, bl = _order_corners(quad)
    width = float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    if min(width, height) < 1:
        return False
    return _MIN_ASPECT <= max(width, height) / min(width, height) <= _MAX_ASPECT


def _quad(hull: npt.NDArray[Any]) -> npt.NDArray[np.float32] | None:
    """Return the four corners of a convex outline, or None when it is no quadrilateral."""
    peri = cv2.arcLength(hull, True)
    for eps in (0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    return None


def _largest_quad(contours: Sequence[Any], area_total: float) -> npt.NDArray[np.float32] | None:
    best: npt.NDArray[np.float32] | None = None
    best_area = 0.0
    for contour in contours:
        hull = cv2.convexHull(contour)
        area = float(cv2.contourArea(hull))
        if not 0.12 * area_total < area < 0.93 * area_total or area <= best_area:
            continue
        quad = _quad(hull)
        # A printed band or a box on the card is not the card itself.
        if quad is not None and _card_or_sheet(quad):
            best, best_area = quad, area
    return best


def find_card(gray: Gray) -> tuple[Gray, Matrix] | None:
    """Find a card or sheet photographed on a background and warp it flat; None if not found."""
    h, w = gray.shape
    scale = 800.0 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))))
    small = cv2.GaussianBlur(small, (5, 5), 0)
    edges = cv2.Canny(small, 30, 90)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    area_total = float(small.shape[0] * small.shape[1])
    best = _largest_quad(contours, area_total)
    if best is not None:
        best = best / scale
    if best is None:
        return None
    tl, tr, br, bl = _order_corners(best)
    width = float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    if width < 1 or height < 1:
        return None
    out_h = _CARD_HEIGHT if height < width else int(_CARD_HEIGHT * height / width)
    out_w = int(out_h * width / height)
    dst = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    forward = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], np.float32), dst)
    warped = cv2.warpPerspective(gray, forward, (out_w, out_h), flags=cv2.INTER_CUBIC)
    return warped.astype(np.uint8), np.linalg.inv(forward).astype(np.float64)


def upscale(gray: Gray, factor: float) -> tuple[Gray, Matrix]:
    """Enlarge by ``factor`` (bicubic) for a low-resolution scan."""
    h, w = gray.shape
    out = cv2.resize(gray, (int(w * factor), int(h * factor)), interpolation=cv2.INTER_CUBIC)
    back = np.diag([w / out.shape[1], h / out.shape[0], 1.0]).astype(np.float64)
    return out.astype(np.uint8), back


def skew_angle(gray: Gray, *, wide: bool = False, limit: float | None = None) -> float:
    """Estimate the text skew in degrees by maximising the row-profile variance.

    The search covers -8..8 degrees, or -25..25 with ``wide`` (hand-held photos), or
    ``-limit..limit``. Text strokes are found with a local threshold, so that a shaded column,
    a shadow or a printed band does not count as ink.
    """
    h, w = gray.shape
    scale = min(1.0, 800.0 / max(h, w))
    small = cv2.resize(gray, (max(1, int(w * scale)), max(1, int(h * scale))))
    block = max(15, (min(small.shape) // 30) | 1)
    binary = cv2.adaptiveThreshold(
        small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12
    )
    center = (binary.shape[1] / 2.0, binary.shape[0] / 2.0)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(center, angle, 1.0)
        rotated = cv2.warpAffine(binary, m, (binary.shape[1], binary.shape[0]))
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.var(profile))

    if limit is None:
        limit = 25.0 if wide else 8.0
    coarse = max(np.arange(-limit, limit + 0.01, 1.0), key=score)
    fine = max(np.arange(coarse - 0.8, coarse + 0.81, 0.2), key=score)
    return float(fine)


def rotate(gray: Gray, angle: float) -> tuple[Gray, Matrix]:
    """Rotate by ``angle`` degrees (counter-clockwise), keeping the whole image."""
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += new_w / 2.0 - w / 2.0
    m[1, 2] += new_h / 2.0 - h / 2.0
    rotated = cv2.warpAffine(gray, m, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=(255,))
    forward = np.vstack([m, [0.0, 0.0, 1.0]])
    return rotated.astype(np.uint8), np.linalg.inv(forward)


def rotate_right_angle(gray: Gray, clockwise: int) -> tuple[Gray, Matrix]:
    """Rotate by a multiple of 90 degrees clockwise (what tesseract's OSD asks for)."""
    clockwise %= 360
    if clockwise == 0:
        return gray, IDENTITY
    return rotate(gray, -float(clockwise))


def binarize(gray: Gray, *, uneven_light: bool) -> Gray:
    """Otsu for flat scans; a local threshold for photos with uneven light."""
    if uneven_light:
        blur = cv2.GaussianBlur(gray, (3, 3), 0)
        block = max(31, (min(gray.shape) // 20) | 1)
        out = cv2.adaptiveThreshold(
            blur, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15
        )
    else:
        _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return out.astype(np.uint8)


def map_box(matrix: Matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, ...]:
    """Map a box through ``matrix`` and return the bounding box of its four corners."""
    corners = np.array([[x0, y0, 1.0], [x1, y0, 1.0], [x1, y1, 1.0], [x0, y1, 1.0]]).T
    mapped = matrix @ corners
    xs, ys = mapped[0] / mapped[2], mapped[1] / mapped[2]
    return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())

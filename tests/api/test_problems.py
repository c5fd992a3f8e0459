"""Every error code Pintu can raise has a Bahasa Indonesia title for the people who see it."""

from __future__ import annotations

import archive
import ocr
import signer
import signer.render
import validator
from api.problems import MESSAGES_ID
from common.errors import PintuError
from workflow import errors as workflow_errors


def _all_subclasses(cls: type[PintuError]) -> set[type[PintuError]]:
    found: set[type[PintuError]] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_error_code_has_an_indonesian_title() -> None:
    assert archive and ocr and signer and signer.render and validator and workflow_errors
    codes = {cls.code for cls in _all_subclasses(PintuError)}
    assert len(codes) > 20
    missing = sorted(codes - MESSAGES_ID.keys())
    assert not missing, f"no Indonesian title for: {missing}"

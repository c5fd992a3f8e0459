"""Every error code has exactly one class and exactly one Bahasa Indonesia text."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

import pytest

from common.catalogue import MESSAGES_ID, people_text, text_id
from common.codes import Code
from common.errors import CallerError, PintuError

PACKAGES = ("common", "ocr", "validator", "signer", "archive", "workflow", "api")


def _every_error_class() -> set[type[PintuError]]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" not in module.name:  # alembic's env runs only under alembic
                importlib.import_module(module.name)
    found: set[type[PintuError]] = {PintuError}
    todo = [PintuError]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.split(".")[0] in PACKAGES and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_each_code_has_one_class_and_one_text() -> None:
    classes: dict[Code, list[str]] = defaultdict(list)
    for cls in _every_error_class():
        if "code" in vars(cls):  # a class that declares its own code
            assert isinstance(cls.code, Code), f"{cls.__qualname__}.code is not a Code"
            classes[cls.code].append(f"{cls.__module__}.{cls.__qualname__}")
    assert len(classes) > 40, "the error classes were not found"
    assert {code: names for code, names in classes.items() if len(names) > 1} == {}
    assert sorted(set(Code) - classes.keys()) == []  # no code without its class
    assert set(MESSAGES_ID) == set(Code)  # one text per code, none for a code that is not one
    texts = list(MESSAGES_ID.values())
    assert all(text.strip().endswith(".") for text in texts)


def test_the_text_people_see_comes_from_the_catalogue_unless_the_error_says_more() -> None:
    class Refused(CallerError):
        code = Code.UPLOAD_REFUSED

    assert people_text(Refused("empty upload")) == MESSAGES_ID[Code.UPLOAD_REFUSED]
    specific = Refused("empty upload", detail_id="Berkas yang diunggah kosong.")
    assert people_text(specific) == "Berkas yang diunggah kosong."
    assert text_id("no_such_code") == MESSAGES_ID[Code.INTERNAL_ERROR]


@pytest.mark.parametrize("code", list(Code))
def test_a_code_is_stable_snake_case(code: Code) -> None:
    assert code.value == code.name.lower() and code.value.replace("_", "").isalpha()

"""Errors raised while rendering Pintu's documents (exported by ``signer.render``)."""

from __future__ import annotations

from typing import ClassVar

from common.codes import Code
from common.errors import CallerError, OperationalError


class RenderError(CallerError):
    """A document could not be rendered from the data given."""

    code: ClassVar[Code] = Code.RENDER_ERROR
    http_status: ClassVar[int] = 422


class UnknownTemplateError(RenderError):
    """The template name is not one of the documents Pintu renders."""

    code: ClassVar[Code] = Code.RENDER_UNKNOWN_TEMPLATE
    http_status: ClassVar[int] = 404


class InvalidRenderDataError(RenderError):
    """A field is missing, of the wrong type, too long, or not allowed (e.g. a non-http URL)."""

    code: ClassVar[Code] = Code.RENDER_INVALID_DATA
    http_status: ClassVar[int] = 422


class ResourceRefusedError(RenderError):
    """A template asked for a resource outside its folder (network, other files): refused."""

    code: ClassVar[Code] = Code.RENDER_RESOURCE_REFUSED
    http_status: ClassVar[int] = 422


class RenderFailedError(OperationalError):
    """The PDF engine failed, or a template broke its contract (e.g. no signature box)."""

    code: ClassVar[Code] = Code.RENDER_FAILED
    http_status: ClassVar[int] = 500

"""The ASGI application, made by a factory: ``uvicorn --factory api.app:create_app``.

Importing this module starts nothing: :func:`create_app` reads the settings (once, from the
environment unless given), configures logging, and the runtime is built when the app starts
serving. The database must be migrated before (``pintu db upgrade``): the API never migrates.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

import workflow
from api.problems import install_problem_handlers
from api.routes import alerts, applications, archives, auth, batches, health, verify
from workflow.bootstrap import build_runtime
from workflow.config import Settings

log = logging.getLogger(__name__)

DESCRIPTION = """Pintu automates steps 3-8 of the SOP *Pelayanan Sertifikat Standar*
(DPMPTSP Kabupaten Mempawah): automated checks of the requirement documents, the Tim Teknis's
decision, validation and *penetapan*, the Kadis's electronic signature (PAdES), notification,
verification by QR code, and the locked archive."""


def configure_logging() -> None:
    """Log INFO and up to stderr, without the per-render chatter of the PDF libraries."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("fontTools", "weasyprint"):  # their warnings still show
        logging.getLogger(noisy).setLevel(logging.WARNING)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API; the runtime (database, stores, keys) is built when the app starts."""
    settings = settings or Settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await run_in_threadpool(build_runtime, settings)
        interrupted = await run_in_threadpool(workflow.mark_interrupted_batches, runtime)
        if interrupted:
            log.warning("%d signing batches were interrupted", interrupted)
        await run_in_threadpool(workflow.mark_interrupted_remote_calls, runtime)
        app.state.runtime = runtime
        yield
        await run_in_threadpool(runtime.close)  # the signer runs its own event loop

    app = FastAPI(
        title="Pintu",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    for module in (health, auth, applications, batches, verify, archives, alerts):
        app.include_router(module.router)
    return app

"""The ASGI application: ``uvicorn api.app:app`` (settings from the environment)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from api.problems import install_problem_handlers
from api.routes import alerts, applications, archives, auth, batches, health, verify
from workflow.config import Settings
from workflow.runtime import build_runtime
from workflow.signing.batch import mark_interrupted_batches
from workflow.signing.remote import mark_interrupted_remote_calls

DESCRIPTION = """Pintu automates steps 3-8 of the SOP *Pelayanan Sertifikat Standar*
(DPMPTSP Kabupaten Mempawah): automated checks of the requirement documents, the Tim Teknis's
decision, validation and *penetapan*, the Kadis's electronic signature (PAdES), notification,
verification by QR code, and the locked archive."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API; the runtime (database, stores, keys) is built when the app starts."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await run_in_threadpool(build_runtime, settings)
        interrupted = await run_in_threadpool(mark_interrupted_batches, runtime)
        if interrupted:
            logging.getLogger(__name__).warning("%d signing batches were interrupted", interrupted)
        await run_in_threadpool(mark_interrupted_remote_calls, runtime)
        app.state.runtime = runtime
        yield
        await run_in_threadpool(runtime.signing.service.close)  # it runs its own event loop
        runtime.engine.dispose()

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


logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
for _noisy in ("fontTools", "weasyprint"):  # per-render chatter; their warnings still show
    logging.getLogger(_noisy).setLevel(logging.WARNING)
app = create_app()

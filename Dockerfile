# Pintu's image: the API (default command), a Celery worker or beat, or `pintu db upgrade`
# (see docker-compose.yml).
# System packages come from the same list the Makefile installs: scripts/system-packages.txt.
FROM debian:12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OMP_THREAD_LIMIT=1 \
    DATA_DIR=/var/lib/pintu \
    PATH=/app/.venv/bin:$PATH

WORKDIR /app
COPY scripts/ scripts/
RUN ./scripts/install-system-packages.sh && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY common/ common/
COPY ocr/ ocr/
COPY validator/ validator/
COPY signer/ signer/
COPY archive/ archive/
COPY workflow/ workflow/
COPY api/ api/
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir .

RUN useradd --system --home /var/lib/pintu pintu && mkdir -p /var/lib/pintu \
    && chown pintu /var/lib/pintu
USER pintu
EXPOSE 8000
CMD ["uvicorn", "--factory", "api.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]

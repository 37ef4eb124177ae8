# The portal's one image: migrate, web, worker and beat run it with different commands (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint (PDF reports) needs Pango; Liberation fonts cover Vietnamese diacritics; curl for the healthcheck.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when they change, not on
# every edit of the code (the project installs no packages of its own: `packages = []`).
COPY pyproject.toml ./
RUN pip install . polib && rm -rf build *.egg-info
# Then the code (.dockerignore keeps .env, .venv, the SQLite database and .git out of the image).
COPY . .
RUN python scripts/compile_messages.py \
 && SECRET_KEY=build-only ALLOWED_HOSTS=build DEBUG=0 python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 portal && mkdir -p /app/media && chown -R portal /app/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]

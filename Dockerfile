# Production image: gunicorn serving the platform; the same image runs the task worker
# (command: python manage.py db_worker --queue-name '*').
# Settings come from the environment; see README.md "Configuration".

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN node build.mjs

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH \
    DJANGO_ENV=production
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg gettext libpq5 fonts-noto-core \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv==0.13.8 \
 && useradd --system --create-home --uid 10001 lms
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=frontend /src/frontend/static/frontend/build /app/frontend/static/frontend/build
# Build-time only values: collectstatic and compilemessages need settings to import.
RUN DJANGO_SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    DJANGO_ALLOWED_HOSTS=build DJANGO_STATIC_ROOT=/app/staticfiles \
    sh -c 'for d in */locale; do (cd "${d%/locale}" && django-admin compilemessages -v0) || exit 1; done \
           && python manage.py collectstatic --noinput -v0'
ENV DJANGO_STATIC_ROOT=/app/staticfiles LMS_DATA_DIR=/data
RUN mkdir -p /data && chown lms /data
USER lms
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "lms.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", \
     "--access-logfile", "-", "--timeout", "120"]

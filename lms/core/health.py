"""/healthz answers when the process is up; /readyz checks every backing service."""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_storage() -> str:
    name = default_storage.save(f"healthcheck/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as fh:
            if fh.read() != b"ok":
                raise RuntimeError("storage returned different content")
    finally:
        default_storage.delete(name)
    return type(storages["default"]).__name__


def check_search() -> str:
    if settings.SEARCH_ENGINE != "elasticsearch":
        return "database"
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=3)
    health = client.cluster.health()
    if health["status"] == "red":
        raise RuntimeError("cluster status is red")
    return f"elasticsearch ({health['status']})"


def check_tasks() -> str:
    from django_tasks import task_backends

    backend = type(task_backends["default"]).__name__
    if backend == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    return backend


CHECKS = {"database": check_database, "storage": check_storage, "search": check_search, "tasks": check_tasks}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict] = {}
    ok = True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail = check()
            results[name] = {"status": "ok", "backend": detail}
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none crashes the probe
            ok = False
            logger.warning("Readiness check %s failed: %s", name, exc)
            results[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse({"status": "ok" if ok else "error", "checks": results}, status=200 if ok else 503)

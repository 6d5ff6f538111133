"""System checks for the environment: missing tools and incoherent settings fail early, with a hint."""

from __future__ import annotations

import shutil
import sqlite3

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections


@register(Tags.compatibility)
def check_ffmpeg(app_configs=None, **kwargs):
    messages = []
    for setting, binary in (("FFMPEG_BINARY", settings.FFMPEG_BINARY), ("FFPROBE_BINARY", settings.FFPROBE_BINARY)):
        if shutil.which(binary) is None:
            messages.append(
                Warning(
                    f"{binary} was not found on PATH; lecture videos cannot be probed or transcoded.",
                    hint=f"Install it (Debian/Ubuntu: apt-get install ffmpeg) or set {setting} to its full path.",
                    id="lms.W001",
                )
            )
    return messages


@register(Tags.database)
def check_sqlite_fts5(app_configs=None, databases=None, **kwargs):
    if connections["default"].vendor != "sqlite":
        return []
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(body)")
    except sqlite3.OperationalError:
        return [
            Error(
                "This Python's SQLite has no FTS5; the embedded search engine needs it.",
                hint="Use a Python built against SQLite with FTS5 (the default on Debian and python.org builds), "
                "or set DATABASE_URL to PostgreSQL.",
                id="lms.E001",
            )
        ]
    finally:
        conn.close()
    return []


@register()
def check_settings_coherent(app_configs=None, **kwargs):
    messages = []
    if settings.PRODUCTION and connections["default"].vendor == "sqlite":
        messages.append(
            Warning(
                "Production is running on SQLite.",
                hint="SQLite suits a single school's server; set DATABASE_URL to PostgreSQL for a province or more.",
                id="lms.W002",
            )
        )
    if (
        getattr(settings, "AWS_STORAGE_BUCKET_NAME", None)
        and not settings.AWS_S3_ENDPOINT_URL
        and not settings.PRODUCTION
    ):
        messages.append(
            Warning(
                "AWS_STORAGE_BUCKET_NAME is set without AWS_S3_ENDPOINT_URL; files will go to Amazon S3.",
                hint="Set AWS_S3_ENDPOINT_URL for an S3-compatible server (versitygw, MinIO, a provider's endpoint).",
                id="lms.W003",
            )
        )
    if settings.TASKS_BACKEND == "immediate" and settings.PRODUCTION:
        messages.append(
            Error(
                "TASKS_BACKEND=immediate runs transcodes and indexing inside web requests.",
                hint="Use TASKS_BACKEND=database and run `manage.py db_worker` processes.",
                id="lms.E002",
            )
        )
    return messages

"""Settings chosen from the environment: the embedded default, the servers at scale, production hardening."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
from django_tasks import task_backends
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "storage": type(storages["default"]).__name__,
    "search": settings.SEARCH_ENGINE,
    "tasks": type(task_backends["default"]).__name__,
    "wagtail_search": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "language": settings.LANGUAGE_CODE,
    "time_zone": settings.TIME_ZONE,
}))
"""

SERVER_VARS = (
    "DATABASE_URL",
    "ELASTICSEARCH_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "TASKS_BACKEND",
    "SEARCH_ENGINE",
    "DJANGO_ENV",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run(code: str, tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in SERVER_VARS}
    base.update({"DJANGO_SETTINGS_MODULE": "lms.settings", "LMS_DATA_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_nothing_set_means_embedded_default(tmp_path):
    result = run(PROBE, tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen == {
        "engine": "django.db.backends.sqlite3",
        "storage": "FileSystemStorage",
        "search": "database",
        "tasks": "DatabaseBackend",
        "wagtail_search": "wagtail.search.backends.database",
        "language": "vi",
        "time_zone": "Asia/Ho_Chi_Minh",
    }


def test_servers_set_by_environment(tmp_path):
    result = run(
        PROBE,
        tmp_path,
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/lms",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:7070",
        AWS_ACCESS_KEY_ID="k",
        AWS_SECRET_ACCESS_KEY="s",
        TASKS_BACKEND="database",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["storage"] == "S3Storage"
    assert seen["search"] == "elasticsearch"
    # The Wagtail admin's own search stays on the database whatever our search engine is.
    assert seen["wagtail_search"] == "wagtail.search.backends.database"


def test_bad_values_stop_start_up_with_the_variable_named(tmp_path):
    cases = [
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND"),
        ({"ELASTICSEARCH_URL": "localhost:9200"}, "ELASTICSEARCH_URL"),
        ({"DATABASE_URL": "mysql://u:p@h/db"}, "DATABASE_URL"),
        ({"AWS_STORAGE_BUCKET_NAME": "media"}, "AWS_ACCESS_KEY_ID"),
        ({"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:7070"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"DJANGO_ENV": "production"}, "DJANGO_SECRET_KEY"),
        ({"SEARCH_ENGINE": "elasticsearch"}, "ELASTICSEARCH_URL"),
    ]
    for env, named in cases:
        result = run("import django; django.setup()", tmp_path, **env)
        assert result.returncode != 0, env
        assert "ImproperlyConfigured" in result.stderr and named in result.stderr, (env, result.stderr[-500:])


def test_production_settings_pass_check_deploy(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in SERVER_VARS},
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "p" * 20 + "-production-secret-key-for-the-deploy-check-0987654321",
            "DJANGO_ALLOWED_HOSTS": "hoclieu.example.vn",
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/lms",
            "LMS_DATA_DIR": str(tmp_path),
            "PATH": os.environ["PATH"],
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

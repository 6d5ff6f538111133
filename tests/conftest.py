import os

import pytest

from lms.curriculum.models import Level


@pytest.fixture
def curriculum(db):
    """The shipped GDPT 2018 curriculum, loaded once per database state."""
    from lms.curriculum.loader import load_curriculum

    if not Level.objects.exists():
        load_curriculum()


@pytest.fixture
def cast(curriculum):
    from tests.cast import build_cast

    return build_cast()


def pytest_report_header(config):
    from django.conf import settings
    from django.db import connection

    return [
        f"database: {connection.vendor} · storage: {settings.STORAGES['default']['BACKEND']} · "
        f"search: {settings.SEARCH_ENGINE} · tasks: {settings.TASKS_BACKEND} · env: {os.environ.get('DJANGO_ENV')}"
    ]

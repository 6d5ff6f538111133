"""Background tasks: the embedded default queues them in the database and `db_worker` runs them."""

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus, task_backends

from tests.tasks_for_tests import add_and_record


@pytest.mark.django_db(transaction=True)
def test_database_queue_and_worker_run_a_task():
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    result = add_and_record.enqueue(2, 3)
    assert result.status == TaskResultStatus.READY
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5


@pytest.mark.django_db
def test_immediate_backend_where_a_test_needs_it(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = add_and_record.enqueue(4, 5)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 9

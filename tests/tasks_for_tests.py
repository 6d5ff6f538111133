"""A task used by the tests of the task plumbing (module-level so the worker can import it)."""

from django_tasks import task


@task()
def add_and_record(a: int, b: int) -> int:
    from django.core.cache import cache

    cache.set("tasks_for_tests.last", a + b)
    return a + b

"""A task worker in its own process, for the test that kills one mid-transcode.

Run as ``python -m tests.media_pipeline.worker_child`` with ``DATABASE_URL``
pointing at the test database and ``MEDIA_CHILD_CONFIG`` (JSON: the storage
and MEDIA_* settings of the test). It runs the real ``db_worker`` and prints
``PROGRESS <n>`` lines as the job advances, so the test knows when to kill it.
"""

from __future__ import annotations

import json
import os


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    from media_pipeline.signals import transcode_progress
    from tests.media_pipeline.storages import storage_config

    config = json.loads(os.environ["MEDIA_CHILD_CONFIG"])
    storage = storage_config(config["storage"]["kind"], location=config["storage"]["location"])

    def report(sender, job_id, progress, **kwargs):
        print(f"PROGRESS {progress}", flush=True)  # noqa: T201 - read by the parent test

    transcode_progress.connect(report, weak=False)
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "default": storage}, **config["settings"]):
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)


if __name__ == "__main__":
    main()

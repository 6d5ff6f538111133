"""Library browse and detail pages: query count and p50 server time as the library grows.

Usage:  .venv/bin/python benchmarks/library_pages.py [--sizes 100 10000] [--requests 30]

Runs on a throw-away SQLite database (or on DATABASE_URL if set, in a fresh test
database), fills it with N published national materials for Toán 6, then times
GET /library/, /library/grade/6/, /library/grade/6/toan/ and one material page
with Django's test client (server time only: no network, no browser).
The query count of each page must not grow with N.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ["DJANGO_ENV"] = "test"
os.environ.setdefault("LMS_DATA_DIR", tempfile.mkdtemp(prefix="lms-bench-"))
os.environ["TASKS_BACKEND"] = "dummy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_curriculum", verbosity=0)
        from django.test import Client

        from lms.accounts.models import Role
        from lms.accounts.services import create_user, grant_membership
        from lms.curriculum.models import Grade, Subject, Topic
        from lms.orgs.defaults import ensure_default_unit_types
        from lms.orgs.models import create_organisation
        from repository.models import LessonPage, SharingScope
        from repository.services import school_area, setup_library

        types = ensure_default_unit_types()
        ministry = create_organisation(name="Bộ", code="B", unit_type=types["bo"])
        province = create_organisation(name="Tỉnh", code="P", unit_type=types["tinh"], parent=ministry)
        school = create_organisation(name="Trường", code="S", unit_type=types["truong"], parent=province)
        teacher = create_user(actor=None, username="gv", full_name="Giáo viên", password="x")
        grant_membership(actor=None, user=teacher, organisation=school, role=Role.TEACHER)
        student = create_user(actor=None, username="hs", full_name="Học sinh", password="x")
        grant_membership(actor=None, user=student, organisation=school, role=Role.STUDENT)
        setup_library()
        area = school_area(school)
        toan, grade6 = Subject.objects.get(slug="toan"), Grade.objects.get(number=6)
        topics = list(Topic.objects.filter(subject=toan, grade=grade6, parent=None))

        client = Client()
        client.force_login(student)
        made = 0
        print(f"{'materials':>9}  {'page':<26} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
        for size in sorted(args.sizes):
            started = time.monotonic()
            while made < size:
                page = LessonPage(
                    title=f"Bài giảng số {made}",
                    owner=teacher,
                    subject=toan,
                    sharing_scope=SharingScope.NATIONAL,
                    author_name="Giáo viên",
                    live=True,
                    body=[("paragraph", "<p>Nội dung \\(x^2\\)</p>")],
                )
                page.grades = [grade6]
                page.topics = [topics[made % len(topics)]]
                area.add_child(instance=page)
                made += 1
                if made % 1000 == 0:
                    print(f"  … {made} materials ({time.monotonic() - started:.0f} s)", file=sys.stderr)
            detail = LessonPage.objects.live().first().url
            for label, url in (
                ("/library/", "/library/"),
                ("/library/grade/6/", "/library/grade/6/"),
                ("/library/grade/6/toan/", "/library/grade/6/toan/"),
                ("material page", detail),
            ):
                client.get(url)  # warm
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                query_count = len(queries)  # read now: the next request resets the query log
                assert response.status_code == 200, (url, response.status_code)
                timings = []
                for _ in range(args.requests):
                    t0 = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - t0) * 1000)
                timings.sort()
                p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
                print(f"{size:>9}  {label:<26} {query_count:>7} {statistics.median(timings):>8.1f} {p95:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

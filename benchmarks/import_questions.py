"""Question import: time to import 10,000 generated GIFT questions through the real import path.

Usage:  .venv/bin/python benchmarks/import_questions.py [--questions 10000]

Runs on a throw-away SQLite database (or on DATABASE_URL if set, in a fresh test database):
a school and a teacher, then ``question_bank.importing.import_into_bank`` (what
``manage.py import_questions`` and the admin's import run) on a GIFT file mixing multiple
choice, true/false, short answer, numeric and essay questions with categories, tags and
LaTeX. Printed: file size, parse+save time, questions per second, rows saved, and the load average
(the machine is shared: figures taken under load are not comparable with a quiet run). Target: ≤ 10 s.
"""

from __future__ import annotations

import argparse
import os
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


def gift(count: int) -> str:
    """``count`` GIFT questions of five kinds, a category every 500."""
    parts = []
    for n in range(count):
        if n % 500 == 0:
            parts.append(f"$CATEGORY: Toán 6/Chương {n // 500 + 1}\n\n")
        kind = n % 5
        if kind == 0:
            parts.append(f"::C{n}:: Tính $x^2$ khi $x = {n}$? {{={n * n} ~{n * n + 1} ~{n * n - 1} ~{2 * n}}}\n")
        elif kind == 1:
            parts.append(f"::C{n}:: Số {n} là số chẵn. {{{'T' if n % 2 == 0 else 'F'}}}\n")
        elif kind == 2:
            parts.append(f"::C{n}:: Thủ đô của Việt Nam là? {{=Hà Nội =Ha Noi}}\n")
        elif kind == 3:
            parts.append(f"::C{n}:: Căn bậc hai của {n * n}? {{#{n}:0.5}}\n")
        else:
            parts.append(f"::C{n}:: Trình bày cách giải phương trình số {n}. {{}}\n")
        parts.append("\n")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_curriculum", verbosity=0)
        from lms.accounts.models import Role
        from lms.accounts.services import create_user, grant_membership
        from lms.orgs.defaults import ensure_default_unit_types
        from lms.orgs.models import create_organisation
        from question_bank.importing import import_into_bank
        from question_bank.models import Question, QuestionVersion

        types = ensure_default_unit_types()
        ministry = create_organisation(name="Bộ", code="B", unit_type=types["bo"])
        province = create_organisation(name="Tỉnh", code="P", unit_type=types["tinh"], parent=ministry)
        school = create_organisation(name="Trường", code="S", unit_type=types["truong"], parent=province)
        teacher = create_user(actor=None, username="gv", full_name="Giáo viên", password="x")
        grant_membership(actor=None, user=teacher, organisation=school, role=Role.TEACHER)

        data = gift(args.questions).encode()
        started = time.perf_counter()
        result = import_into_bank(format_name="gift", data=data, actor=teacher, school=school)
        elapsed = time.perf_counter() - started
        imported = sum(1 for r in result.rows if r.imported)
        print(f"engine           {connection.vendor}")
        print(f"file             {len(data) / 1024:.0f} KiB, {args.questions} questions")
        print(f"imported         {imported} (rejected {len(result.rows) - imported})")
        print(f"rows saved       {Question.objects.count()} questions, {QuestionVersion.objects.count()} versions")
        print(f"time             {elapsed:.2f} s  ({imported / elapsed:.0f} questions/s)  target <= 10 s")
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average     {load} on {os.cpu_count()} cores (shared machine)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

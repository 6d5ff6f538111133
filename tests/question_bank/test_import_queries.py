"""An import's database work does not grow question by question.

Ten questions and a hundred stay under the same number of queries (a few per chunk of
``importing.CHUNK``), whatever the options: drafts, ``--strict``, ready or approved on import.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from question_bank.importing import import_into_bank
from question_bank.models import CognitiveLevel, Question, QuestionStatus

pytestmark = pytest.mark.django_db
User = get_user_model()

MAX_QUERIES = 80
"""For a file of 10 or 100 questions (at most ``importing.CHUNK``) in three new categories with four new
tags. Most queries make the categories (a tree: a few queries per node) and the tags, once per file;
PostgreSQL inserts each table's rows of a chunk in one statement, SQLite splits them by its 999
parameters (a few statements more per hundred rows, never one per question)."""


def gift(count: int, series: str) -> str:
    """``count`` questions in three categories with four tags (new ones for each ``series``)."""
    parts = []
    for n in range(count):
        if n % 4 == 0:
            parts.append(f"$CATEGORY: Toán 6{series}/Chương {n % 3 + 1}\n")
        tags = f"[tag:lớp 6{series}] [tag:chủ đề {n % 3}{series}]"
        parts.append(f"// {tags}\n::Câu {n}::Tính {n} + 1? {{={n + 1} ~{n} ~{n + 2}}}\n\n")
    return "".join(parts)


CASES = {
    "draft": lambda users, toan6: {"actor": users.teacher},
    "strict": lambda users, toan6: {"actor": users.teacher, "strict": True},
    "ready": lambda users, toan6: {"actor": users.teacher, "status": QuestionStatus.READY},
    "approved by the group head": lambda users, toan6: {
        "actor": users.group_head,
        "owner": users.teacher,
        "status": QuestionStatus.APPROVED,
        "metadata": {
            "subject": toan6[0],
            "grade": toan6[1],
            "level": CognitiveLevel.objects.get(scheme__slug="bon-muc", code="nb"),
        },
    },
}


@pytest.mark.parametrize("case", list(CASES))
def test_query_count_does_not_grow_with_the_number_of_questions(cast, toan6, django_assert_max_num_queries, case):
    status = CASES[case](cast, toan6).get("status", QuestionStatus.DRAFT)
    for count, series in ((10, " (a)"), (100, " (b)")):
        # Each file makes its own new categories and tags, and the users are read afresh (their
        # memberships are cached on the object), so both imports do the same kinds of work.
        users = SimpleNamespace(**{r: User.objects.get(pk=getattr(cast, r).pk) for r in ("teacher", "group_head")})
        options = CASES[case](users, toan6)
        with django_assert_max_num_queries(MAX_QUERIES):
            result = import_into_bank(format_name="gift", data=gift(count, series), school=cast.school, **options)
        assert len(result.imported) == count and result.rejected == []
        tags = {f"lớp 6{series}", *(f"chủ đề {k}{series}" for k in range(3))}
        in_file = Question.objects.filter(tags__name=f"lớp 6{series}")
        assert in_file.filter(status=status, current_version__isnull=False).count() == count
        assert set(Question.objects.filter(pk__in=in_file).values_list("tags__name", flat=True)) == tags
    created = ModelLogEntry.objects.filter(action="question_bank.question.create").count()
    changed = ModelLogEntry.objects.filter(action="question_bank.question.status").count()
    assert (created, changed) == (110, 0 if status == QuestionStatus.DRAFT else 110)

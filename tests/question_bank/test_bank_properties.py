"""Importing into the bank never raises and never leaves half a question, whatever the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from question_bank.importing import import_into_bank
from question_bank.models import Question, QuestionVersion, TaggedQuestion

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
VALID = {
    "gift": (FIXTURES / "gift" / "all_constructs.gift").read_bytes(),
    "aiken": (FIXTURES / "aiken" / "valid.txt").read_bytes(),
    "moodle-xml": (FIXTURES / "moodle_xml" / "all_types.xml").read_bytes(),
}
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


def _mutate(data: bytes, cuts: list[tuple[int, int]], junk: bytes) -> bytes:
    for position, length in cuts:
        position %= max(len(data), 1)
        data = data[:position] + junk + data[position + length :]
    return data


def _consistent(result, before: int) -> None:
    imported = [r for r in result.rows if r.imported]
    assert Question.objects.count() - before == len(imported)
    assert not Question.objects.filter(current_version__isnull=True).exists()
    assert QuestionVersion.objects.count() == Question.objects.count()
    assert not TaggedQuestion.objects.exclude(content_object__in=Question.objects.all()).exists()
    for row in result.rows:
        assert row.imported or row.reason


@SETTINGS
@given(
    fmt=st.sampled_from(sorted(VALID)),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40)), max_size=4),
    junk=st.binary(max_size=12) | st.sampled_from([b"{", b"}", b"<", b"</question>", b"::", b"ANSWER: Z", b"\xff"]),
)
def test_mutated_files_import_whole_questions_or_nothing(cast, fmt, cuts, junk):
    before = Question.objects.count()
    result = import_into_bank(format_name=fmt, data=_mutate(VALID[fmt], cuts, junk), actor=cast.teacher, status="draft")
    _consistent(result, before)


@SETTINGS
@given(fmt=st.sampled_from(sorted(VALID)), data=st.binary(max_size=300))
def test_random_bytes_import_nothing_broken(cast, fmt, data):
    before = Question.objects.count()
    _consistent(import_into_bank(format_name=fmt, data=data, actor=cast.teacher), before)

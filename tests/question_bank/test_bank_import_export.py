"""import_questions / export_questions: reports, atomic questions, round trips through the bank."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from question_bank import formats
from question_bank.importing import import_into_bank
from question_bank.ir import category_names
from question_bank.models import Question, QuestionCategory, QuestionVersion, TaggedQuestion

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _comparable(q, default=("Mặc định",)):
    return q.replace(category_path=category_names(q.category_path) or default, tags=tuple(sorted(q.tags)))


@pytest.mark.parametrize(
    ("fmt", "cli", "path"),
    [
        ("gift", "gift", "gift/all_constructs.gift"),
        ("moodle_xml", "moodle-xml", "moodle_xml/all_types.xml"),
    ],
)
def test_round_trip_through_the_bank_loses_no_supported_field(cast, tmp_path, fmt, cli, path):
    source = (FIXTURES / path).read_bytes()
    parsed = formats.import_questions(fmt, source)
    assert parsed.ok, parsed.rejected
    out, _err = _run("import_questions", "--format", cli, str(FIXTURES / path), "--owner", "gv")
    assert f"{len(parsed.questions)} imported, 0 rejected" in out
    assert out.count("imported  ") == len(parsed.questions)
    assert Question.objects.count() == len(parsed.questions)
    # Saved in bulk, yet each question has its version 1 and its audit entry, as one by one.
    assert all(q.current_version.number == 1 for q in Question.objects.select_related("current_version"))
    logged = ModelLogEntry.objects.filter(action="question_bank.question.create", user=cast.teacher)
    assert sorted(int(i) for i in logged.values_list("object_id", flat=True)) == sorted(
        Question.objects.values_list("pk", flat=True)
    )

    target = tmp_path / f"out.{fmt}"
    _run("export_questions", "--format", cli, "--out", str(target), "--as", "gv")
    again = formats.import_questions(fmt, target.read_bytes())
    assert again.ok, again.rejected
    before = sorted((_comparable(q) for q in parsed.questions), key=repr)
    after = sorted((_comparable(q) for q in again.questions), key=repr)
    assert after == before


def test_every_question_is_reported_and_rejected_ones_leave_nothing(cast):
    path = FIXTURES / "gift/malformed.gift"
    parsed = formats.import_questions("gift", path.read_bytes())
    assert parsed.questions and parsed.rejected
    with pytest.raises(CommandError, match=rf"{len(parsed.questions)} imported, {len(parsed.rejected)} rejected"):
        _run("import_questions", "--format", "gift", str(path), "--owner", "gv")
    assert Question.objects.count() == len(parsed.questions)
    assert QuestionVersion.objects.count() == len(parsed.questions)


def test_report_names_the_line_and_reason(cast, capsys):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_questions", "--format", "gift", str(FIXTURES / "gift/malformed.gift"), "--owner", "gv", stdout=out
        )
    lines = [line for line in out.getvalue().splitlines() if line.startswith("REJECTED")]
    parsed = formats.import_questions("gift", (FIXTURES / "gift/malformed.gift").read_bytes())
    assert len(lines) == len(parsed.rejected)
    for line, rejection in zip(lines, sorted(parsed.rejected, key=lambda r: r.line or 0), strict=True):
        assert f"line {rejection.line_or_element}:" in line
        assert rejection.reason in line


def test_strict_imports_nothing_from_a_file_with_rejects(cast):
    with pytest.raises(CommandError, match="--strict"):
        _run("import_questions", "--format", "gift", str(FIXTURES / "gift/malformed.gift"), "--owner", "gv", "--strict")
    assert not Question.objects.exists()


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage\x00", b"<quiz><question type='multichoice'>", b""])
def test_an_unreadable_file_exits_non_zero_and_imports_nothing(cast, tmp_path, content):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        _run("import_questions", "--format", "moodle-xml", str(path), "--owner", "gv")
    assert not Question.objects.exists()
    assert not TaggedQuestion.objects.exists()


def test_a_question_failing_to_save_leaves_no_half_record(cast, toan6):
    subject, grade, topic = toan6
    # A topic of another grade than the one given: every question fails at save time, after categories were made.
    other = type(topic).objects.filter(subject=subject).exclude(grade=grade).first()
    result = import_into_bank(
        format_name="gift",
        data=(FIXTURES / "gift/all_constructs.gift").read_bytes(),
        actor=cast.teacher,
        metadata={"topic": other, "grade": grade},
    )
    assert result.imported == []
    assert len(result.rejected) > 5
    assert all(
        r.code == "save.failed" and _("This topic belongs to another grade.") in r.reason for r in result.rejected
    )
    assert not Question.objects.exists()
    assert not QuestionVersion.objects.exists()
    assert not QuestionCategory.objects.filter(name="Hàm số").exists()


def test_import_places_questions_under_the_category_and_metadata_given(cast, toan6):
    subject, grade, _topic = toan6
    _run(
        "import_questions",
        "--format",
        "aiken",
        str(FIXTURES / "aiken/valid.txt"),
        "--owner",
        "gv",
        "--category",
        "Toán 6/Nhập từ Aiken",
        "--subject",
        "toan",
        "--grade",
        "6",
        "--level",
        "bon-muc:nb",
    )
    questions = list(Question.objects.select_related("category", "level"))
    assert questions
    for q in questions:
        assert q.category.names() == ("Toán 6", "Nhập từ Aiken")
        assert (q.subject, q.grade, q.level.code, q.owner, q.school) == (
            subject,
            grade,
            "nb",
            cast.teacher,
            cast.school,
        )


def test_outsiders_cannot_import_into_a_school_and_exports_follow_visibility(cast, tmp_path):
    with pytest.raises(CommandError, match="may not add"):
        _run(
            "import_questions",
            "--format",
            "aiken",
            str(FIXTURES / "aiken/valid.txt"),
            "--owner",
            "gv-bx",
            "--school",
            "T-AD",
        )
    _run("import_questions", "--format", "aiken", str(FIXTURES / "aiken/valid.txt"), "--owner", "gv")
    target = tmp_path / "out.gift"
    out, _err = _run("export_questions", "--format", "gift", "--out", str(target), "--as", "gv-bx")
    assert out.startswith("0 questions")
    out, _err = _run("export_questions", "--format", "qti21", "--out", str(tmp_path / "q.zip"), "--as", "gv")
    assert (tmp_path / "q.zip").read_bytes()[:2] == b"PK"

"""Aiken import against fixtures written from the Moodle Aiken documentation."""

from pathlib import Path

from question_bank.formats import FORMATS, import_questions
from question_bank.formats.aiken import import_aiken

FIXTURES = Path(__file__).parent / "fixtures" / "aiken"


def test_valid_file():
    report = import_aiken((FIXTURES / "valid.txt").read_bytes())
    assert report.rejected == []
    first, second = report.questions
    assert first.qtype == "single_choice"
    assert first.stem == "Thủ đô của Việt Nam là thành phố nào?"
    assert first.stem_format == "plain"
    assert [(a.text, a.fraction) for a in first.answers] == [
        ("Hà Nội", 1),
        ("Huế", 0),
        ("Thành phố Hồ Chí Minh", 0),
        ("Đà Nẵng", 0),
    ]
    assert first.source_line == 1
    assert second.stem == "Is this a question written over two lines?"  # "A)" options, "answer:" in any case
    assert [a.fraction for a in second.answers] == [0, 1]


def test_errors_have_line_numbers_and_do_not_stop_the_others():
    report = import_aiken((FIXTURES / "errors.txt").read_bytes())
    assert [q.stem for q in report.questions] == [
        "Good question after the errors",
        "Next question starts here without ANSWER",
    ]
    assert [(r.line_or_element, r.code) for r in report.rejected] == [
        (1, "aiken.bad_answer"),
        (6, "aiken.option_order"),
        (11, "aiken.too_few_options"),
        (15, "aiken.no_question"),
        (23, "aiken.missing_answer"),
        (31, "aiken.missing_answer"),
    ]
    assert "line 26" in report.rejected[4].reason


def test_orphan_answer_and_bad_encoding():
    report = import_aiken("ANSWER: A\n")
    assert [r.code for r in report.rejected] == ["aiken.orphan_answer"]
    assert [r.code for r in import_aiken(b"\xc0\xc1").rejected] == ["file.encoding"]


def test_registry():
    assert FORMATS["aiken"].exporter is None
    assert import_questions("aiken", "Q?\nA. a\nB. b\nANSWER: B").questions[0].answers[1].fraction == 1
    assert [r.code for r in import_questions("qti21", b"").rejected] == ["format.unknown"]

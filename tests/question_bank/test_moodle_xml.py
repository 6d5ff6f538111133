"""Moodle XML import/export against fixtures written from the Moodle XML format documentation."""

from decimal import Decimal
from pathlib import Path

import pytest

from question_bank.formats.cloze_syntax import ClozeError, format_cloze, parse_cloze
from question_bank.formats.moodle_xml import export_moodle_xml, import_moodle_xml
from question_bank.ir import Choice, EmbeddedFile, QuestionData

FIXTURES = Path(__file__).parent / "fixtures" / "moodle_xml"
D = Decimal
CAT = ("$course$", "top", "Vật lí 12", "Dao động cơ")


@pytest.fixture(scope="module")
def report():
    return import_moodle_xml((FIXTURES / "all_types.xml").read_bytes())


@pytest.fixture(scope="module")
def by_name(report):
    return {q.name: q for q in report.questions}


def test_all_types_read(report):
    assert report.rejected == []
    assert [q.qtype for q in report.questions] == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numeric",
        "matching",
        "essay",
        "cloze",
        "ordering",
        "description",
    ]


def test_multichoice_single_with_file_tags_and_feedbacks(by_name):
    q = by_name["Chu kì con lắc"]
    assert q.source_ref == "/quiz/question[2]" and q.source_line == 10
    assert q.category_path == CAT
    assert '<img src="@@PLUGINFILE@@/pendulum.png"' in q.stem
    assert q.files == (EmbeddedFile("pendulum.png", "/", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),)
    assert q.general_feedback == "<p>T = 2π√(l/g)</p>"
    assert (q.default_mark, q.penalty, q.idnumber, q.tags) == (
        D("0.25"),
        D("0.3333333"),
        "VL12-DD-01",
        ("lớp 12", "dao động"),
    )
    assert [(a.text, a.fraction, a.feedback) for a in q.answers][:2] == [
        ("chiều dài dây", 1, "Đúng."),
        ("khối lượng vật", 0, "Không phụ thuộc."),
    ]
    assert q.options == {
        "shuffle": True,
        "answer_numbering": "ABCD",
        "correct_feedback": "Chính xác!",
        "partially_correct_feedback": "Gần đúng.",
        "incorrect_feedback": "Chưa đúng.",
        "show_num_correct": True,
    }


def test_multichoice_several_answers(by_name):
    q = by_name["Several answers"]
    assert (q.stem_format, q.default_mark, q.penalty) == ("moodle", 2, D("0.1"))
    assert [(a.fraction, a.format) for a in q.answers] == [
        (D("0.5"), "plain"),
        (D("0.5"), "plain"),
        (D(-1), "plain"),
        (D("-0.3333333"), "plain"),
    ]
    assert (q.options["shuffle"], q.options["answer_numbering"]) == (False, "123")


def test_truefalse_shortanswer_numerical(by_name):
    tf = by_name["Sound in vacuum"]
    assert tf.category_path == (*CAT, "Con lắc lò xo")
    assert [(a.text, a.fraction, a.feedback) for a in tf.answers] == [
        ("true", 0, "No: sound needs a medium."),
        ("false", 1, "Right."),
    ]
    sa = by_name["Case sensitive"]
    assert (sa.stem_format, sa.options) == ("markdown", {"case_sensitive": True})
    assert [(a.text, a.fraction) for a in sa.answers] == [("Na", 1), ("N*", D("0.5"))]
    num = by_name["Length with units"]
    assert [(a.text, a.tolerance, a.feedback) for a in num.answers] == [
        ("1.5", D("0.01"), "Good."),
        ("*", None, "Measure again."),
    ]
    assert num.options == {
        "units": ({"unit": "m", "multiplier": "1"}, {"unit": "cm", "multiplier": "100"}),
        "unit_grading_type": 2,
        "unit_penalty": "0.25",
        "show_units": 0,
        "units_left": False,
    }


def test_matching_essay_ordering_description(by_name):
    m = by_name["Capitals"]
    assert m.options["shuffle"] is False
    assert [(s["text"], s["answer"]) for s in m.options["subquestions"]] == [
        ("Việt Nam", "Hà Nội"),
        ("Lào", "Viêng Chăn"),
        ("", "Bangkok"),
    ]
    e = by_name["Nghị luận"]
    assert e.default_mark == 6
    assert e.options == {
        "response_format": "editorfilepicker",
        "response_required": True,
        "response_field_lines": 20,
        "attachments": 1,
        "grader_info": "Chấm theo hướng dẫn.",
        "response_template": "Mở bài:",
    }
    o = by_name["Order the steps"]
    assert o.options == {"items": ("first", "second", "third"), "grading": "absolute_position"}
    d = by_name["Đọc đoạn văn"]
    assert (d.qtype, d.default_mark, d.penalty) == ("description", 0, 0)


def test_cloze_every_subtype_and_weight(by_name):
    q = by_name["Embedded answers"]
    assert q.stem.startswith("<p>Capital: {#1}. Case: {#2}.")
    assert q.general_feedback == "Cloze general feedback."
    parts = q.options["subquestions"]
    summary = [(p.qtype, p.default_mark, dict(p.options)) for p in parts]
    assert summary == [
        ("short_answer", 1, {"case_sensitive": False}),
        ("short_answer", 2, {"case_sensitive": True}),
        ("numeric", 2, {}),
        ("single_choice", 1, {"display": "dropdown", "shuffle": False}),
        ("single_choice", 1, {"display": "vertical", "shuffle": False}),
        ("single_choice", 1, {"display": "horizontal", "shuffle": False}),
        ("single_choice", 1, {"display": "dropdown", "shuffle": True}),
        ("multiple_choice", 1, {"display": "vertical", "shuffle": False}),
        ("multiple_choice", 1, {"display": "horizontal", "shuffle": False}),
        ("short_answer", 1, {"case_sensitive": False}),
    ]
    assert [(a.text, a.fraction, a.feedback) for a in parts[0].answers] == [
        ("Hà Nội", 1, "Đúng"),
        ("Ha Noi", D("0.5"), "Thiếu dấu"),
    ]
    assert [(a.text, a.fraction, a.tolerance) for a in parts[2].answers] == [
        ("23.8", 1, D("0.1")),
        ("23.8", D("0.5"), D(2)),
    ]
    assert [a.fraction for a in parts[7].answers] == [D("0.5"), D("0.5"), 0]  # MR weights scaled to 100 %
    assert [a.fraction for a in parts[8].answers] == [1, -1]  # no %: wrong answers cancel a right one
    assert parts[9].answers[0].text == "a}b#c"


def test_bad_questions_rejected_with_element_and_line():
    report = import_moodle_xml((FIXTURES / "bad_questions.xml").read_bytes())
    assert [q.name for q in report.questions] == ["Good one"]
    assert [(r.line_or_element, r.line, r.code) for r in report.rejected] == [
        ("/quiz/question[1]", 3, "xml.unknown_type"),
        ("/quiz/question[2]", 6, "xml.not_number"),
        ("/quiz/question[4]", 17, "xml.truefalse"),
        ("/quiz/question[5]", 22, "xml.bad_file"),
        ("/quiz/question[6]", 26, "xml.cloze_syntax"),
        ("/quiz/question[7]", 30, "xml.not_number"),
        ("/quiz/question[8]", 35, "invalid.answers.no_full_credit"),
    ]


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<quiz><question type="essay"><name><text>&b;</text></name></question></quiz>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&x;</text></name></question></quiz>"""


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file.empty"),
        (b"not xml at all", "file.not_xml"),
        (b"<quiz><question></quiz>", "file.not_xml"),
        (b"<questions/>", "xml.not_quiz"),
        (ENTITY_BOMB, "file.doctype"),
        (XXE, "file.doctype"),
        ("<?xml version='1.0' encoding='latin-1'?><quiz/>", None),
    ],
)
def test_unreadable_or_unsafe_files(data, code):
    report = import_moodle_xml(data)
    assert [r.code for r in report.rejected] == ([code] if code else [])
    assert report.questions == []


def test_export_round_trip_of_the_fixture(report):
    exported = export_moodle_xml(report.questions)
    assert exported.skipped == []
    text = exported.content.decode("utf-8")
    assert '<file name="pendulum.png" path="/" encoding="base64">iVBORw0KGgoAAAANSUhEUg==</file>' in text
    assert "{1:SHORTANSWER:=Hà Nội#Đúng~%50%Ha Noi#Thiếu dấu}" in text
    assert "<text>$course$/top/Vật lí 12/Dao động cơ/Con lắc lò xo</text>" in text
    assert "lms_options" not in text  # everything here is native Moodle XML
    again = import_moodle_xml(exported.content)
    assert again.rejected == []
    assert again.questions == report.questions


def test_2025_types_and_non_moodle_options_round_trip():
    group = QuestionData(
        "true_false_group",
        name="Đ–S",
        stem="<p>Cho tam giác ABC vuông tại A.</p>",
        options={
            "statements": tuple({"text": f"{c}) Mệnh đề {c}", "correct": c in "ac", "feedback": ""} for c in "abcd"),
            "scoring": ("0", "0.1", "0.25", "0.5", "1"),
        },
    )
    short = QuestionData("short_numeric_2025", name="TLN", answers=(Choice("0,25", 1),), options={"max_chars": 4})
    folded = QuestionData(
        "short_answer",
        name="SA",
        answers=(Choice("Hà Nội", 1, "", "moodle"),),
        options={"case_sensitive": False, "ignore_diacritics": True},
    )
    exported = export_moodle_xml([group, short, folded])
    text = exported.content.decode("utf-8")
    assert "<lms_qtype>true_false_group</lms_qtype>" in text
    assert '<question type="matching">' in text and '<question type="numerical">' in text
    assert '<lms_options>{"ignore_diacritics": true}</lms_options>' in text
    assert import_moodle_xml(exported.content).questions == [group, short, folded]


def test_cloze_syntax_helpers():
    stem, parts = parse_cloze("A {2:MCHS:=x#ok~%-50%y} B {:NM:=1,5:0,1}")
    assert stem == "A {#1} B {#2}"
    assert (parts[0].options, parts[0].default_mark) == ({"display": "horizontal", "shuffle": True}, 2)
    assert [(a.text, a.fraction, a.feedback) for a in parts[0].answers] == [("x", 1, "ok"), ("y", D("-0.5"), "")]
    assert [(a.text, a.tolerance) for a in parts[1].answers] == [("1.5", D("0.1"))]
    assert parse_cloze(format_cloze(stem, parts)) == (stem, parts)
    with pytest.raises(ClozeError):
        parse_cloze("{1:NM:=five}")
    with pytest.raises(ClozeError):
        parse_cloze("{1:SA:=}")
    tricky = QuestionData(
        "short_answer", answers=(Choice('a&b <c> ~#}\\/"', 1, "f#~}"),), options={"case_sensitive": False}
    )
    assert parse_cloze(format_cloze("{#1}", (tricky,)))[1] == (tricky,)

"""GIFT import and export against fixtures written from the Moodle GIFT documentation."""

from decimal import Decimal
from pathlib import Path

import pytest

from question_bank.formats.gift import export_gift, import_gift
from question_bank.ir import Choice, EmbeddedFile, QuestionData

FIXTURES = Path(__file__).parent / "fixtures" / "gift"
D = Decimal
CATEGORY = ("$course$", "top", "Toán 10", "Hàm số")


@pytest.fixture(scope="module")
def report():
    return import_gift((FIXTURES / "all_constructs.gift").read_bytes())


@pytest.fixture(scope="module")
def by_name(report):
    return {q.name: q for q in report.questions}


def answers(q):
    return [(a.text, a.fraction, a.feedback) for a in q.answers]


def test_every_question_is_read(report):
    assert report.rejected == []
    assert len(report.questions) == 16


def test_multiple_choice_comments_title_ids_tags_category_feedback(by_name):
    q = by_name["Grant's tomb"]
    assert q.qtype == "single_choice"
    assert q.stem == "Who's buried in Grant's tomb?"
    assert q.stem_format == "moodle"
    assert answers(q) == [("Grant", 0, "No, he is not there."), ("Jefferson", 0, ""), ("no one", 1, "Right!")]
    assert q.general_feedback == "Grant is entombed, not buried."
    assert (q.idnumber, q.tags, q.category_path) == ("TOAN-001", ("lớp 10", "trắc nghiệm"), CATEGORY)
    assert q.source_line == 8


def test_missing_word_and_weights(by_name):
    assert by_name["Missing word"].stem == "Grant is _____ in Grant's tomb."
    assert [a.fraction for a in by_name["Missing word"].answers] == [0, 1, 0]
    q = by_name["Weights"]
    assert q.qtype == "multiple_choice"
    assert [a.fraction for a in q.answers] == [D(-1), D("0.5"), D("0.5"), D(-1)]
    assert [a.fraction for a in by_name["Multi answer"].answers] == [D("0.5"), D("0.5"), D("-0.5"), D("-0.5")]
    assert (by_name["Multi answer"].idnumber, by_name["Multi answer"].tags) == ("MR]1", ("a]b",))


def test_true_false_with_formats_and_feedback(by_name):
    t = by_name["True statement"]
    assert (t.qtype, t.stem, t.stem_format, t.penalty) == ("true_false", "<p>1 + 1 = 2</p>", "html", D(1))
    assert answers(t) == [("true", 1, ""), ("false", 0, "")]
    f = by_name["False with feedback"]
    # {FALSE#wrong#right}: the first feedback is for the wrong answer (true), the second for the right one.
    assert answers(f) == [
        ("true", 0, "That is wrong, it rises in the East."),
        ("false", 1, "Correct, it rises in the East."),
    ]


def test_short_answer_and_escapes(by_name):
    q = by_name["Short"]
    assert q.qtype == "short_answer"
    assert q.stem == "Two plus two equals _____."
    assert answers(q) == [("four", 1, ""), ("4", 1, ""), ("bốn", D("0.5"), "Spelled in Vietnamese: half credit.")]
    e = by_name["Escapes"]
    assert e.stem == "Escaped characters: ~ = # { } and a backslash \\ here."
    assert answers(e) == [("a=b", 1, "")]


def test_matching_with_distractor_and_markdown(by_name):
    q = by_name["Match"]
    assert (q.qtype, q.stem_format) == ("matching", "markdown")
    assert [(s["text"], s["answer"]) for s in q.options["subquestions"]] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
        ("Japan", "Tokyo"),
        ("", "Hà Nội"),
    ]


def test_numeric_forms(by_name):
    tol = by_name["Numeric tolerance"].answers
    assert [(a.text, a.tolerance) for a in tol] == [("1822", D(5))]
    rng = by_name["Numeric range"].answers
    assert [(a.text, a.tolerance) for a in rng] == [("3", D(2))]
    multi = by_name["Numeric multiple"]
    assert [(a.text, a.fraction, a.tolerance, a.feedback) for a in multi.answers] == [
        ("1822", 1, 0, "Correct! Full credit."),
        ("1822", D("0.5"), 2, "He was born in 1822. Half credit for being close."),
        ("*", 0, None, "Wrong year."),
    ]


def test_essay_description_default_name_and_nested_category(by_name, report):
    essay = by_name["Essay"]
    assert (essay.qtype, essay.stem_format, essay.general_feedback) == ("essay", "plain", "Teachers grade this.")
    description = by_name["Plain description"]
    assert (description.qtype, description.default_mark, description.stem) == (
        "description",
        0,
        "<p>The next questions are about geometry.</p>",
    )
    untitled = by_name["Question text without a title, used as the name"]
    assert untitled.qtype == "short_answer"
    last = report.questions[-1]
    assert last.category_path == ("$course$", "top", "Toán 10", "Nested/Slash")
    assert (last.stem_format, [(a.text, a.format) for a in last.answers]) == (
        "moodle",
        [("<b>bold</b>", "html"), ("plain", "plain")],
    )


def test_malformed_questions_are_rejected_with_lines_others_kept():
    report = import_gift((FIXTURES / "malformed.gift").read_bytes())
    assert [q.name for q in report.questions] == ["Good one", "Still good"]
    assert [(r.line_or_element, r.code) for r in report.rejected] == [
        (3, "gift.brace"),
        (5, "gift.brace"),
        (7, "gift.not_number"),
        (9, "gift.matching"),
        (11, "gift.too_few_answers"),
        (16, "gift.extension"),
        (18, "invalid.answers.positive_sum"),
    ]
    assert all(r.line == r.line_or_element for r in report.rejected)


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"\xff\xfe\x00\xd8bad", "file.encoding"), (b"::a::x {T}\xc3\x28", "file.encoding"), ("a\x00b", "file.binary")],
)
def test_unreadable_files_give_one_file_rejection(data, code):
    report = import_gift(data)
    assert report.questions == []
    assert [(r.line_or_element, r.code) for r in report.rejected] == [(0, code)]


def test_utf8_bom_utf16_and_crlf():
    text = "::A::Đúng? {T}\r\n\r\n::B::Sai? {F}\r\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-16"), text):
        report = import_gift(data)
        assert [q.name for q in report.questions] == ["A", "B"]


def test_export_is_moodle_style_and_round_trips(report):
    exported = export_gift(report.questions)
    assert exported.skipped == []
    text = exported.content
    assert "$CATEGORY: $course$/top/Toán 10/Hàm số" in text
    assert "// [id:TOAN-001] [tag:lớp 10] [tag:trắc nghiệm]" in text
    assert "::Escapes::Escaped characters\\: \\~ \\= \\# \\{ \\} and a backslash \\\\ here." in text
    assert "\t~%-100%No one\n" in text
    again = import_gift(text)
    assert again.rejected == []
    assert again.questions == report.questions


def test_2025_types_travel_through_gift_with_the_extension_comment():
    group = QuestionData(
        "true_false_group",
        name="Đúng–Sai",
        stem="Cho hàm số y = x².",
        stem_format="moodle",
        options={
            "statements": (
                {"text": "a) Hàm số chẵn.", "correct": True, "feedback": "Vì f(-x) = f(x)."},
                {"text": "b) Đồng biến trên ℝ.", "correct": False, "feedback": ""},
                {"text": "c) f(2) = 4.", "correct": True, "feedback": ""},
                {"text": "d) Có cực đại.", "correct": False, "feedback": ""},
            ),
            "scoring": ("0", "0.1", "0.25", "0.5", "1"),
        },
    )
    short = QuestionData(
        "short_numeric_2025",
        name="TLN",
        stem="x = ?",
        stem_format="moodle",
        default_mark="0.5",
        answers=(Choice("-1,5", 1, "", "moodle"),),
        options={"max_chars": 4},
    )
    essay = QuestionData("ordering", name="skip me", options={"items": ("a", "b")})
    exported = export_gift([group, short, essay])
    assert [(s.line_or_element, s.code) for s in exported.skipped] == [(2, "gift.cannot_write")]
    assert "=a) Hàm số chẵn. -> Đúng" in exported.content  # Moodle sees a matching question
    assert '// [lms:{"qtype": "true_false_group"' in exported.content
    back = import_gift(exported.content)
    assert back.rejected == []
    assert back.questions == [group, short]


def test_export_keeps_case_and_diacritic_options():
    q = QuestionData(
        "short_answer",
        name="sa",
        stem="?",
        stem_format="moodle",
        answers=(Choice("Hà Nội", 1, "", "moodle"),),
        options={"case_sensitive": True, "ignore_diacritics": True},
    )
    back = import_gift(export_gift([q]).content)
    assert back.questions == [q]


def test_true_false_spellings_and_new_line_escape():
    text = "::a::Line one\\nline two{TRUE}\n\n::b::x{F#Sai#Đúng}\n\n::c::y{T####Giải thích}\n"
    a, b, c = import_gift(text).questions
    assert a.stem == "Line one\nline two"
    assert [x.fraction for x in a.answers] == [1, 0]
    assert [(x.fraction, x.feedback) for x in b.answers] == [(0, "Sai"), (1, "Đúng")]
    assert (c.general_feedback, [x.fraction for x in c.answers]) == ("Giải thích", [1, 0])


def test_embedded_files_are_reported_when_exporting_gift():
    q = QuestionData("essay", name="e", stem="x", stem_format="moodle", files=(EmbeddedFile("a.png", "/", b"1"),))
    result = export_gift([q])
    assert [w.code for w in result.warnings] == ["gift.files_dropped"]

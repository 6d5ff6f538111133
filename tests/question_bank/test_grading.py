"""Grading and validation of every registered question type (pure: no database)."""

from decimal import Decimal

import pytest

from question_bank.ir import Choice, QuestionData
from question_bank.types import EXAM_2025_TRUE_FALSE_SCORING, REGISTRY, choices, get_type, grade, validate

D = Decimal


def codes(q):
    return {p.code for p in validate(q) if p.is_error}


def test_registry_lists_every_type_once():
    assert list(REGISTRY) == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "true_false_group",
        "short_answer",
        "numeric",
        "short_numeric_2025",
        "matching",
        "ordering",
        "essay",
        "cloze",
        "description",
    ]
    assert ("essay", "Essay") in choices()
    with pytest.raises(KeyError):
        get_type("calculated")
    assert {p.code for p in validate(QuestionData("calculated"))} == {"qtype.unknown"}


SINGLE = QuestionData(
    "single_choice",
    stem="2 + 2 = ?",
    answers=(Choice("4", 1, "Đúng"), Choice("5", 0, "Sai"), Choice("3", D("-0.5"), "Âm")),
)


def test_single_choice():
    assert validate(SINGLE) == []
    g = grade(SINGLE, 0)
    assert (g.fraction, g.correct, g.feedback) == (D(1), True, "Đúng")
    assert grade(SINGLE, 1).correct is False
    assert grade(SINGLE, 2).fraction == 0  # negative credit floored at 0
    for bad in (None, 7, -1, "0", True):
        assert grade(SINGLE, bad).fraction == 0
    assert "answers.no_full_credit" in codes(SINGLE.replace(answers=(Choice("a", D("0.5")), Choice("b", 0))))
    assert "answers.too_few" in codes(SINGLE.replace(answers=(Choice("a", 1),)))
    assert "numbering.unknown" in codes(SINGLE.replace(options={"answer_numbering": "xyz"}))


MULTI = QuestionData(
    "multiple_choice",
    answers=(Choice("2", D("0.5")), Choice("3", D("0.5")), Choice("4", -1), Choice("9", D("-0.5"))),
)


@pytest.mark.parametrize(
    ("chosen", "expected", "correct"),
    [
        ([0, 1], D(1), True),
        ([0], D("0.5"), None),
        ([0, 1, 3], D("0.5"), None),
        ([0, 2], D(0), False),  # 0.5 - 1 floored at 0
        ([2, 3], D(0), False),
        ([], D(0), False),
        ([1, 1, 0], D(1), True),  # duplicates ignored
    ],
)
def test_multiple_choice_partial_and_negative(chosen, expected, correct):
    g = grade(MULTI, chosen)
    assert g.fraction == expected
    assert g.correct is correct


def test_multiple_choice_validation_and_bad_responses():
    assert validate(MULTI) == []
    assert "answers.positive_sum" in codes(MULTI.replace(answers=(Choice("a", D("0.5")), Choice("b", 0))))
    thirds = MULTI.replace(answers=(*tuple(Choice(str(i), D("0.3333333")) for i in range(3)), Choice("x", -1)))
    assert validate(thirds) == []
    assert grade(thirds, [0, 1, 2]).fraction == D("0.9999999")
    assert grade(MULTI, "01").fraction == 0
    assert grade(MULTI, [9]).fraction == 0
    assert "fraction.range" in codes(MULTI.replace(answers=(Choice("a", 2), Choice("b", -1))))


TF = QuestionData("true_false", answers=(Choice("true", 0, "Sai rồi"), Choice("false", 1, "Đúng rồi")))


def test_true_false():
    assert validate(TF) == []
    assert grade(TF, False).correct is True
    assert grade(TF, "Sai").fraction == 1
    assert grade(TF, True).feedback == "Sai rồi"
    assert grade(TF, "đúng").fraction == 0
    assert grade(TF, "maybe").fraction == 0
    assert "truefalse.answers" in codes(TF.replace(answers=(Choice("false", 1), Choice("true", 0))))
    assert "truefalse.fractions" in codes(TF.replace(answers=(Choice("true", 1), Choice("false", 1))))


def _tf_group(scoring=None):
    statements = (
        {"text": "a) Hàm số đồng biến trên ℝ.", "correct": True, "feedback": ""},
        {"text": "b) Đồ thị đi qua gốc toạ độ.", "correct": False, "feedback": "Không qua O."},
        {"text": "c) f(1) = 2.", "correct": True, "feedback": ""},
        {"text": "d) f có cực trị.", "correct": False, "feedback": ""},
    )
    options = {"statements": statements}
    if scoring is not None:
        options["scoring"] = scoring
    return QuestionData("true_false_group", stem="Cho hàm số f(x) = x + 1.", options=options)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ([False, True, False, True], D(0)),
        ([True, True, False, True], D("0.1")),
        ([True, False, False, True], D("0.25")),
        ([True, False, True, True], D("0.5")),
        ([True, False, True, False], D(1)),
        ([True, False, True, None], D("0.5")),  # unanswered counts as not correct
        (["Đ", "S", "Đ", "S"], D(1)),
    ],
)
def test_true_false_group_2025_exam_table(response, expected):
    q = _tf_group()
    assert grade(q, response).fraction == expected


def test_true_false_group_points_and_editable_table():
    q = _tf_group()
    assert validate(q) == []
    assert EXAM_2025_TRUE_FALSE_SCORING == ("0", "0.1", "0.25", "0.5", "1")
    # A Đúng–Sai question is worth 1 point in the exam: 2 right statements give 0,25 point.
    assert grade(q, [True, False, False, True]).points(1) == D("0.25")
    corrected = _tf_group(scoring=("0", "0.2", "0.4", "0.6", "1"))
    assert grade(corrected, [True, True, False, True]).fraction == D("0.2")
    assert grade(q, [True, False, True, False]).feedback == "Không qua O."
    assert "scoring.length" in codes(_tf_group(scoring=("0", "1")))
    assert "scoring.order" in codes(_tf_group(scoring=("0", "0.5", "0.25", "0.75", "1")))
    assert "scoring.range" in codes(_tf_group(scoring=("0", "0.1", "0.2", "0.3", "2")))
    assert grade(q, [True, False]).fraction == 0
    assert grade(q, "ĐSĐS").fraction == 0
    three = q.replace(options={"statements": q.options["statements"][:3]})
    assert [p.code for p in validate(three)] == ["statements.count"]  # warning only, linear table
    assert grade(three, [True, False, True]).fraction == 1


SHORT = QuestionData(
    "short_answer",
    answers=(Choice("Hà Nội", 1, "Đúng"), Choice("Thủ đô *", D("0.5")), Choice("\\*", D("0.1"))),
)


def test_short_answer_normalisation_wildcard_case_diacritics():
    assert validate(SHORT) == []
    assert grade(SHORT, "  hà   nội ").fraction == 1  # case-insensitive, spaces squashed
    assert grade(SHORT, "Ha Noi").fraction == 0
    assert grade(SHORT, "Thủ đô Việt Nam").fraction == D("0.5")  # * wildcard
    assert grade(SHORT, "*").fraction == D("0.1")  # \* is a literal star
    assert grade(SHORT, "x").correct is False
    assert grade(SHORT, "").feedback == "no answer given"
    folded = SHORT.replace(options={"ignore_diacritics": True})
    assert grade(folded, "ha noi").fraction == 1
    assert grade(folded, "HÀ NỘI").fraction == 1
    assert (
        grade(
            QuestionData("short_answer", answers=(Choice("Đà Nẵng", 1),), options={"ignore_diacritics": True}),
            "da nang",
        ).fraction
        == 1
    )
    strict = SHORT.replace(options={"case_sensitive": True})
    assert grade(strict, "hà nội").fraction == 0
    assert grade(strict, "Hà Nội").fraction == 1
    decomposed = "Ha\u0300 N\u00f4\u0323i"  # NFD input from some keyboards
    assert grade(SHORT, decomposed).fraction == 1
    assert "answer.empty" in codes(SHORT.replace(answers=(Choice(" ", 1),)))


NUMERIC = QuestionData(
    "numeric",
    answers=(
        Choice("1.5", 1, "", tolerance=D("0.01")),
        Choice("1.5", D("0.5"), "", tolerance=D("0.1")),
        Choice("*", 0, "Sai"),
    ),
    options={
        "units": ({"unit": "m", "multiplier": "1"}, {"unit": "cm", "multiplier": "100"}),
        "unit_grading_type": 1,
        "unit_penalty": "0.2",
    },
)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("1.5 m", D(1)),
        ("1,5 m", D(1)),  # decimal comma
        ("1,505m", D(1)),
        ("150 cm", D(1)),  # unit multiplier
        ("1,55 m", D("0.5")),
        ("1,5", D("0.8")),  # missing unit: credit × (1 - 0.2)
        ("1,5 km", D("0.8")),  # unknown unit
        ("3 m", D(0)),
    ],
)
def test_numeric_units_tolerance_decimal_comma(response, expected):
    assert grade(NUMERIC, response).fraction == expected


def test_numeric_without_units_and_separators():
    q = QuestionData("numeric", answers=(Choice("1234.5", 1, tolerance=D(0)),))
    assert validate(q) == []
    for text in ("1234,5", "1234.5", "1.234,5", "1,234.5", "1 234,5", "1\u00a0234,5", "12345e-1"):
        assert grade(q, text).fraction == 1, text
    for text in ("12,34,5", "abc", "", "1,5 m"):
        assert grade(q, text).fraction == 0, text
    subtract = NUMERIC.replace(options={**NUMERIC.options, "unit_grading_type": 2, "unit_penalty": "0.25"})
    assert grade(subtract, "1,5").fraction == D("0.75")
    assert "answer.not_number" in codes(q.replace(answers=(Choice("x", 1),)))
    assert "units.base" in codes(NUMERIC.replace(options={"units": ({"unit": "cm", "multiplier": "100"},)}))
    assert "units.names" in codes(
        NUMERIC.replace(options={"units": ({"unit": "m", "multiplier": "1"}, {"unit": "m", "multiplier": "1"})})
    )


SHORT_2025 = QuestionData("short_numeric_2025", answers=(Choice("-1,5", 1),))


@pytest.mark.parametrize(
    ("response", "expected"),
    [("-1,5", 1), ("-1.5", 1), (" -1, 5 ", 1), ("-1,50", 0), ("1,5", 0), ("-1,", 0), ("-1", 0), ("−1,5", 1)],
)
def test_short_numeric_2025(response, expected):
    # "-1,50" has five characters: more than the four boxes of the answer sheet.
    assert grade(SHORT_2025, response).fraction == expected


def test_short_numeric_2025_rules():
    assert validate(SHORT_2025) == []
    q = QuestionData("short_numeric_2025", answers=(Choice("0,5", 1),))
    assert grade(q, "0,50").fraction == 1  # four characters, same value
    assert grade(q, ",5").fraction == 1
    assert grade(q, "12345").feedback.startswith("write a number of at most 4")
    assert "answer.format" in codes(q.replace(answers=(Choice("12345", 1),)))
    assert "answer.format" in codes(q.replace(answers=(Choice("1/2", 1),)))
    assert "max_chars.invalid" in codes(q.replace(options={"max_chars": 0}))


MATCHING = QuestionData(
    "matching",
    options={
        "subquestions": (
            {"text": "Việt Nam", "answer": "Hà Nội"},
            {"text": "Lào", "answer": "Viêng Chăn"},
            {"text": "", "answer": "Bangkok"},
        )
    },
)


def test_matching():
    assert validate(MATCHING) == []
    assert grade(MATCHING, {0: "Hà Nội", 1: "Viêng Chăn"}).fraction == 1
    assert grade(MATCHING, {0: "Hà  Nội", 1: "Bangkok"}).fraction == D("0.5")
    assert grade(MATCHING, {}).fraction == 0
    assert grade(MATCHING, ["Hà Nội"]).fraction == 0
    one = MATCHING.replace(options={"subquestions": ({"text": "a", "answer": "b"},)})
    assert "subquestions.too_few" in codes(one)


ORDERING = QuestionData("ordering", options={"items": ("một", "hai", "ba", "bốn")})


def test_ordering_all_or_nothing_and_by_position():
    assert validate(ORDERING) == []
    assert grade(ORDERING, [0, 1, 2, 3]).fraction == 1
    assert grade(ORDERING, [1, 0, 2, 3]).fraction == 0
    partial = ORDERING.replace(options={**ORDERING.options, "grading": "absolute_position"})
    assert grade(partial, [1, 0, 2, 3]).fraction == D("0.5")
    assert grade(partial, [3, 2, 1, 0]).fraction == 0
    assert grade(ORDERING, [0, 1, 2]).fraction == 0
    assert grade(ORDERING, [0, 0, 1, 2]).fraction == 0
    assert "grading.unknown" in codes(ORDERING.replace(options={**ORDERING.options, "grading": "relative"}))


def test_essay_and_description():
    essay = QuestionData("essay", default_mark=6)
    g = grade(essay, "Bài làm")
    assert g.needs_manual and g.correct is None and g.fraction == 0
    description = QuestionData("description", default_mark=0)
    assert validate(description) == []
    assert grade(description, None).correct is None
    assert not get_type("description").gradable
    assert [p.severity for p in validate(description.replace(default_mark=1))] == ["warning"]


def _cloze():
    parts = (
        QuestionData("short_answer", default_mark=1, answers=(Choice("Hà Nội", 1),)),
        QuestionData("numeric", default_mark=2, answers=(Choice("5", 1, tolerance=D("0.1")),)),
        QuestionData(
            "single_choice",
            default_mark=1,
            answers=(Choice("Sai", 0), Choice("Đúng", 1)),
            options={"display": "dropdown"},
        ),
    )
    return QuestionData("cloze", stem="Thủ đô {#1}; số {#2}; {#3}.", options={"subquestions": parts})


def test_cloze_weighted_sum():
    q = _cloze()
    assert validate(q) == []
    assert grade(q, {1: "hà nội", 2: "5,05", 3: 1}).fraction == 1
    assert grade(q, {1: "x", 2: "5", 3: 0}).fraction == D("0.5")  # weight 2 of 4
    assert grade(q, ["Hà Nội", "9", 1]).fraction == D("0.5")
    assert grade(q, {}).fraction == 0
    assert grade(q, "x").fraction == 0
    assert "cloze.placeholders" in codes(q.replace(stem="{#1} {#3}"))
    bad_part = (*q.options["subquestions"][:2], QuestionData("essay"))
    assert "cloze.subtype" in codes(q.replace(options={"subquestions": bad_part}))
    assert "cloze.empty" in codes(q.replace(options={"subquestions": ()}))


def test_rounding_is_documented_half_up():
    thirds = QuestionData(
        "matching", options={"subquestions": tuple({"text": str(i), "answer": str(i)} for i in range(3))}
    )
    g = grade(thirds, {0: "0", 1: "1"})
    assert g.fraction == D("0.6666667")
    assert g.points(D("0.25")) == D("0.17")
    assert g.points(10, places=3) == D("6.667")


def test_common_checks():
    assert "mark.negative" in codes(SINGLE.replace(default_mark=-1))
    assert "penalty.range" in codes(SINGLE.replace(penalty=2))

"""The intermediate representation, text/number normalisation and JSON serialisation."""

import dataclasses
import unicodedata
from decimal import Decimal

import pytest

from question_bank.ir import (
    Choice,
    EmbeddedFile,
    QuestionData,
    category_names,
    dec_str,
    join_category_path,
    split_category_path,
)
from question_bank.serialize import dumps, from_json_dict, loads, to_json_dict
from question_bank.textnorm import parse_number, squash_spaces, strip_marks


def test_question_is_frozen_nfc_and_tuples():
    nfd = unicodedata.normalize("NFD", "Hoá học")
    q = QuestionData(
        "short_answer",
        name=nfd,
        stem=nfd,
        tags=[nfd],
        answers=[Choice(nfd, 1, nfd)],
        options={"statements": [{"text": nfd}]},
        default_mark="0,25",
    )
    assert q.name == q.stem == q.tags[0] == q.answers[0].text == q.answers[0].feedback == "Hoá học"
    assert q.options["statements"][0]["text"] == "Hoá học"
    assert isinstance(q.tags, tuple) and isinstance(q.answers, tuple) and isinstance(q.options["statements"], tuple)
    assert q.default_mark == Decimal("0.25")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.name = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        QuestionData("essay", stem_format="rtf")


def test_source_position_is_not_compared_and_files_are_sorted_unique():
    a = QuestionData("essay", source_line=3, source_ref="line 3")
    b = QuestionData("essay", source_line=9, source_ref="/quiz/question[2]")
    assert a == b
    files = (EmbeddedFile("b.png", "img", b"2"), EmbeddedFile("a.png", "/", b"1"), EmbeddedFile("a.png", "/", b"1"))
    q = QuestionData("essay", files=files)
    assert [(f.path, f.name) for f in q.files] == [("/", "a.png"), ("/img/", "b.png")]
    assert q.files[1].reference == "@@PLUGINFILE@@/img/b.png"


def test_category_paths():
    parts = split_category_path("$course$/top/Toán 10/A//B/ ")
    assert parts == ("$course$", "top", "Toán 10", "A/B")
    assert join_category_path(parts) == "$course$/top/Toán 10/A//B"
    assert category_names(parts) == ("Toán 10", "A/B")
    assert category_names(("Đại số",)) == ("Đại số",)


def test_dec_str_is_canonical():
    assert dec_str(Decimal("0.50")) == "0.5"
    assert dec_str(Decimal("1E+2")) == "100"
    assert dec_str(Decimal("-0.000")) == "0"
    assert dec_str("33.333330") == "33.33333"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("-1,5", "-1.5"),
        ("\u22121,5", "-1.5"),
        ("+2", "2"),
        (",5", "0.5"),
        ("1,234", "1.234"),  # a lone separator is the decimal separator
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1 234 567,25", "1234567.25"),
        ("1\u202f234", "1234"),
        ("2e3", "2000"),
        ("5.", "5"),
    ],
)
def test_parse_number_accepts(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "1e999999", "1e-999", "1,2,34", "12.34.5", "1.234,5,6", "1 23", "--1", "1e", "inf", "NaN", "1,5 cm"],
)
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_strip_marks_and_spaces():
    assert strip_marks("Đường Hồ Chí Minh") == "Duong Ho Chi Minh"
    assert strip_marks(unicodedata.normalize("NFD", "tiếng Việt")) == "tieng Viet"
    assert squash_spaces(" a \t b\n\u00a0c ") == "a b c"


def test_serialize_round_trip_with_nested_cloze():
    part = QuestionData("numeric", default_mark=2, answers=(Choice("5", 1, tolerance=Decimal("0.1")),))
    q = QuestionData(
        "cloze",
        name="Điền",
        stem="{#1}",
        tags=("a",),
        category_path=("$course$", "top"),
        options={"subquestions": (part,)},
        files=(EmbeddedFile("x.png", "/", b"\x00\x01"),),
    )
    data = to_json_dict(q)
    assert data["options"]["subquestions"][0]["__question__"]["answers"][0]["tolerance"] == "0.1"
    assert from_json_dict(data) == q
    assert loads(dumps(q)) == q

"""Hypothesis strategies producing questions in the normal form the importers produce.

Texts are NFC, trimmed and non-empty, and use an alphabet full of format syntax (GIFT's
``~ = # { } : \\``, XML's ``< > &``, cloze's ``~ # } / "``, ``%`` weights, ``[`` format
prefixes) plus Vietnamese letters. Options carry every key the importers fill in, so an
exported and re-imported question must compare equal to the generated one.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from question_bank.ir import Choice, EmbeddedFile, QuestionData, dec_str

SYNTAX = "~=#{}:\\<>&%\"'/[]*.,-!?\n"
ALPHABET = "abcxyzXYZ019 ạđêôưĐố" + SYNTAX
PLAIN = "abcxyzXYZ019 ạđêôưĐố"


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().split("\n") if line.strip())


def texts(alphabet: str = ALPHABET, max_size: int = 14) -> st.SearchStrategy[str]:
    """Non-empty trimmed texts without "->" (GIFT cannot escape it)."""
    return st.text(alphabet, min_size=1, max_size=max_size).map(_clean).filter(lambda t: bool(t) and "->" not in t)


def maybe(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), strategy)


formats = st.sampled_from(["html", "moodle", "plain", "markdown"])
marks = st.sampled_from([Decimal(1), Decimal("0.25"), Decimal("0.5"), Decimal(2), Decimal(10)])
penalties = st.sampled_from([Decimal("0.3333333"), Decimal(0), Decimal("0.1"), Decimal(1)])
names = texts(PLAIN + "-_.()", 20)
tags = st.lists(texts(PLAIN, 10), max_size=3, unique=True).map(tuple)
categories = st.lists(texts(PLAIN, 8), min_size=0, max_size=3).map(
    lambda parts: ("$course$", "top", *parts) if parts else ()
)


@st.composite
def common(draw, qtype: str) -> dict:
    return {
        "qtype": qtype,
        "name": draw(names),
        "stem": draw(texts()),
        "stem_format": draw(formats),
        "general_feedback": draw(maybe(texts())),
        "default_mark": draw(marks),
        "penalty": draw(penalties),
        "idnumber": draw(maybe(texts(PLAIN + "-_", 10))),
        "tags": draw(tags),
        "category_path": draw(categories),
    }


def choice_options(draw) -> dict:
    return {
        "shuffle": draw(st.booleans()),
        "answer_numbering": draw(st.sampled_from(["abc", "ABCD", "123", "iii", "IIII", "none"])),
        "correct_feedback": draw(maybe(texts())),
        "partially_correct_feedback": draw(maybe(texts())),
        "incorrect_feedback": draw(maybe(texts())),
        "show_num_correct": draw(st.booleans()),
    }


@st.composite
def single_choice(draw) -> QuestionData:
    base = draw(common("single_choice"))
    n = draw(st.integers(2, 5))
    right = draw(st.integers(0, n - 1))
    fractions = [
        Decimal(1) if i == right else draw(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("-0.25")]))
        for i in range(n)
    ]
    fmt = base["stem_format"]
    answers = tuple(
        Choice(draw(texts()), f, draw(maybe(texts())), draw(st.sampled_from([fmt, "html"]))) for f in fractions
    )
    return QuestionData(**base, answers=answers, options=choice_options(draw))


@st.composite
def multiple_choice(draw) -> QuestionData:
    base = draw(common("multiple_choice"))
    right = draw(st.sampled_from([1, 2, 4, 5]))
    wrong = draw(st.integers(1 if right == 1 else 0, 3))
    share = Decimal(1) / right
    fractions = [share] * right + [
        draw(st.sampled_from([Decimal(0), Decimal(-1), Decimal("-0.5")])) for _ in range(wrong)
    ]
    answers = tuple(Choice(draw(texts()), f, draw(maybe(texts())), base["stem_format"]) for f in fractions)
    return QuestionData(**base, answers=answers, options=choice_options(draw))


@st.composite
def true_false(draw) -> QuestionData:
    base = draw(common("true_false"))
    value = draw(st.booleans())
    fmt = base["stem_format"]
    answers = (
        Choice("true", int(value), draw(maybe(texts())), fmt),
        Choice("false", int(not value), draw(maybe(texts())), fmt),
    )
    return QuestionData(**base, answers=answers)


@st.composite
def short_answer(draw) -> QuestionData:
    base = draw(common("short_answer"))
    fractions = [Decimal(1), *draw(st.lists(st.sampled_from([Decimal("0.5"), Decimal("0.1"), Decimal(0)]), max_size=2))]
    answers = tuple(Choice(draw(texts()), f, draw(maybe(texts())), base["stem_format"]) for f in fractions)
    options = {"case_sensitive": draw(st.booleans())}
    if draw(st.booleans()):
        options["ignore_diacritics"] = True
    return QuestionData(**base, answers=answers, options=options)


numbers = st.decimals(min_value=-10000, max_value=10000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def numeric(draw) -> QuestionData:
    base = draw(common("numeric"))
    answers = [
        Choice(
            dec_str(draw(numbers)),
            f,
            draw(maybe(texts())),
            base["stem_format"],
            Decimal(dec_str(draw(st.decimals(0, 10, places=2)))),
        )
        for f in (Decimal(1), *draw(st.lists(st.just(Decimal("0.5")), max_size=1)))
    ]
    if draw(st.booleans()):
        answers.append(Choice("*", 0, draw(texts()), base["stem_format"]))
    units = draw(st.sampled_from([(), ({"unit": "m", "multiplier": "1"}, {"unit": "cm", "multiplier": "100"})]))
    options = {
        "units": units,
        "unit_grading_type": draw(st.sampled_from([0, 1, 2])),
        "unit_penalty": draw(st.sampled_from(["0.1", "0.25", "0"])),
        "show_units": draw(st.sampled_from([0, 1, 2, 3])),
        "units_left": draw(st.booleans()),
    }
    return QuestionData(**base, answers=tuple(answers), options=options)


@st.composite
def matching(draw) -> QuestionData:
    base = draw(common("matching"))
    fmt = base["stem_format"]
    pairs = [
        {"text": draw(texts()), "answer": draw(texts()), "format": draw(st.sampled_from([fmt, "html"]))}
        for _ in range(draw(st.integers(2, 4)))
    ]
    if draw(st.booleans()):
        pairs.append({"text": "", "answer": draw(texts()), "format": fmt})
    return QuestionData(**base, options={"subquestions": tuple(pairs), "shuffle": draw(st.booleans())})


@st.composite
def essay(draw) -> QuestionData:
    base = draw(common("essay"))
    options = {
        "response_format": draw(st.sampled_from(["editor", "plain", "editorfilepicker"])),
        "response_required": draw(st.booleans()),
        "response_field_lines": draw(st.integers(1, 40)),
        "attachments": draw(st.integers(0, 3)),
        "grader_info": draw(maybe(texts())),
        "response_template": draw(maybe(texts())),
    }
    return QuestionData(**base, options=options)


@st.composite
def description(draw) -> QuestionData:
    base = draw(common("description"))
    base.update(default_mark=Decimal(0))
    return QuestionData(**base)


@st.composite
def true_false_group(draw) -> QuestionData:
    base = draw(common("true_false_group"))
    statements = tuple(
        {"text": draw(texts()), "correct": draw(st.booleans()), "feedback": draw(maybe(texts()))} for _ in range(4)
    )
    scoring = draw(st.sampled_from([("0", "0.1", "0.25", "0.5", "1"), ("0", "0.2", "0.4", "0.6", "1")]))
    return QuestionData(**base, options={"statements": statements, "scoring": scoring})


@st.composite
def short_numeric_2025(draw) -> QuestionData:
    base = draw(common("short_numeric_2025"))
    text = draw(st.sampled_from(["-1,5", "0,25", "2025", "12", "-3", "0,5"]))
    return QuestionData(
        **base, answers=(Choice(text, 1, draw(maybe(texts())), base["stem_format"]),), options={"max_chars": 4}
    )


@st.composite
def ordering(draw) -> QuestionData:
    base = draw(common("ordering"))
    items = tuple(draw(st.lists(texts(), min_size=2, max_size=5)))
    options = {"items": items, "grading": draw(st.sampled_from(["all_or_nothing", "absolute_position"]))}
    if draw(st.booleans()):
        options["shuffle"] = False
    return QuestionData(**base, options=options)


@st.composite
def cloze_part(draw) -> QuestionData:
    kind = draw(st.sampled_from(["short_answer", "numeric", "single_choice", "multiple_choice"]))
    weight = Decimal(draw(st.integers(1, 3)))
    if kind == "short_answer":
        answers = (Choice(draw(texts()), 1, draw(maybe(texts()))),)
        return QuestionData(kind, default_mark=weight, answers=answers, options={"case_sensitive": draw(st.booleans())})
    if kind == "numeric":
        answers = (
            Choice(
                dec_str(draw(numbers)),
                1,
                draw(maybe(texts())),
                "html",
                Decimal(dec_str(draw(st.decimals(0, 5, places=1)))),
            ),
        )
        return QuestionData(kind, default_mark=weight, answers=answers, options={})
    fractions = [Decimal(1), Decimal(0)] if kind == "single_choice" else [Decimal("0.5"), Decimal("0.5"), Decimal(-1)]
    answers = tuple(Choice(draw(texts()), f, draw(maybe(texts()))) for f in fractions)
    displays = ["dropdown", "vertical", "horizontal"] if kind == "single_choice" else ["vertical", "horizontal"]
    return QuestionData(
        kind,
        default_mark=weight,
        answers=answers,
        options={"display": draw(st.sampled_from(displays)), "shuffle": draw(st.booleans())},
    )


@st.composite
def cloze(draw) -> QuestionData:
    base = draw(common("cloze"))
    parts = tuple(draw(st.lists(cloze_part(), min_size=1, max_size=3)))
    segments = [draw(texts(PLAIN + "<>&.,")) for _ in range(len(parts) + 1)]
    stem = segments[0] + "".join(f" {{#{k}}} {segments[k]}" for k in range(1, len(parts) + 1))
    base.update(stem=stem, stem_format="html")
    files = ()
    if draw(st.booleans()):
        files = (EmbeddedFile(draw(st.sampled_from(["a.png", "hình.jpg"])), "/", draw(st.binary(max_size=20))),)
    return QuestionData(**base, options={"subquestions": parts}, files=files)


GIFT_TYPES = [
    single_choice(),
    multiple_choice(),
    true_false(),
    short_answer(),
    numeric(),
    matching(),
    essay(),
    description(),
    true_false_group(),
    short_numeric_2025(),
]
XML_TYPES = [*GIFT_TYPES, ordering(), cloze()]
gift_questions = st.one_of(GIFT_TYPES)
xml_questions = st.one_of(XML_TYPES)

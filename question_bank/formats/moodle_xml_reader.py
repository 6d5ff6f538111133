"""Moodle XML import (docs.moodle.org "Moodle XML format").

Read: ``<quiz>`` with ``<question type="…">`` elements. ``category`` questions set the category
path (``$course$/top/A/B``) of the questions after them. Types: ``multichoice`` (``single``,
``shuffleanswers``, ``answernumbering``, combined feedbacks, ``shownumcorrect``), ``truefalse``,
``shortanswer`` (``usecase``), ``numerical`` (``tolerance``, ``units``/``unit``/``multiplier``/
``unit_name``, ``unitgradingtype``, ``unitpenalty``, ``showunits``, ``unitsleft``), ``matching``
(``subquestion``/``answer``), ``essay``, ``cloze`` (embedded answers, see
:mod:`question_bank.formats.cloze_syntax`), ``description`` and the ``ordering`` plugin. Common:
``name``, ``questiontext``/``generalfeedback`` with ``format`` and base64 ``<file>`` elements
(referenced as ``@@PLUGINFILE@@/name``), ``defaultgrade``, ``penalty``, ``idnumber``,
``tags/tag/text``. Our extension elements ``<lms_qtype>`` and ``<lms_options>`` (JSON), which
Moodle ignores, carry the 2025 exam types and settings Moodle has no element for.
Texts are trimmed, as Moodle trims them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lxml import etree

from question_bank.formats.base import ImportReport
from question_bank.formats.cloze_syntax import ClozeError, parse_cloze
from question_bank.formats.xmlsafe import element_text, parse_xml
from question_bank.ir import Choice, EmbeddedFile, QuestionData, dec_str, split_category_path, to_decimal
from question_bank.serialize import options_from_json
from question_bank.textnorm import parse_number

FORMATS_IN = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
FORMATS_OUT = {v: k for k, v in FORMATS_IN.items()}
ORDERING_GRADING = {"ALL_OR_NOTHING": "all_or_nothing", "ABSOLUTE_POSITION": "absolute_position"}


class XmlQuestionError(ValueError):
    """A question element that cannot be read; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def text_of(parent: etree._Element | None, tag: str = "text") -> str:
    """Trimmed text of ``parent/tag`` ("" when missing)."""
    if parent is None:
        return ""
    child = parent.find(tag)
    return element_text(child).strip()


def child_text(question: etree._Element, path: str, default: str = "") -> str:
    """Trimmed text of a simple child such as ``<defaultgrade>1</defaultgrade>``."""
    element = question.find(path)
    return element_text(element).strip() if element is not None else default


def fmt_of(element: etree._Element | None, default: str = "html") -> str:
    """Our text format for a Moodle ``format`` attribute."""
    if element is None:
        return default
    return FORMATS_IN.get(element.get("format", ""), default)


def flag(question: etree._Element, path: str, default: bool) -> bool:
    """A Moodle boolean: true/false/1/0 (presence of an empty element means true)."""
    element = question.find(path)
    if element is None:
        return default
    value = element_text(element).strip().lower()
    if value == "":
        return True
    return value in ("1", "true", "yes")


def number(question: etree._Element, path: str, default: str) -> Decimal:
    """A decimal child, or ``default`` when missing; rejects non-numbers."""
    raw = child_text(question, path, default) or default
    try:
        return to_decimal(raw)
    except ValueError:
        raise XmlQuestionError("xml.not_number", f"<{path}> is not a number: {raw!r}") from None


def integer(question: etree._Element, path: str, default: int) -> int:
    """An integer child."""
    return int(number(question, path, str(default)))


def import_moodle_xml(data: bytes | str) -> ImportReport:
    """Read a Moodle XML file; each bad ``<question>`` is rejected with its element path and line."""
    root, failure = parse_xml(data)
    report = ImportReport()
    if root is None:
        if failure is not None:
            report.rejected.append(failure)
        return report
    if root.tag != "quiz":
        report.reject(0, f"the root element is <{root.tag}>, not <quiz>", "xml.not_quiz", root.sourceline)
        return report
    category: tuple[str, ...] = ()
    for index, element in enumerate(root.findall("question"), start=1):
        where = f"/quiz/question[{index}]"
        qtype = element.get("type", "")
        if qtype == "category":
            category = split_category_path(text_of(element.find("category")))
            continue
        try:
            question = read_question(element, category)
        except XmlQuestionError as exc:
            report.reject(where, str(exc), exc.code, element.sourceline)
            continue
        except ClozeError as exc:
            report.reject(where, f"embedded answers: {exc}", "xml.cloze_syntax", element.sourceline)
            continue
        except (ValueError, ArithmeticError) as exc:
            report.reject(where, f"cannot read the question: {exc}", "xml.bad_value", element.sourceline)
            continue
        report.accept(question.replace(source_line=element.sourceline, source_ref=where), where, element.sourceline)
    return report


def read_files(element: etree._Element) -> tuple[EmbeddedFile, ...]:
    """Every base64 ``<file>`` inside a question."""
    files = []
    for file_element in element.iter("file"):
        encoding = file_element.get("encoding", "base64")
        if encoding != "base64":
            raise XmlQuestionError("xml.file_encoding", f"file encoding {encoding!r} is not base64")
        raw = "".join(element_text(file_element).split())
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise XmlQuestionError("xml.bad_file", f"file {file_element.get('name')!r} is not valid base64") from None
        name = file_element.get("name", "")
        if not name:
            raise XmlQuestionError("xml.bad_file", "a <file> has no name")
        files.append(EmbeddedFile(name, file_element.get("path", "/"), content))
    return tuple(files)


def read_answers(element: etree._Element, tolerance: bool = False) -> tuple[Choice, ...]:
    """``<answer fraction format><text/><feedback/></answer>`` elements."""
    answers = []
    for answer in element.findall("answer"):
        try:
            fraction = to_decimal(answer.get("fraction", "0")) / 100
        except ValueError:
            raise XmlQuestionError("xml.not_number", f"answer fraction {answer.get('fraction')!r}") from None
        tol = None
        if tolerance and answer.find("tolerance") is not None:
            tol = abs(number(answer, "tolerance", "0"))
        feedback = answer.find("feedback")
        answers.append(Choice(text_of(answer), fraction, text_of(feedback), fmt_of(answer), tol))
    return tuple(answers)


def read_question(element: etree._Element, category: tuple[str, ...]) -> QuestionData:
    """One ``<question>`` element → QuestionData."""
    qtype = element.get("type", "")
    reader = READERS.get(qtype)
    if reader is None:
        raise XmlQuestionError("xml.unknown_type", f"question type {qtype!r} is not supported")
    questiontext = element.find("questiontext")
    general = element.find("generalfeedback")
    tags = tuple(t for t in (text_of(tag) for tag in element.findall("tags/tag")) if t)
    base = QuestionData(
        qtype=qtype,
        name=text_of(element.find("name")),
        stem=text_of(questiontext),
        stem_format=fmt_of(questiontext),
        general_feedback=text_of(general),
        default_mark=number(element, "defaultgrade", "0" if qtype == "description" else "1"),
        penalty=number(element, "penalty", "0.3333333"),
        idnumber=child_text(element, "idnumber"),
        tags=tags,
        category_path=category,
        files=read_files(element),
    )
    question = reader(element, base)
    return apply_extension(element, question)


def apply_extension(element: etree._Element, question: QuestionData) -> QuestionData:
    """Our ``<lms_qtype>``/``<lms_options>`` elements, when present."""
    qtype = child_text(element, "lms_qtype") or question.qtype
    raw = child_text(element, "lms_options")
    options = dict(question.options)
    if raw:
        try:
            extra = json.loads(raw)
        except ValueError:
            raise XmlQuestionError("xml.extension", "<lms_options> is not valid JSON") from None
        if not isinstance(extra, dict):
            raise XmlQuestionError("xml.extension", "<lms_options> must be a JSON object")
        options.update(options_from_json(extra))
    if qtype == "true_false_group" and question.qtype == "matching":
        statements = tuple(
            {"text": s["text"], "correct": s["answer"] == "Đúng", "feedback": ""}
            for s in question.options["subquestions"]
        )
        options.pop("subquestions", None)
        options.pop("shuffle", None)
        options = {"statements": statements, **options}
        return question.replace(qtype=qtype, options=options, answers=())
    if qtype == "short_numeric_2025" and question.qtype == "numeric":
        answers = tuple(
            Choice(a.text.replace(".", ","), a.fraction, a.feedback, a.format)
            for a in question.answers
            if a.text != "*"
        )
        for key in ("units", "unit_grading_type", "unit_penalty", "show_units", "units_left"):
            options.pop(key, None)
        return question.replace(qtype=qtype, options=options, answers=answers)
    if qtype != question.qtype:
        raise XmlQuestionError("xml.extension", f"<lms_qtype> {qtype!r} does not fit a {question.qtype} question")
    return question.replace(options=options)


def _multichoice(element: etree._Element, base: QuestionData) -> QuestionData:
    single = flag(element, "single", True)
    options: dict[str, Any] = {
        "shuffle": flag(element, "shuffleanswers", True),
        "answer_numbering": child_text(element, "answernumbering", "abc") or "abc",
        "correct_feedback": text_of(element.find("correctfeedback")),
        "partially_correct_feedback": text_of(element.find("partiallycorrectfeedback")),
        "incorrect_feedback": text_of(element.find("incorrectfeedback")),
        "show_num_correct": element.find("shownumcorrect") is not None,
    }
    qtype = "single_choice" if single else "multiple_choice"
    return base.replace(qtype=qtype, answers=read_answers(element), options=options)


def _truefalse(element: etree._Element, base: QuestionData) -> QuestionData:
    answers = {a.text.lower(): a for a in read_answers(element)}
    if set(answers) != {"true", "false"}:
        raise XmlQuestionError("xml.truefalse", "a truefalse question needs answers 'true' and 'false'")
    ordered = tuple(Choice(k, answers[k].fraction, answers[k].feedback, answers[k].format) for k in ("true", "false"))
    return base.replace(qtype="true_false", answers=ordered)


def _shortanswer(element: etree._Element, base: QuestionData) -> QuestionData:
    options = {"case_sensitive": flag(element, "usecase", False)}
    return base.replace(qtype="short_answer", answers=read_answers(element), options=options)


def _numerical(element: etree._Element, base: QuestionData) -> QuestionData:
    units = []
    for unit in element.findall("units/unit"):
        units.append({"unit": child_text(unit, "unit_name"), "multiplier": dec_str(number(unit, "multiplier", "1"))})
    options: dict[str, Any] = {
        "units": tuple(units),
        "unit_grading_type": integer(element, "unitgradingtype", 0),
        "unit_penalty": dec_str(number(element, "unitpenalty", "0.1")),
        "show_units": integer(element, "showunits", 3),
        "units_left": flag(element, "unitsleft", False),
    }
    answers = tuple(
        Choice("*", a.fraction, a.feedback, a.format)
        if a.text == "*"
        else Choice(_canonical_number(a.text), a.fraction, a.feedback, a.format, a.tolerance)
        for a in read_answers(element, tolerance=True)
    )
    return base.replace(qtype="numeric", answers=answers, options=options)


def _canonical_number(text: str) -> str:
    value = parse_number(text)
    if value is None:
        raise XmlQuestionError("xml.not_number", f"numerical answer {text!r} is not a number")
    return dec_str(value)


def _matching(element: etree._Element, base: QuestionData) -> QuestionData:
    subs = tuple(
        {"text": text_of(s), "answer": text_of(s.find("answer")), "format": fmt_of(s)}
        for s in element.findall("subquestion")
    )
    return base.replace(
        qtype="matching", options={"subquestions": subs, "shuffle": flag(element, "shuffleanswers", True)}
    )


def _essay(element: etree._Element, base: QuestionData) -> QuestionData:
    options = {
        "response_format": child_text(element, "responseformat", "editor") or "editor",
        "response_required": flag(element, "responserequired", True),
        "response_field_lines": integer(element, "responsefieldlines", 15),
        "attachments": integer(element, "attachments", 0),
        "grader_info": text_of(element.find("graderinfo")),
        "response_template": text_of(element.find("responsetemplate")),
    }
    return base.replace(qtype="essay", options=options)


def _cloze(element: etree._Element, base: QuestionData) -> QuestionData:
    stem, parts = parse_cloze(base.stem)
    if not parts:
        raise XmlQuestionError("xml.cloze_empty", "a cloze question has no embedded answers")
    return base.replace(qtype="cloze", stem=stem, options={"subquestions": parts})


def _ordering(element: etree._Element, base: QuestionData) -> QuestionData:
    answers = sorted(enumerate(read_answers(element)), key=lambda pair: (pair[1].fraction, pair[0]))
    grading = ORDERING_GRADING.get(child_text(element, "gradingtype", "ALL_OR_NOTHING").upper(), "all_or_nothing")
    return base.replace(qtype="ordering", options={"items": tuple(a.text for _, a in answers), "grading": grading})


def _description(element: etree._Element, base: QuestionData) -> QuestionData:
    return base.replace(qtype="description")


READERS: dict[str, Callable[[etree._Element, QuestionData], QuestionData]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "essay": _essay,
    "cloze": _cloze,
    "multianswer": _cloze,
    "ordering": _ordering,
    "description": _description,
}

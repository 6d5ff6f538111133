"""Moodle XML export, in the layout Moodle itself writes (so Moodle imports it).

Every type is written as a Moodle type: the 2025 Đúng–Sai question as ``matching`` with the
answers "Đúng"/"Sai", the 2025 short numeric answer as ``numerical``, plus the extension
elements ``<lms_qtype>`` and ``<lms_options>`` (JSON of the options Moodle has no element for),
which Moodle ignores. What is written is read back at once and only the options that do not
come back are put in ``<lms_options>``, so export → import gives the same QuestionData.
A ``category`` question is written before each change of category. Embedded files are
written, base64, into each text element that references them (and always once in the
question text). Characters XML cannot hold (control characters) are dropped.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from lxml import etree

from question_bank.formats.base import ExportResult, Rejection
from question_bank.formats.cloze_syntax import ClozeError, format_cloze
from question_bank.formats.moodle_xml_reader import FORMATS_OUT, XmlQuestionError, read_question
from question_bank.formats.xmlsafe import xml_text
from question_bank.ir import Choice, EmbeddedFile, QuestionData, dec_str, join_category_path
from question_bank.serialize import options_to_json

MOODLE_TYPE = {
    "single_choice": "multichoice",
    "multiple_choice": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "essay": "essay",
    "cloze": "cloze",
    "ordering": "ordering",
    "description": "description",
    "true_false_group": "matching",
    "short_numeric_2025": "numerical",
}
CARRIED = ("true_false_group", "short_numeric_2025")


def _set_text(element: etree._Element, text: str) -> None:
    clean = xml_text(text)
    if ("<" in clean or "&" in clean) and "]]>" not in clean:
        element.text = etree.CDATA(clean)
    else:
        element.text = clean


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a child element with optional text and attributes."""
    element = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def text_element(
    parent: etree._Element, tag: str, text: str, fmt: str | None = "html", files: Sequence[EmbeddedFile] = ()
) -> etree._Element:
    """``<tag format="…"><text>…</text><file …/></tag>``."""
    attrs = {"format": FORMATS_OUT.get(fmt, "html")} if fmt is not None else {}
    element = sub(parent, tag, **attrs)
    _set_text(sub(element, "text"), text)
    for f in files:
        if f.reference in text or tag == "questiontext":
            file_element = sub(element, "file", name=f.name, path=f.path, encoding="base64")
            file_element.text = base64.b64encode(f.content).decode("ascii")
    return element


def _answer(parent: etree._Element, q: QuestionData, a: Choice, fraction: str | None = None) -> etree._Element:
    element = sub(
        parent, "answer", fraction=fraction or dec_str(a.fraction * 100), format=FORMATS_OUT.get(a.format, "html")
    )
    _set_text(sub(element, "text"), a.text)
    text_element(element, "feedback", a.feedback, q.stem_format, q.files)
    return element


def _bool(value: Any) -> str:
    return "true" if value else "false"


def _write_choice(el: etree._Element, q: QuestionData) -> None:
    sub(el, "single", _bool(q.qtype == "single_choice"))
    sub(el, "shuffleanswers", _bool(q.options.get("shuffle", True)))
    sub(el, "answernumbering", str(q.options.get("answer_numbering", "abc")))
    for key, tag in (
        ("correct_feedback", "correctfeedback"),
        ("partially_correct_feedback", "partiallycorrectfeedback"),
        ("incorrect_feedback", "incorrectfeedback"),
    ):
        text_element(el, tag, str(q.options.get(key, "")), "html", q.files)
    if q.options.get("show_num_correct"):
        sub(el, "shownumcorrect")
    for a in q.answers:
        _answer(el, q, a)


def _write_numeric(el: etree._Element, q: QuestionData) -> None:
    for a in q.answers:
        if q.qtype == "short_numeric_2025":
            a = Choice(a.text.replace(",", "."), a.fraction, a.feedback, a.format, 0)
        answer = _answer(el, q, a)
        if a.tolerance is not None:
            sub(answer, "tolerance", dec_str(a.tolerance))
    units = q.options.get("units", ())
    if units:
        units_el = sub(el, "units")
        for u in units:
            unit = sub(units_el, "unit")
            sub(unit, "multiplier", str(u.get("multiplier", "1")))
            sub(unit, "unit_name", str(u.get("unit", "")))
    sub(el, "unitgradingtype", str(q.options.get("unit_grading_type", 0)))
    sub(el, "unitpenalty", str(q.options.get("unit_penalty", "0.1")))
    sub(el, "showunits", str(q.options.get("show_units", 3)))
    sub(el, "unitsleft", "1" if q.options.get("units_left") else "0")


def _write_matching(el: etree._Element, q: QuestionData) -> None:
    if q.qtype == "true_false_group":
        subs: Sequence[Any] = [
            {"text": s["text"], "answer": "Đúng" if s["correct"] else "Sai", "format": q.stem_format}
            for s in q.options.get("statements", ())
        ]
        shuffle = False
    else:
        subs, shuffle = q.options.get("subquestions", ()), q.options.get("shuffle", True)
    sub(el, "shuffleanswers", _bool(shuffle))
    for s in subs:
        sub_el = text_element(el, "subquestion", str(s.get("text", "")), str(s.get("format", "html")), q.files)
        _set_text(sub(sub(sub_el, "answer"), "text"), str(s.get("answer", "")))


def _write_essay(el: etree._Element, q: QuestionData) -> None:
    sub(el, "responseformat", str(q.options.get("response_format", "editor")))
    sub(el, "responserequired", "1" if q.options.get("response_required", True) else "0")
    sub(el, "responsefieldlines", str(q.options.get("response_field_lines", 15)))
    sub(el, "attachments", str(q.options.get("attachments", 0)))
    text_element(el, "graderinfo", str(q.options.get("grader_info", "")), "html", q.files)
    text_element(el, "responsetemplate", str(q.options.get("response_template", "")), "html")


def _write_ordering(el: etree._Element, q: QuestionData) -> None:
    sub(el, "layouttype", "VERTICAL")
    sub(el, "selecttype", "ALL")
    sub(el, "selectcount", "0")
    sub(el, "gradingtype", str(q.options.get("grading", "all_or_nothing")).upper())
    for position, item in enumerate(q.options.get("items", ()), start=1):
        answer = sub(el, "answer", fraction=str(position), format="html")
        _set_text(sub(answer, "text"), str(item))


def question_element(q: QuestionData) -> etree._Element:
    """The ``<question>`` element of one question, without the extension elements."""
    if q.qtype not in MOODLE_TYPE:
        raise XmlQuestionError("xml.unknown_type", f"no Moodle type for {q.qtype!r}")
    el = etree.Element("question", type=MOODLE_TYPE[q.qtype])
    sub(sub(el, "name"), "text", q.name)
    stem = format_cloze(q.stem, q.options.get("subquestions", ())) if q.qtype == "cloze" else q.stem
    text_element(el, "questiontext", stem, q.stem_format, q.files)
    text_element(el, "generalfeedback", q.general_feedback, q.stem_format, q.files)
    sub(el, "defaultgrade", dec_str(q.default_mark))
    sub(el, "penalty", dec_str(q.penalty))
    sub(el, "hidden", "0")
    sub(el, "idnumber", q.idnumber)
    kind = MOODLE_TYPE[q.qtype]
    if kind == "multichoice":
        _write_choice(el, q)
    elif kind == "truefalse":
        for a in q.answers:
            _answer(el, q, a)
    elif kind == "shortanswer":
        sub(el, "usecase", "1" if q.options.get("case_sensitive") else "0")
        for a in q.answers:
            _answer(el, q, a)
    elif kind == "numerical":
        _write_numeric(el, q)
    elif kind == "matching":
        _write_matching(el, q)
    elif kind == "essay":
        _write_essay(el, q)
    elif kind == "ordering":
        _write_ordering(el, q)
    if q.tags:
        tags = sub(el, "tags")
        for tag in q.tags:
            sub(sub(tags, "tag"), "text", tag)
    return el


def write_question(q: QuestionData) -> etree._Element:
    """The ``<question>`` element with ``<lms_qtype>``/``<lms_options>`` when needed."""
    el = question_element(q)
    if q.qtype in CARRIED:
        sub(el, "lms_qtype", q.qtype)
    back = read_question(el, q.category_path)
    missing = {k: v for k, v in q.options.items() if back.options.get(k) != v}
    if missing:
        sub(el, "lms_options", json.dumps(options_to_json(missing), ensure_ascii=False, sort_keys=True))
    return el


def export_moodle_xml(questions: Sequence[QuestionData]) -> ExportResult:
    """Write a ``<quiz>`` document (UTF-8 bytes)."""
    root = etree.Element("quiz")
    skipped: list[Rejection] = []
    category: tuple[str, ...] | None = None
    for index, q in enumerate(questions):
        try:
            element = write_question(q)
        except (XmlQuestionError, ClozeError, ValueError, ArithmeticError) as exc:
            skipped.append(
                Rejection(index, f"cannot write the question: {exc}", getattr(exc, "code", "xml.cannot_write"))
            )
            continue
        if q.category_path != category and (q.category_path or category):
            cat = sub(root, "question", type="category")
            sub(sub(cat, "category"), "text", join_category_path(q.category_path))
            category = q.category_path
        root.append(element)
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return ExportResult(content, skipped)

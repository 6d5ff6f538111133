"""IMS QTI 2.1 export: one ``assessmentItem`` per question, as XML strings or in a content package.

Mapping (``SCORE`` is in points: fraction × ``default_mark``; ``MAXSCORE`` = ``default_mark``):

* single_choice / multiple_choice / true_false → ``choiceInteraction`` (maxChoices 1 or 0),
  response mapping with each choice's credit (negative allowed, bounded 0..MAXSCORE),
  ``map_response`` template;
* true_false_group → ``matchInteraction`` (statements × Đúng/Sai, one judgement each); a custom
  response processing counts right judgements and applies the question's scoring table;
* short_answer → ``textEntryInteraction`` (string mapping, ``caseSensitive``); answers with a
  ``*`` wildcard and diacritic-insensitive matching cannot be said in QTI and are left out
  (a warning);
* numeric → ``textEntryInteraction`` (float) with a custom processing using absolute
  tolerance (units cannot be said: warning);
* short_numeric_2025 → ``textEntryInteraction`` (string, ``expectedLength`` 4, ``patternMask``),
  mapping both decimal comma and point spellings of each answer;
* matching → ``matchInteraction`` (directedPair mapping, ``map_response``);
* ordering → ``orderInteraction`` (``match_correct``; absolute-position credit: warning);
* essay → ``extendedTextInteraction`` without response processing (teacher-graded).

Cloze and description questions are not exported (``ExportResult.skipped``). HTML is rebuilt
into the QTI content profile by :mod:`question_bank.formats.qti21_html`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from lxml import etree

from question_bank.formats.base import ExportResult, Rejection
from question_bank.formats.qti21_html import QTI_NS, plain_text, q, to_flow, to_inline
from question_bank.formats.xmlsafe import xml_text
from question_bank.ir import QuestionData, dec_str, to_decimal
from question_bank.textnorm import parse_number, strip_marks

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
SUPPORTED = (
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
)


@dataclass
class QtiItem:
    """One exported item: file name, identifier, XML text, media files it needs, warnings."""

    filename: str
    identifier: str
    xml: str
    media: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, q(tag), attrs)
    if text is not None:
        element.text = xml_text(text)
    return element


def _identifier(q_: QuestionData, index: int) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", strip_marks(q_.idnumber or q_.name))[:40].strip("_.-")
    return f"Q{index + 1:04d}" + (f"_{base}" if base else "")


def _choice_id(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"C{i + 1}"


def _points(q_: QuestionData, fraction: Decimal) -> str:
    return dec_str(fraction * q_.default_mark)


def _outcomes(item: etree._Element, q_: QuestionData, extra: Sequence[str] = ()) -> None:
    for name in ("SCORE", "MAXSCORE", *extra):
        outcome = _sub(item, "outcomeDeclaration", identifier=name, cardinality="single", baseType="float")
        value = dec_str(q_.default_mark) if name == "MAXSCORE" else "0"
        _sub(_sub(outcome, "defaultValue"), "value", value)


def _response(item: etree._Element, cardinality: str, base_type: str, correct: Sequence[str]) -> etree._Element:
    declaration = _sub(item, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType=base_type)
    if correct:
        holder = _sub(declaration, "correctResponse")
        for value in correct:
            _sub(holder, "value", value)
    return declaration


def _mapping(declaration: etree._Element, q_: QuestionData, entries: Sequence[tuple[str, str, bool | None]]) -> None:
    mapping = _sub(declaration, "mapping", lowerBound="0", upperBound=dec_str(q_.default_mark), defaultValue="0")
    for key, value, case in entries:
        attrs = {"mapKey": key, "mappedValue": value}
        if case is not None:
            attrs["caseSensitive"] = "true" if case else "false"
        _sub(mapping, "mapEntry", **attrs)


def _body_with_stem(item: etree._Element, q_: QuestionData) -> etree._Element:
    body = _sub(item, "itemBody")
    body.append(to_flow(q_.stem, q_.stem_format))
    return body


def _template(item: etree._Element, name: str) -> None:
    _sub(item, "responseProcessing", template=TEMPLATES + name)


def _set_score(parent: etree._Element, value: str) -> None:
    _sub(_sub(parent, "setOutcomeValue", identifier="SCORE"), "baseValue", value, baseType="float")


def _choice(item: etree._Element, q_: QuestionData, warnings: list[str]) -> None:
    answers = q_.answers
    texts = [(a.text, a.format) for a in answers]
    if q_.qtype == "true_false":
        texts = [("Đúng", "plain"), ("Sai", "plain")]
    single = q_.qtype != "multiple_choice"
    correct = [_choice_id(i) for i, a in enumerate(answers) if (a.fraction == 1 if single else a.fraction > 0)]
    declaration = _response(item, "single" if single else "multiple", "identifier", correct)
    _mapping(declaration, q_, [(_choice_id(i), _points(q_, a.fraction), None) for i, a in enumerate(answers)])
    _outcomes(item, q_)
    body = _body_with_stem(item, q_)
    shuffle = "false" if q_.qtype == "true_false" else ("true" if q_.options.get("shuffle", True) else "false")
    interaction = _sub(
        body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle=shuffle, maxChoices="1" if single else "0"
    )
    for i, (text, fmt) in enumerate(texts):
        to_inline(text, fmt, _sub(interaction, "simpleChoice", identifier=_choice_id(i)))
    _template(item, "map_response")


def _true_false_group(item: etree._Element, q_: QuestionData, warnings: list[str]) -> None:
    statements = q_.options.get("statements", ())
    table = [to_decimal(v) for v in q_.options.get("scoring", ())]
    pairs = [f"S{i + 1} {'TRUE' if s.get('correct') else 'FALSE'}" for i, s in enumerate(statements)]
    declaration = _response(item, "multiple", "directedPair", pairs)
    mapping = _sub(declaration, "mapping", defaultValue="0")
    for pair in pairs:
        _sub(mapping, "mapEntry", mapKey=pair, mappedValue="1")
    _outcomes(item, q_, ("NCORRECT",))
    body = _body_with_stem(item, q_)
    interaction = _sub(
        body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="false", maxAssociations=str(len(statements))
    )
    left = _sub(interaction, "simpleMatchSet")
    for i, s in enumerate(statements):
        to_inline(
            str(s.get("text", "")),
            q_.stem_format,
            _sub(left, "simpleAssociableChoice", identifier=f"S{i + 1}", matchMax="1"),
        )
    right = _sub(interaction, "simpleMatchSet")
    for ident, label in (("TRUE", "Đúng"), ("FALSE", "Sai")):
        _sub(right, "simpleAssociableChoice", label, identifier=ident, matchMax=str(len(statements)))
    processing = _sub(item, "responseProcessing")
    count = _sub(processing, "setOutcomeValue", identifier="NCORRECT")
    _sub(count, "mapResponse", identifier="RESPONSE")
    condition = _sub(processing, "responseCondition")
    for k in range(len(table) - 1, 0, -1):
        branch = _sub(condition, "responseIf" if k == len(table) - 1 else "responseElseIf")
        gte = _sub(branch, "gte")
        _sub(gte, "variable", identifier="NCORRECT")
        _sub(gte, "baseValue", str(k), baseType="float")
        _set_score(branch, _points(q_, table[k]))
    _set_score(_sub(condition, "responseElse"), _points(q_, table[0] if table else Decimal(0)))


def _text_entry(item: etree._Element, q_: QuestionData, warnings: list[str]) -> None:
    base_type = "float" if q_.qtype == "numeric" else "string"
    answers = [a for a in q_.answers if a.text != "*"]
    if q_.qtype == "short_answer":
        wild = [a for a in answers if "*" in a.text.replace("\\*", "")]
        if wild:
            warnings.append("answers with a * wildcard are left out")
        answers = [a for a in answers if a not in wild]
        if q_.options.get("ignore_diacritics"):
            warnings.append("diacritic-insensitive matching cannot be expressed in QTI")
    best = max(answers, key=lambda a: a.fraction, default=None)
    correct = [] if best is None else [_canonical(best.text, q_)]
    declaration = _response(item, "single", base_type, correct)
    entries: list[tuple[str, str, bool | None]] = []
    if q_.qtype == "short_answer":
        case = bool(q_.options.get("case_sensitive"))
        entries = [(a.text.replace("\\*", "*"), _points(q_, a.fraction), case) for a in answers]
    elif q_.qtype == "short_numeric_2025":
        for a in answers:
            for spelling in dict.fromkeys((a.text.replace(".", ","), a.text.replace(",", "."))):
                entries.append((spelling, _points(q_, a.fraction), False))
    if entries:
        _mapping(declaration, q_, list({k: (k, v, c) for k, v, c in reversed(entries)}.values())[::-1])
    _outcomes(item, q_)
    body = _body_with_stem(item, q_)
    para = _sub(body, "p")
    attrs = {"responseIdentifier": "RESPONSE", "expectedLength": "4" if q_.qtype == "short_numeric_2025" else "20"}
    if q_.qtype == "short_numeric_2025":
        attrs["patternMask"] = "-?[0-9]*[,.]?[0-9]*"
    _sub(para, "textEntryInteraction", **attrs)
    if q_.qtype == "numeric":
        if q_.options.get("units"):
            warnings.append("units cannot be expressed in QTI; answers are in the base unit")
        _numeric_processing(item, q_, answers)
    else:
        _template(item, "map_response")


def _canonical(text: str, q_: QuestionData) -> str:
    if q_.qtype == "numeric":
        return dec_str(parse_number(text) or 0)
    return text.replace("\\*", "*")


def _numeric_processing(item: etree._Element, q_: QuestionData, answers: Sequence) -> None:
    processing = _sub(item, "responseProcessing")
    if not answers:
        return
    condition = _sub(processing, "responseCondition")
    for i, a in enumerate(answers):
        branch = _sub(condition, "responseIf" if i == 0 else "responseElseIf")
        tolerance = dec_str(a.tolerance or 0)
        equal = _sub(branch, "equal", toleranceMode="absolute", tolerance=f"{tolerance} {tolerance}")
        _sub(equal, "variable", identifier="RESPONSE")
        _sub(equal, "baseValue", dec_str(parse_number(a.text) or 0), baseType="float")
        _set_score(branch, _points(q_, a.fraction))


def _matching(item: etree._Element, q_: QuestionData, warnings: list[str]) -> None:
    subs = list(q_.options.get("subquestions", ()))
    answers = list(dict.fromkeys(str(s.get("answer", "")) for s in subs))
    pairs = [
        (f"L{i + 1}", f"R{answers.index(str(s.get('answer', ''))) + 1}")
        for i, s in enumerate(subs)
        if str(s.get("text", "")).strip()
    ]
    declaration = _response(item, "multiple", "directedPair", [f"{a} {b}" for a, b in pairs])
    share = Decimal(1) / Decimal(len(pairs)) if pairs else Decimal(0)
    _mapping(declaration, q_, [(f"{a} {b}", _points(q_, share.quantize(Decimal("0.0000001"))), None) for a, b in pairs])
    _outcomes(item, q_)
    body = _body_with_stem(item, q_)
    interaction = _sub(
        body,
        "matchInteraction",
        responseIdentifier="RESPONSE",
        shuffle="true" if q_.options.get("shuffle", True) else "false",
        maxAssociations=str(len(pairs)),
    )
    left = _sub(interaction, "simpleMatchSet")
    for i, s in enumerate(subs):
        if str(s.get("text", "")).strip():
            to_inline(
                str(s["text"]),
                str(s.get("format", "html")),
                _sub(left, "simpleAssociableChoice", identifier=f"L{i + 1}", matchMax="1"),
            )
    right = _sub(interaction, "simpleMatchSet")
    for j, answer in enumerate(answers):
        to_inline(
            answer, "plain", _sub(right, "simpleAssociableChoice", identifier=f"R{j + 1}", matchMax=str(len(pairs)))
        )
    _template(item, "map_response")


def _ordering(item: etree._Element, q_: QuestionData, warnings: list[str]) -> None:
    items = list(q_.options.get("items", ()))
    if q_.options.get("grading") == "absolute_position":
        warnings.append("partial credit by position is exported as all-or-nothing")
    _response(item, "ordered", "identifier", [_choice_id(i) for i in range(len(items))])
    _outcomes(item, q_)
    body = _body_with_stem(item, q_)
    interaction = _sub(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    for i, text in enumerate(items):
        to_inline(str(text), "html", _sub(interaction, "simpleChoice", identifier=_choice_id(i)))
    processing = _sub(item, "responseProcessing")
    condition = _sub(processing, "responseCondition")
    branch = _sub(condition, "responseIf")
    match = _sub(branch, "match")
    _sub(match, "variable", identifier="RESPONSE")
    _sub(match, "correct", identifier="RESPONSE")
    _set_score(branch, dec_str(q_.default_mark))


def _essay(item: etree._Element, q_: QuestionData, warnings: list[str]) -> None:
    _response(item, "single", "string", [])
    _outcomes(item, q_)
    body = _body_with_stem(item, q_)
    _sub(
        body,
        "extendedTextInteraction",
        responseIdentifier="RESPONSE",
        expectedLines=str(q_.options.get("response_field_lines", 15)),
    )


BUILDERS = {
    "single_choice": _choice,
    "multiple_choice": _choice,
    "true_false": _choice,
    "true_false_group": _true_false_group,
    "short_answer": _text_entry,
    "numeric": _text_entry,
    "short_numeric_2025": _text_entry,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
}


def build_item(q_: QuestionData, index: int = 0) -> QtiItem:
    """One question as a QTI 2.1 ``assessmentItem``."""
    if q_.qtype not in BUILDERS:
        raise ValueError(f"QTI export does not support {q_.qtype} questions")
    identifier = _identifier(q_, index)
    item = etree.Element(
        q("assessmentItem"),
        {
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
            "identifier": identifier,
            "title": xml_text(q_.name or plain_text(q_.stem, q_.stem_format)[:80] or identifier),
            "adaptive": "false",
            "timeDependent": "false",
        },
        nsmap={None: QTI_NS, "xsi": XSI},
    )
    warnings: list[str] = []
    BUILDERS[q_.qtype](item, q_, warnings)
    if q_.general_feedback:
        warnings.append("general feedback is not exported")
    xml = etree.tostring(item, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
    media = {f"media{f.path}{f.name}".replace("//", "/"): f.content for f in q_.files}
    return QtiItem(f"{identifier}.xml", identifier, xml, media, warnings)


def export_qti21_items(questions: Sequence[QuestionData]) -> tuple[list[QtiItem], list[Rejection]]:
    """Items as separate XML strings, plus the questions that could not be exported."""
    items: list[QtiItem] = []
    skipped: list[Rejection] = []
    for index, question in enumerate(questions):
        try:
            items.append(build_item(question, index))
        except (ValueError, ArithmeticError) as exc:
            skipped.append(Rejection(index, str(exc), "qti.unsupported"))
    return items, skipped


def manifest(items: Sequence[QtiItem]) -> str:
    """An IMS Content Packaging 1.1 manifest listing one resource per item."""
    ns = "http://www.imsglobal.org/xsd/imscp_v1p1"
    root = etree.Element(
        f"{{{ns}}}manifest",
        {"identifier": "MANIFEST-QB", f"{{{XSI}}}schemaLocation": f"{ns} http://www.imsglobal.org/xsd/imscp_v1p1.xsd"},
        nsmap={None: ns, "xsi": XSI},
    )
    etree.SubElement(root, f"{{{ns}}}organizations")
    resources = etree.SubElement(root, f"{{{ns}}}resources")
    for item in items:
        resource = etree.SubElement(
            resources,
            f"{{{ns}}}resource",
            identifier=f"RES-{item.identifier}",
            type="imsqti_item_xmlv2p1",
            href=item.filename,
        )
        etree.SubElement(resource, f"{{{ns}}}file", href=item.filename)
        for path in item.media:
            etree.SubElement(resource, f"{{{ns}}}file", href=path)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def export_qti21(questions: Sequence[QuestionData]) -> ExportResult:
    """A QTI 2.1 content package (zip bytes): ``imsmanifest.xml``, one XML file per item, media."""
    items, skipped = export_qti21_items(questions)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", manifest(items))
        for item in items:
            package.writestr(item.filename, item.xml)
            for path, content in item.media.items():
                package.writestr(path, content)
    warnings = [Rejection(i.identifier, w, "qti.warning") for i in items for w in i.warnings]
    return ExportResult(buffer.getvalue(), skipped, warnings)

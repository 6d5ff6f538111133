"""Plain data for the print view of a variant (``question_bank/paper_print.html``).

:func:`print_context` turns a blueprint, a paper and (optionally) its specification into a
template context: header, parts with their questions (texts made safe by :func:`safe_html`),
the answer sheet, and the teacher's page (answer key, matrix with totals, specification
table). Nothing here reads the database; the view that serves it (or a test) passes the data.

Question texts are stored HTML (or plain text). :func:`safe_html` keeps a small list of
elements and attributes (paragraphs, emphasis, sub/superscripts, lists, tables, images with
``http(s)``, site-relative or ``data:image`` sources) and drops everything else, so a text
imported from any file cannot run script on the printed page. Math stays as ``$…$`` text
for the front end's KaTeX.
"""

from __future__ import annotations

import html as html_std
from collections.abc import Callable, Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from question_bank.blueprint.generate import Paper, PaperItem
from question_bank.blueprint.matrix import ESSAY, MC, PART_NUMERALS, SHORT, TF, Blueprint, tidy
from question_bank.blueprint.messages import FORMAT_LABELS
from question_bank.blueprint.spec import Specification, specification
from question_bank.ir import PLUGINFILE, QuestionData

ALLOWED = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "sub",
    "sup",
    "span",
    "div",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "img",
    "code",
    "pre",
    "blockquote",
}
DROPPED = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "select", "textarea", "head"}
ATTRIBUTES = {"img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
SAFE_SOURCES = ("https://", "http://", "/", "data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


def safe_html(text: str, fmt: str = "html", file_url: Callable[[str], str | None] | None = None) -> str:
    """``text`` as HTML safe to print (see the module docstring).

    Plain, Moodle-auto and Markdown texts are escaped with line breaks kept. ``file_url`` maps an
    ``@@PLUGINFILE@@/…`` reference to a URL (None drops the image, leaving its alt text).
    """
    if not text:
        return ""
    if fmt != "html":
        return html_std.escape(text).replace("\n", "<br>")
    try:
        root = lxml_html.fragment_fromstring(text, create_parent="div")
    except (etree.ParserError, ValueError):
        return html_std.escape(text)
    for element in list(root.iter()):
        if element is root:
            continue
        if not isinstance(element.tag, str):  # comments, processing instructions
            element.drop_tree()
            continue
        tag = element.tag.lower()
        if tag in DROPPED:
            element.drop_tree()
            continue
        if tag not in ALLOWED:
            element.drop_tag()
            continue
        allowed = ATTRIBUTES.get(tag, set())
        for name in list(element.attrib):
            if name not in allowed:
                del element.attrib[name]
        if tag == "img":
            src = element.get("src", "")
            if src.startswith(PLUGINFILE):
                src = (file_url(src) if file_url else None) or ""
            if not src.startswith(SAFE_SOURCES) or src.startswith("//"):
                alt = element.get("alt", "")
                if alt:
                    _replace_with_text(element, alt)
                else:
                    element.drop_tree()
            else:
                element.set("src", src)
    inner = (html_std.escape(root.text) if root.text else "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )
    return inner


def _replace_with_text(element: Any, text: str) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    tail = text + (element.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _item_context(item: PaperItem, data: QuestionData | None, file_url) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "number": item.number,
        "label": item.label,
        "points": item.points,
        "stem": "",
        "options": [],
        "statements": [],
        "missing": data is None,
        "id": item.id,
    }
    if data is None:
        return ctx
    ctx["stem"] = safe_html(data.stem, data.stem_format, file_url)
    if item.part == MC:
        ctx["options"] = [
            {
                "letter": "ABCDEFGHIJ"[pos],
                "html": safe_html(data.answers[orig].text, data.answers[orig].format, file_url),
            }
            for pos, orig in enumerate(item.order)
            if orig < len(data.answers)
        ]
    elif item.part == TF:
        statements = tuple(data.options.get("statements", ()))
        ctx["statements"] = [
            {"letter": "abcdefghij"[pos], "html": safe_html(str(statements[orig].get("text", "")), "html", file_url)}
            for pos, orig in enumerate(item.order)
            if orig < len(statements)
        ]
    return ctx


def _guide(item: PaperItem, file_url) -> str:
    """The marking guide of an essay (Moodle's "information for graders"), made safe."""
    data = item.candidate.data
    return safe_html(str(data.option("grader_info", "") or ""), "html", file_url) if data else ""


def print_context(
    bp: Blueprint,
    paper: Paper,
    *,
    questions: Mapping[Hashable, QuestionData] | None = None,
    spec: Specification | None = None,
    school: str = "",
    exam: str = "",
    school_year: str = "",
    file_url: Callable[[str], str | None] | None = None,
) -> dict[str, Any]:
    """The context of ``question_bank/paper_print.html`` for one variant.

    ``questions`` maps candidate ids to their questions; when absent the candidates' own
    ``data`` is used (an item without either prints as a placeholder).
    """
    spec = spec or specification(bp, [paper])
    parts = []
    for fmt, items in paper.parts:
        parts.append(
            {
                "format": fmt,
                "label": FORMAT_LABELS[fmt],
                "numeral": PART_NUMERALS[fmt],
                "count": len(items),
                "points": tidy(sum((i.points for i in items), Decimal(0))),
                "items": [_item_context(i, (questions or {}).get(i.id) or i.candidate.data, file_url) for i in items],
            }
        )
    by_part = dict(paper.parts)
    key_rows = []
    for fmt, items in paper.parts:
        for item in items:
            key_rows.append(
                {
                    "numeral": PART_NUMERALS[fmt],
                    "format": fmt,
                    "number": item.number,
                    "letters": list(item.key) if fmt == MC else [],
                    "statements": [{"letter": letter, "true": value} for letter, value in item.key]
                    if fmt == TF
                    else [],
                    "answers": list(item.key) if fmt == SHORT else [],
                    "guide": _guide(item, file_url) if fmt == ESSAY else "",
                    "points": item.points,
                    "row": (bp.row(item.row).label if bp.row(item.row) else item.row),
                    "level": (bp.level(item.level).label if bp.level(item.level) else item.level),
                }
            )
    matrix_rows = []
    for row in bp.rows:
        matrix_rows.append(
            {
                "group": row.group,
                "label": row.label,
                "cells": [bp.total_of([(row.id, lv, fmt)]) for fmt, lv in bp.columns],
                "total": bp.row_total(row.id),
            }
        )
    spec_lines = [
        {
            "group": line.row.group,
            "row": line.row.label,
            "level": line.level.label,
            "requirement": line.requirement,
            "cells": [
                {
                    "format": fmt,
                    "units": line.units.get(fmt, 0),
                    "numbers": ", ".join(f"{PART_NUMERALS[fmt]}.{n}" for n in line.numbers_for(paper.code, fmt)),
                }
                for fmt in bp.formats
            ],
        }
        for line in spec.lines
    ]
    return {
        "blueprint": bp,
        "paper": paper,
        "code": paper.code,
        "school": school,
        "exam": exam or bp.title,
        "school_year": school_year,
        "subject": bp.subject,
        "grade": bp.grade,
        "duration": bp.duration_minutes,
        "total_points": paper.total_points,
        "parts": parts,
        "sheet_mc": [i.number for i in by_part.get(MC, ())],
        "sheet_tf": [i.number for i in by_part.get(TF, ())],
        "sheet_short": [i.number for i in by_part.get(SHORT, ())],
        "has_essay": ESSAY in by_part,
        "option_letters": "ABCDEFGHIJ"[: max([4, *(i.candidate.option_count for i in by_part.get(MC, ()))])],
        "statement_letters": "abcd",
        "key_rows": key_rows,
        "matrix_columns": [
            {"format": fmt, "level": bp.level(lv).label if bp.level(lv) else lv} for fmt, lv in bp.columns
        ],
        "matrix_formats": [{"format": fmt, "label": FORMAT_LABELS[fmt], "span": len(bp.levels)} for fmt in bp.formats],
        "matrix_rows": matrix_rows,
        "matrix_column_totals": [bp.column_total(fmt, lv) for fmt, lv in bp.columns],
        "matrix_total": bp.grand_total(),
        "spec_lines": spec_lines,
        "level_summary": _shares([(lv.label, bp.level_total(lv.code)) for lv in bp.levels], bp),
        "format_summary": _shares([(FORMAT_LABELS[f], bp.format_total(f)) for f in bp.formats], bp),
    }


def _shares(totals: list[tuple[Any, Any]], bp: Blueprint) -> list[dict[str, Any]]:
    """Label, counted questions, points and share of the paper's points (%, whole number)."""
    whole = bp.grand_total().points
    return [
        {
            "label": label,
            "units": total.units,
            "points": total.points,
            "percent": int((total.points * 100 / whole).quantize(Decimal(1), ROUND_HALF_UP)) if whole else 0,
        }
        for label, total in totals
    ]

"""A question as students see it: texts made safe, inputs per type, and never the key.

:func:`student_view` turns a :class:`~question_bank.ir.QuestionData` into a small context for
``question_bank/student_question.html``. What it leaves out is the point: no answer fraction,
no feedback, no general feedback, and nothing whose order gives the key away (ordering items
and matching answers are sorted alphabetically; choice options keep their authored order,
which says nothing). Math stays as typed (``$…$``, ``\\(…\\)``) for the site's KaTeX.

Texts: ``html`` and Moodle's auto-format are cleaned with nh3 (an allow-list of tags and
attributes; no scripts, no event handlers, no styles); ``markdown`` is rendered without raw
HTML, then cleaned; ``plain`` is escaped with line breaks kept. Embedded files
(``@@PLUGINFILE@@/…``) become ``data:`` URIs so a preview shows imported images.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from question_bank.ir import PLUGINFILE, QuestionData

ALLOWED_TAGS = {
    *("p", "br", "div", "span", "em", "strong", "b", "i", "u", "sub", "sup", "small", "code", "pre"),
    *("ul", "ol", "li", "dl", "dt", "dd", "blockquote", "hr", "h3", "h4", "h5", "h6"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "img", "a", "figure", "figcaption"),
}
ALLOWED_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"lang", "class"},
}
_markdown = MarkdownIt("commonmark", {"html": False})
LETTERS = {
    "abc": "abcdefghijklmnopqrstuvwxyz",
    "ABCD": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "123": [str(i) for i in range(1, 100)],
    "iii": ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"],
    "IIII": ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"],
}
PLACEHOLDER = re.compile(r"\{#(\d+)\}")


def _inline_files(text: str, data: QuestionData) -> str:
    for f in data.files:
        mime = mimetypes.guess_type(f.name)[0] or "application/octet-stream"
        uri = f"data:{mime};base64,{base64.b64encode(f.content).decode('ascii')}"
        text = text.replace(f.reference, uri)
    return text


def safe_text(text: str, fmt: str = "html", data: QuestionData | None = None) -> SafeString:
    """A stored text as safe HTML (see the module docstring)."""
    if not text:
        return mark_safe("")
    if fmt == "plain":
        return mark_safe(linebreaks(escape(text)))  # noqa: S308 - escaped
    if fmt == "markdown":
        text = _markdown.render(text)
    elif fmt == "moodle":
        text = text.replace("\n", "<br>")
    if data is not None and PLUGINFILE in text:
        text = _inline_files(text, data)
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "data", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 with an allow-list


@dataclass
class Part:
    """One input of a question: ``kind`` picks the widget in the template."""

    kind: str  # radio, checkbox, text, number, select, textarea, truefalse
    name: str
    label: SafeString | str = ""
    choices: list[tuple[str, SafeString | str]] = field(default_factory=list)


@dataclass
class StudentView:
    qtype: str
    stem: SafeString
    parts: list[Part] = field(default_factory=list)
    pieces: list[Any] = field(default_factory=list)  # cloze: safe text and parts in reading order
    items: list[SafeString] = field(default_factory=list)  # ordering
    shuffled: bool = False


def _numbering(data: QuestionData, count: int) -> list[str]:
    letters = LETTERS.get(data.option("answer_numbering", "abc"))
    if letters is None:
        return [""] * count
    return [f"{letters[i]}." if i < len(letters) else "" for i in range(count)]


def _choices(data: QuestionData) -> list[tuple[str, SafeString]]:
    return [(str(i), safe_text(a.text, a.format, data)) for i, a in enumerate(data.answers)]


def _part_for(data: QuestionData, name: str) -> Part:
    """The input of a simple question (also a cloze part)."""
    qtype = data.qtype
    if qtype == "single_choice":
        kind = "select" if data.option("display") == "dropdown" else "radio"
        return Part(kind, name, choices=_choices(data))
    if qtype == "multiple_choice":
        return Part("checkbox", name, choices=_choices(data))
    if qtype == "true_false":
        return Part("truefalse", name)
    if qtype in ("numeric", "short_numeric_2025"):
        return Part("number", name)
    if qtype == "essay":
        return Part("textarea", name)
    return Part("text", name)


def student_view(data: QuestionData, prefix: str = "q") -> StudentView:
    """The context for the student template; see the module docstring for what is left out."""
    view = StudentView(qtype=data.qtype, stem=safe_text(data.stem, data.stem_format, data))
    view.shuffled = bool(data.option("shuffle", False))
    qtype = data.qtype
    if qtype == "description":
        return view
    if qtype in ("single_choice", "multiple_choice"):
        part = _part_for(data, prefix)
        numbers = _numbering(data, len(part.choices))
        part.choices = [
            (value, format_html("{} {}", n, label) if n else label)
            for (value, label), n in zip(part.choices, numbers, strict=True)
        ]
        view.parts.append(part)
    elif qtype == "true_false_group":
        for i, statement in enumerate(data.option("statements", ()) or ()):
            letter = "abcdefghijklmnopqrstuvwxyz"[i] if i < 26 else str(i + 1)
            label = format_html("{}) {}", letter, safe_text(statement.get("text", ""), "html", data))
            view.parts.append(Part("truefalse", f"{prefix}-{i}", label=label))
    elif qtype == "matching":
        pairs = [s for s in data.option("subquestions", ()) or ()]
        answers = sorted(
            {str(s.get("answer", "")) for s in pairs if str(s.get("answer", "")).strip()}, key=str.casefold
        )
        options = [(a, escape(a)) for a in answers]
        for i, sub in enumerate(pairs):
            if str(sub.get("text", "")).strip():
                label = safe_text(sub["text"], sub.get("format", "html"), data)
                view.parts.append(Part("select", f"{prefix}-{i}", label=label, choices=options))
    elif qtype == "ordering":
        view.items = [
            safe_text(str(item), "html", data) for item in sorted(data.option("items", ()) or (), key=str.casefold)
        ]
    elif qtype == "cloze":
        subs = list(data.option("subquestions", ()) or ())
        pieces: list[Any] = []
        position = 0
        stem_html = str(view.stem)
        for match in PLACEHOLDER.finditer(stem_html):
            pieces.append(mark_safe(stem_html[position : match.start()]))  # noqa: S308 - slice of cleaned html
            k = int(match.group(1)) - 1
            if 0 <= k < len(subs):
                pieces.append(_part_for(subs[k], f"{prefix}-{k}"))
            position = match.end()
        pieces.append(mark_safe(stem_html[position:]))  # noqa: S308 - slice of cleaned html
        view.pieces = pieces
    else:
        view.parts.append(_part_for(data, prefix))
    return view

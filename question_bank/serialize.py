"""Plain-JSON form of :class:`~question_bank.ir.QuestionData`, for JSON columns and file extensions.

``to_json_dict(q)`` gives only JSON types: decimals become canonical strings (see
:func:`~question_bank.ir.dec_str`), file contents base64, nested questions (cloze parts)
dictionaries. ``from_json_dict(to_json_dict(q)) == q`` for every question.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from question_bank.ir import Choice, EmbeddedFile, QuestionData, dec_str

_QUESTION_KEY = "__question__"


def _value_to_json(value: Any) -> Any:
    if isinstance(value, QuestionData):
        return {_QUESTION_KEY: to_json_dict(value)}
    if isinstance(value, Mapping):
        return {str(k): _value_to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value_to_json(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if hasattr(value, "is_finite"):
        return dec_str(value)
    return value


def _value_from_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        if set(value) == {_QUESTION_KEY}:
            return from_json_dict(value[_QUESTION_KEY])
        return {k: _value_from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_value_from_json(v) for v in value)
    return value


def options_to_json(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options with nested questions and decimals made JSON-safe."""
    return {str(k): _value_to_json(v) for k, v in options.items()}


def options_from_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`options_to_json`."""
    return {k: _value_from_json(v) for k, v in data.items()}


def to_json_dict(q: QuestionData) -> dict[str, Any]:
    """A JSON-compatible dictionary holding every compared field of ``q``."""
    return {
        "qtype": q.qtype,
        "name": q.name,
        "stem": q.stem,
        "stem_format": q.stem_format,
        "general_feedback": q.general_feedback,
        "default_mark": dec_str(q.default_mark),
        "penalty": dec_str(q.penalty),
        "idnumber": q.idnumber,
        "tags": list(q.tags),
        "category_path": list(q.category_path),
        "answers": [
            {
                "text": a.text,
                "fraction": dec_str(a.fraction),
                "feedback": a.feedback,
                "format": a.format,
                "tolerance": None if a.tolerance is None else dec_str(a.tolerance),
            }
            for a in q.answers
        ],
        "options": options_to_json(q.options),
        "files": [
            {"name": f.name, "path": f.path, "content": base64.b64encode(f.content).decode("ascii")} for f in q.files
        ],
    }


def from_json_dict(data: Mapping[str, Any]) -> QuestionData:
    """Inverse of :func:`to_json_dict`."""
    return QuestionData(
        qtype=data["qtype"],
        name=data.get("name", ""),
        stem=data.get("stem", ""),
        stem_format=data.get("stem_format", "html"),
        general_feedback=data.get("general_feedback", ""),
        default_mark=data.get("default_mark", "1"),
        penalty=data.get("penalty", "0.3333333"),
        idnumber=data.get("idnumber", ""),
        tags=tuple(data.get("tags", ())),
        category_path=tuple(data.get("category_path", ())),
        answers=tuple(
            Choice(
                a["text"], a.get("fraction", "0"), a.get("feedback", ""), a.get("format", "html"), a.get("tolerance")
            )
            for a in data.get("answers", ())
        ),
        options=options_from_json(data.get("options", {})),
        files=tuple(
            EmbeddedFile(f["name"], f.get("path", "/"), base64.b64decode(f.get("content", "")))
            for f in data.get("files", ())
        ),
    )


def dumps(q: QuestionData) -> str:
    """JSON text of a question."""
    return json.dumps(to_json_dict(q), ensure_ascii=False, sort_keys=True)


def loads(text: str) -> QuestionData:
    """A question from :func:`dumps` text."""
    return from_json_dict(json.loads(text))

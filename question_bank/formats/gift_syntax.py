"""GIFT lexical rules shared by the reader and the writer (Moodle's qformat_gift).

* Escapes ``\\:`` ``\\#`` ``\\=`` ``\\{`` ``\\}`` ``\\~`` and ``\\n`` (new line); ``\\\\`` is a backslash
  that escapes nothing. Before parsing, escaped characters become private-use placeholders so
  that they never act as syntax; they are restored when a text is taken out.
* A text may start with ``[html]``, ``[markdown]``, ``[plain]`` or ``[moodle]`` naming its format.
* Moodle 4 writes a question's id number and tags in a comment: ``// [id:ABC] [tag:x] [tag:y]``
  (``]`` inside is written ``\\]``). This module also reads and writes one extension comment,
  ``// [lms:{json}]``, carrying what GIFT cannot say (our own types' settings, marks); Moodle
  ignores comments, so such files still import there.
"""

from __future__ import annotations

import re

ESCAPES = {":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004", "}": "\ue005", "~": "\ue006", "n": "\ue007"}
_RESTORE = {v: ("\n" if k == "n" else k) for k, v in ESCAPES.items()}
_BACKSLASH = "\ue000"
FORMAT_NAMES = ("html", "markdown", "plain", "moodle")

WEIGHT = re.compile(r"^%\s*(-?[0-9]+(?:[.,][0-9]*)?)\s*%")
ID_TOKEN = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f])+)\]")
TAG_TOKEN = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f])+)\]")
LMS_TOKEN = re.compile(r"^//\s*\[lms:(\{.*\})\]\s*$")


def protect(text: str) -> str:
    """Replace escaped characters by placeholders (``\\\\`` first, as Moodle does)."""
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace(_BACKSLASH, "\\")


def restore(text: str) -> str:
    """Placeholders back to their characters."""
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def escape(text: str) -> str:
    """Escape a text for writing (Moodle's repchar): reserved characters and new lines."""
    text = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def split_format(text: str, default: str) -> tuple[str, str]:
    """(format, text) from a text that may start with ``[format]``; the text is restored and trimmed."""
    stripped = text.strip()
    if stripped.startswith("["):
        end = stripped.find("]")
        name = stripped[1:end] if end > 0 else ""
        if name in FORMAT_NAMES:
            return name, restore(stripped[end + 1 :]).strip()
    return default, restore(stripped).strip()


def write_text(text: str, fmt: str, default: str) -> str:
    """A text with its ``[format]`` prefix when it differs from ``default`` (or the text starts with "[")."""
    prefix = f"[{fmt}]" if text and (fmt != default or text.startswith("[")) else ""
    return prefix + escape(text)


def parse_weight(text: str) -> tuple[str, str] | None:
    """(percent, rest) when ``text`` starts with a ``%50%`` weight."""
    match = WEIGHT.match(text)
    if not match:
        return None
    return match.group(1).replace(",", "."), text[match.end() :]


def read_meta_comment(comments: str) -> tuple[str, list[str]]:
    """Moodle 4's id number and tags from a question's comment lines."""
    idnumber = ""
    match = ID_TOKEN.search(comments)
    if match:
        idnumber = match.group(1).replace("\\]", "]").strip()
    tags = [m.replace("\\]", "]").strip() for m in TAG_TOKEN.findall(comments)]
    return idnumber, [t for t in tags if t]


def write_meta_comment(idnumber: str, tags: tuple[str, ...]) -> str:
    """``// [id:…] [tag:…]`` or "" when there is nothing to say."""
    bits = []
    if idnumber:
        bits.append("[id:" + _one_line(idnumber).replace("]", "\\]") + "]")
    bits.extend("[tag:" + _one_line(t).replace("]", "\\]") + "]" for t in tags)
    return "// " + " ".join(bits) + "\n" if bits else ""


def _one_line(text: str) -> str:
    return re.sub(r"[\x00-\x1f]+", " ", text)

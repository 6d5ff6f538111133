"""Caption files: SRT → WebVTT in Python, and a sanity check of WebVTT uploads.

Browsers and hls.js read WebVTT only; teachers mostly have SRT (from subtitle
editors and auto-captioning tools). The conversion keeps cue timing and the
SRT formatting WebVTT understands (``<b>``, ``<i>``, ``<u>``), drops the rest
(``<font>``), escapes stray ``&`` and ``<``, and stores text NFC-normalised.
Files must be UTF-8 (with or without BOM) or UTF-16 with a BOM; legacy
Vietnamese encodings (TCVN3, VNI) cannot be told apart reliably, so they are
refused with a message saying how to re-save the file.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from media_pipeline.errors import MediaError

_TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3})(?P<rest>.*)$"
)
_ALLOWED_TAG = re.compile(r"</?(?:b|i|u)>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


class CaptionError(MediaError):
    pass


def decode_caption_bytes(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CaptionError(
                "caption_encoding", _("The caption file is not UTF-8 text; please save it again as UTF-8.")
            ) from None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def to_webvtt(data: bytes) -> str:
    """Caption bytes (SRT or WebVTT) → a WebVTT document, or ``CaptionError``."""
    text = decode_caption_bytes(data)
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        return validate_webvtt(text)
    return srt_to_webvtt(text)


def srt_to_webvtt(text: str) -> str:
    cues = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.split("\n") if line.strip() != ""] if block.strip() else []
        if not lines:
            continue
        if not _TIMING.match(lines[0]) and len(lines) > 1 and _TIMING.match(lines[1]):
            lines = lines[1:]  # the SRT counter
        match = _TIMING.match(lines[0])
        if not match:
            raise CaptionError("caption_syntax", _("The caption file is neither SRT nor WebVTT."))
        start, end = _timestamp(match["start"]), _timestamp(match["end"])
        if _seconds(end) < _seconds(start):
            raise CaptionError("caption_timing", _("A caption ends before it starts."))
        body = "\n".join(_clean_text(line) for line in lines[1:])
        cues.append(f"{start} --> {end}\n{body}".rstrip())
    if not cues:
        raise CaptionError("caption_empty", _("The caption file contains no captions."))
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def validate_webvtt(text: str) -> str:
    first = text.split("\n", 1)[0]
    if not re.fullmatch(r"WEBVTT(?:[ \t].*)?", first):
        raise CaptionError("caption_syntax", _("The caption file is neither SRT nor WebVTT."))
    if not any(_TIMING.match(line) for line in text.split("\n")):
        raise CaptionError("caption_empty", _("The caption file contains no captions."))
    return text if text.endswith("\n") else text + "\n"


def _timestamp(value: str) -> str:
    """``1:02,5`` / ``00:01:02,500`` → ``00:01:02.500``."""
    value = value.replace(",", ".")
    clock, _dot, millis = value.partition(".")
    parts = [int(p) for p in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis.ljust(3, '0')[:3]}"


def _seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def _clean_text(line: str) -> str:
    line = line.replace("-->", "→")
    line = _ANY_TAG.sub(lambda m: m.group(0).lower() if _ALLOWED_TAG.fullmatch(m.group(0)) else "", line)
    line = re.sub(r"&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)", "&amp;", line)
    # A "<" that does not open an allowed tag is text.
    return re.sub(r"<(?!/?(?:b|i|u)>)", "&lt;", line)

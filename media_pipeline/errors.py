"""Errors the pipeline reports to people: a stable English code plus a translatable message.

The code is for logs, tests and the API; the message (an English msgid marked with
gettext_lazy, translated to Vietnamese in this app's catalogue) is what a teacher
reads. Parameters are kept apart so the message can be rendered again later in
whatever language the reader uses.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MediaError(Exception):
    """Base of the errors with a code and a message for the uploader.

    ``permanent`` errors come from the input (retrying cannot help); the others
    (a storage outage, a killed process) are retried with back-off.
    """

    permanent = True

    def __init__(self, code: str, message: Promise | str, params: dict[str, Any] | None = None):
        self.code = code
        self.template = message
        self.params = params or {}
        super().__init__(f"{code}: {self.render()}")

    def render(self) -> str:
        """The message in the active language."""
        text = str(self.template)
        return text % self.params if self.params else text


class ProbeRejected(MediaError):
    """The upload is not something we accept (not media, too long, too large, damaged)."""


class TranscodeFailed(MediaError):
    """ffmpeg could not turn the input into the ladder; ``permanent`` says whether to retry."""

    def __init__(self, code: str, message: Promise | str, params=None, *, permanent: bool = True, detail: str = ""):
        self.permanent = permanent
        self.detail = detail
        super().__init__(code, message, params)


class TranscodeCancelled(Exception):
    """Someone asked to stop this job; the ffmpeg process has been terminated."""


class LostOwnership(Exception):
    """Another worker took this job over (ours was presumed dead): stop without writing."""


# Messages shared by several modules, so each msgid lives once.
MESSAGES = {
    "empty_file": _("The file is empty (0 bytes)."),
    "file_too_large": _("The file is %(size_mb)s MB; the limit is %(limit_mb)s MB."),
    "not_media": _("This file is not a video or audio file that can be read."),
    "corrupt_file": _("The file looks like a video but is damaged or incomplete; please export or copy it again."),
    "unsupported_format": _("This file format (%(format)s) is not accepted; please upload MP4, WebM, MKV, MOV or AVI."),
    "no_streams": _("The file contains neither video nor sound."),
    "too_long": _("The video lasts %(duration)s; the limit is %(limit)s."),
    "no_duration": _("The length of the video cannot be read; the file may be damaged."),
    "resolution_too_high": _(
        "The picture is %(width)s×%(height)s pixels, more than the %(limit)s megapixels accepted."
    ),
    "bad_dimensions": _("The picture size of the video cannot be read; the file may be damaged."),
    "unsupported_codec": _("The video or sound in this file uses a format that cannot be decoded (%(codec)s)."),
    "truncated": _("Only %(done)s of %(total)s could be read; the file seems damaged or incomplete."),
    "missing_original": _("The uploaded file is missing from storage; please upload it again."),
    "ffmpeg_failed": _("The video could not be converted; the file may be damaged."),
    "ffmpeg_crashed": _("The conversion stopped unexpectedly; it will be tried again."),
    "ffmpeg_stalled": _("The conversion stopped making progress; it will be tried again."),
    "worker_lost": _("The conversion was interrupted; it will be tried again."),
    "internal_error": _("The conversion failed because of a server problem; it will be tried again."),
    "attempts_exhausted": _("The conversion failed several times; please contact the administrator."),
}


def message(code: str, **params) -> str:
    """Render a known message in the active language."""
    text = str(MESSAGES[code])
    return text % params if params else text


def format_duration(seconds: float) -> str:
    """3725 → "1:02:05", 65 → "1:05": durations in messages, language-neutral."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

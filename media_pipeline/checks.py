"""System checks for what the pipeline needs beyond ffmpeg being installed (lms.core checks that)."""

from __future__ import annotations

import functools
import shutil
import subprocess

from django.core.checks import Tags, Warning, register

from media_pipeline.conf import media_settings

REQUIRED_ENCODERS = {"libx264": "H.264 video (libx264)", "aac": "AAC audio (aac)"}


def parse_encoders(output: str) -> set[str]:
    """Encoder names from ``ffmpeg -hide_banner -encoders`` (the lines after the ``------`` rule)."""
    names: set[str] = set()
    started = False
    for line in output.splitlines():
        if line.strip().startswith("------"):
            started = True
            continue
        parts = line.split()
        if started and len(parts) >= 2:
            names.add(parts[1])
    return names


@functools.lru_cache(maxsize=8)
def available_encoders(binary: str) -> frozenset[str] | None:
    """The encoders ``binary`` offers (asked once per process: checks run on every manage.py command)."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, binary from settings
            [binary, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return frozenset(parse_encoders(result.stdout)) if result.returncode == 0 else None


@register(Tags.compatibility)
def check_ffmpeg_encoders(app_configs=None, **kwargs):
    binary = media_settings().ffmpeg_binary
    if shutil.which(binary) is None:
        return []  # lms.W001 already says ffmpeg is missing
    encoders = available_encoders(binary)
    if encoders is None:
        return [
            Warning(
                f"Could not list the encoders of {binary}.",
                hint="Run `ffmpeg -hide_banner -encoders` by hand to see what is wrong with this ffmpeg.",
                id="media_pipeline.W001",
            )
        ]
    missing = [label for name, label in REQUIRED_ENCODERS.items() if name not in encoders]
    if not missing:
        return []
    return [
        Warning(
            f"{binary} lacks the encoders lecture videos need: {', '.join(missing)}.",
            hint="Install a full ffmpeg build: Debian/Ubuntu `apt-get install ffmpeg` (includes libx264 and aac), "
            "or a static build from https://johnvansickle.com/ffmpeg/, and point FFMPEG_BINARY at it.",
            id="media_pipeline.W002",
        )
    ]


@register()
def check_private_media(app_configs=None, **kwargs):
    """Draft lecture videos must not be readable by anyone who guesses or leaks an object URL."""
    from media_pipeline.storage import get_storage

    storage = get_storage()
    if not hasattr(storage, "querystring_auth"):
        return []
    problems = []
    if not storage.querystring_auth:
        problems.append("it serves unsigned URLs (AWS_QUERYSTRING_AUTH = False)")
    if str(getattr(storage, "default_acl", "") or "").startswith("public"):
        problems.append(f"new objects are {storage.default_acl} (AWS_DEFAULT_ACL)")
    if not problems:
        return []
    return [
        Warning(
            f"Draft lecture videos would be publicly readable: {'; '.join(problems)}.",
            hint="Keep AWS_QUERYSTRING_AUTH = True, AWS_DEFAULT_ACL = None and the bucket private; "
            "lecture videos are served through the access-checked view and short-lived signed URLs.",
            id="media_pipeline.W003",
        )
    ]

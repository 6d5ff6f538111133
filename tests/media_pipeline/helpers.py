"""Small helpers shared by the pipeline's database tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile


def uploaded(path: Path, *, name: str | None = None, temporary: bool = False):
    """An upload as Django's request parsing would give it (in memory, or spooled to a temporary file)."""
    name = name or path.name
    if not temporary:
        return SimpleUploadedFile(name, path.read_bytes(), content_type="video/mp4")
    upload = TemporaryUploadedFile(name, "video/mp4", path.stat().st_size, None)
    with open(path, "rb") as src:
        shutil.copyfileobj(src, upload.file)
    upload.file.flush()
    upload.seek(0)
    return upload

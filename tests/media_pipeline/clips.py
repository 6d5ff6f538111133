"""Small test clips made on the spot with ffmpeg's lavfi sources (testsrc2 picture, sine tone)."""

from __future__ import annotations

import subprocess
from pathlib import Path

FAST = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


def video_clip(
    path: Path,
    *,
    width: int,
    height: int,
    seconds: float,
    fps: int = 25,
    audio: bool = True,
    rotate: int | None = None,
    faststart: bool = False,
) -> Path:
    """A testsrc2 clip, with a 440 Hz tone unless ``audio=False``; ``rotate`` adds a display-rotation flag."""
    args = ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}"]
    if audio:
        args += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    args += ["-t", str(seconds), *FAST]
    if audio:
        args += ["-c:a", "aac", "-b:a", "96k"]
    if faststart:
        args += ["-movflags", "+faststart"]
    if rotate is None:
        ffmpeg(*args, str(path))
        return path
    plain = path.with_name("plain-" + path.name)
    ffmpeg(*args, str(plain))
    ffmpeg("-i", str(plain), "-c", "copy", "-metadata:s:v:0", f"rotate={rotate}", str(path))
    plain.unlink()
    return path


def audio_clip(path: Path, *, seconds: float) -> Path:
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds), "-c:a", "aac", str(path))
    return path


def truncated_copy(source: Path, path: Path, fraction: float) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path

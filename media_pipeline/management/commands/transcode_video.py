"""Probe and transcode a local file with the production ladder, without the database or a worker.

    manage.py transcode_video lecture.mp4 --out /tmp/lecture-hls

For trying the ladder on a real lecture, checking a file a teacher says fails,
or timing the pipeline on a new machine.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from media_pipeline.errors import MediaError, TranscodeCancelled, format_duration
from media_pipeline.probe import probe_file
from media_pipeline.transcode import plan_for, transcode


class ProgressBar:
    """A one-line bar on stderr (redrawn in place on a terminal, a line every 10 % otherwise).

    ``stream`` is the command's OutputWrapper (``write(text, ending=...)``).
    """

    def __init__(self, stream, width: int = 30):
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.last = -1
        self.tty = stream.isatty()

    def update(self, percent: float) -> None:
        step = int(percent)
        if step == self.last or (not self.tty and step // 10 == self.last // 10 and step != 100):
            return
        self.last = step
        filled = int(self.width * percent / 100)
        elapsed = format_duration(time.monotonic() - self.started)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {step:3d}% {elapsed}"
        self.stream.write(("\r" + line) if self.tty else line, style_func=str, ending="" if self.tty else "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("", ending="\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Probe and transcode a local media file into the HLS ladder, poster and thumbnails (no database)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The media file to transcode.")
        parser.add_argument("--out", help="Output directory (default: <file name>-hls next to the file).")
        parser.add_argument("--force", action="store_true", help="Replace the output directory if it exists.")

    def handle(self, *args, path: str, out: str | None, force: bool, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        out_dir = Path(out) if out else source.with_name(f"{source.stem}-hls")
        if out_dir.exists() and any(out_dir.iterdir()):
            if not force:
                raise CommandError(f"{out_dir} is not empty; use --force to replace it.")
            shutil.rmtree(out_dir)
        with translation.override("en"):
            try:
                probe = probe_file(source)
            except MediaError as exc:
                raise CommandError(f"Rejected ({exc.code}): {exc.render()}") from None
        plan = plan_for(probe)
        size = f"{probe.width}x{probe.height}" if probe.has_video else "audio only"
        self.stderr.write(
            f"{source.name}: {probe.container}, {format_duration(probe.duration)}, {size}, {probe.codecs or '-'}"
        )
        rungs = ", ".join(f"{r.name} {r.width}x{r.height} {r.video_bitrate // 1000}k" for r in plan.video_rungs)
        self.stderr.write(f"Ladder: {rungs or '-'}; audio rung: {'yes' if plan.audio_rung else 'no'}")
        out_dir.mkdir(parents=True, exist_ok=True)
        bar = ProgressBar(self.stderr)
        started = time.monotonic()
        try:
            with translation.override("en"):
                result = transcode(source, probe, out_dir, plan=plan, on_progress=bar.update)
        except (MediaError, TranscodeCancelled) as exc:
            bar.close()
            detail = getattr(exc, "detail", "")
            raise CommandError(f"Transcode failed: {exc}\n{detail}".strip()) from None
        bar.close()
        elapsed = time.monotonic() - started
        self.stderr.write(f"Done in {elapsed:.1f} s ({probe.duration / max(elapsed, 0.001):.2f}x real time).")
        for rendition in result.renditions:
            details = []
            if rendition.width:
                details.append(f"{rendition.width}x{rendition.height}")
            if rendition.bitrate:
                details.append(f"{rendition.bitrate // 1000} kbit/s")
            if rendition.codecs:
                details.append(rendition.codecs)
            self.stdout.write(f"{rendition.kind:16} {out_dir / rendition.path}  {' '.join(details)}")
        self.stdout.write(f"Outputs: {out_dir.resolve()} ({len(result.files)} files)")

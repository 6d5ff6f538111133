"""Run one ffmpeg command and watch it: progress, cancellation, stalls, and no orphans.

ffmpeg-python builds the command line (``ffmpeg.compile``); this module runs it
because the pipeline needs more than ``ffmpeg.run`` gives:

* progress from ``-progress pipe:1`` (``out_time_us`` lines) as it happens;
* a ``should_stop`` check after each progress report, so a cancelled job or a
  job taken over by another worker terminates ffmpeg within a second or two;
* a stall guard: a hostile input that makes ffmpeg spin without producing
  output is killed after ``stall_seconds``;
* on Linux the child gets ``PR_SET_PDEATHSIG``, so when the worker is killed
  (``kill -9``, OOM) its ffmpeg dies with it instead of running on unseen;
* stderr is drained continuously (a full pipe would block ffmpeg) and only its
  last lines are kept, so a flood of decoder errors cannot fill the memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable

from media_pipeline.errors import MESSAGES, TranscodeCancelled, TranscodeFailed

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_EOF = object()


def progress_args() -> list[str]:
    """Global arguments that make ffmpeg report machine-readable progress on stdout."""
    return ["-nostdin", "-hide_banner", "-v", "error", "-nostats", "-progress", "pipe:1"]


def run_ffmpeg(
    args: list[str],
    *,
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    stall_seconds: float = 300,
) -> None:
    """Run ``args`` (a full argv including ``progress_args()``) to completion.

    ``on_progress`` receives the seconds of output written so far. Raises
    ``TranscodeCancelled`` when ``should_stop()`` turns true, ``TranscodeFailed``
    when ffmpeg fails (permanent for a non-zero exit, transient when it was
    killed by a signal or stalled). Whatever happens, ffmpeg is not left running.
    """
    logger.debug("Running %s", " ".join(args))
    proc = subprocess.Popen(  # noqa: S603 - argv list built by ffmpeg-python, no shell
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent(),  # only sets the parent-death signal
        close_fds=True,
    )
    events: queue.Queue = queue.Queue()
    tail: deque[str] = deque(maxlen=30)
    readers = [
        threading.Thread(target=_read_progress, args=(proc.stdout, events), daemon=True),
        threading.Thread(target=_read_tail, args=(proc.stderr, tail), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        last_activity = time.monotonic()
        while True:
            try:
                item = events.get(timeout=0.5)
            except queue.Empty:
                item = None
            if item is _EOF:
                break
            if item is not None:
                last_activity = time.monotonic()
                if on_progress is not None:
                    on_progress(item)
            if should_stop is not None and should_stop():
                raise TranscodeCancelled()
            if time.monotonic() - last_activity > stall_seconds:
                raise TranscodeFailed(
                    "ffmpeg_stalled", MESSAGES["ffmpeg_stalled"], permanent=False, detail="\n".join(tail)
                )
        returncode = proc.wait()
    finally:
        _stop(proc)
        for reader in readers:
            reader.join(timeout=5)
    if returncode != 0:
        detail = "\n".join(tail)
        if returncode < 0:
            raise TranscodeFailed("ffmpeg_crashed", MESSAGES["ffmpeg_crashed"], permanent=False, detail=detail)
        raise TranscodeFailed("ffmpeg_failed", MESSAGES["ffmpeg_failed"], permanent=True, detail=detail)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _read_progress(stream, events: queue.Queue) -> None:
    """Turn ``key=value`` blocks into seconds of output; each block ends with ``progress=...``."""
    out_time: float | None = None
    try:
        for raw in iter(stream.readline, b""):
            key, _sep, value = raw.decode("ascii", "replace").strip().partition("=")
            if key == "out_time_us":
                with contextlib.suppress(ValueError):
                    out_time = max(0.0, int(value) / 1_000_000)
            elif key == "progress" and out_time is not None:
                events.put(out_time)
    finally:
        events.put(_EOF)


def _read_tail(stream, tail: deque[str]) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        if line:
            tail.append(line[:500])


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to SIGKILL the child when the worker dies."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def set_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    return set_death_signal

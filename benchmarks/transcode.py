"""Transcode speed: the pipeline against the single hand-written ffmpeg ladder command on the same input.

Usage:  .venv/bin/python benchmarks/transcode.py [--seconds 60] [--size 1280x720] [--runs 3] [--preset veryfast]

Use several runs (``--runs 7``) on a shared machine: its speed drifts, and the
median of paired ratios (each pipeline run against the hand-written run next
to it) is the figure to read.

A lecture-like input is generated once (testsrc2 with light film grain and a
tone, H.264/AAC), then, alternately, ``--runs`` times each:

* **pipeline**: what a worker does before uploading, through the app's own
  code: ffprobe + plan (``probe_file``), the one-pass ladder (``transcode``:
  one decode, 720p/480p/360p/240p + audio rung as HLS, poster and 5 thumbnails
  from the same decoded frames), measuring the variants and rewriting the
  master playlist, then the MP4 remux;
* **hand-written**: the one ffmpeg command an engineer would type for the same
  ladder (same rungs, bitrates, preset, GOP, segments, HLS muxer), nothing else.

Printed: the median wall time and CPU time (of the ffmpeg/ffprobe processes)
of each, their ratios (target ≤ 1.10: the extras cost at most 10 %), and the
pipeline's speed as a multiple of realtime (input seconds per wall-clock
second). On a shared machine the CPU ratio is the steadier figure. No
database or storage is involved.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def configure(preset: str) -> None:
    from django.conf import settings

    settings.configure(MEDIA_X264_PRESET=preset, USE_I18N=False)


def make_input(path: Path, seconds: int, size: str) -> None:
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25,noise=alls=8:allf=t",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2", str(path),
        ],
        check=True,
    )  # fmt: skip


def hand_written(source: Path, out: Path, preset: str) -> list[str]:
    """The single ffmpeg ladder command, written out as one would by hand (720p input, 25 fps, 4 s segments)."""
    rungs = [  # name, width, height, video bitrate, audio bitrate (as the ladder's docstring)
        ("240p", 426, 240, 250, 64),
        ("360p", 640, 360, 500, 64),
        ("480p", 854, 480, 900, 96),
        ("720p", 1280, 720, 1800, 128),
    ]
    n = len(rungs)
    graph = f"[0:v]yadif=mode=send_frame:deint=interlaced,fps=25,split={n}" + "".join(f"[v{i}]" for i in range(n))
    for i, (_name, w, h, _vb, _ab) in enumerate(rungs):
        graph += f";[v{i}]scale={w}:{h},setsar=1[v{i}o]"
    graph += f";[0:a]aresample=48000:async=1,asplit={n + 1}" + "".join(f"[a{i}]" for i in range(n + 1))
    argv = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source), "-filter_complex", graph]
    stream_map = []
    for i, (name, _w, _h, vb, ab) in enumerate(rungs):
        argv += ["-map", f"[v{i}o]", "-map", f"[a{i}]"]
        argv += [f"-b:v:{i}", f"{vb}k", f"-maxrate:v:{i}", f"{round(vb * 1.1)}k", f"-bufsize:v:{i}", f"{vb * 2}k"]
        argv += [f"-b:a:{i}", f"{ab}k"]
        stream_map.append(f"v:{i},a:{i},name:{name}")
    argv += ["-map", f"[a{n}]", f"-b:a:{n}", "48k"]
    stream_map.append(f"a:{n},name:audio")
    argv += [
        "-c:v", "libx264", "-preset", preset, "-profile:v", "main", "-pix_fmt", "yuv420p",
        "-g", "100", "-keyint_min", "100", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*4)",
        "-c:a", "aac", "-ac", "2", "-ar", "48000",
        "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod", "-hls_flags", "independent_segments",
        "-hls_segment_type", "mpegts", "-hls_segment_filename", str(out / "%v" / "seg_%05d.ts"),
        "-master_pl_name", "master.m3u8", "-var_stream_map", " ".join(stream_map),
        str(out / "%v" / "index.m3u8"),
    ]  # fmt: skip
    return argv


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_pipeline(source: Path, out: Path) -> tuple[float, float]:
    from media_pipeline.probe import probe_file
    from media_pipeline.transcode import transcode

    cpu, started = child_cpu(), time.perf_counter()
    probe = probe_file(source)
    result = transcode(source, probe, out)
    elapsed = time.perf_counter() - started
    assert len(result.plan.video_rungs) == 4, result.plan
    return elapsed, child_cpu() - cpu


def run_hand_written(source: Path, out: Path, preset: str) -> tuple[float, float]:
    cpu, started = child_cpu(), time.perf_counter()
    subprocess.run(hand_written(source, out, preset), check=True)
    return time.perf_counter() - started, child_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the generated input")
    parser.add_argument("--size", default="1280x720", help="input size (the hand-written command assumes 720p)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="veryfast", help="x264 preset for both (the pipeline's default)")
    args = parser.parse_args()
    configure(args.preset)

    with tempfile.TemporaryDirectory(prefix="bench-transcode-") as tmp:
        root = Path(tmp)
        source = root / "lecture.mp4"
        make_input(source, args.seconds, args.size)
        pipeline, hand = [], []
        for run in range(args.runs):
            for kind in ("pipeline", "hand") if run % 2 == 0 else ("hand", "pipeline"):
                out = root / f"{kind}-{run}"
                out.mkdir()
                if kind == "pipeline":
                    pipeline.append(run_pipeline(source, out))
                else:
                    hand.append(run_hand_written(source, out, args.preset))
                subprocess.run(["rm", "-rf", str(out)], check=True)
        p, h = statistics.median(w for w, _c in pipeline), statistics.median(w for w, _c in hand)
        pc, hc = statistics.median(c for _w, c in pipeline), statistics.median(c for _w, c in hand)
        p_runs, h_runs = [round(w, 1) for w, _c in pipeline], [round(w, 1) for w, _c in hand]
        print(f"input: {args.seconds} s {args.size} 25 fps H.264/AAC stereo; x264 preset {args.preset}")
        print(f"{args.runs} runs each, alternating; medians")
        print(f"pipeline (probe + ladder + pictures + measure + MP4): wall {p:.2f} s, CPU {pc:.2f} s  walls {p_runs}")
        print(f"hand-written single ffmpeg ladder command:            wall {h:.2f} s, CPU {hc:.2f} s  walls {h_runs}")
        print(f"ratio of medians pipeline / hand-written: wall {p / h:.3f}, CPU {pc / hc:.3f}  (target <= 1.10)")
        # Each pipeline run against the hand-written run next to it: a shared machine's speed drifts by
        # 20 % within minutes, and a pair's ratio cancels most of that drift.
        pairs = [pw / hw for (pw, _pc), (hw, _hc) in zip(pipeline, hand, strict=True)]
        print(f"median of paired wall ratios: {statistics.median(pairs):.3f}  pairs {[round(r, 3) for r in pairs]}")
        print(f"pipeline speed: {args.seconds / p:.2f}x realtime  (hand-written {args.seconds / h:.2f}x)")


if __name__ == "__main__":
    main()

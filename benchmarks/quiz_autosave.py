"""Quiz attempts under a whole school's load: simultaneous starts, answer autosave, and the bare-upsert floor.

Usage:
    eval "$(scripts/services/postgres.sh start)"
    .venv/bin/python benchmarks/quiz_autosave.py [--students 500] [--starts 1000] [--seconds 20]
                                                  [--interval 1.0] [--workers 3] [--threads 4]

Needs PostgreSQL (DATABASE_URL); makes a fresh database ``<name>_bench_quiz`` on that server, migrates it,
seeds one school with ``--starts`` enrolled students and a 20-question quiz, and serves the platform with
gunicorn as the production image does (``DJANGO_ENV=production``, gthread workers; the WSGI module adds
one bare view, see benchmarks/quiz_server.py). A single asyncio client on the same machine then plays:

1. starts: every student POSTs "start attempt" at the same moment; wall time until all have their attempt;
2. autosave: ``--students`` students each save an answer every ``--interval`` seconds (jittered, open loop:
   a late reply delays nothing, latency counts from the moment the save was due) through the attempt API;
3. floor: the same load on a bare view doing one upsert into the same table;
4. saturation: the same students saving back to back (closed loop) for each of the two, to show the ceiling.

Prints saves/s, p50/p99/max latency and errors for each phase, and the queries one save costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF = "benchcsrftokenbenchcsrftoken0123"  # 32 characters, as Django's unmasked CSRF secret
SERVER_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "benchmark-only-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_BEHIND_TLS_PROXY": "false",
    "LOG_LEVEL": "WARNING",
    "TASKS_BACKEND": "database",
}


# --- Set-up (in this process) ----------------------------------------------------------------------


def bench_database_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("benchmarks/quiz_autosave.py needs PostgreSQL: set DATABASE_URL (scripts/services/postgres.sh).")
    name = parts.path.lstrip("/") + "_bench_quiz"
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


@dataclass
class Seeded:
    item_id: int
    slot_ids: list[int]
    cookies: list[str]  # per student, in order
    attempts: list[tuple[str, int]] = field(default_factory=list)  # (uid, pk) per student, after starts
    tokens: list[str] = field(default_factory=list)  # the attempt's save token per student


def seed(students: int) -> Seeded:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from courses import attempts, services
    from courses.models import EnrolmentSource
    from lms.accounts.models import Membership, Role, User
    from lms.accounts.services import create_user, grant_membership
    from lms.curriculum.models import Level, SubjectOffering
    from lms.orgs.defaults import ensure_default_unit_types
    from lms.orgs.models import create_organisation
    from question_bank import services as bank
    from question_bank.ir import Choice, QuestionData

    print("migrating the benchmark database...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_curriculum", verbosity=0)
    types = ensure_default_unit_types()
    ministry = create_organisation(name="Bộ", code="B", unit_type=types["bo"])
    province = create_organisation(name="Tỉnh", code="P", unit_type=types["tinh"], parent=ministry)
    school = create_organisation(
        name="Trường THCS",
        code="S",
        unit_type=types["truong"],
        parent=province,
        school_levels=list(Level.objects.all()),
    )
    teacher = create_user(actor=None, username="gv", full_name="Giáo viên Toán", password="x")
    grant_membership(actor=None, user=teacher, organisation=school, role=Role.TEACHER)

    print(f"seeding {students} students...", flush=True)
    users = [User(username=f"hs{i:05d}", full_name=f"Học sinh {i}") for i in range(students)]
    for user in users:
        user.set_unusable_password()
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create(Membership(user=u, organisation=school, role=Role.STUDENT) for u in users)
    course = services.create_course(
        actor=teacher,
        school=school,
        offering=SubjectOffering.objects.get(subject__slug="toan", grade__number=6),
        title="Toán 6 – kiểm tra chung",
        school_year="2026-2027",
    )
    services.enrol(actor=teacher, course=course, students=users, source=EnrolmentSource.CLASS_LIST)
    section = services.add_section(actor=teacher, course=course, title="Kiểm tra giữa kì")
    quiz = attempts.create_quiz(
        actor=teacher, section=section, title="Kiểm tra 45 phút", time_limit_minutes=45, shuffle_questions=True
    )
    for n in range(20):
        data = QuestionData(
            qtype="single_choice",
            name=f"Câu {n + 1}",
            stem=f"<p>Tính $\\dfrac{{{n + 1}}}{{2}} + \\dfrac{{1}}{{2}}$.</p>",
            answers=tuple(Choice(f"${n + k}$", 1 if k == 2 else 0) for k in range(1, 5)),
        )
        question = bank.create_question(actor=teacher, data=data, school=school)
        attempts.add_question(quiz=quiz, version=question.current_version)

    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"sessionid={store.session_key}; csrftoken={CSRF}")
    return Seeded(quiz.item.pk, list(quiz.slots.values_list("pk", flat=True)), cookies)


def count_save_queries(seeded: Seeded) -> tuple[int, int]:
    """Queries of one autosave through the full stack (in process, Django's test client): with the token, without."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import Attempt

    attempt = Attempt.objects.select_related("student").get(uid=seeded.attempts[0][0])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(attempt.student)
    url = f"/courses/api/attempts/{attempt.uid}/answers/{attempt.variant[0]['slot']}/"
    counts = []
    for n, headers in enumerate(({"X-Attempt-Token": seeded.tokens[0]}, {})):
        with CaptureQueriesContext(connection) as queries:
            body = {"response": 2, "seq": 2**61 + n}
            response = client.put(url, body, content_type="application/json", headers=headers)
        assert response.status_code == 200 and response.json()["status"] == "saved", response.content
        counts.append(len(queries))
    return counts[0], counts[1]


# --- The server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "benchmarks.quiz_server:application",
        "--chdir", str(ROOT),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-connections", "2000",
        "--backlog", "2048",
        "--keep-alive", "30",
        "--timeout", "120",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit("gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


# --- The client: one keep-alive HTTP/1.1 connection per student ------------------------------------


class Connection:
    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, payload: dict | None = None, token: str = "") -> tuple[int, bytes]:
        body = json.dumps(payload).encode() if payload is not None else b""
        extra = f"X-Attempt-Token: {token}\r\n" if token else ""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {self.cookie}\r\nX-CSRFToken: {CSRF}\r\n"
            f"{extra}Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        for retry in (False, True):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.writer.write(head + body)
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError("closed by the server")
                length, close = 0, False
                while (line := await self.reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                    elif name.lower() == "connection" and value.strip().lower() == "close":
                        close = True
                data = await self.reader.readexactly(length)
                if close:
                    self.close()
                return int(status_line.split()[1]), data
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if retry:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: int = 0

    def add(self, seconds: float, ok: bool, status: str) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.errors += not ok

    def line(self, label: str, wall: float) -> str:
        lat = sorted(self.latencies) or [0.0]
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        rate = len(self.latencies) / wall if wall else 0
        return (
            f"{label:<28} {len(self.latencies):>7} {rate:>9.0f} {p(0.5):>8.1f} {p(0.99):>8.1f} {lat[-1] * 1000:>8.1f}"
            f" {self.errors:>6}  {json.dumps(self.statuses, sort_keys=True)}"
        )


HEADER = f"{'phase':<28} {'requests':>7} {'per s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}  statuses"


async def run_starts(port: int, seeded: Seeded) -> tuple[Tally, float]:
    connections = [Connection(port, cookie) for cookie in seeded.cookies]
    tally = Tally()
    path = f"/courses/api/quizzes/{seeded.item_id}/attempts/"

    async def one(i: int, conn: Connection, t0: float):
        try:
            status, body = await conn.request("POST", path, {})
        except OSError:
            tally.add(time.perf_counter() - t0, False, "connection")
            return
        tally.add(time.perf_counter() - t0, status == 201, str(status))
        if status == 201:
            data = json.loads(body)
            seeded.attempts[i] = (data["id"], 0)
            seeded.tokens[i] = data["save_token"]

    seeded.attempts = [("", 0)] * len(connections)
    seeded.tokens = [""] * len(connections)
    t0 = time.perf_counter()
    await asyncio.gather(*(one(i, c, t0) for i, c in enumerate(connections)))
    wall = time.perf_counter() - t0
    for conn in connections:
        conn.close()
    return tally, wall


async def run_saves(port: int, targets: list[tuple], seconds: float, interval: float | None):
    """targets: (cookie, path prefix, slots, token) per student. interval None = closed loop (back to back)."""
    tally = Tally()
    start = time.perf_counter() + 0.5
    end = start + seconds

    async def student(cookie: str, prefix: str, slots: list[int], token: str):
        conn = Connection(port, cookie)
        seq = int(time.time() * 1000)  # later phases save newer answers to the same attempts
        due = start + (random.random() * interval if interval else 0)
        while due < end:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            seq += 1
            sent = due if interval else time.perf_counter()
            try:
                payload = {"response": seq % 4, "seq": seq}
                status, body = await conn.request("PUT", f"{prefix}{random.choice(slots)}/", payload, token)
                result = json.loads(body).get("status", str(status)) if status == 200 else str(status)
                tally.add(time.perf_counter() - sent, status == 200, result)
            except OSError:
                tally.add(time.perf_counter() - sent, False, "connection")
            due = due + interval * random.uniform(0.8, 1.2) if interval else time.perf_counter()
        conn.close()

    await asyncio.gather(*(student(*t) for t in targets))
    return tally, max(time.perf_counter(), end) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500, help="students saving answers at once")
    parser.add_argument("--starts", type=int, default=1000, help="students starting the quiz at the same moment")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=0.8, help="seconds between one student's saves")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if args.students > args.starts:
        parser.error("--students must not exceed --starts")
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    url = bench_database_url(os.environ.get("DATABASE_URL", ""))
    env = {**os.environ, **SERVER_ENV, "DATABASE_URL": url, "LMS_DATA_DIR": tempfile.mkdtemp(prefix="lms-bench-")}
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings"
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings"
    env["PYTHONPATH"] = str(ROOT)
    seeded = seed(args.starts)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        sync = cursor.fetchone()[0]
    connection.close()

    port = free_port()
    server = start_server(env, port, args.workers, args.threads)
    try:
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads; PostgreSQL fsync={fsync}, "
            f"synchronous_commit={sync}; {os.cpu_count()} CPUs shared by server, database and client",
            flush=True,
        )
        print(HEADER)
        tally, wall = asyncio.run(run_starts(port, seeded))
        print(tally.line(f"start {args.starts} at once", wall) + f"  (all started in {wall:.2f} s)", flush=True)
        if tally.errors:
            sys.exit("some starts failed; not measuring saves")

        from courses.models import Attempt

        by_uid = dict(Attempt.objects.values_list("uid", "pk"))
        rows = Attempt.objects.values_list("uid", "variant")
        slots_of = {str(u): [v["slot"] for v in variant] for u, variant in rows}
        seeded.attempts = [(uid, by_uid[uuid.UUID(uid)]) for uid, _ in seeded.attempts]
        connection.close()
        api, session_api, floor = [], [], []
        for i in range(args.students):
            uid, pk = seeded.attempts[i]
            prefix = f"/courses/api/attempts/{uid}/answers/"
            api.append((seeded.cookies[i], prefix, slots_of[uid], seeded.tokens[i]))
            session_api.append((seeded.cookies[i], prefix, slots_of[uid], ""))
            floor.append((seeded.cookies[i], f"/bench/upsert/{pk}/", slots_of[uid], ""))
        offered = args.students / args.interval
        phases = (("autosave API", api), ("API, session only", session_api), ("bare upsert (floor)", floor))
        for label, targets in phases:
            tally, wall = asyncio.run(run_saves(port, targets, args.seconds, args.interval))
            print(tally.line(f"{label}, {offered:.0f}/s offered", wall), flush=True)
        for label, targets in phases:
            tally, wall = asyncio.run(run_saves(port, targets, min(args.seconds, 10), None))
            print(tally.line(f"{label}, saturated", wall), flush=True)
    finally:
        stop_server(server)
    with_token, session_only = count_save_queries(seeded)
    print(f"queries per autosave through the API: {with_token} with the attempt's token, {session_only} without")
    print("target (issue 5): autosave API >= 500 saves/s with p99 <= 100 ms for 500 students on 2 cores")


if __name__ == "__main__":
    main()

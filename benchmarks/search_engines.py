"""Search engines: index throughput, query p50/p95 and our layer's overhead over the raw engine query.

Usage:  .venv/bin/python benchmarks/search_engines.py [--docs 100000] [--rounds 5] [--engines database elasticsearch]

Generates N published materials (Vietnamese titles and summaries built from curriculum words,
grades 1-12, 12 subjects, 6 kinds, varied audiences) as search documents and indexes them on
each engine: the database engine on a throw-away database (SQLite FTS5, or PostgreSQL when
DATABASE_URL is set), Elasticsearch at ELASTICSEARCH_URL in an index of its own (deleted after).
Then times a mix of queries (words without diacritics, with diacritics, a typo, a phrase,
filters, no words) as a student of one school:

* "ours": ``backend.search()`` — parse, fold, build, run, hits with highlights and facets;
* "raw": the same engine requests replayed as is (the SQL statements the database engine sent,
  or the Elasticsearch request body) without our parsing or result handling.

Targets on this machine: Elasticsearch p95 <= 50 ms, database p95 <= 150 ms, ours/raw <= 1.3x.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
os.environ["DJANGO_ENV"] = "test"
os.environ.setdefault("LMS_DATA_DIR", tempfile.mkdtemp(prefix="lms-bench-"))
os.environ["TASKS_BACKEND"] = "dummy"

SUBJECTS = [
    ("toan", "Toán"),
    ("ngu-van", "Ngữ văn"),
    ("tieng-anh", "Tiếng Anh"),
    ("khtn", "Khoa học tự nhiên"),
    ("lich-su-va-dia-li", "Lịch sử và Địa lí"),
    ("vat-li", "Vật lí"),
    ("hoa-hoc", "Hoá học"),
    ("sinh-hoc", "Sinh học"),
    ("tin-hoc", "Tin học"),
    ("cong-nghe", "Công nghệ"),
    ("gdcd", "Giáo dục công dân"),
    ("am-nhac", "Âm nhạc"),
]
WORDS = (
    "phân số số nguyên số hữu tỉ số thực phương trình bất phương trình hàm số đồ thị tam giác đường tròn "
    "hình học đại số thống kê xác suất tỉ lệ thức đơn thức đa thức góc cạnh diện tích thể tích "
    "văn bản nghị luận tự sự miêu tả biểu cảm thơ truyện ngắn tiểu thuyết ca dao tục ngữ "
    "nguyên tử phân tử phản ứng hoá học axit bazơ muối kim loại năng lượng lực chuyển động ánh sáng "
    "tế bào di truyền sinh thái quang hợp hô hấp lịch sử Việt Nam địa lí khí hậu dân số kinh tế "
    "lập trình thuật toán dữ liệu mạng máy tính bài giảng phiếu học tập đề kiểm tra ôn tập luyện tập "
    "thí nghiệm mô phỏng trò chơi dự án trải nghiệm đọc hiểu viết nói và nghe"
).split()
KINDS = ["lessonpage", "videolecturepage", "documentpage", "worksheetpage", "testpaperpage", "externalresourcepage"]
SERIES = ["ket-noi-tri-thuc", "chan-troi-sang-tao", "canh-dieu", "none"]
QUERIES = [
    ("toan lop 6 phan so", {}),
    ("phân số", {}),
    ("phuong trinh bac hai", {}),
    ("duong tron", {"grade": ("9",)}),
    ("tam giac dong dang", {}),
    ("nghi luan", {"subject": ("ngu-van",)}),
    ("thuat toan", {}),
    ("phan ung hoa hoc", {"kind": ("lessonpage", "worksheetpage")}),
    ("quang hop", {}),
    ("di truyen", {"grade": ("9", "12")}),
    ("phuong trinh", {"subject": ("toan",), "grade": ("8",)}),
    ("thi nghiem mo phong", {}),
    ("xac suat thong ke", {}),
    ("khi hau", {}),
    ('"phan so"', {}),
    ("nguyem tu", {}),  # a typo
    ("", {"grade": ("6",), "subject": ("toan",)}),
    ("", {}),
]


def make_docs(n: int, paths: list[str], seed: int = 7):
    from search.documents import PUBLISHED, SearchDoc

    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        slug, name = SUBJECTS[i % len(SUBJECTS)]
        grade = 1 + (i * 7) % 12
        words = rng.sample(WORDS, 6)
        title = f"{name} lớp {grade} – {' '.join(words[:3]).capitalize()}"
        summary = f"Bài {i}: {' '.join(words)} {' '.join(rng.sample(WORDS, 12))}."
        yield SearchDoc(
            doc_type="material",
            object_id=i,
            title=title,
            url=f"/hoc-lieu/b/{i}/",
            summary=summary,
            body=" ".join(rng.sample(WORDS, 40)),
            keywords=f"{name} Lớp {grade}",
            facets={
                "type": ["material"],
                "level": ["tieu-hoc" if grade <= 5 else "thcs" if grade <= 9 else "thpt"],
                "grade": [str(grade)],
                "subject": [slug],
                "kind": [KINDS[i % len(KINDS)]],
                "series": [SERIES[i % len(SERIES)]],
                "licence": ["CC-BY-SA-4.0"],
                "school": [str(i % 500)],
            },
            status=PUBLISHED,
            owner_id=10_000 + i % 300,
            audience=paths[i % len(paths)],
            school_id=i % 500,
            published_at=start + timedelta(minutes=i),
            popularity=rng.randint(0, 1000),
            labels={"subject": name, "grades": str(grade)},
        )


def batches(iterable, size=1000):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def bench_engine(name, backend, args, audience, raw_for):
    from search.backends.base import SearchQuery

    started = time.perf_counter()
    total = backend.rebuild(batches(make_docs(args.docs, PATHS)), args.docs)
    seconds = time.perf_counter() - started
    print(f"{name}: indexed {total} documents in {seconds:.1f} s = {total / seconds:,.0f} docs/s")
    queries = [SearchQuery(text=t, filters=f, audience=audience) for t, f in QUERIES]
    for q in queries:  # warm caches
        backend.search(q)
    ours, raw, per_query = [], [], {}
    raws = [raw_for(backend, q) for q in queries]
    for _round in range(args.rounds):
        for q, replay in zip(queries, raws, strict=True):
            a = timed(lambda q=q: backend.search(q))
            b = timed(replay)
            ours.append(a)
            raw.append(b)
            per_query.setdefault(q.text or "(no words)", []).append(a)
    hits = {q.text or "(no words)": backend.search(q).total for q in queries[:3]}
    print(f"  sample totals: {hits}")
    print(f"  ours: p50 {pct(ours, 50):6.1f} ms  p95 {pct(ours, 95):6.1f} ms  (n={len(ours)})")
    print(f"  raw:  p50 {pct(raw, 50):6.1f} ms  p95 {pct(raw, 95):6.1f} ms")
    ratio = statistics.median(ours) / max(statistics.median(raw), 1e-6)
    ratio95 = pct(ours, 95) / max(pct(raw, 95), 1e-6)
    print(f"  overhead ours/raw: p50 {ratio:.2f}x  p95 {ratio95:.2f}x")
    slowest = sorted(((statistics.median(v), k) for k, v in per_query.items()), reverse=True)[:3]
    print("  slowest queries (p50): " + ", ".join(f"{k!r} {ms:.1f} ms" for ms, k in slowest))
    if args.profile:
        by_text = {q.text or "(no words)": q for q in queries}
        for _ms, k in slowest:
            profile(backend, by_text[k])
    return pct(ours, 95)


def profile(backend, query):
    """Where the time of one query goes: EXPLAIN (ANALYZE, BUFFERS) per statement, or ES's profile."""
    print(f"  --- profile of {query.text or '(no words)'!r} {dict(query.filters)}")
    if backend.name == "database":
        from django.db import connection

        captured = []

        def capture(execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            backend.search(query)
        for sql, params in captured:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                else:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = [" | ".join(str(c) for c in row) for row in cursor.fetchall()]
            print("    SQL: " + sql[:300])
            for line in plan:
                print("      " + line)
        return
    from search.backends.elasticsearch import client

    body = backend.build_search(query).to_dict()
    took = client().search(index=backend.alias, body=body)["took"]
    bare = {k: v for k, v in body.items() if k != "aggs"}
    took_noaggs = client().search(index=backend.alias, body=bare)["took"]
    print(f"    took {took} ms; without aggregations {took_noaggs} ms")
    result = client().search(index=backend.alias, body={**body, "profile": True})
    for shard in result["profile"]["shards"]:
        for search in shard["searches"]:
            for q in search["query"]:
                print(f"    query {q['type']} {q['time_in_nanos'] / 1e6:.1f} ms")
                for child in q.get("children", []):
                    print(f"      {child['type']} {child['time_in_nanos'] / 1e6:.1f} ms {child['description'][:90]}")
            collector = search["collector"][0]
            print(f"    collector {collector['name']} {collector['time_in_nanos'] / 1e6:.1f} ms")
        for agg in shard.get("aggregations", []):
            print(f"    agg {agg['description']} {agg['time_in_nanos'] / 1e6:.1f} ms")
        fetch = shard.get("fetch")
        if fetch:
            print(f"    fetch {fetch['time_in_nanos'] / 1e6:.1f} ms")


def raw_database(backend, query):
    """Capture the SQL the database engine sends for this query, to replay it without our layer."""
    from django.db import connection

    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        backend.search(query)

    def replay():
        with connection.cursor() as cursor:
            for sql, params in captured:
                cursor.execute(sql, params)
                cursor.fetchall()

    return replay


def raw_elasticsearch(backend, query):
    from search.backends.elasticsearch import client

    body = backend.build_search(query).to_dict()
    return lambda: client().search(index=backend.alias, body=body)


PATHS: list[str] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engines", nargs="+", default=None, choices=["database", "elasticsearch"])
    parser.add_argument("--profile", action="store_true", help="explain the three slowest queries")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from search.backends import get_backend
    from search.visibility import Audience

    engines = args.engines or (["database", "elasticsearch"] if settings.ELASTICSEARCH_URL else ["database"])
    # Audiences: national, 30 provinces, 300 schools; the student belongs to one school of one province.
    PATHS.extend(["", *(f"0001{p:04d}" for p in range(30)), *(f"0001{s % 30:04d}{s:04d}" for s in range(300))])
    audience = Audience(paths=("", "0001", "00010003", "0001000300000003"), user_id=42)

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"{args.docs:,} documents · database: {connection.vendor} · rounds: {args.rounds} × {len(QUERIES)} queries")
    results = {}
    try:
        if "database" in engines:
            results["database"] = bench_engine(
                f"database ({connection.vendor})", get_backend("database"), args, audience, raw_database
            )
        if "elasticsearch" in engines:
            settings.ELASTICSEARCH_INDEX_PREFIX = f"lms-bench-{uuid.uuid4().hex[:8]}"
            backend = get_backend("elasticsearch")
            try:
                results["elasticsearch"] = bench_engine("elasticsearch", backend, args, audience, raw_elasticsearch)
            finally:
                backend.drop()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    targets = {"database": 150, "elasticsearch": 50}
    for name, p95 in results.items():
        verdict = "meets" if p95 <= targets[name] else "MISSES"
        print(f"{name}: p95 {p95:.1f} ms {verdict} the {targets[name]} ms target")


if __name__ == "__main__":
    main()

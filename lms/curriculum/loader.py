"""Load the GDPT 2018 curriculum shipped in lms/curriculum_data/ — idempotent.

Rows are matched by slug or code and updated in place; program rows that
disappeared from the data are removed unless something refers to them; rows an
administrator added (source=custom) are never touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from lms.curriculum.models import (
    Grade,
    Level,
    Outcome,
    Source,
    Strand,
    Subject,
    SubjectOffering,
    Topic,
)
from lms.text import nfc

DATA_DIR = Path(__file__).resolve().parent.parent / "curriculum_data"


class CurriculumDataError(Exception):
    """The shipped data is inconsistent; the message names the file and the entry."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, model: str) -> None:
        counts = getattr(self, bucket)
        counts[model] = counts.get(model, 0) + 1

    def summary(self) -> str:
        parts = []
        for bucket in ("created", "updated", "removed"):
            counts = getattr(self, bucket)
            if counts:
                parts.append(bucket + " " + ", ".join(f"{n} {m}" for m, n in sorted(counts.items())))
        return "; ".join(parts) or "nothing changed"


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise CurriculumDataError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise CurriculumDataError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from None


def _upsert(model, lookup: dict, values: dict, report: LoadReport):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count("created", model.__name__)
        return obj
    changed = []
    for key, value in values.items():
        attname = model._meta.get_field(key).attname
        wanted = value.pk if hasattr(value, "pk") else value
        if getattr(obj, attname) != wanted:
            setattr(obj, key, value)
            changed.append(key)
    if changed:
        obj.save(update_fields=changed)
        report.count("updated", model.__name__)
    return obj


def _walk_topics(entries: list[dict], parent: dict | None = None) -> Iterator[tuple[dict, dict | None]]:
    for entry in entries:
        yield entry, parent
        yield from _walk_topics(entry.get("children", []), entry)


def load_curriculum(data_dir: Path = DATA_DIR, progress: Callable[[str], None] | None = None) -> LoadReport:
    say = progress or (lambda message: None)
    report = LoadReport()
    levels_data = _read(data_dir / "levels.json")
    subjects_data = _read(data_dir / "subjects.json")
    topic_files = sorted((data_dir / "topics").glob("*.json"))

    with transaction.atomic():
        say("levels and grades")
        stages = {s["slug"]: s["name"] for s in levels_data.get("stages", [])}
        for order, entry in enumerate(levels_data["levels"], start=1):
            level = _upsert(
                Level,
                {"slug": entry["slug"]},
                {
                    "name": nfc(entry["name"]),
                    "short_name": entry["short_name"],
                    "order": order,
                    "stage": nfc(stages.get(entry.get("stage", ""), "")),
                    "period_minutes": entry.get("period_minutes", 45),
                },
                report,
            )
            for number in entry["grades"]:
                _upsert(Grade, {"number": number}, {"level": level}, report)
        grades = {g.number: g for g in Grade.objects.all()}

        say("subjects")
        seen_offerings: set[tuple[int, int]] = set()
        by_slug: dict[str, Subject] = {}
        for order, entry in enumerate(subjects_data["subjects"], start=1):
            subject = _upsert(
                Subject,
                {"slug": entry["slug"]},
                {
                    "name": nfc(entry["name"]),
                    "name_en": entry.get("name_en", ""),
                    "is_activity": entry.get("is_activity", False),
                    "assessment": entry["assessment"],
                    "assessment_primary": entry.get("assessment_primary", ""),
                    "notes": nfc(entry.get("notes", "")),
                    "order": order,
                },
                report,
            )
            by_slug[subject.slug] = subject
            for row in entry.get("grades", []):
                if row["grade"] not in grades:
                    raise CurriculumDataError(f"subjects.json: {entry['slug']}: grade {row['grade']} does not exist")
                offering = _upsert(
                    SubjectOffering,
                    {"subject": subject, "grade": grades[row["grade"]]},
                    {"kind": row["kind"], "periods_per_year": row["periods"]},
                    report,
                )
                seen_offerings.add((subject.pk, offering.grade_id))
        for entry in subjects_data["subjects"]:
            parent_slug = entry.get("parent")
            subject = by_slug[entry["slug"]]
            parent = by_slug.get(parent_slug) if parent_slug else None
            if parent_slug and parent is None:
                raise CurriculumDataError(f"subjects.json: {entry['slug']}: unknown parent {parent_slug}")
            if subject.parent_id != (parent.pk if parent else None):
                subject.parent = parent
                subject.save(update_fields=["parent"])
        for offering in SubjectOffering.objects.filter(subject__in=by_slug.values()):
            if (offering.subject_id, offering.grade_id) not in seen_offerings:
                offering.delete()
                report.count("removed", "SubjectOffering")

        levels = {lv.slug: lv for lv in Level.objects.all()}
        for path in topic_files:
            say(f"topics: {path.name}")
            _load_topic_file(path, _read(path), by_slug, grades, levels, report)
    return report


def _load_topic_file(path, data, subjects, grades, levels, report: LoadReport) -> None:
    subject = subjects.get(data["subject"])
    if subject is None:
        raise CurriculumDataError(f"{path.name}: unknown subject {data['subject']}")
    unverified_file = bool(data.get("unverified", False))
    strands = {}
    for order, entry in enumerate(data.get("strands", []), start=1):
        strand = _upsert(
            Strand, {"code": entry["code"]}, {"subject": subject, "name": nfc(entry["name"]), "order": order}, report
        )
        strand.levels.set([levels[s] for s in entry.get("levels", [])])
        strands[entry["code"]] = strand

    topic_codes: set[str] = set()
    outcome_codes: set[str] = set()
    topics: dict[str, Topic] = {}
    entries = list(_walk_topics(data.get("topics", [])))
    entries += [({**cd, "is_special_topic": True}, None) for cd in data.get("chuyen_de", [])]
    for order, (entry, parent_entry) in enumerate(entries, start=1):
        code = entry["code"]
        grade_number = entry.get("grade") or (parent_entry or {}).get("grade")
        if grade_number not in grades:
            raise CurriculumDataError(f"{path.name}: {code}: missing or unknown grade")
        strand_code = entry.get("strand") or (parent_entry or {}).get("strand")
        if strand_code and strand_code not in strands:
            raise CurriculumDataError(f"{path.name}: {code}: unknown strand {strand_code}")
        if code in topic_codes:
            raise CurriculumDataError(f"{path.name}: duplicate topic code {code}")
        topic_codes.add(code)
        topic = _upsert(
            Topic,
            {"code": code},
            {
                "subject": subject,
                "grade": grades[grade_number],
                "strand": strands.get(strand_code) if strand_code else None,
                "parent": topics.get(parent_entry["code"]) if parent_entry else None,
                "name": nfc(entry["name"]),
                "order": entry.get("order", order),
                "is_special_topic": entry.get("is_special_topic", False),
                "source": Source.PROGRAM,
            },
            report,
        )
        topics[code] = topic
        for o_order, outcome in enumerate(entry.get("outcomes", []), start=1):
            outcome_codes.add(outcome["code"])
            _upsert(
                Outcome,
                {"code": outcome["code"]},
                {
                    "topic": topic,
                    "text": nfc(outcome["text"]),
                    "order": o_order,
                    "unverified": unverified_file or bool(outcome.get("unverified", False)),
                    "source": Source.PROGRAM,
                },
                report,
            )

    stale_outcomes = Outcome.objects.filter(topic__subject=subject, source=Source.PROGRAM).exclude(
        code__in=outcome_codes
    )
    for outcome in stale_outcomes:
        outcome.delete()
        report.count("removed", "Outcome")
    stale_topics = Topic.objects.filter(subject=subject, source=Source.PROGRAM).exclude(code__in=topic_codes)
    for topic in stale_topics.order_by("-parent_id"):
        try:
            topic.delete()
            report.count("removed", "Topic")
        except ProtectedError:
            pass  # still referenced by materials or questions: keep it

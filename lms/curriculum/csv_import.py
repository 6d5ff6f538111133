"""Extend the curriculum from a CSV file: topics, sub-topics and required outcomes.

Columns (header row required, UTF-8, comma-separated):

    kind,code,subject,grade,parent,strand,text

* ``kind`` is ``topic`` or ``outcome``;
* a topic needs ``subject`` (slug), ``grade`` (1-12) and ``text`` (its name);
  ``parent`` (a topic code) makes it a sub-topic, ``strand`` (a strand code) is optional;
* an outcome needs ``parent`` (the topic code, existing or earlier in the file) and ``text``.

The whole file is checked first; if any row is wrong nothing is written, and
every error is reported with its line number. Rows whose code exists already
are updated only if they were added by an administrator (program rows are the
loader's).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lms.curriculum.models import Grade, Outcome, Source, Strand, Subject, SubjectOffering, Topic
from lms.text import nfc

COLUMNS = ["kind", "code", "subject", "grade", "parent", "strand", "text"]
MAX_ROWS = 20_000


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    topics_created: int = 0
    topics_updated: int = 0
    outcomes_created: int = 0
    outcomes_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."))


def parse(data: bytes | str) -> ImportResult:
    """Check every row; returns the parsed rows and the errors, writes nothing."""
    result = ImportResult()
    try:
        text = _decode(data)
    except ValueError as exc:
        result.errors.append(RowError(1, str(exc)))
        return result
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(RowError(1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
        return result
    reader.fieldnames = header

    subjects = {s.slug: s for s in Subject.objects.all()}
    grades = {g.number: g for g in Grade.objects.all()}
    strands = {s.code: s for s in Strand.objects.all()}
    offered = set(SubjectOffering.objects.values_list("subject__slug", "grade__number"))
    existing_topics = {t.code: t for t in Topic.objects.select_related("subject", "grade")}
    existing_outcomes = dict(Outcome.objects.values_list("code", "source"))
    file_topics: dict[str, dict] = {}
    seen_codes: set[str] = set()

    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            result.errors.append(RowError(line, _("too many rows (at most %(n)s)") % {"n": MAX_ROWS}))
            break
        row = {k: nfc((v or "").strip()) for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        kind, code, text = row["kind"].lower(), row["code"], row["text"]

        def error(message: str, line: int = line) -> None:
            result.errors.append(RowError(line, message))

        if kind not in ("topic", "outcome"):
            error(_("kind must be “topic” or “outcome”"))
            continue
        if not code or len(code) > 160 or any(ch.isspace() for ch in code):
            error(_("code is required, without spaces, at most 160 characters"))
            continue
        if code in seen_codes:
            error(_("code %(code)s appears twice in the file") % {"code": code})
            continue
        seen_codes.add(code)
        if not text:
            error(_("text is required"))
            continue

        if kind == "topic":
            if code in existing_topics and existing_topics[code].source == Source.PROGRAM:
                error(_("%(code)s belongs to the official program and cannot be changed here") % {"code": code})
                continue
            subject = subjects.get(row["subject"])
            if subject is None:
                error(_("unknown subject “%(slug)s”") % {"slug": row["subject"]})
                continue
            try:
                grade_number = int(row["grade"])
            except ValueError:
                error(_("grade must be a number from 1 to 12"))
                continue
            if grade_number not in grades:
                error(_("grade must be a number from 1 to 12"))
                continue
            if (subject.slug, grade_number) not in offered:
                error(
                    _("%(subject)s is not taught in grade %(grade)s") % {"subject": subject.name, "grade": grade_number}
                )
                continue
            parent_code = row["parent"]
            if parent_code:
                parent = file_topics.get(parent_code) or (
                    existing_topics.get(parent_code) and _topic_as_row(existing_topics[parent_code])
                )
                if not parent:
                    error(_("unknown parent topic %(code)s") % {"code": parent_code})
                    continue
                if parent.get("parent"):
                    error(_("topics can be nested only one level deep"))
                    continue
                if parent["subject"] != subject.slug or parent["grade"] != grade_number:
                    error(_("a sub-topic must have the same subject and grade as its parent"))
                    continue
            if row["strand"] and row["strand"] not in strands:
                error(_("unknown strand %(code)s") % {"code": row["strand"]})
                continue
            parsed = {
                "kind": "topic",
                "line": line,
                "code": code,
                "subject": subject.slug,
                "grade": grade_number,
                "parent": parent_code or None,
                "strand": row["strand"] or None,
                "text": text,
            }
            file_topics[code] = parsed
            result.rows.append(parsed)
        else:
            topic_code = row["parent"]
            if topic_code not in file_topics and topic_code not in existing_topics:
                error(_("an outcome needs the code of an existing topic in “parent”"))
                continue
            if existing_outcomes.get(code) == Source.PROGRAM:
                error(_("%(code)s belongs to the official program and cannot be changed here") % {"code": code})
                continue
            result.rows.append({"kind": "outcome", "line": line, "code": code, "parent": topic_code, "text": text})
    return result


def _topic_as_row(topic: Topic) -> dict:
    return {"subject": topic.subject.slug, "grade": topic.grade.number, "parent": topic.parent_id}


@transaction.atomic
def apply(result: ImportResult) -> ImportResult:
    """Write a parsed file; refuses a file with errors. All rows or none."""
    if not result.ok:
        raise ValueError("Refusing to import a file with errors.")
    subjects = {s.slug: s for s in Subject.objects.all()}
    grades = {g.number: g for g in Grade.objects.all()}
    strands = {s.code: s for s in Strand.objects.all()}
    for row in result.rows:
        if row["kind"] == "topic":
            _, created = Topic.objects.update_or_create(
                code=row["code"],
                defaults={
                    "subject": subjects[row["subject"]],
                    "grade": grades[row["grade"]],
                    "parent": Topic.objects.get(code=row["parent"]) if row["parent"] else None,
                    "strand": strands.get(row["strand"]) if row["strand"] else None,
                    "name": row["text"],
                    "source": Source.CUSTOM,
                },
            )
            if created:
                result.topics_created += 1
            else:
                result.topics_updated += 1
        else:
            _, created = Outcome.objects.update_or_create(
                code=row["code"],
                defaults={"topic": Topic.objects.get(code=row["parent"]), "text": row["text"], "source": Source.CUSTOM},
            )
            if created:
                result.outcomes_created += 1
            else:
                result.outcomes_updated += 1
    return result

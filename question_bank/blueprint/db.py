"""The database adapter of the blueprint engine: the one module of this package that reads the ORM.

* :func:`topic_rows` — the blueprint rows of a subject and grade (its top-level topics);
* :func:`scheme_levels` — the engine's :class:`~question_bank.blueprint.Level` list of a scheme;
* :func:`candidates` — approved current question versions that ``user`` may use
  (``question.use``: their own and those shared with them), each placed in the row of its topic
  (a sub-topic counts for its parent) and at its level *in the blueprint's scheme* (a question
  of another scheme counts through the level mappings). Candidate ids are question-version ids,
  so a stored paper keeps the version it used.
* :func:`candidates_by_id` — stored papers' versions back as candidates (for reprinting).

Everything else (checks, generation, printing) stays pure; see ``docs/blueprint.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from question_bank import services
from question_bank.blueprint.matrix import Blueprint, Level, Row
from question_bank.blueprint.pool import Candidate, candidate_from_question

ROW_PREFIX = "t"


def row_id(topic_pk: int) -> str:
    return f"{ROW_PREFIX}{topic_pk}"


def topic_pk(row: str) -> int | None:
    if not row.startswith(ROW_PREFIX) or not row[len(ROW_PREFIX) :].isdigit():
        return None
    return int(row[len(ROW_PREFIX) :])


def topic_rows(subject, grade) -> tuple[Row, ...]:
    """One row per top-level topic of ``subject`` in ``grade``, in curriculum order."""
    from lms.curriculum.models import Topic

    topics = Topic.objects.filter(subject=subject, grade=grade, parent__isnull=True).order_by("order", "pk")
    return tuple(Row(row_id(topic.pk), topic.name) for topic in topics)


def scheme_levels(scheme) -> tuple[Level, ...]:
    return tuple(Level(lv.code, lv.name) for lv in scheme.levels.order_by("rank"))


def level_codes(scheme) -> dict[int, str]:
    """Level id (any scheme) → code of the level it counts as in ``scheme``."""
    from question_bank.models import LevelMapping

    out = {lv.pk: lv.code for lv in scheme.levels.all()}
    for source_id, code in LevelMapping.objects.filter(target__scheme=scheme).values_list("source_id", "target__code"):
        out.setdefault(source_id, code)
    return out


def candidates(bp: Blueprint, *, user, subject, grade, scheme) -> Iterator[Candidate]:
    """The pool for ``bp``: see the module docstring. One query for the versions."""
    rows = {topic_pk(r.id): r.id for r in bp.rows if topic_pk(r.id) is not None}
    if not rows:
        return
    codes = level_codes(scheme)
    wanted = {lv.code for lv in bp.levels}
    versions = services.approved_versions(user=user, subject=subject, grade=grade, topic=list(rows))
    for version in versions.select_related("current_for__topic"):
        question = version.current_for
        topic = question.topic
        row = rows.get(topic.pk) if topic else None
        if row is None and topic is not None:
            row = rows.get(topic.parent_id)
        code = codes.get(question.level_id)
        if row is None or code not in wanted:
            continue
        cand = candidate_from_question(version.pk, version.content, row=row, level=code)
        if cand is not None and cand.format in bp.formats:
            yield cand


def candidates_by_id(version_ids: Iterable[int], items: Iterable[dict]) -> dict[int, Candidate]:
    """Stored papers' question versions as candidates (row and level from the stored items)."""
    from question_bank.models import QuestionVersion

    where = {entry["id"]: (entry.get("row", ""), entry.get("level", "")) for entry in items}
    out = {}
    for version in QuestionVersion.objects.filter(pk__in=list(version_ids)):
        row, level = where.get(version.pk, ("", ""))
        cand = candidate_from_question(version.pk, version.content, row=row, level=level)
        if cand is not None:
            out[version.pk] = cand
    return out


# --- Who may see and change blueprints, and the stored papers --------------------------------

BLUEPRINT_ROLES = ("teacher", "group_head", "school_admin")


def _staff_school_ids(user) -> set[int]:
    from lms.access import memberships

    return {
        m.organisation_id for m in memberships(user) if m.role in BLUEPRINT_ROLES and m.organisation.unit_type.is_school
    }


def blueprints_visible_to(user):
    """Blueprints ``user`` may open: their own and those of the schools where they teach.

    Students (and everyone without a teaching role in the school) see none.
    """
    from django.db.models import Q

    from question_bank.models import Blueprint as BlueprintModel

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return BlueprintModel.objects.none()
    if user.is_superuser:
        return BlueprintModel.objects.all()
    return BlueprintModel.objects.filter(Q(owner=user) | Q(school_id__in=_staff_school_ids(user)))


def _register_rules() -> None:
    from lms.access import memberships, rule

    @rule("blueprint.view")
    def _view(user, blueprint) -> bool:
        return blueprint.owner_id == user.pk or blueprint.school_id in _staff_school_ids(user)

    @rule("blueprint.edit")
    def _edit(user, blueprint) -> bool:
        if blueprint.owner_id == user.pk:
            return True
        return any(m.organisation_id == blueprint.school_id and m.role == "school_admin" for m in memberships(user))


_register_rules()


def engine_blueprint(record) -> Blueprint:
    """The engine's blueprint of a stored one: its rows and levels as they are now, its cells."""
    from question_bank.blueprint.matrix import blueprint_from_dict

    stored = blueprint_from_dict(record.matrix or {})
    return Blueprint(
        rows=topic_rows(record.subject_id, record.grade_id),
        levels=scheme_levels(record.scheme),
        formats=stored.formats,
        cells=stored.cells,
        total_points=record.total_points,
        title=record.title,
        subject=record.subject.name,
        grade=str(record.grade.number),
        duration_minutes=record.duration_minutes,
    )


def pool_for(record, bp: Blueprint, user) -> list[Candidate]:
    return list(candidates(bp, user=user, subject=record.subject_id, grade=record.grade_id, scheme=record.scheme))


def store_generation(record, bp: Blueprint, generation, *, seed: str, settings: dict, actor):
    """Save drawn papers (all or nothing) and return the paper set."""
    from django.db import transaction

    from question_bank.models import GeneratedPaper, GeneratedPaperSet

    with transaction.atomic():
        paper_set = GeneratedPaperSet.objects.create(
            blueprint=record, created_by=actor, seed=seed, matrix=bp.to_dict(), settings=settings
        )
        for paper in generation.papers:
            data = paper.to_dict()
            for entry, item in zip(data["items"], paper.items, strict=True):
                entry.update(row=item.row, level=item.level, format=item.candidate.format)
            GeneratedPaper.objects.create(
                paper_set=paper_set, code=paper.code, data=data, version_ids=[i.id for i in paper.items]
            )
    return paper_set


def stored_paper(paper_record):
    """(engine blueprint as drawn, Paper) of a stored variant, with the frozen question versions."""
    from question_bank.blueprint.generate import paper_from_dict
    from question_bank.blueprint.matrix import blueprint_from_dict

    bp = blueprint_from_dict(paper_record.paper_set.matrix)
    cands = candidates_by_id(paper_record.version_ids, paper_record.data["items"])
    return bp, paper_from_dict(paper_record.data, cands)

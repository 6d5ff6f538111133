"""What other apps (courses, search, the blueprint engine) and our views may use of the bank.

Each action checks permission when given an ``actor`` (``None`` means the system: loaders,
migrations, tests' fixtures), writes in one transaction and records an audit entry in
Wagtail's log. Views, the admin and the commands call these; none repeats them.

* :func:`create_question` — a question with its version 1.
* :func:`edit_question` — new content makes version n+1 (old versions are never touched);
  an approved question goes back to draft and needs approving again.
* :func:`update_question` — metadata (scope, category, curriculum links, level, tags).
* :func:`set_status` — draft → ready → approved, and back.
* :func:`approved_versions` — the query the blueprint engine draws from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from lms.access import can
from lms.orgs.models import Organisation, OrgUnitType
from lms.text import fold, nfc
from question_bank import serialize
from question_bank.access import authoring_schools, questions_usable_by, questions_visible_to
from question_bank.ir import QuestionData
from question_bank.models import (
    CognitiveLevel,
    LevelMapping,
    Question,
    QuestionCategory,
    QuestionStatus,
    QuestionVersion,
    SharingScope,
)
from question_bank.types import validate

__all__ = [
    "DEFAULT_CATEGORY_NAME",
    "ITEM_FORMATS",
    "add_tags",
    "approved_versions",
    "audience_path",
    "bank_content",
    "category_for_path",
    "create_question",
    "create_questions_bulk",
    "default_category",
    "edit_question",
    "equivalent_levels",
    "move_to_category",
    "questions_usable_by",
    "questions_visible_to",
    "set_status",
    "update_question",
]

DEFAULT_CATEGORY_NAME = "Mặc định"

SCOPE_UNIT_TYPES = {
    SharingScope.SCHOOL: "truong",
    SharingScope.COMMUNE: "xa",
    SharingScope.PROVINCE: "tinh",
}
"""Which kind of organisation a scope reaches (the library's defaults; ``national`` reaches everyone)."""

ITEM_FORMATS: dict[str, tuple[str, ...]] = {
    "mc": ("single_choice", "multiple_choice"),
    "tf": ("true_false_group",),
    "short": ("short_numeric_2025", "short_answer", "numeric"),
    "essay": ("essay",),
}
"""The four item formats of the Ministry's 2024 test template (Nhiều lựa chọn, Đúng–Sai,
Trả lời ngắn, Tự luận) and the question types that count as each; the same keys and types as
``question_bank.blueprint.matrix.FORMAT_OF_QTYPE``."""

EDITABLE_FIELDS = ("sharing_scope", "category", "subject", "grade", "topic", "outcome", "level", "idnumber", "school")


def _require(actor, action: str, obj) -> None:
    if actor is not None and not can(actor, action, obj):
        raise PermissionDenied(f"{action} refused")


# --- Audience and categories ---------------------------------------------------------------


def audience_path(school: Organisation | None, scope: str) -> str | None:
    """``""`` for national, the path of the organisation the scope reaches, None for private."""
    if scope == SharingScope.NATIONAL:
        return ""
    if scope == SharingScope.PRIVATE or school is None:
        return None
    slug = SCOPE_UNIT_TYPES[scope]
    chain = [school, *reversed(list(school.get_ancestors().select_related("unit_type")))]
    for org in chain:
        if org.unit_type.slug == slug:
            return org.path
    # A school outside the usual tree (directly under a province): the nearest wider unit.
    kind = OrgUnitType.objects.filter(slug=slug).first()
    for org in chain:
        if kind is not None and org.unit_type.rank <= kind.rank:
            return org.path
    return school.path


def category_for_path(
    school: Organisation | None, names: Sequence[str], base: QuestionCategory | None = None
) -> QuestionCategory:
    """The category at ``names`` under ``base`` (or at the school's top level), created as needed."""
    names = [nfc(n).strip() for n in names if n and n.strip()]
    node = base
    for name in names:
        children = node.get_children() if node is not None else QuestionCategory.get_root_nodes().filter(school=school)
        found = children.filter(name=name[:255]).first()
        if found is None:
            found = (
                node.add_child(name=name[:255], school=node.school)
                if node is not None
                else QuestionCategory.add_root(name=name[:255], school=school)
            )
        node = found
    if node is None:
        return default_category(school)
    return node


def default_category(school: Organisation | None) -> QuestionCategory:
    return category_for_path(school, [DEFAULT_CATEGORY_NAME])


# --- Content -------------------------------------------------------------------------------


def bank_content(data: QuestionData) -> QuestionData:
    """The part of a question a version stores: tags, category and ID number live on the question."""
    return data.replace(tags=(), category_path=(), idnumber="", source_line=None, source_ref="")


def _texts(data: QuestionData) -> list[str]:
    texts = [data.name, data.stem]
    texts += [a.text for a in data.answers]
    for part in data.option("subquestions", ()) or ():
        if isinstance(part, QuestionData):
            texts += _texts(part)
    for key in ("statements", "pairs", "items"):
        for item in data.option(key, ()) or ():
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, dict):
                texts += [v for v in item.values() if isinstance(v, str)]
            elif isinstance(item, tuple | list):
                texts += [v for v in item if isinstance(v, str)]
    return texts


def _plain(data: QuestionData) -> str:
    return " ".join(" ".join(strip_tags(t).split()) for t in _texts(data) if t).strip()


def _check_content(data: QuestionData) -> None:
    errors = [p for p in validate(data) if p.is_error]
    if errors:
        raise ValidationError(
            [
                ValidationError(
                    _("%(field)s: %(message)s"), params={"field": p.field or "question", "message": p.message}
                )
                for p in errors
            ]
        )


def _version(question: Question, data: QuestionData, actor, number: int) -> QuestionVersion:
    """An unsaved version row for ``data``."""
    payload = serialize.to_json_dict(bank_content(data))
    plain = _plain(data)
    return QuestionVersion(
        question=question,
        number=number,
        qtype=data.qtype,
        name=data.name[:255],
        data=payload,
        plain_text=plain,
        search_text=fold(plain),
        content_hash=hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest(),
        created_by=actor,
    )


def _new_version(question: Question, data: QuestionData, actor, number: int) -> QuestionVersion:
    version = _version(question, data, actor, number)
    version.save()
    return version


def _clean_metadata(question: Question) -> None:
    question.fill_curriculum_from_links()
    question.clean()


# --- Actions -------------------------------------------------------------------------------


def create_question(
    *,
    actor,
    data: QuestionData,
    owner=None,
    school: Organisation | None = None,
    category: QuestionCategory | None = None,
    sharing_scope: str = SharingScope.SCHOOL,
    status: str = QuestionStatus.DRAFT,
    subject=None,
    grade=None,
    topic=None,
    outcome=None,
    level: CognitiveLevel | None = None,
    tags: Iterable[str] | None = None,
    idnumber: str | None = None,
    audience: str | bool | None = False,
) -> Question:
    """A new question with version 1. Tags and ID number default to the content's.

    ``audience`` is the precomputed ``audience_path(school, sharing_scope)`` (imports compute it
    once per file); ``False`` means compute it here.
    """
    owner = owner or actor
    if owner is None:
        raise ValueError("a question needs an owner")
    if school is None:
        schools = authoring_schools(owner)
        school = schools[0] if schools else None
    _require(actor, "question.create", school)
    _check_content(data)
    with transaction.atomic():
        question = Question(
            owner=owner,
            school=school,
            sharing_scope=sharing_scope,
            status=QuestionStatus.DRAFT,
            category=category or default_category(school),
            subject=subject,
            grade=grade,
            topic=topic,
            outcome=outcome,
            level=level,
            idnumber=nfc(idnumber if idnumber is not None else data.idnumber)[:100],
        )
        _clean_metadata(question)
        question.audience_path = audience_path(school, sharing_scope) if audience is False else audience
        question.save()
        question.current_version = _new_version(question, data, actor or owner, 1)
        question.save(update_fields=["current_version"])
        tag_names = [nfc(t)[:100] for t in (tags if tags is not None else data.tags) if t.strip()]
        if tag_names:
            question.tags.add(*tag_names)
        log(instance=question, action="question_bank.question.create", user=actor, data={"version": 1})
        if status != QuestionStatus.DRAFT:
            _change_status(question, status, actor)
    return question


def create_questions_bulk(
    items: Sequence[tuple[QuestionData, QuestionCategory]],
    *,
    actor,
    owner=None,
    school: Organisation | None = None,
    sharing_scope: str = SharingScope.SCHOOL,
    audience: str | bool | None = False,
    status: str = QuestionStatus.DRAFT,
    validated: bool = False,
    **metadata,
) -> list[Question]:
    """``create_question`` for many questions at once (imports), in a few bulk inserts.

    The same checks, rows and log entries as one by one, in one transaction: if any question
    is invalid, nothing is saved and the ``ValidationError`` says so (an import then saves the
    questions one by one to report which). Needs a database that returns ids from bulk inserts.
    A ``status`` other than draft is checked and logged as ``set_status`` would, for all at once.
    ``validated``: the caller has just run ``types.validate`` on every question (a file format's
    ``ImportReport.accept`` does), so it is not run a second time.
    """
    owner = owner or actor
    _require(actor, "question.create", school)
    if status not in QuestionStatus.values:
        raise ValidationError(_("Unknown status."))
    if not validated:
        for data, _category in items:
            _check_content(data)
    if audience is False:
        audience = audience_path(school, sharing_scope)
    with transaction.atomic():
        questions = []
        for data, category in items:
            question = Question(
                owner=owner,
                school=school,
                sharing_scope=sharing_scope,
                audience_path=audience,
                status=QuestionStatus.DRAFT,
                category=category,
                idnumber=nfc(data.idnumber)[:100],
                **metadata,
            )
            _clean_metadata(question)
            questions.append(question)
        Question.objects.bulk_create(questions)
        versions = [_version(q, data, actor or owner, 1) for q, (data, _c) in zip(questions, items, strict=True)]
        QuestionVersion.objects.bulk_create(versions)
        first = QuestionVersion.objects.filter(question=OuterRef("pk"), number=1).values("pk")[:1]
        Question.objects.filter(pk__in=[q.pk for q in questions]).update(current_version=Subquery(first))
        for question, version in zip(questions, versions, strict=True):
            question.current_version = version
        _bulk_tags(questions, [data.tags for data, _c in items])
        _bulk_log(questions, actor, "question_bank.question.create", {"version": 1})
        if status != QuestionStatus.DRAFT and questions:
            _bulk_status(questions, status, actor)
    return questions


def _bulk_status(questions: Sequence[Question], status: str, actor) -> None:
    """``_change_status`` from draft for questions made by one ``create_questions_bulk`` call.

    They share owner, school, scope and curriculum links, the only fields the rules
    ``question.edit``/``question.approve`` and the approval check read (categories and content
    differ), so the first question's answer is every question's: one check, not one per question.
    """
    first = questions[0]
    _require(actor, "question.approve" if status == QuestionStatus.APPROVED else "question.edit", first)
    if status == QuestionStatus.APPROVED:
        missing = _approval_problems(first)
        if missing:
            raise ValidationError(
                _("An approved question needs: %(fields)s.") % {"fields": ", ".join(missing)}, code="incomplete"
            )
    from django.utils import timezone

    Question.objects.filter(pk__in=[q.pk for q in questions]).update(status=status, updated_at=timezone.now())
    for question in questions:
        question.status = status
    _bulk_log(
        questions, actor, "question_bank.question.status", {"from": QuestionStatus.DRAFT, "to": status, "version": 1}
    )


def _bulk_tags(questions: Sequence[Question], tag_lists: Sequence[Iterable[str]]) -> None:
    from taggit.models import Tag

    from question_bank.models import TaggedQuestion

    wanted = [[nfc(t)[:100] for t in tags if t.strip()] for tags in tag_lists]
    names = {n for tags in wanted for n in tags}
    if not names:
        return
    known = {t.name: t for t in Tag.objects.filter(name__in=names)}
    missing = sorted(names - set(known))
    if missing:
        # New tags in one insert with the slugs taggit would give them; a slug already taken
        # (another name slugifying the same) goes through taggit's own save, which suffixes it.
        slugs = {name: Tag().slugify(name) for name in missing}
        taken = set(Tag.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True))
        fresh: dict[str, Tag] = {}
        for name in missing:
            slug = slugs[name]
            if slug and slug not in taken:
                taken.add(slug)
                fresh[name] = Tag(name=name, slug=slug)
        Tag.objects.bulk_create(fresh.values())
        known.update(fresh)
        for name in missing:
            if name not in known:
                known[name] = Tag.objects.create(name=name)
    TaggedQuestion.objects.bulk_create(
        TaggedQuestion(content_object=q, tag=known[n])
        for q, tags in zip(questions, wanted, strict=True)
        for n in dict.fromkeys(tags)
    )


def _bulk_log(questions: Sequence[Question], actor, action: str, data: dict) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import ModelLogEntry

    content_type = ContentType.objects.get_for_model(Question)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            label=str(q),
            action=action,
            data=data,
            timestamp=now,
            user=actor,
            object_id=str(q.pk),
        )
        for q in questions
    )


def edit_question(question: Question, *, actor, data: QuestionData) -> QuestionVersion:
    """New content → a new version made current; the same content → the current version, unchanged."""
    _require(actor, "question.edit", question)
    _check_content(data)
    payload = serialize.to_json_dict(bank_content(data))
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        current = question.current_version
        if current is not None and current.content_hash == digest:
            return current
        last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = _new_version(question, data, actor, last + 1)
        question.current_version = version
        fields = ["current_version", "updated_at"]
        if question.status == QuestionStatus.APPROVED:
            question.status = QuestionStatus.DRAFT
            fields.append("status")
        question.save(update_fields=fields)
        log(
            instance=question,
            action="question_bank.question.edit",
            user=actor,
            data={"version": version.number, "status": question.status},
        )
    return version


def update_question(question: Question, *, actor, tags: Iterable[str] | None = None, **fields) -> Question:
    """Change metadata (``EDITABLE_FIELDS``; ``tags`` replaces the tag list). No new version."""
    _require(actor, "question.edit", question)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(question, name, value)
        if "idnumber" in fields:
            question.idnumber = nfc(question.idnumber or "")[:100]
        if "school" in fields and actor is not None and not can(actor, "question.create", question.school):
            raise PermissionDenied("question.create refused for the new school")
        _clean_metadata(question)
        question.audience_path = audience_path(question.school, question.sharing_scope)
        question.save()
        if tags is not None:
            question.tags.set([nfc(t)[:100] for t in tags if t.strip()])
        log(
            instance=question,
            action="question_bank.question.update",
            user=actor,
            data={"fields": sorted(fields) + (["tags"] if tags is not None else [])},
        )
    return question


def _approval_problems(question: Question) -> list[str]:
    """What an approved question must have: it is drawn into papers by subject, grade and level."""
    needed = (("subject", _("subject")), ("grade", _("grade")), ("level", _("cognitive level")))
    return [str(label) for field, label in needed if getattr(question, f"{field}_id") is None]


def _change_status(question: Question, status: str, actor) -> None:
    if status not in QuestionStatus.values:
        raise ValidationError(_("Unknown status."))
    old = question.status
    if old == status:
        return
    if QuestionStatus.APPROVED in (old, status):
        _require(actor, "question.approve", question)
    else:
        _require(actor, "question.edit", question)
    if status == QuestionStatus.APPROVED:
        missing = _approval_problems(question)
        if missing:
            raise ValidationError(
                _("An approved question needs: %(fields)s.") % {"fields": ", ".join(missing)}, code="incomplete"
            )
    question.status = status
    question.save(update_fields=["status", "updated_at"])
    log(
        instance=question,
        action="question_bank.question.status",
        user=actor,
        data={"from": old, "to": status, "version": question.current_version.number},
    )


def set_status(question: Question, *, actor, status: str) -> Question:
    """Draft ↔ ready by its editors; to or from approved by those who approve (see ``access``)."""
    with transaction.atomic():
        _change_status(question, status, actor)
    return question


def move_to_category(questions: Iterable[Question], category: QuestionCategory, *, actor) -> int:
    """Move questions into a category of their school (or a shared one); all or none."""
    with transaction.atomic():
        count = 0
        for question in questions:
            update_question(question, actor=actor, category=category)
            count += 1
    return count


def add_tags(questions: Iterable[Question], tags: Sequence[str], *, actor) -> int:
    """Add tags to questions; all or none."""
    tags = [nfc(t).strip()[:100] for t in tags if t.strip()]
    with transaction.atomic():
        count = 0
        for question in questions:
            update_question(question, actor=actor, tags=[*question.tags.names(), *tags])
            count += 1
    return count


# --- The blueprint engine's pool -----------------------------------------------------------


def equivalent_levels(level: CognitiveLevel) -> list[int]:
    """Ids of the levels that count as ``level``: itself and every level mapped onto it."""
    return [level.pk, *LevelMapping.objects.filter(target=level).values_list("source_id", flat=True)]


def _ids(value) -> list:
    if value is None:
        return []
    if isinstance(value, str | int) or hasattr(value, "pk"):
        value = [value]
    return [getattr(v, "pk", v) for v in value]


def approved_versions(
    *,
    user=None,
    subject=None,
    grade=None,
    topic=None,
    outcome=None,
    level: CognitiveLevel | None = None,
    qtype: str | Iterable[str] | None = None,
    item_format: str | None = None,
    school: Organisation | None = None,
) -> QuerySet[QuestionVersion]:
    """The current versions of approved questions, filtered; only those ``user`` may use if given.

    ``topic`` includes its sub-topics; ``level`` matches questions of any scheme whose level
    counts as it (``equivalent_levels``); ``item_format`` is a key of :data:`ITEM_FORMATS`.
    Filters take instances or ids; ``topic``/``outcome``/``qtype`` also take lists.
    """
    questions = (
        questions_usable_by(user) if user is not None else Question.objects.filter(status=QuestionStatus.APPROVED)
    )
    if subject is not None:
        questions = questions.filter(subject_id__in=_ids(subject))
    if grade is not None:
        questions = questions.filter(grade_id__in=_ids(grade))
    if topic is not None:
        ids = _ids(topic)
        questions = questions.filter(Q(topic_id__in=ids) | Q(topic__parent_id__in=ids))
    if outcome is not None:
        questions = questions.filter(outcome_id__in=_ids(outcome))
    if level is not None:
        questions = questions.filter(level_id__in=equivalent_levels(level))
    if school is not None:
        questions = questions.filter(school=school)
    versions = QuestionVersion.objects.filter(current_for__in=questions.values("pk"))
    if item_format is not None:
        versions = versions.filter(qtype__in=ITEM_FORMATS[item_format])
    if qtype is not None:
        versions = versions.filter(qtype__in=[qtype] if isinstance(qtype, str) else list(qtype))
    return versions.select_related(
        "current_for", "current_for__level", "current_for__topic", "current_for__outcome"
    ).order_by("pk")

"""Curriculum tags of a material must agree: the subject is taught in each grade, topics and
outcomes belong to that subject and those grades. Used by the admin form and the model."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lms.curriculum.models import SubjectOffering


def curriculum_tag_errors(subject, grades, topics, outcomes) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    grades, topics, outcomes = list(grades), list(topics), list(outcomes)
    if subject is None:
        errors.setdefault("subject", []).append(_("Choose the subject."))
        return errors
    if not grades:
        errors.setdefault("grades", []).append(_("Choose at least one grade."))
        return errors
    offered = set(
        SubjectOffering.objects.filter(subject=subject, grade__in=grades).values_list("grade__number", flat=True)
    )
    missing = [g.number for g in grades if g.number not in offered]
    if missing:
        errors.setdefault("grades", []).append(
            _("%(subject)s is not taught in grade %(grades)s.")
            % {"subject": subject.name, "grades": ", ".join(map(str, missing))}
        )
    grade_ids = {g.pk for g in grades}
    for topic in topics:
        if topic.subject_id != subject.pk or topic.grade_id not in grade_ids:
            errors.setdefault("topics", []).append(
                _("The topic “%(topic)s” is not in this subject and these grades.") % {"topic": topic.name}
            )
    topic_ids = {t.pk for t in topics}
    for outcome in outcomes:
        if outcome.topic_id not in topic_ids and outcome.topic.parent_id not in topic_ids:
            errors.setdefault("outcomes", []).append(
                _("The outcome “%(outcome)s” does not belong to the chosen topics.") % {"outcome": outcome.text[:60]}
            )
    return errors

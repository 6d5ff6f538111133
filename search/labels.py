"""Names people read for facet values (the index stores slugs, numbers and codes)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.curriculum.models import Level, Subject
from repository.models import Licence, MaterialPage, TextbookSeries

FACET_TITLES = {
    "type": lambda: pgettext("search facet", "Type"),
    "level": lambda: pgettext("search facet", "Level"),
    "grade": lambda: pgettext("search facet", "Grade"),
    "subject": lambda: pgettext("search facet", "Subject"),
    "kind": lambda: pgettext("search facet", "Kind of material"),
    "series": lambda: pgettext("search facet", "Textbook series"),
    "licence": lambda: pgettext("search facet", "Licence"),
    "cognitive_level": lambda: pgettext("search facet", "Cognitive level"),
}


def _kinds() -> dict[str, str]:
    out = {}
    stack = list(MaterialPage.__subclasses__())
    while stack:
        cls = stack.pop()
        out[cls._meta.model_name] = str(cls.kind_label)
        stack += cls.__subclasses__()
    return out


def facet_labels(facets: dict) -> dict[str, dict[str, str]]:
    """{facet: {value: label}} for the values present (two small queries at most)."""
    wanted = {name: [v.value for v in values] for name, values in facets.items()}
    labels: dict[str, dict[str, str]] = {
        "type": {"material": _("Learning materials"), "question": _("Questions")},
        "grade": {v: _("Grade %(number)s") % {"number": v} for v in wanted.get("grade", [])},
        "kind": _kinds(),
        "series": {k: str(v) for k, v in TextbookSeries.choices},
        "licence": {k: str(v) for k, v in Licence.choices},
    }
    if wanted.get("subject"):
        labels["subject"] = dict(Subject.objects.filter(slug__in=wanted["subject"]).values_list("slug", "name"))
    if wanted.get("level"):
        labels["level"] = dict(Level.objects.filter(slug__in=wanted["level"]).values_list("slug", "name"))
    return labels

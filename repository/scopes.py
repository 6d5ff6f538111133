"""Sharing scopes → organisations, from the ScopeLevel data."""

from __future__ import annotations

from lms.orgs.models import Organisation


def audience_organisation(school: Organisation, scope: str) -> Organisation | None:
    """The organisation whose members a material shared with ``scope`` reaches."""
    from repository.models.appraisal import ScopeLevel

    level = ScopeLevel.objects.filter(scope=scope).select_related("unit_type").first()
    if level is None:
        return None
    if school.unit_type_id == level.unit_type_id:
        return school
    return school.get_ancestors().filter(unit_type_id=level.unit_type_id).first()

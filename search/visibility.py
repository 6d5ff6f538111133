"""Who is searching, reduced to what the engines filter on (see the contract in search.documents)."""

from __future__ import annotations

from dataclasses import dataclass

from lms import access
from lms.orgs.models import ancestor_paths


@dataclass(frozen=True)
class Audience:
    """The audience paths a user belongs to ("" = everyone) and their id for their own documents."""

    paths: tuple[str, ...] = ("",)
    user_id: int | None = None
    everything_published: bool = False  # superusers see every published document

    @classmethod
    def for_user(cls, user) -> Audience:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls()
        if user.is_superuser:
            return cls(user_id=user.pk, everything_published=True)
        paths = ancestor_paths(m.organisation.path for m in access.memberships(user))
        return cls(paths=("", *sorted(paths)), user_id=user.pk)

    @classmethod
    def anonymous(cls) -> Audience:
        return cls()

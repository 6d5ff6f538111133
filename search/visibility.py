"""Who is searching, reduced to what the engines filter on (see the contract in search.documents)."""

from __future__ import annotations

from dataclasses import dataclass

from lms import access
from lms.accounts.models import Role
from lms.orgs.models import ancestor_paths

STAFF = "staff:"


@dataclass(frozen=True)
class Audience:
    """The audience tokens a user holds and their id for their own documents.

    Tokens: "" (everyone), the path of each organisation at or above their memberships, and,
    for staff (any role but student), "staff:" and "staff:<path>" for the same organisations."""

    paths: tuple[str, ...] = ("",)
    user_id: int | None = None
    everything_published: bool = False  # superusers see every published document

    @classmethod
    def for_user(cls, user) -> Audience:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls()
        if user.is_superuser:
            return cls(user_id=user.pk, everything_published=True)
        held = access.memberships(user)
        paths = ancestor_paths(m.organisation.path for m in held)
        # Staff-only documents (questions: answers must not reach students) carry "staff:<path>".
        staff = ancestor_paths(m.organisation.path for m in held if m.role != Role.STUDENT)
        staff_tokens = (f"{STAFF}", *(f"{STAFF}{p}" for p in sorted(staff))) if staff else ()
        return cls(paths=("", *sorted(paths), *staff_tokens), user_id=user.pk)

    @classmethod
    def anonymous(cls) -> Audience:
        return cls()

"""Access rules for materials, registered with the platform core's access registry."""

from lms import access
from lms.orgs.models import Organisation
from repository.scopes import audience_paths_for
from repository.services import user_is_appraising, user_may_edit


def _may_see_live(user, material) -> bool:
    if not material.live or (material.audience_path is None and not getattr(user, "is_authenticated", False)):
        return False
    if material.audience_path == "":
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if material.owner_id == user.pk:
        return True
    if material.audience_path is None:
        return False
    paths = [m.organisation.path for m in access.memberships(user)]
    return material.audience_path in audience_paths_for(paths, Organisation.steplen)


@access.rule("material.view", anonymous=True)
def material_view(user, material) -> bool:
    return _may_see_live(user, material) or user_may_edit(user, material) or user_is_appraising(user, material)


@access.rule("material.edit")
def material_edit(user, material) -> bool:
    return user_may_edit(user, material)


@access.rule("material.appraise")
def material_appraise(user, material) -> bool:
    return user_is_appraising(user, material)

"""Access rules for materials, registered with the platform core's access registry."""

from lms import access
from repository.services import materials_visible_to, user_is_appraising, user_may_edit


@access.rule("material.view", anonymous=True)
def material_view(user, material) -> bool:
    # The same visibility as every list of materials, so a page and its listing never disagree.
    if material.live and materials_visible_to(user).filter(pk=material.pk).exists():
        return True
    return user_may_edit(user, material) or user_is_appraising(user, material)


@access.rule("material.edit")
def material_edit(user, material) -> bool:
    return user_may_edit(user, material)


@access.rule("material.appraise")
def material_appraise(user, material) -> bool:
    return user_is_appraising(user, material)

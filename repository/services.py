"""What other apps (search, courses) and our views may use of the library: plain functions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Task,
    Workflow,
    WorkflowTask,
)

from lms import access
from lms.accounts.models import Role
from lms.orgs.models import Organisation, OrgUnitType, ancestor_paths
from repository.models.appraisal import Appraisal, AppraisalTask, ScopeLevel, ScopeWorkflow
from repository.models.materials import LibraryIndexPage, MaterialPage, SchoolLibraryPage, SharingScope

AUTHOR_ROLES = (Role.TEACHER, Role.GROUP_HEAD, Role.SCHOOL_ADMIN)

# --- Visibility ---------------------------------------------------------------------


def visibility_q(user) -> Q:
    """The live materials a user may see: national ones, those shared with an organisation
    the user belongs to (or one above it), and their own."""
    condition = Q(audience_path="")
    if getattr(user, "is_authenticated", False):
        if user.is_superuser:
            return Q()
        paths = [m.organisation.path for m in access.memberships(user)]
        if paths:
            condition |= Q(audience_path__in=ancestor_paths(paths))
        condition |= Q(owner=user)
    return condition


def materials_visible_to(user) -> QuerySet[MaterialPage]:
    return MaterialPage.objects.live().filter(visibility_q(user))


def user_may_edit(user, material: MaterialPage) -> bool:
    """Authors edit their own drafts; their school's administrator edits any of the school's."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or material.owner_id == user.pk:
        return True
    return any(
        m.role == Role.SCHOOL_ADMIN and m.organisation_id == material.school_id for m in access.memberships(user)
    )


def user_is_appraising(user, material: MaterialPage) -> bool:
    task = material.current_workflow_task
    return bool(task and isinstance(task.specific, AppraisalTask) and task.specific.user_may_appraise(material, user))


# --- Appraisal records ----------------------------------------------------------------


def record_appraisal(material, task_state, user, verdict, comment, criteria) -> Appraisal:
    from repository.models.appraisal import CRITERIA

    task = task_state.task.specific
    appraisal = Appraisal.objects.create(
        material=material,
        revision=task_state.revision,
        task_state=task_state,
        level_name=task.name,
        organisation=task.appraising_organisation(material),
        reviewer=user,
        verdict=verdict,
        criteria={name: criteria.get(name) for name, _label in CRITERIA if name in criteria},
        comment=comment,
    )
    log(
        instance=material,
        action=f"repository.appraisal.{verdict}",
        user=user,
        data={"level": task.name, "comment": comment},
    )
    return appraisal


def appraisal_history(material: MaterialPage) -> list[Appraisal]:
    return list(material.appraisals.select_related("reviewer", "organisation").order_by("created_at"))


# --- Library tree, authoring groups, default appraisal ---------------------------


def library_root() -> LibraryIndexPage:
    existing = LibraryIndexPage.objects.first()
    if existing:
        return existing
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        # A fresh or flushed database: Wagtail's migrations made the tree root and site, recreate them.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        site = Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
    parent = site.root_page
    library = LibraryIndexPage(title="Kho học liệu số", slug="hoc-lieu")
    parent.add_child(instance=library)
    return library


def school_area(school: Organisation) -> SchoolLibraryPage:
    """The school's authoring area, with its authoring groups. Idempotent."""
    area = SchoolLibraryPage.objects.filter(school=school).first()
    if area is None:
        area = SchoolLibraryPage(title=school.name, slug=f"truong-{school.code.lower()}", school=school)
        library_root().add_child(instance=area)
    authors, _ = Group.objects.get_or_create(name=f"lms:school:{school.code}:authors")
    managers, _ = Group.objects.get_or_create(name=f"lms:school:{school.code}:managers")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="wagtailcore")}
    for group, codenames in ((authors, ["add_page"]), (managers, ["add_page", "change_page", "lock_page"])):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=area, permission=perms[codename])
    _grant_school_collection(school, authors, managers)
    return area


def school_collection(school: Organisation) -> Collection:
    """The school's collection of files and images (one per school, under the root). Idempotent."""
    name = f"{school.name} ({school.code})"
    # Wagtail creates the root collection in a data migration; a flushed database lacks it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    found = root.get_children().filter(name=name).first()
    return found or root.add_child(instance=Collection(name=name))


def _grant_school_collection(school: Organisation, authors: Group, managers: Group) -> None:
    """Authors upload and choose files and images in their school's collection; managers also edit and
    delete them. Downloads of files used by drafts stay guarded by ``user_may_download``."""
    collection = school_collection(school)
    perms = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label__in=["wagtaildocs", "wagtailimages"])
    }
    author_codenames = ["add_document", "choose_document", "add_image", "choose_image"]
    manager_codenames = [*author_codenames, "change_document", "delete_document", "change_image", "delete_image"]
    for group, codenames in ((authors, author_codenames), (managers, manager_codenames)):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=perms[codename]
            )


def sync_authoring_groups(user, school: Organisation) -> None:
    roles = {m.role for m in user.memberships.filter(organisation=school, is_active=True)}
    school_area(school)
    authors = Group.objects.get(name=f"lms:school:{school.code}:authors")
    managers = Group.objects.get(name=f"lms:school:{school.code}:managers")
    (user.groups.add if roles & set(AUTHOR_ROLES) else user.groups.remove)(authors)
    (user.groups.add if Role.SCHOOL_ADMIN in roles else user.groups.remove)(managers)


DEFAULT_SCOPE_LEVELS = {
    SharingScope.SCHOOL: "truong",
    SharingScope.COMMUNE: "xa",
    SharingScope.PROVINCE: "tinh",
    SharingScope.NATIONAL: "bo",
}


@transaction.atomic
def ensure_default_appraisal() -> None:
    """Scope levels and one workflow per scope, unless an administrator configured them. Idempotent."""
    types = {t.slug: t for t in OrgUnitType.objects.filter(slug__in=DEFAULT_SCOPE_LEVELS.values())}
    for scope, slug in DEFAULT_SCOPE_LEVELS.items():
        if slug in types:
            ScopeLevel.objects.get_or_create(scope=scope, defaults={"unit_type": types[slug]})
    if ScopeWorkflow.objects.exists() or len(types) < 4:
        return

    def level(name, slug, roles):
        task = AppraisalTask.objects.filter(name=name).first()
        return task or AppraisalTask.objects.create(name=name, unit_type=types[slug], roles=roles)

    school = level("Tổ chuyên môn (cấp trường)", "truong", [Role.GROUP_HEAD, Role.SCHOOL_ADMIN])
    commune = level("Hội đồng thẩm định cấp xã/phường", "xa", [Role.REVIEWER])
    province = level("Hội đồng bộ môn cấp tỉnh/thành phố", "tinh", [Role.REVIEWER])
    ministry = level("Hội đồng thẩm định cấp Bộ", "bo", [Role.REVIEWER])
    plans = {
        SharingScope.PRIVATE: ("Thẩm định cấp trường", [school]),
        SharingScope.SCHOOL: ("Thẩm định cấp trường", [school]),
        SharingScope.COMMUNE: ("Thẩm định cấp xã/phường", [school, commune]),
        SharingScope.PROVINCE: ("Thẩm định cấp tỉnh/thành phố", [school, province]),
        SharingScope.NATIONAL: ("Thẩm định cấp quốc gia", [school, province, ministry]),
    }
    for scope, (name, tasks) in plans.items():
        workflow = Workflow.objects.filter(name=name).first()
        if workflow is None:
            workflow = Workflow.objects.create(name=name)
            for order, task in enumerate(tasks):
                WorkflowTask.objects.create(workflow=workflow, task=Task.objects.get(pk=task.pk), sort_order=order)
        ScopeWorkflow.objects.get_or_create(scope=scope, defaults={"workflow": workflow})


def setup_library() -> LibraryIndexPage:
    ensure_default_appraisal()
    root = library_root()
    for school in Organisation.objects.filter(unit_type__is_school=True):
        school_area(school)
    return root


# --- Files attached to materials -----------------------------------------------------


def materials_referencing(document) -> QuerySet[MaterialPage]:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return MaterialPage.objects.filter(pk__in=[int(i) for i in ids if str(i).isdigit()])


def user_may_download(user, document) -> bool:
    """A file may be downloaded by whoever may see a live material using it, by the material's
    editors and reviewers, and by its uploader; never by others while it is only in drafts."""
    if getattr(user, "is_authenticated", False) and (user.is_superuser or document.uploaded_by_user_id == user.pk):
        return True
    materials = list(materials_referencing(document).select_related("school"))
    if materials_visible_to(user).filter(pk__in=[m.pk for m in materials]).exists():
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if any(user_may_edit(user, m) or user_is_appraising(user, m) for m in materials):
        return True
    # Drafts' latest revisions are not in the reference index: reviewers appraising any
    # material of the uploader may open the uploader's files.
    in_review = MaterialPage.objects.filter(
        owner_id=document.uploaded_by_user_id, _workflow_states__status="in_progress"
    ).distinct()
    return any(user_is_appraising(user, m) for m in in_review)


# --- Lecture videos used by materials -------------------------------------------------


def videos_in(material: MaterialPage) -> list:
    """The lecture videos a material shows: its own video field and the video blocks of its body."""
    specific = material.specific
    found = {}
    video = getattr(specific, "video", None)
    if video is not None:
        found[video.pk] = video
    for block in getattr(specific, "body", None) or []:
        if block.block_type == "video" and block.value.get("video") is not None:
            found[block.value["video"].pk] = block.value["video"]
    return list(found.values())


def _used_by_other_live_material(video, material: MaterialPage) -> bool:
    return materials_referencing(video).exclude(pk=material.pk).filter(live=True).exists()


def sync_video_publication(material: MaterialPage) -> None:
    """A live material's videos become watchable by its audience; a withdrawn one's stop being so,
    unless another live material still shows them. Drafts never publish a video."""
    from media_pipeline.services import set_published

    for video in videos_in(material):
        published = material.live or _used_by_other_live_material(video, material)
        if video.is_published != published:
            set_published(video, published)

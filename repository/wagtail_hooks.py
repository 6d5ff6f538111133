from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from repository.models.appraisal import Verdict


@hooks.register("register_log_actions")
def register_appraisal_log_actions(actions):
    labels = {
        Verdict.APPROVED: (_("Appraisal: approved"), _("Approved at an appraisal level")),
        Verdict.CHANGES_REQUESTED: (_("Appraisal: changes requested"), _("Changes requested by a reviewer")),
        Verdict.REJECTED: (_("Appraisal: rejected"), _("Rejected by a reviewer")),
    }
    for verdict, (label, message) in labels.items():
        actions.register_action(f"repository.appraisal.{verdict}", label, message)


@hooks.register("lms_demo_data")
def repository_demo_data(say):
    from repository.demo import load_demo_materials

    load_demo_materials(say)


@hooks.register("before_serve_document")
def protect_draft_files(document, request):
    from django.http import Http404

    from repository.services import user_may_download

    if not user_may_download(request.user, document):
        raise Http404


@hooks.register("register_admin_viewset")
def register_lecture_video_chooser():
    from repository.choosers import lecture_video_chooser_viewset

    return lecture_video_chooser_viewset


@hooks.register("construct_page_action_menu")
def name_the_appraisal_in_the_submit_button(menu_items, request, context):
    """Wagtail labels "Submit" with the parent's workflow while a material is new; a material's workflow
    follows the sharing scope chosen in the form, so the button says what it does instead."""
    from wagtail.admin.action_menu import SubmitForModerationMenuItem

    from repository.action_menu import SubmitForAppraisalMenuItem

    for position, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            menu_items[position] = SubmitForAppraisalMenuItem(order=item.order)

from django.utils.translation import gettext as _
from wagtail.admin.action_menu import SubmitForModerationMenuItem


class SubmitForAppraisalMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        workflow_state = page.current_workflow_state if page and page.pk else None
        if workflow_state and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
            return context  # "Resubmit to <level>" is already right
        if page is not None and page.pk:
            workflow = page.get_workflow()
            context["label"] = (
                _("Submit for appraisal: %(workflow)s") % {"workflow": workflow.name} if workflow else context["label"]
            )
        else:
            context["label"] = _("Submit for appraisal")
        return context

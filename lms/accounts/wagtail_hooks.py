from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import ModelLogEntry

from lms.accounts.models import Membership, User


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_model(User, ModelLogEntry)
    actions.register_model(Membership, ModelLogEntry)
    actions.register_action("lms.user.create", _("Create account"), _("Account created"))
    actions.register_action("lms.membership.grant", _("Grant role"), _("Role granted"))
    actions.register_action("lms.membership.revoke", _("Revoke role"), _("Role revoked"))

"""Appraisal (thẩm định) as data: which organisation level a sharing scope reaches, which
Wagtail workflow a scope needs, and the appraisal task whose reviewers are found through
memberships (role + subject + organisation), not hand-maintained groups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState, Workflow

from lms.accounts.models import Role
from lms.orgs.models import Organisation, OrgUnitType
from repository.models.materials import SharingScope


class ScopeLevel(models.Model):
    """Which kind of organisation a sharing scope reaches: "province" → Tỉnh/Thành phố."""

    scope = models.CharField(_("sharing scope"), max_length=16, choices=SharingScope.choices, unique=True)
    unit_type = models.ForeignKey(OrgUnitType, on_delete=models.PROTECT, verbose_name=_("kind of organisation"))

    class Meta:
        verbose_name = _("sharing scope level")
        verbose_name_plural = _("sharing scope levels")

    def __str__(self) -> str:
        return f"{self.get_scope_display()} → {self.unit_type}"


class ScopeWorkflow(models.Model):
    """The appraisal a material needs before it is shared with a scope."""

    scope = models.CharField(_("sharing scope"), max_length=16, choices=SharingScope.choices, unique=True)
    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, verbose_name=_("appraisal workflow"))

    class Meta:
        verbose_name = _("appraisal for a sharing scope")
        verbose_name_plural = _("appraisals for sharing scopes")

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.workflow}"


def workflow_for_scope(scope: str) -> Workflow | None:
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    row = ScopeWorkflow.objects.select_related("workflow").filter(scope=scope, workflow__active=True).first()
    return row.workflow if row else None


class Verdict(models.TextChoices):
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")


class CriterionResult(models.TextChoices):
    MET = "met", _("Meets the requirement")
    NOT_MET = "not_met", _("Does not meet the requirement")


CRITERIA = [
    ("scientific_accuracy", _("Scientific accuracy")),
    ("outcome_alignment", _("Alignment with the program's required outcomes")),
    ("pedagogy", _("Pedagogy")),
    ("language", _("Language and presentation")),
    ("copyright", _("Copyright and licence")),
    ("accessibility", _("Accessibility")),
]


class AppraisalTask(Task):
    """A level of appraisal: who may act is decided by membership, at one kind of organisation.

    At a material's turn, the reviewers are the users holding one of ``roles`` for the
    material's subject in the organisation of kind ``unit_type`` that contains the
    material's school (the school itself for the school level). The author never
    appraises their own material.
    """

    unit_type = models.ForeignKey(OrgUnitType, on_delete=models.PROTECT, verbose_name=_("level (kind of organisation)"))
    roles = models.JSONField(
        _("roles that appraise"),
        default=list,
        help_text=_('For example ["group_head"] at school level, ["reviewer"] above.'),
    )

    admin_form_fields = [*Task.admin_form_fields, "unit_type", "roles"]

    class Meta:
        verbose_name = _("appraisal level")
        verbose_name_plural = _("appraisal levels")

    # --- who ---------------------------------------------------------------------

    def appraising_organisation(self, material) -> Organisation | None:
        school = material.school
        if school is None:
            return None
        if school.unit_type_id == self.unit_type_id:
            return school
        return school.get_ancestors().filter(unit_type_id=self.unit_type_id).first()

    def user_may_appraise(self, material, user) -> bool:
        from lms import access

        if not getattr(user, "is_authenticated", False) or material.owner_id == user.pk:
            return False
        org = self.appraising_organisation(material)
        if org is None:
            return user.is_superuser
        if user.is_superuser:
            return True
        return any(
            m.role in self.roles
            and m.organisation_id == org.pk
            and (material.subject_id in {s.pk for s in m.subjects.all()} or m.role == Role.SCHOOL_ADMIN)
            for m in access.memberships(user)
        )

    def task_states_for(self, user):
        """In-progress states of this level that ``user`` may act on (for "awaiting my review")."""
        from lms import access
        from repository.models.materials import MaterialPage

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        mine = [
            m
            for m in access.memberships(user)
            if m.role in self.roles and m.organisation.unit_type_id == self.unit_type_id
        ]
        if not mine:
            return states.none()
        condition = models.Q(pk__in=[])
        for m in mine:
            subject_filter = {} if m.role == Role.SCHOOL_ADMIN else {"subject__in": list(m.subjects.all())}
            condition |= models.Q(school__path__startswith=m.organisation.path, **subject_filter)
        ids = MaterialPage.objects.filter(condition).exclude(owner=user).values_list("pk", flat=True)
        return states.filter(workflow_state__object_id__in=[str(pk) for pk in ids])

    # --- Wagtail's task API ----------------------------------------------------------

    def user_can_access_editor(self, obj, user):
        return self.user_may_appraise(obj.specific, user)

    def locked_for_user(self, obj, user):
        # While a level appraises, only its reviewers may touch the draft.
        return not self.user_may_appraise(obj.specific, user)

    def get_actions(self, obj, user):
        if not self.user_may_appraise(obj.specific, user):
            return []
        return [
            ("approve", _("Approve"), True),
            ("reject", _("Request changes"), True),
            ("refuse", _("Reject"), True),
        ]

    def get_form_for_action(self, action):
        from repository.forms import ApproveForm, ChangesForm

        return ApproveForm if action == "approve" else ChangesForm

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return self.task_states_for(user)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        from repository.services import record_appraisal

        material = task_state.workflow_state.content_object.specific
        if not self.user_may_appraise(material, user):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        comment = kwargs.pop("comment", "")
        verdict = {"approve": Verdict.APPROVED, "reject": Verdict.CHANGES_REQUESTED, "refuse": Verdict.REJECTED}[
            action_name
        ]
        record_appraisal(material, task_state, user, verdict, comment, criteria=kwargs)
        if action_name == "approve":
            # Reviewers hold no publish permission on schools' areas: the approval is theirs (logged
            # above and on the task state), publishing on the last level is the platform's own act.
            task_state.approve(user=user, comment=comment, update=False)
            task_state.workflow_state.update(user=None)
        elif action_name == "reject":
            task_state.reject(user=user, comment=comment)
        else:
            task_state.reject(user=user, comment=comment)
            task_state.workflow_state.cancel(user=user)

    @classmethod
    def get_description(cls):
        return _("Reviewers of the material's subject at one level (school, commune, province, ministry) appraise it")


class Appraisal(models.Model):
    """One reviewer's appraisal of one revision at one level: the audit trail the author sees."""

    material = models.ForeignKey(
        "repository.MaterialPage", on_delete=models.CASCADE, related_name="appraisals", verbose_name=_("material")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("revision")
    )
    task_state = models.ForeignKey(TaskState, on_delete=models.SET_NULL, null=True, related_name="+")
    level_name = models.CharField(_("level"), max_length=255)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appraisals")
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    criteria = models.JSONField(_("criteria"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("appraised at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")

    def __str__(self) -> str:
        return f"{self.material_id} {self.level_name}: {self.verdict}"

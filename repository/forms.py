from django import forms
from django.utils.translation import gettext_lazy as _

from repository.models.appraisal import CRITERIA, CriterionResult


class AppraisalForm(forms.Form):
    """The appraisal form schools use: one result per criterion, and a comment."""

    comment = forms.CharField(
        label=_("Comment for the author"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CRITERIA:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=CriterionResult.choices,
                widget=forms.RadioSelect,
                initial=CriterionResult.MET,
            )

    def clean(self):
        data = super().clean()
        not_met = [name for name, _label in CRITERIA if data.get(name) == CriterionResult.NOT_MET]
        if not_met and not (data.get("comment") or "").strip():
            raise forms.ValidationError(_("Explain in the comment what must change."))
        return data


class ApproveForm(AppraisalForm):
    def clean(self):
        data = super().clean()
        if any(data.get(name) == CriterionResult.NOT_MET for name, _label in CRITERIA):
            raise forms.ValidationError(_("A material can be approved only when it meets every criterion."))
        return data


class ChangesForm(AppraisalForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True

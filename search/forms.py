"""Turning a request into a clean search query: 400 with a clear message on bad input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from search.backends.base import MAX_PAGE
from search.documents import FILTERS

SORT_CHOICES = [
    ("relevance", _("Most relevant")),
    ("newest", _("Newest")),
    ("popular", _("Most used")),
]
MAX_VALUES = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters: dict[str, list[str]] = {}
        for name in FILTERS:
            values = [v for v in data.getlist(name) if v] if hasattr(data, "getlist") else []
            if values:
                self.filters[name] = values

    def clean(self):
        cleaned = super().clean()
        for values in self.filters.values():
            if len(values) > MAX_VALUES or any(len(v) > 200 for v in values):
                raise forms.ValidationError(_("Too many or too long filter values."), code="filters")
        return cleaned

    def query_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data.get("q") or "",
            "filters": self.filters,
            "sort": data.get("sort") or "relevance",
            "page": data.get("page") or 1,
        }

"""The search page, its JSON API and suggestions. Results are filtered by what the user may see
(search.visibility) before anything else, so every view is safe for any visitor."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search.backends.base import SearchUnavailable
from search.forms import SORT_CHOICES, SearchForm
from search.labels import FACET_TITLES, facet_labels
from search.openapi import schema
from search.services import search_for, suggest

logger = logging.getLogger(__name__)
PER_PAGE = 20


def unavailable_message() -> str:
    return _("Search is temporarily unavailable. Please try again in a few minutes.")


def _run(request, form):
    return search_for(request.user, **form.query_kwargs(), per_page=PER_PAGE)


@require_GET
@never_cache
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    context = {"form": form, "sort_choices": SORT_CHOICES, "results": None, "facets": []}
    status = 200
    if not form.is_valid():
        status = 400
    elif request.GET:
        try:
            results = _run(request, form)
        except SearchUnavailable:
            context["unavailable"] = unavailable_message()
            status = 503
        else:
            labels = facet_labels(results.facets)
            context["results"] = results
            context["facets"] = [
                {
                    "name": name,
                    "title": FACET_TITLES[name](),
                    "values": [
                        {"value": v.value, "label": labels.get(name, {}).get(v.value, v.value), **vars(v)}
                        for v in values
                    ],
                }
                for name, values in results.facets.items()
                if values and name in FACET_TITLES
            ]
    context["sort"] = (form.cleaned_data.get("sort") if form.is_valid() else None) or "relevance"
    return render(request, "search/search.html", context, status=status)


def _hit_json(hit) -> dict:
    return {
        "type": hit.doc_type,
        "id": hit.object_id,
        "title": hit.title,
        "url": hit.url,
        "title_html": hit.title_html,
        "snippet_html": hit.snippet_html,
        "labels": hit.labels,
        "status": hit.status,
        "published_at": hit.published_at.isoformat() if hit.published_at else None,
        "popularity": hit.popularity,
    }


@require_GET
@never_cache
def search_api(request: HttpRequest) -> JsonResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": "invalid_query", "fields": form.errors.get_json_data()}, status=400)
    try:
        results = _run(request, form)
    except SearchUnavailable:
        return JsonResponse({"error": "search_unavailable", "message": unavailable_message()}, status=503)
    labels = facet_labels(results.facets)
    return JsonResponse(
        {
            "query": results.query.text,
            "total": results.total,
            "page": results.query.page,
            "pages": results.pages,
            "engine": results.engine,
            "fallback": results.fallback,
            "results": [_hit_json(h) for h in results.hits],
            "facets": {
                name: [
                    {
                        "value": v.value,
                        "label": labels.get(name, {}).get(v.value, v.value),
                        "count": v.count,
                        "selected": v.selected,
                    }
                    for v in values
                ]
                for name, values in results.facets.items()
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@never_cache
def suggest_api(request: HttpRequest) -> JsonResponse:
    prefix = (request.GET.get("q") or "").strip()[:100]
    if len(prefix) < 2:
        return JsonResponse({"suggestions": []})
    try:
        found = suggest(request.user, prefix)
    except SearchUnavailable:
        return JsonResponse({"error": "search_unavailable", "message": unavailable_message()}, status=503)
    return JsonResponse(
        {"suggestions": [{"title": s.title, "url": s.url, "type": s.doc_type} for s in found]},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(schema(request.build_absolute_uri("/")), json_dumps_params={"ensure_ascii": False})

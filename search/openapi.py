"""The OpenAPI 3.1 description of the search API, served at /search/api/openapi.json."""

from __future__ import annotations

from search.backends.base import MAX_PAGE, SORTS
from search.documents import FACETS, FILTERS


def _filter_param(name: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"Only documents with this {name} (repeat for any of several values).",
        "schema": {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 20},
        "style": "form",
        "explode": True,
    }


FACET_VALUE = {
    "type": "object",
    "properties": {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer"},
        "selected": {"type": "boolean"},
    },
}
HIT = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "examples": ["material"]},
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "title_html": {"type": "string", "description": "Title, HTML-escaped, matched words in <mark>."},
        "snippet_html": {"type": "string", "description": "Excerpt, HTML-escaped, matched words in <mark>."},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "status": {"type": "string", "enum": ["published", "draft"]},
        "published_at": {"type": ["string", "null"], "format": "date-time"},
        "popularity": {"type": "integer"},
    },
}
ERROR = {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}


def schema(server: str = "/") -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Search API",
            "version": "1",
            "description": (
                "Vietnamese-aware search of learning materials (and questions): words with or without "
                "diacritics, facets, sorting, pagination. Only what the signed-in user (session cookie) "
                "may see is ever returned or counted; anonymous callers get nationally shared items."
            ),
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            "/search/api/": {
                "get": {
                    "operationId": "search",
                    "summary": "Search with filters and facets",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "schema": {"type": "string", "maxLength": 200},
                            "description": 'Words (all must match; one typo allowed in longer words); "quoted phrase".',
                        },
                        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
                        {
                            "name": "page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        },
                        *(_filter_param(name) for name in FILTERS),
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of results with facet counts.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "query": {"type": "string"},
                                            "total": {"type": "integer"},
                                            "page": {"type": "integer"},
                                            "pages": {"type": "integer"},
                                            "engine": {"type": "string", "enum": ["database", "elasticsearch"]},
                                            "fallback": {"type": "boolean"},
                                            "results": {"type": "array", "items": HIT},
                                            "facets": {
                                                "type": "object",
                                                "properties": {
                                                    name: {"type": "array", "items": FACET_VALUE} for name in FACETS
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "Invalid parameters.",
                            "content": {"application/json": {"schema": ERROR}},
                        },
                        "503": {
                            "description": "Search engine unavailable.",
                            "content": {"application/json": {"schema": ERROR}},
                        },
                    },
                }
            },
            "/search/api/suggest/": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Titles completing what is being typed",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100}}],
                    "responses": {
                        "200": {
                            "description": "Up to 8 suggestions (none for fewer than 2 characters).",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "suggestions": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "properties": {
                                                        "title": {"type": "string"},
                                                        "url": {"type": "string"},
                                                        "type": {"type": "string"},
                                                    },
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "503": {
                            "description": "Search engine unavailable.",
                            "content": {"application/json": {"schema": ERROR}},
                        },
                    },
                }
            },
        },
    }

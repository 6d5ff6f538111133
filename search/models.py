"""The document store of the database engine, kept by the indexer whatever the engine.

``SearchDocument`` holds one row per indexed object with the fields visibility, sorting and
display need; ``SearchFacet`` one row per (document, facet, value) so filters and facet counts
are indexed joins; ``SearchTerm`` the folded vocabulary (append-only) that typo tolerance
looks words up in. The full-text index itself is engine-specific and created by migration
0002: an FTS5 table ``search_fts`` on SQLite, a ``tsvector`` column with a GIN index on
PostgreSQL. ``SearchPending`` lists documents Elasticsearch missed while it was down.
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    key = models.CharField(max_length=64, unique=True)
    doc_type = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    labels = models.JSONField(default=dict)
    status = models.CharField(max_length=16)
    owner_id = models.BigIntegerField(null=True)
    audience = models.CharField(max_length=255, null=True)  # noqa: DJ001 - NULL (owner only) is not "" (everyone)
    school_id = models.BigIntegerField(null=True)
    published_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)
    popularity = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["status", "audience"], name="search_doc_visibility"),
            models.Index(fields=["owner_id"], name="search_doc_owner"),
            models.Index(fields=["-published_at"], name="search_doc_newest"),
            models.Index(fields=["-popularity"], name="search_doc_popular"),
        ]

    def __str__(self) -> str:
        return self.key


class SearchFacet(models.Model):
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facet_values")
    field = models.CharField(max_length=32)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["field", "value", "document"], name="search_facet_lookup"),
            models.Index(fields=["document", "field"], name="search_facet_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class SearchTerm(models.Model):
    term = models.CharField(max_length=100, primary_key=True)

    def __str__(self) -> str:
        return self.term


class SearchPending(models.Model):
    """A document Elasticsearch has not received yet (it was down): pushed again on catch-up."""

    key = models.CharField(max_length=64, primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key

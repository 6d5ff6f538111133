"""The database engine: our document table with SQLite FTS5 (embedded) or PostgreSQL full text.

Both dialects index four texts per document (title exact/folded, text exact/folded, see
``search.folding``) and rank a title match above a text match and an exact-accent match above
a folded one: FTS5's bm25 with column weights, PostgreSQL's ts_rank with the A-D weights.
Typo tolerance looks the folded word up in the vocabulary (``SearchTerm``); a word that is not
there is replaced by the words one edit away that are. Filters and facet counts are joins on
``SearchFacet``; visibility is a WHERE on the document row, applied before everything else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.base import (
    ProgressCallback,
    SearchBackend,
    SearchQuery,
    SearchResults,
    Suggestion,
    make_hit,
    order_facets,
)
from search.documents import PUBLISHED, SearchDoc
from search.folding import ParsedQuery, one_edit_variants, parse_query, tokens, typo_allowance
from search.models import SearchDocument, SearchFacet, SearchTerm
from search.visibility import Audience

TABLE = SearchDocument._meta.db_table
FACET_TABLE = SearchFacet._meta.db_table
TERM_TABLE = SearchTerm._meta.db_table
HIT_FIELDS = (
    "key",
    "doc_type",
    "object_id",
    "title",
    "url",
    "summary",
    "body",
    "labels",
    "status",
    "published_at",
    "popularity",
)
MAX_ALTERNATIVES = 6
BATCH = 500


def visibility_q(audience: Audience) -> Q:
    if audience.everything_published:
        condition = Q(status=PUBLISHED)
    else:
        condition = Q(status=PUBLISHED, audience__in=audience.paths)
    if audience.user_id is not None:
        condition |= Q(owner_id=audience.user_id)
    return condition


class Dialect:
    """How one database matches and ranks text."""

    vendor = ""
    rank_descending = False
    MATERIALIZED = ""  # how a CTE used twice is computed once

    def analyze(self, cursor) -> None:
        """Refresh the planner's statistics after a bulk load (a rebuild)."""
        cursor.execute(f"ANALYZE {TABLE}")
        cursor.execute(f"ANALYZE {FACET_TABLE}")
        cursor.execute(f"ANALYZE {TERM_TABLE}")

    def write(self, cursor, rows: list[tuple[int, SearchDoc]]) -> None:
        raise NotImplementedError

    def forget(self, cursor, ids: list[int]) -> None:
        """Remove full-text rows of these document ids (only where they live apart)."""

    def clear(self, cursor) -> None:
        """Empty the full-text index (the documents are deleted separately)."""

    def match(self, qs: QuerySet, expression: str) -> QuerySet:
        """Only the documents matching, usable as a subquery (facet counts)."""
        raise NotImplementedError

    def ranked(self, qs: QuerySet, expression: str) -> QuerySet:
        """The matching documents with a ``rank`` to order by (not for subqueries)."""
        raise NotImplementedError

    def expression(self, parsed: ParsedQuery, alternatives: dict[str, list[str]], *, prefix_last: bool) -> str:
        raise NotImplementedError


class SQLiteDialect(Dialect):
    vendor = "sqlite"
    # bm25 is lower-is-better: ascending order. Weights: title exact, title folded, text exact, text folded.
    RANK = "bm25(search_fts, 10.0, 4.0, 2.0, 1.0)"

    def write(self, cursor, rows):
        ids = [pk for pk, _doc in rows]
        self.forget(cursor, ids)
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title_exact, title_folded, text_exact, text_folded) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(pk, d.title_exact(), d.title_folded(), d.text_exact(), d.text_folded()) for pk, d in rows],
        )

    def forget(self, cursor, ids):
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608 - placeholders only

    def clear(self, cursor):
        cursor.execute("DELETE FROM search_fts")

    def match(self, qs, expression):
        return qs.filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression]))

    def ranked(self, qs, expression):
        # A join is the only way to order by bm25(); every value is a bound parameter.
        return qs.extra(  # noqa: S610
            tables=["search_fts"],
            where=[f"search_fts.rowid = {TABLE}.id", "search_fts MATCH %s"],
            params=[expression],
            select={"rank": self.RANK},
        )

    def expression(self, parsed, alternatives, *, prefix_last):
        folded_cols, exact_cols = "{title_folded text_folded}", "{title_exact text_exact}"
        if prefix_last:
            folded_cols, exact_cols = "{title_folded}", "{title_exact}"
        parts = []
        words = parsed.words
        for i, (exact, folded) in enumerate(words):
            star = "*" if prefix_last and i == len(words) - 1 else ""
            options = " OR ".join(f'"{w}"{star}' for w in [folded, *alternatives.get(folded, [])])
            parts.append(f'({folded_cols} : ({options}) OR {exact_cols} : "{exact}"{star})')
        for phrase in parsed.phrases:
            parts.append(f'({folded_cols} : "{" ".join(f for _e, f in phrase)}")')
        return " AND ".join(parts)


class PostgresDialect(Dialect):
    vendor = "postgresql"
    rank_descending = True
    MATERIALIZED = "MATERIALIZED"
    # ts_rank weights are {D, C, B, A}: A title exact, B title folded, C text exact, D text folded.
    RANK = "ts_rank('{0.1, 0.2, 0.4, 1.0}', vector, to_tsquery('simple', %s))"

    def write(self, cursor, rows):
        cursor.executemany(
            f"UPDATE {TABLE} SET vector = "  # noqa: S608 - constant table name, bound values
            "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
            "setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D') "
            "WHERE id = %s",
            [(d.title_exact(), d.title_folded(), d.text_exact(), d.text_folded(), pk) for pk, d in rows],
        )

    def match(self, qs, expression):
        # Unqualified column: Django aliases the table when this query becomes a subquery.
        matched = RawSQL("vector @@ to_tsquery('simple', %s)", [expression], output_field=BooleanField())
        return qs.alias(matched=matched).filter(matched=True)

    def ranked(self, qs, expression):
        rank = RawSQL(self.RANK, [expression], output_field=FloatField())  # noqa: S611 - bound parameter
        return self.match(qs, expression).annotate(rank=rank)

    def expression(self, parsed, alternatives, *, prefix_last):
        weights = ":AB" if prefix_last else ""  # suggestions match titles only
        parts = []
        words = parsed.words
        for i, (exact, folded) in enumerate(words):
            mark = ":*AB" if prefix_last and i == len(words) - 1 else weights
            options = [f"'{w}'{mark}" for w in [folded, *alternatives.get(folded, []), exact]]
            parts.append(f"({' | '.join(dict.fromkeys(options))})")
        for phrase in parsed.phrases:
            parts.append("(" + " <-> ".join(f"'{f}'{weights}" for _e, f in phrase) + ")")
        return " & ".join(parts)


DIALECTS = {"sqlite": SQLiteDialect, "postgresql": PostgresDialect}


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self, **options):
        try:
            self.dialect = DIALECTS[connection.vendor]()
        except KeyError:
            vendor = connection.vendor
            raise NotImplementedError(f"The database search engine needs SQLite or PostgreSQL, not {vendor}.") from None

    # --- Writing -------------------------------------------------------------------------------

    @transaction.atomic
    def index(self, docs: Iterable[SearchDoc]) -> None:
        docs = list(docs)
        if not docs:
            return
        self._delete_keys([d.key for d in docs])
        rows = SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    key=d.key,
                    doc_type=d.doc_type,
                    object_id=d.object_id,
                    title=d.title[:500],
                    url=d.url[:500],
                    summary=d.summary,
                    body=d.body,
                    keywords=d.keywords,
                    labels=d.labels,
                    status=d.status,
                    owner_id=d.owner_id,
                    audience=d.audience,
                    school_id=d.school_id,
                    published_at=d.published_at,
                    updated_at=d.updated_at,
                    popularity=d.popularity,
                )
                for d in docs
            ],
            batch_size=BATCH,
        )
        if rows and rows[0].pk is None:  # a database that returns no ids from bulk inserts
            ids = dict(SearchDocument.objects.filter(key__in=[d.key for d in docs]).values_list("key", "pk"))
            for row in rows:
                row.pk = ids[row.key]
        SearchFacet.objects.bulk_create(
            [
                SearchFacet(document_id=row.pk, field=name, value=str(value)[:200])
                for row, doc in zip(rows, docs, strict=True)
                for name, values in doc.facets.items()
                for value in dict.fromkeys(values)
            ],
            batch_size=BATCH * 4,
        )
        terms = {t for d in docs for t in tokens(d.title_folded() + " " + d.text_folded()) if 2 < len(t) <= 100}
        SearchTerm.objects.bulk_create([SearchTerm(term=t) for t in terms], batch_size=BATCH * 4, ignore_conflicts=True)
        with connection.cursor() as cursor:
            self.dialect.write(cursor, [(row.pk, doc) for row, doc in zip(rows, docs, strict=True)])

    @transaction.atomic
    def delete(self, keys: Iterable[str]) -> None:
        self._delete_keys(list(keys))

    def _delete_keys(self, keys: list[str]) -> None:
        ids = []
        for start in range(0, len(keys), BATCH):
            ids += SearchDocument.objects.filter(key__in=keys[start : start + BATCH]).values_list("pk", flat=True)
        if not ids:
            return
        with connection.cursor() as cursor:
            self.dialect.forget(cursor, ids)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            SearchFacet.objects.filter(document_id__in=chunk).delete()
            SearchDocument.objects.filter(pk__in=chunk).delete()

    @transaction.atomic
    def clear(self) -> None:
        with connection.cursor() as cursor:
            self.dialect.clear(cursor)
        SearchFacet.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()

    def rebuild(self, batches, total, progress: ProgressCallback | None = None) -> int:
        # One transaction: readers keep seeing the old documents until the new ones are committed.
        done = 0
        with transaction.atomic():
            self.clear()
            for batch in batches:
                self.index(batch)
                done += len(batch)
                if progress:
                    progress(done, total)
        # Without fresh statistics the planner takes a filter matching thousands of rows for one
        # and loops over the primary key for each (measured: 170 ms instead of a few at 20,000).
        with connection.cursor() as cursor:
            self.dialect.analyze(cursor)
        return done

    def count(self) -> int:
        return SearchDocument.objects.count()

    # --- Reading -------------------------------------------------------------------------------

    def alternatives(self, parsed: ParsedQuery) -> dict[str, list[str]]:
        """Known words one edit away from each query word the vocabulary does not know."""
        words = {f for _e, f in parsed.words if typo_allowance(f)}
        if not words:
            return {}
        known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
        found = {}
        for word in words - known:
            variants = sorted(v for v in one_edit_variants(word) if v[:1] == word[:1])
            hits = list(SearchTerm.objects.filter(term__in=variants).values_list("term", flat=True)[:MAX_ALTERNATIVES])
            if hits:
                found[word] = sorted(hits)
        return found

    def _filtered(self, query: SearchQuery) -> QuerySet:
        qs = SearchDocument.objects.filter(visibility_q(query.audience))
        for name, values in sorted(query.filters.items()):
            qs = qs.filter(Exists(SearchFacet.objects.filter(document=OuterRef("pk"), field=name, value__in=values)))
        return qs

    def _total_and_facets(self, qs: QuerySet, facets: tuple[str, ...]) -> tuple[int, dict[str, dict[str, int]]]:
        """The total and every facet's counts in one statement over the matching ids, found once.

        The matching set (visibility, filters, text) is a CTE (materialised on PostgreSQL), so the
        text match and the filters run once instead of once for the count and again for the facets.
        """
        inner, params = qs.order_by().values("pk").query.sql_with_params()
        sql = f"WITH m (id) AS {self.dialect.MATERIALIZED} ({inner}) SELECT NULL, NULL, COUNT(*) FROM m"  # noqa: S608 - SQL Django built, values bound
        if facets:
            marks = ", ".join(["%s"] * len(facets))
            sql += (
                f" UNION ALL SELECT f.field, f.value, COUNT(*) FROM {FACET_TABLE} f"  # noqa: S608 - values bound
                f" INNER JOIN m ON f.document_id = m.id WHERE f.field IN ({marks}) GROUP BY f.field, f.value"
            )
            params = (*params, *facets)
        total, counts = 0, {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for name, value, n in cursor.fetchall():
                if name is None:
                    total = n
                else:
                    counts.setdefault(name, {})[value] = n
        return total, counts

    def search(self, query: SearchQuery) -> SearchResults:
        parsed = query.parsed
        base = qs = self._filtered(query)
        expression = ""
        if not parsed.is_empty:
            expression = self.dialect.expression(parsed, self.alternatives(parsed), prefix_last=False)
            qs = self.dialect.match(base, expression)
        total, counts = self._total_and_facets(qs, query.facets)
        sort = query.effective_sort
        newest = [F("published_at").desc(nulls_last=True), "-id"]
        if sort == "relevance":
            ordered = self.dialect.ranked(base, expression).order_by(
                "-rank" if self.dialect.rank_descending else "rank", *newest
            )
        elif sort == "popular":
            ordered = qs.order_by("-popularity", *newest)
        else:
            ordered = qs.order_by(*newest)
        fields = (*HIT_FIELDS, "rank") if sort == "relevance" else HIT_FIELDS
        page = list(ordered.values(*fields)[query.offset : query.offset + query.per_page]) if total else []
        hits = [make_hit(parsed=parsed, score=row.pop("rank", None), **row) for row in page]
        return SearchResults(query=query, hits=hits, total=total, facets=order_facets(query, counts), engine=self.name)

    def suggest(self, prefix: str, audience: Audience, limit: int = 8) -> list[Suggestion]:
        parsed = parse_query(prefix.replace('"', " "))
        if parsed.is_empty:
            return []
        qs = SearchDocument.objects.filter(visibility_q(audience))
        qs = self.dialect.ranked(qs, self.dialect.expression(parsed, {}, prefix_last=True))
        order = "-rank" if self.dialect.rank_descending else "rank"
        rows = qs.order_by(order, "-popularity", "-id").values_list("title", "url", "doc_type")[:limit]
        return [Suggestion(title=t, url=u, doc_type=d) for t, u, d in rows]

"""Materials of the library (repository) as search documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.urls import reverse
from django.utils.html import strip_tags

from lms.orgs.models import Organisation
from repository.models import MaterialPage
from search.documents import DRAFT, PUBLISHED, DocumentType, SearchDoc, register

BATCH = 500


def plain_text(value, limit: int = 20000) -> str:
    """The words of a StreamField's raw data (rich text without tags), ids and numbers left out."""
    parts: list[str] = []

    def walk(node):
        if isinstance(node, str):
            if node.strip() and not node.isdigit():
                parts.append(strip_tags(node))
        elif isinstance(node, dict):
            for key, child in node.items():
                if key not in {"id", "type", "video", "document", "image", "page"}:
                    walk(child)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)

    walk(value)
    return " ".join(parts)[:limit]


def _body_text(page) -> str:
    body = getattr(page, "body", None)
    raw = getattr(body, "raw_data", None)
    return plain_text(list(raw) if raw is not None else [])


@register
class MaterialDocuments(DocumentType):
    name = "material"
    label = "Học liệu"

    def ids(self) -> Iterator[int]:
        yield from MaterialPage.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)

    def count(self) -> int:
        return MaterialPage.objects.count()

    def build(self, ids: Iterable[int]) -> dict[int, SearchDoc]:
        ids = list(ids)
        base = {
            p.pk: p
            for p in MaterialPage.objects.filter(pk__in=ids)
            .select_related("subject", "school", "content_type")
            .prefetch_related("grades__level", "topics", "outcomes")
        }
        specific = {p.pk: p for p in MaterialPage.objects.filter(pk__in=base).specific()}
        steplen = Organisation.steplen
        docs = {}
        for pk, page in base.items():
            content = specific.get(pk, page)
            if not page.live:
                # A draft: what its author last saved, found only by its author.
                content = content.get_latest_revision_as_object() if content.latest_revision_id else content
            grades = sorted(page.grades.all(), key=lambda g: g.number)
            topics = list(page.topics.all())
            outcomes = list(page.outcomes.all())
            kind_label = str(getattr(content.specific_class or type(content), "kind_label", ""))
            subject = page.subject
            school = page.school
            grade_words = " ".join(f"Lớp {g.number}" for g in grades)
            keywords = " ".join(
                p
                for p in (
                    subject.name if subject else "",
                    grade_words,
                    " ".join(t.name for t in topics),
                    " ".join(o.text for o in outcomes),
                    kind_label,
                    content.get_textbook_series_display() if content.textbook_series != "none" else "",
                    content.author_name,
                    school.name if school else "",
                )
                if p
            )
            facets = {
                "type": [self.name],
                "level": sorted({g.level.slug for g in grades}),
                "grade": [str(g.number) for g in grades],
                "subject": [subject.slug] if subject else [],
                "kind": [page.content_type.model],
                "series": [content.textbook_series],
                "licence": [content.licence],
                "language": [content.language],
                "topic": [t.code for t in topics],
                "outcome": [o.code for o in outcomes],
                "school": [str(school.pk)] if school else [],
                "province": [school.path[: 2 * steplen]] if school and len(school.path) >= 2 * steplen else [],
            }
            live = page.live
            docs[pk] = SearchDoc(
                doc_type=self.name,
                object_id=pk,
                title=content.title,
                url=(page.url or "") if live else reverse("wagtailadmin_pages:edit", args=[pk]),
                summary=content.summary,
                body=_body_text(content),
                keywords=keywords,
                facets={k: v for k, v in facets.items() if v},
                status=PUBLISHED if live else DRAFT,
                owner_id=page.owner_id,
                audience=page.audience_path if live else None,
                school_id=page.school_id,
                published_at=page.last_published_at if live else None,
                updated_at=page.latest_revision_created_at or page.last_published_at,
                popularity=page.view_count,
                labels={
                    "kind": kind_label,
                    "subject": subject.name if subject else "",
                    "grades": ", ".join(str(g.number) for g in grades),
                    "school": school.name if school else "",
                },
            )
        return docs

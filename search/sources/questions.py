"""Questions of the bank as search documents (loaded when settings.SEARCH_INDEX_QUESTIONS is true).

The mapping, in the terms of search.documents:

* title: the version's name, or the start of its text; body: its plain text (stem, options,
  feedback: ``QuestionVersion.plain_text``); keywords: subject, grade, topic, outcome, category,
  tags and the cognitive level's name;
* facets: type=question, level (school level of the grade), grade, subject, topic, outcome,
  cognitive_level (the level's code), kind (the question type, e.g. single_choice), school;
* visibility: an **approved** question is ``published`` to ``"staff:" + audience_path`` (staff
  only: a question and its answers must never reach students); any other status is a draft
  its owner finds. Search never widens the bank's own rule (question_bank.access), it may
  be narrower (school administrators and group heads see more in the bank itself);
* url: the bank's admin edit page of the question.

Indexing hooks (post_save/post_delete of Question, and of QuestionVersion for new content)
belong in search/signals.py once the bank's models are committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.urls import NoReverseMatch, reverse

from question_bank.models import Question, QuestionStatus
from search.documents import DRAFT, PUBLISHED, DocumentType, SearchDoc, register
from search.visibility import STAFF


def _url(pk: int) -> str:
    for name in ("question_bank_question_edit", "wagtailsnippets_question_bank_question:edit"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


@register
class QuestionDocuments(DocumentType):
    name = "question"
    label = "Câu hỏi"

    def ids(self) -> Iterator[int]:
        yield from Question.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)

    def count(self) -> int:
        return Question.objects.count()

    def build(self, ids: Iterable[int]) -> dict[int, SearchDoc]:
        questions = (
            Question.objects.filter(pk__in=list(ids), current_version__isnull=False)
            .select_related(
                "current_version", "subject", "grade__level", "topic", "outcome", "level", "category", "school"
            )
            .prefetch_related("tags")
        )
        docs = {}
        for q in questions:
            version = q.current_version
            approved = q.status == QuestionStatus.APPROVED
            text = " ".join((version.plain_text or "").split())
            keywords = " ".join(
                p
                for p in (
                    q.subject.name if q.subject else "",
                    f"Lớp {q.grade.number}" if q.grade else "",
                    q.topic.name if q.topic else "",
                    q.outcome.text if q.outcome else "",
                    q.category.name if q.category else "",
                    q.level.name if q.level else "",
                    " ".join(t.name for t in q.tags.all()),
                )
                if p
            )
            facets = {
                "type": [self.name],
                "level": [q.grade.level.slug] if q.grade else [],
                "grade": [str(q.grade.number)] if q.grade else [],
                "subject": [q.subject.slug] if q.subject else [],
                "topic": [q.topic.code] if q.topic else [],
                "outcome": [q.outcome.code] if q.outcome else [],
                "cognitive_level": [q.level.code] if q.level else [],
                "kind": [version.qtype],
                "school": [str(q.school_id)] if q.school_id else [],
            }
            docs[q.pk] = SearchDoc(
                doc_type=self.name,
                object_id=q.pk,
                title=version.name or text[:120] or f"#{q.pk}",
                url=_url(q.pk),
                body=text,
                keywords=keywords,
                facets={k: v for k, v in facets.items() if v},
                status=PUBLISHED if approved else DRAFT,
                owner_id=q.owner_id,
                audience=(STAFF + q.audience_path) if approved and q.audience_path is not None else None,
                school_id=q.school_id,
                published_at=q.updated_at if approved else None,
                updated_at=q.updated_at,
                labels={
                    "kind": version.qtype,
                    "subject": q.subject.name if q.subject else "",
                    "grades": str(q.grade.number) if q.grade else "",
                    "level": q.level.name if q.level else "",
                },
            )
        return docs

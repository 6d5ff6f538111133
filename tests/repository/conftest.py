import pytest

from lms.curriculum.models import Grade, Subject, Topic
from repository.models import LessonPage, SharingScope
from repository.services import school_area, setup_library


@pytest.fixture
def library(cast):
    setup_library()
    return cast


def make_material(
    owner, school, *, title="Phân số và các phép tính", scope=SharingScope.PROVINCE, subject="toan", grade=6, live=False
):
    area = school_area(school)
    page = LessonPage(
        title=title,
        owner=owner,
        subject=Subject.objects.get(slug=subject),
        sharing_scope=scope,
        author_name=owner.display_name,
        live=live,
        summary="Bài giảng điện tử có công thức $\\frac{1}{2}$.",
        body=[
            ("paragraph", "<p>Phân số \\(\\frac{a}{b}\\) với b ≠ 0.</p>"),
            ("formula", {"latex": "\\frac{1}{2}+\\frac{1}{3}=\\frac{5}{6}", "caption": ""}),
        ],
    )
    area.add_child(instance=page)
    page.grades = [Grade.objects.get(number=grade)]
    topic = Topic.objects.filter(subject__slug=subject, grade__number=grade, parent=None).first()
    if topic:
        page.topics = [topic]
    page.save()
    page.save_revision(user=owner)
    return page


def submit(page, user):
    workflow = page.get_workflow()
    assert workflow is not None
    return workflow.start(page, user)

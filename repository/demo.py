"""Demo materials across grades and subjects, in every appraisal state. Idempotent."""

from __future__ import annotations

from lms.accounts.models import User
from lms.curriculum.models import Grade, Subject, Topic
from lms.orgs.models import Organisation
from repository.models import (
    DocumentPage,
    ExternalResourcePage,
    LessonPage,
    MaterialPage,
    SharingScope,
    TestPaperPage,
    WorksheetPage,
)
from repository.models.appraisal import CRITERIA
from repository.services import school_area, setup_library

ALL_MET = {name: "met" for name, _label in CRITERIA}

# title, kind, author, school, subject, grade, topic name contains, scope, final state
MATERIALS = [
    (
        "Phân số và các phép tính với phân số",
        LessonPage,
        "anhduong.gv.toan",
        "THCS-ANHDUONG",
        "toan",
        6,
        "Phân số",
        SharingScope.NATIONAL,
        "published",
    ),
    (
        "Số nguyên – bài giảng có hình minh hoạ",
        LessonPage,
        "anhduong.gv.toan",
        "THCS-ANHDUONG",
        "toan",
        6,
        "Số nguyên",
        SharingScope.PROVINCE,
        "published",
    ),
    (
        "Phiếu học tập: Số hữu tỉ",
        WorksheetPage,
        "anhduong.gv.toan",
        "THCS-ANHDUONG",
        "toan",
        7,
        "Số hữu tỉ",
        SharingScope.SCHOOL,
        "published",
    ),
    (
        "Đề kiểm tra giữa học kì I – Toán 6",
        TestPaperPage,
        "anhduong.totruong.toan",
        "THCS-ANHDUONG",
        "toan",
        6,
        "Số tự nhiên",
        SharingScope.SCHOOL,
        "published",
    ),
    (
        "Định lí Pythagore và ứng dụng",
        LessonPage,
        "anhduong.gv.toan",
        "THCS-ANHDUONG",
        "toan",
        8,
        "Pythagore",
        SharingScope.PROVINCE,
        "in_review",
    ),
    (
        "Hàm số bậc hai – đồ thị",
        DocumentPage,
        "tranphu.gv.toan",
        "THPT-TRANPHU",
        "toan",
        10,
        "Hàm số",
        SharingScope.NATIONAL,
        "changes_requested",
    ),
    (
        "Mô phỏng: đồ thị hàm số y = ax²",
        ExternalResourcePage,
        "saomai.gv.toan",
        "LC-SAOMAI",
        "toan",
        9,
        "ax",
        SharingScope.SCHOOL,
        "draft",
    ),
    (
        "Tế bào – đơn vị cơ sở của sự sống",
        LessonPage,
        "batxat.gv.toan",
        "THCS-BATXAT",
        "khoa-hoc-tu-nhien",
        6,
        "Tế bào",
        SharingScope.PROVINCE,
        "published",
    ),
]


def _act(page, user, action, comment=""):
    page = MaterialPage.objects.get(pk=page.pk)
    page.current_workflow_task.specific.on_action(
        page.current_workflow_task_state, user, action, comment=comment, **ALL_MET
    )


def _reviewer_for(page, task) -> User:
    org = task.appraising_organisation(page)
    for membership in org.memberships.filter(is_active=True, role__in=task.roles).exclude(user=page.owner_id):
        user = User.objects.get(pk=membership.user_id)
        if task.user_may_appraise(page, user):
            return user
    raise RuntimeError(f"The demo has no reviewer for {page.title!r} at {task.name!r}.")


def _approve_all_levels(page) -> None:
    while (page := MaterialPage.objects.get(pk=page.pk)).current_workflow_task:
        task = page.current_workflow_task.specific
        _act(page, _reviewer_for(page, task), "approve")


def load_demo_materials(say) -> None:
    say("library materials")
    setup_library()
    for title, kind, author, school_code, subject, grade, topic_hint, scope, state in MATERIALS:
        if MaterialPage.objects.filter(title=title).exists():
            continue
        owner = User.objects.get(username=author)
        school = Organisation.objects.get(code=school_code)
        grade_obj = Grade.objects.get(number=grade)
        extra = {"url": "https://phet.colorado.edu/vi/", "is_simulation": True} if kind is ExternalResourcePage else {}
        page = kind(
            title=title,
            owner=owner,
            subject=Subject.objects.get(slug=subject),
            sharing_scope=scope,
            live=False,
            author_name=owner.display_name,
            summary=f"{title}. Học liệu mẫu của nền tảng.",
            estimated_minutes=45,
            body=[
                ("paragraph", "<p>Nội dung chính của bài, có công thức \\(\\frac{a}{b}\\) và ví dụ.</p>"),
                ("formula", {"latex": "a^2 + b^2 = c^2", "caption": ""}),
            ],
            **extra,
        )
        school_area(school).add_child(instance=page)
        page.grades = [grade_obj]
        page.topics = list(Topic.objects.filter(subject__slug=subject, grade=grade_obj, name__icontains=topic_hint)[:1])
        page.save()
        page.save_revision(user=owner)
        if state == "draft":
            continue
        page.get_workflow().start(page, owner)
        if state == "published":
            _approve_all_levels(page)
        elif state == "changes_requested":
            page = MaterialPage.objects.get(pk=page.pk)
            reviewer = _reviewer_for(page, page.current_workflow_task.specific)
            _act(page, reviewer, "reject", comment="Cần bổ sung ví dụ gắn với thực tiễn địa phương.")

"""A teacher's test paper in a browser: import a GIFT file (one question rejected, fixed and imported
again), build a blueprint matrix, generate 4 variants (mã đề) and print one with its math rendered."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_roles import log_in

pytestmark = pytest.mark.e2e

TEACHER = "anhduong.gv.toan"
BROKEN = "::Q1:: Tính $x^2$ khi $x = 3$ {=9 ~6 ~3 ~12}\n\n::Q2:: Số nguyên tố nhỏ nhất là? {#abc}\n"
FIXED = "::Q2:: Số nguyên tố nhỏ nhất là? {=2 ~1 ~3 ~4}\n"


@pytest.fixture
def approved_bank(demo):
    """Eight approved Biết questions with math in the first topic of Toán 6, written by the demo teacher."""
    from lms.accounts.models import User
    from lms.curriculum.models import Grade, Subject, Topic
    from question_bank import services
    from question_bank.ir import Choice, QuestionData
    from question_bank.models import CognitiveLevel, LevelScheme, QuestionStatus

    teacher = User.objects.get(username=TEACHER)
    head = User.objects.get(username="anhduong.totruong.toan")
    subject, grade = Subject.objects.get(slug="toan"), Grade.objects.get(number=6)
    topic = Topic.objects.filter(subject=subject, grade=grade, parent__isnull=True).order_by("order", "pk").first()
    biet = CognitiveLevel.objects.get(scheme__slug="cv7991", code="biet")
    for n in range(8):
        data = QuestionData(
            qtype="single_choice",
            stem=f"Giá trị của $\\frac{{{n}}}{{2}} + \\frac{{1}}{{2}}$ là?",
            answers=(Choice(f"{(n + 1) / 2}", 1), Choice(f"{n}", 0), Choice(f"{n + 2}", 0), Choice(f"{n + 3}", 0)),
        )
        q = services.create_question(actor=teacher, data=data, subject=subject, grade=grade, topic=topic, level=biet)
        services.set_status(q, actor=head, status=QuestionStatus.APPROVED)
    return subject, grade, topic, LevelScheme.objects.get(slug="cv7991")


def import_file(page, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.goto("/admin/question-bank/import/")
    page.locator("#id_file").set_input_files(str(path))
    page.locator("#id_format").select_option("gift")
    page.get_by_role("button", name="Kiểm tra tệp").click()


def test_teacher_imports_builds_a_blueprint_generates_and_prints(approved_bank, page, tmp_path):
    subject, grade, topic, scheme = approved_bank
    log_in(page, TEACHER)

    # Import: the broken question is rejected with its line, the good one goes in.
    import_file(page, tmp_path, "de.gift", BROKEN)
    table = page.locator("table.listing")
    expect(table).to_contain_text("bị từ chối")
    assert_accessible(page, "import preview")
    page.get_by_role("button", name=re.compile("Nhập 1 câu hỏi")).click()
    expect(page.locator("body")).to_contain_text("1")
    # Fixed in the file and imported again.
    import_file(page, tmp_path, "de-sua.gift", FIXED)
    expect(page.locator("table.listing")).not_to_contain_text("bị từ chối")
    page.get_by_role("button", name=re.compile("Nhập 1 câu hỏi")).click()
    expect(page.locator("table.listing")).to_contain_text("đã nhập")
    expect(page.get_by_role("link", name="Q2")).to_be_visible()

    # A blueprint: 4 multiple-choice Biết questions for 10 points in the first topic.
    page.goto("/admin/question-bank/blueprints/")
    page.get_by_role("link", name="Ma trận đề mới").click()
    page.locator("#id_title").fill("Kiểm tra 15 phút – Toán 6")
    page.locator("#id_subject").select_option(str(subject.pk))
    page.locator("#id_grade").select_option(str(grade.pk))
    page.locator("#id_scheme").select_option(str(scheme.pk))
    for fmt in ("tf", "short"):
        page.locator(f"input[name=formats][value={fmt}]").uncheck()
    page.get_by_role("button", name="Tiếp tục tới ma trận").click()
    cell = f"c-t{topic.pk}-biet-mc"
    page.locator(f"#{cell}-n").fill("4")
    page.locator(f"#{cell}-p").fill("10")
    # The totals follow as the teacher types.
    expect(page.locator(".qb-grand-total")).to_have_text("4 / 10")
    assert_accessible(page, "matrix editor")
    page.get_by_role("button", name="Lưu ma trận đề").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu ma trận đề")

    page.locator("#variants").fill("4")
    page.get_by_role("button", name="Tạo đề", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo 4 mã đề")
    for code in ("101", "102", "103", "104"):
        expect(page.get_by_role("link", name=f"In mã đề {code}")).to_be_visible()

    page.get_by_role("link", name="In mã đề 101").click()
    expect(page.locator(".paper-code").first).to_contain_text("101")
    expect(page.locator(".katex").first).to_be_visible()
    assert_accessible(page, "printed paper")

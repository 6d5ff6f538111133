"""A material's whole journey in a browser: a teacher writes it in the Wagtail editor with math and a
file and submits it; the school's subject group asks for a change; the teacher fixes it; the school and
the province approve; a student of another school in the province finds it by browsing."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_roles import log_in

pytestmark = pytest.mark.e2e

TITLE = "Cộng hai phân số khác mẫu"
CRITERIA = ("scientific_accuracy", "outcome_alignment", "pedagogy", "language", "copyright", "accessibility")


def write_material(page, area_id, tmp_path):
    pdf = tmp_path / "phieu-bai-tap.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.goto(f"/admin/pages/add/repository/lessonpage/{area_id}/")
    page.locator("#id_title").fill(TITLE)
    # Body: a text with inline math...
    page.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Nội dung").click()
    page.locator(".DraftEditor-root [contenteditable=true]").first.click()
    page.keyboard.type(r"Quy đồng rồi cộng: \(\frac{1}{2} + \frac{1}{3} = \frac{5}{6}\)")
    # ...and a worksheet uploaded from the file chooser.
    page.locator("button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Tệp (PDF, DOCX, PPTX)").click()
    page.get_by_role("button", name="Chọn một văn bản").click()
    page.wait_for_selector(".modal-content")
    page.get_by_role("tab", name=re.compile("Tải lên|Đăng tải")).click()  # our catalogues may translate "Upload"
    page.locator("#id_document-chooser-upload-file").set_input_files(str(pdf))
    page.locator("#id_document-chooser-upload-title").fill("Phiếu bài tập cộng phân số")
    page.locator(".modal-content form [type=submit]").last.click()
    page.wait_for_selector(".modal-content", state="detached")
    # Curriculum tags and sharing.
    page.get_by_role("button", name=re.compile("Choose môn học|Chọn môn học")).click()
    page.locator(".modal-content").get_by_role("link", name="Toán", exact=True).click()
    page.wait_for_selector(".modal-content", state="detached")
    page.get_by_label("Lớp 6", exact=True).check()
    page.locator("#id_topics").select_option(label="Toán 6 – Phân số")
    page.locator("#id_sharing_scope").select_option(label="Tỉnh/thành phố của tôi")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Gửi thẩm định").click()
    expect(page.locator(".messages")).to_contain_text(TITLE)


def appraise(page, material_id, button, comment="", not_met=()):
    page.goto(f"/admin/pages/{material_id}/edit/")
    more = page.get_by_role("button", name="More actions")
    more.wait_for()  # the editor's footer has rendered
    # At the last level Wagtail names approval "Duyệt và Xuất bản" (approve and publish).
    action = page.get_by_role("button", name=re.compile(f"^{button}"))
    if not action.first.is_visible():
        more.click()
    try:
        action.first.click()
    except Exception:
        page.screenshot(path="/tmp/appraise-failure.png", full_page=True)
        raise
    modal = page.locator(".modal-content")
    modal.locator("textarea[name=comment]").fill(comment)
    for criterion in CRITERIA:
        modal.locator(f"input[name={criterion}][value={'not_met' if criterion in not_met else 'met'}]").check()
    modal.locator("[type=submit]").click()
    page.wait_for_selector(".modal-content", state="detached")


def test_a_material_from_draft_to_a_student_of_another_school(demo, page, tmp_path):
    from repository.models import MaterialPage, SchoolLibraryPage

    page.set_default_timeout(45_000)  # the Wagtail editor is heavy on a busy 2-core CI machine
    area = SchoolLibraryPage.objects.get(school__code="THCS-ANHDUONG")
    log_in(page, "anhduong.gv.toan")
    write_material(page, area.pk, tmp_path)
    material = MaterialPage.objects.get(title=TITLE)
    assert not material.live

    # The school's subject group asks for a change, with the appraisal form.
    page.context.clear_cookies()
    log_in(page, "anhduong.totruong.toan")
    page.goto("/library/review/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    appraise(page, material.pk, "Yêu cầu chỉnh sửa$", comment="Thêm một ví dụ có mẫu số 4.", not_met=("pedagogy",))

    # The teacher reads the comment, fixes the lesson and resubmits.
    page.context.clear_cookies()
    log_in(page, "anhduong.gv.toan")
    page.goto("/library/mine/")
    row = page.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("link", name=re.compile("Yêu cầu chỉnh sửa")).click()
    expect(page.get_by_text("Thêm một ví dụ có mẫu số 4.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Tính sư phạm")).to_contain_text("Chưa đạt")
    assert_accessible(page, "appraisal trail")
    page.get_by_role("link", name="Sửa học liệu").click()
    editor = page.locator(".DraftEditor-root [contenteditable=true]").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(r" Ví dụ: \(\frac{1}{4} + \frac{1}{2} = \frac{3}{4}\).")
    expect(editor).to_contain_text("Ví dụ")
    # Draftail copies the editor into the form's hidden field a moment after the last keystroke (a person
    # is never that fast); submitting before then would send the text as it was.
    page.wait_for_function(
        "() => [...document.querySelectorAll('form input[type=hidden]')].some(i => i.value.includes('Ví dụ'))"
    )
    page.get_by_role("button", name="More actions").click()
    page.locator("button[name=action-submit]").click()
    expect(page.locator(".messages")).to_contain_text(TITLE)

    # Two levels approve: the school's subject group, then the province's panel.
    for reviewer in ("anhduong.totruong.toan", "hanoi.thamdinh.toan"):
        page.context.clear_cookies()
        log_in(page, reviewer)
        page.goto("/library/review/")
        expect(page.get_by_role("link", name=TITLE)).to_be_visible()
        appraise(page, material.pk, "Duyệt")
    material.refresh_from_db()
    assert material.live

    # A student of another school in the province finds it by browsing, with its math and its file.
    page.context.clear_cookies()
    log_in(page, "tranphu.hs.10a101")
    page.goto("/library/")
    page.get_by_role("link", name="Lớp 6").click()
    page.get_by_role("link", name="Toán").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".katex").first).to_be_visible()
    expect(page.locator(".material-body")).to_contain_text("Ví dụ")  # the resubmitted fix is what went live
    expect(page.get_by_role("link", name=re.compile("Phiếu bài tập cộng phân số"))).to_be_visible()
    expect(page.get_by_role("heading", name="Thẩm định")).to_be_visible()
    assert_accessible(page, "approved material")

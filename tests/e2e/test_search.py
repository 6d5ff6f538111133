"""Search in a browser: a student of another province narrows by grade and subject, types
without diacritics (suggestions appear), and opens a national material. Every page passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_roles import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def indexed_demo(demo, settings):
    from search import indexer

    settings.SEARCH_ENGINE = "database"
    indexer.rebuild()


def test_student_narrows_types_without_diacritics_and_opens_a_result(indexed_demo, phone):
    log_in(phone, "batxat.hs.6a01")
    phone.goto("/search/?q=")
    assert_accessible(phone, "search, everything visible")
    # Hà Nội's province-only material is not among a Lào Cai student's results.
    expect(phone.get_by_text("Số nguyên – bài giảng có hình minh hoạ")).to_have_count(0)

    phone.get_by_role("checkbox", name="Lớp 6").check()  # applied at once by the page's script
    expect(phone.get_by_role("checkbox", name="Lớp 6")).to_be_checked()
    phone.get_by_role("checkbox", name="Toán").check()
    expect(phone.get_by_role("checkbox", name="Toán")).to_be_checked()
    assert "grade=6" in phone.url and "subject=toan" in phone.url

    box = phone.get_by_role("combobox", name="Từ khoá cần tìm")
    box.fill("")
    box.press_sequentially("phan so", delay=40)
    expect(phone.locator("#search-suggestions option").first).to_have_attribute(
        "value", "Phân số và các phép tính với phân số"
    )
    box.press("Enter")
    expect(phone.get_by_role("heading", level=2, name="1 kết quả")).to_be_visible()
    expect(phone.get_by_role("checkbox", name="Lớp 6")).to_be_checked()  # filters kept with the new words
    result = phone.get_by_role("link", name="Phân số và các phép tính với phân số")
    expect(result.locator("mark").first).to_have_text("Phân")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "search results")

    result.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Phân số và các phép tính với phân số")

    # On a desktop the same page sorts (applied at once) and stays accessible.
    phone.set_viewport_size({"width": 1280, "height": 900})
    phone.goto("/search/?q=toan")
    phone.get_by_label("Sắp xếp theo").select_option("newest")
    expect(phone.get_by_label("Sắp xếp theo")).to_have_value("newest")
    assert "sort=newest" in phone.url
    assert_accessible(phone, "search sorted on a wide screen")

import unicodedata

from lms.text import fold, nfc, slugify_vi


def test_fold_removes_tones_and_marks():
    assert fold("Toán lớp 6 – Phân số") == "toan lop 6 – phan so"
    assert fold("Đường tròn") == "duong tron"
    assert fold("NGỮ VĂN") == "ngu van"


def test_fold_is_the_same_for_composed_and_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Hoá học")
    assert fold(decomposed) == fold("Hoá học") == "hoa hoc"


def test_nfc_and_slug():
    assert nfc(unicodedata.normalize("NFD", "Mĩ thuật")) == "Mĩ thuật"
    assert slugify_vi("Giáo dục quốc phòng và an ninh") == "giao-duc-quoc-phong-va-an-ninh"
    assert slugify_vi("Hoạt động trải nghiệm, hướng nghiệp") == "hoat-dong-trai-nghiem-huong-nghiep"

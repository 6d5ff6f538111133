"""Cross-checks the shipped GDPT 2018 curriculum data (lms/curriculum_data/) against
the reference sheet (/work/shared/reference/gdpt2018.md, §2-§4).

Pure Python: reads the JSON with json/pathlib only (no Django). The expected
subjects x grades table below is transcribed by hand from the sheet's §3 table,
independently of the JSON, so that a wrong cell in either one shows up here.
"""

import json
import re
import unicodedata
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "lms" / "curriculum_data"
TOPICS_DIR = DATA_DIR / "topics"

# --------------------------------------------------------------------------
# Reference sheet §2: levels
# --------------------------------------------------------------------------
EXPECTED_LEVELS = {
    # slug: (name, short_name, grades, stage, period_minutes)
    "tieu-hoc": ("Tiểu học", "TH", [1, 2, 3, 4, 5], "co-ban", 35),
    "thcs": ("Trung học cơ sở", "THCS", [6, 7, 8, 9], "co-ban", 45),
    "thpt": ("Trung học phổ thông", "THPT", [10, 11, 12], "dinh-huong-nghe-nghiep", 45),
}
EXPECTED_STAGES = {
    "co-ban": "Giai đoạn giáo dục cơ bản",
    "dinh-huong-nghe-nghiep": "Giai đoạn giáo dục định hướng nghề nghiệp",
}
LEVEL_OF_GRADE = {g: slug for slug, v in EXPECTED_LEVELS.items() for g in v[2]}

# --------------------------------------------------------------------------
# Reference sheet §3: subjects x grades (số tiết/năm học), in table order.
# One token per grade 1..12:
#   420   compulsory, periods/year      LC70  elective (môn lựa chọn THPT)
#   TC70  optional (môn tự chọn)        -     not taught
#   H     integrated into HĐTN          P     part of Nghệ thuật (lớp 1-9)
# --------------------------------------------------------------------------
TABLE = {
    "tieng-viet": ("Tiếng Việt", "420 350 245 245 245 - - - - - - -"),
    "ngu-van": ("Ngữ văn", "- - - - - 140 140 140 140 105 105 105"),
    "toan": ("Toán", "105 175 175 175 175 140 140 140 140 105 105 105"),
    "ngoai-ngu-1": ("Ngoại ngữ 1", "TC70 TC70 140 140 140 105 105 105 105 105 105 105"),
    "dao-duc": ("Đạo đức", "35 35 35 35 35 - - - - - - -"),
    "giao-duc-cong-dan": ("Giáo dục công dân", "- - - - - 35 35 35 35 - - -"),
    "tu-nhien-va-xa-hoi": ("Tự nhiên và Xã hội", "70 70 70 - - - - - - - - -"),
    "khoa-hoc": ("Khoa học", "- - - 70 70 - - - - - - -"),
    "lich-su-va-dia-li": ("Lịch sử và Địa lí", "- - - 70 70 105 105 105 105 - - -"),
    "khoa-hoc-tu-nhien": ("Khoa học tự nhiên", "- - - - - 140 140 140 140 - - -"),
    "tin-hoc-va-cong-nghe": ("Tin học và Công nghệ", "- - 70 70 70 - - - - - - -"),
    "tin-hoc": ("Tin học", "- - - - - 35 35 35 35 LC70 LC70 LC70"),
    "cong-nghe": ("Công nghệ", "- - - - - 35 35 52 52 LC70 LC70 LC70"),
    "giao-duc-the-chat": ("Giáo dục thể chất", "70 70 70 70 70 70 70 70 70 70 70 70"),
    "nghe-thuat": ("Nghệ thuật", "70 70 70 70 70 70 70 70 70 - - -"),
    "am-nhac": ("Âm nhạc", "P P P P P P P P P LC70 LC70 LC70"),
    "mi-thuat": ("Mĩ thuật", "P P P P P P P P P LC70 LC70 LC70"),
    "lich-su": ("Lịch sử", "- - - - - - - - - 52 52 52"),
    "dia-li": ("Địa lí", "- - - - - - - - - LC70 LC70 LC70"),
    "giao-duc-kinh-te-va-phap-luat": ("Giáo dục kinh tế và pháp luật", "- - - - - - - - - LC70 LC70 LC70"),
    "vat-li": ("Vật lí", "- - - - - - - - - LC70 LC70 LC70"),
    "hoa-hoc": ("Hoá học", "- - - - - - - - - LC70 LC70 LC70"),
    "sinh-hoc": ("Sinh học", "- - - - - - - - - LC70 LC70 LC70"),
    "giao-duc-quoc-phong-va-an-ninh": ("Giáo dục quốc phòng và an ninh", "- - - - - - - - - 35 35 35"),
    "hoat-dong-trai-nghiem": ("Hoạt động trải nghiệm", "105 105 105 105 105 - - - - - - -"),
    "hoat-dong-trai-nghiem-huong-nghiep": (
        "Hoạt động trải nghiệm, hướng nghiệp",
        "- - - - - 105 105 105 105 105 105 105",
    ),
    "giao-duc-dia-phuong": ("Nội dung giáo dục của địa phương", "H H H H H 35 35 35 35 35 35 35"),
    "chuyen-de-hoc-tap": ("Chuyên đề học tập", "- - - - - - - - - 105 105 105"),
    "tieng-dan-toc-thieu-so": (
        "Tiếng dân tộc thiểu số",
        "TC70 TC70 TC70 TC70 TC70 TC105 TC105 TC105 TC105 TC105 TC105 TC105",
    ),
    "ngoai-ngu-2": ("Ngoại ngữ 2", "- - - - - TC105 TC105 TC105 TC105 TC105 TC105 TC105"),
}
# "Total/year (excl. TC)" row of the sheet (THPT: compulsory rows + 4 electives x 70, ⚠ on the sheet).
YEARLY_TOTALS = [875, 875, 980, 1050, 1050, 1015, 1015, 1032, 1032, 997, 997, 997]
THPT_ELECTIVES_CHOSEN = 4
# Slugs the sheet gives that are not the plain slug of the subject's name.
SLUG_NOT_FROM_NAME = {"giao-duc-dia-phuong"}  # name: "Nội dung giáo dục của địa phương"

# §5.1 (TT 22): comment-only subjects; §5.2 (TT 27): primary subjects with periodic tests.
COMMENT_ONLY = {
    "giao-duc-the-chat",
    "nghe-thuat",
    "am-nhac",
    "mi-thuat",
    "giao-duc-dia-phuong",
    "hoat-dong-trai-nghiem-huong-nghiep",
    "hoat-dong-trai-nghiem",
}
PRIMARY_PERIODIC_TEST = {
    "tieng-viet",
    "toan",
    "ngoai-ngu-1",
    "lich-su-va-dia-li",
    "khoa-hoc",
    "tin-hoc-va-cong-nghe",
}
ACTIVITIES = {"hoat-dong-trai-nghiem", "hoat-dong-trai-nghiem-huong-nghiep"}
PARENTS = {"am-nhac": "nghe-thuat", "mi-thuat": "nghe-thuat"}
# §3 notes: subjects that have a cụm chuyên đề học tập in THPT.
SUBJECTS_WITH_CHUYEN_DE = {
    "ngu-van",
    "toan",
    "lich-su",
    "dia-li",
    "giao-duc-kinh-te-va-phap-luat",
    "vat-li",
    "hoa-hoc",
    "sinh-hoc",
    "cong-nghe",
    "tin-hoc",
    "am-nhac",
    "mi-thuat",
}

KIND_OF_TOKEN = {"": "compulsory", "LC": "elective", "TC": "optional"}


def parse_row(cells):
    """'TC70 140 - H ...' -> {grade: (kind, periods)} for the grades that get a row."""
    tokens = cells.split()
    assert len(tokens) == 12, cells
    out = {}
    for grade, tok in enumerate(tokens, start=1):
        if tok in ("-", "H", "P"):
            continue
        m = re.fullmatch(r"(LC|TC)?(\d+)", tok)
        assert m, tok
        out[grade] = (KIND_OF_TOKEN[m.group(1) or ""], int(m.group(2)))
    return out


EXPECTED_GRADES = {slug: parse_row(cells) for slug, (_, cells) in TABLE.items()}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text):
    """Sheet rule: lower-case ASCII, diacritics removed, đ->d, spaces->'-'
    (other punctuation dropped)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def walk_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from walk_strings(x)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from walk_strings(v)


def topic_files():
    return sorted(TOPICS_DIR.glob("*.json"))


@pytest.fixture(scope="module")
def levels():
    return load(DATA_DIR / "levels.json")


@pytest.fixture(scope="module")
def subjects_doc():
    return load(DATA_DIR / "subjects.json")


@pytest.fixture(scope="module")
def subjects(subjects_doc):
    return {s["slug"]: s for s in subjects_doc["subjects"]}


# --------------------------------------------------------------------------
# file format
# --------------------------------------------------------------------------
ALL_FILES = [DATA_DIR / "levels.json", DATA_DIR / "subjects.json", *topic_files()]


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_file_is_pretty_nfc_utf8_json(path):
    raw = path.read_bytes()
    text = raw.decode("utf-8")  # must be UTF-8
    data = json.loads(text)
    # human-readable: indent 2, real Vietnamese characters (ensure_ascii=False)
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    for s in walk_strings(data):
        assert s == unicodedata.normalize("NFC", s), f"not NFC: {s!r}"
        assert s == s.strip(), f"stray whitespace: {s!r}"


def test_required_topic_files_exist():
    names = {p.name for p in topic_files()}
    assert {"toan.json", "khoa-hoc-tu-nhien.json"} <= names


# --------------------------------------------------------------------------
# levels.json
# --------------------------------------------------------------------------
def test_levels(levels):
    got = {lv["slug"]: lv for lv in levels["levels"]}
    assert list(got) == list(EXPECTED_LEVELS)
    for slug, (name, short, grades, stage, minutes) in EXPECTED_LEVELS.items():
        lv = got[slug]
        assert lv["name"] == name
        assert lv["short_name"] == short
        assert lv["grades"] == grades
        assert lv["stage"] == stage
        assert lv["period_minutes"] == minutes
    stages = {st["slug"]: st["name"] for st in levels["stages"]}
    assert stages == EXPECTED_STAGES
    all_grades = [g for lv in levels["levels"] for g in lv["grades"]]
    assert all_grades == list(range(1, 13))


# --------------------------------------------------------------------------
# subjects.json vs the §3 table
# --------------------------------------------------------------------------
def test_subjects_are_exactly_the_table_rows_in_order(subjects_doc):
    slugs = [s["slug"] for s in subjects_doc["subjects"]]
    assert len(slugs) == len(set(slugs)), "duplicate subject slug"
    assert slugs == list(TABLE)
    assert subjects_doc["source"].startswith("TT 32/2018/TT-BGDĐT")


@pytest.mark.parametrize("slug", list(TABLE))
def test_subject_name(subjects, slug):
    assert subjects[slug]["name"] == TABLE[slug][0]


@pytest.mark.parametrize("slug", list(TABLE))
def test_subject_grades_kinds_and_periods(subjects, slug):
    rows = subjects[slug]["grades"]
    grades = [r["grade"] for r in rows]
    assert grades == sorted(set(grades)), "grades must be unique and ascending"
    got = {r["grade"]: (r["kind"], r["periods"]) for r in rows}
    assert got == EXPECTED_GRADES[slug]
    for r in rows:
        assert set(r) == {"grade", "kind", "periods"}
        assert isinstance(r["periods"], int) and r["periods"] > 0


def test_elective_only_in_thpt_and_values_are_known(subjects):
    for s in subjects.values():
        for r in s["grades"]:
            assert r["kind"] in {"compulsory", "elective", "optional"}
            if r["kind"] == "elective":
                assert r["grade"] >= 10


@pytest.mark.parametrize("slug", list(TABLE))
def test_subject_slug_rule(subjects, slug):
    s = subjects[slug]
    assert SLUG_RE.match(slug)
    if slug not in SLUG_NOT_FROM_NAME:
        assert slugify(s["name"]) == slug


def test_slugify_helper_follows_sheet_rule():
    assert slugify("Địa lí") == "dia-li"
    assert slugify("Hoá học") == "hoa-hoc"
    assert slugify("Mĩ thuật") == "mi-thuat"
    assert slugify("Hoạt động trải nghiệm, hướng nghiệp") == "hoat-dong-trai-nghiem-huong-nghiep"


def test_official_spellings(subjects):
    names = {s["name"] for s in subjects.values()}
    for spelled in ("Vật lí", "Mĩ thuật", "Địa lí", "Hoá học", "Lịch sử và Địa lí"):
        assert spelled in names
    for wrong in ("Vật lý", "Mỹ thuật", "Địa lý", "Hóa học"):
        assert wrong not in names


def test_yearly_totals_match_sheet(subjects):
    thpt_elective_counts = set()
    for grade, expected in enumerate(YEARLY_TOTALS, start=1):
        compulsory = sum(
            r["periods"]
            for s in subjects.values()
            for r in s["grades"]
            if r["grade"] == grade and r["kind"] == "compulsory"
        )
        electives = [
            r["periods"]
            for s in subjects.values()
            for r in s["grades"]
            if r["grade"] == grade and r["kind"] == "elective"
        ]
        if grade >= 10:
            assert len(set(electives)) == 1
            thpt_elective_counts.add(len(electives))
            compulsory += THPT_ELECTIVES_CHOSEN * electives[0]
        else:
            assert electives == []
        assert compulsory == expected, f"lớp {grade}"
    assert thpt_elective_counts == {9}  # "choose 4 of 9" (TT 13/2022)


def test_thpt_electives_are_the_nine(subjects):
    # The nine electives are the subjects with a cụm chuyên đề, less the three compulsory ones.
    expected = SUBJECTS_WITH_CHUYEN_DE - {"ngu-van", "toan", "lich-su"}
    for grade in (10, 11, 12):
        got = {
            slug for slug, s in subjects.items() for r in s["grades"] if r["grade"] == grade and r["kind"] == "elective"
        }
        assert got == expected


def test_assessment(subjects):
    for slug, s in subjects.items():
        assert s["assessment"] == ("comment" if slug in COMMENT_ONLY else "score"), slug
        assert s["assessment_primary"] == ("periodic_test" if slug in PRIMARY_PERIODIC_TEST else "comment"), slug


def test_parent_activity_and_keys(subjects_doc, subjects):
    order = [s["slug"] for s in subjects_doc["subjects"]]
    required = {"slug", "name", "name_en", "is_activity", "parent", "assessment", "assessment_primary", "grades"}
    for slug, s in subjects.items():
        assert required <= set(s) <= required | {"notes"}, slug
        assert s["parent"] == PARENTS.get(slug), slug
        if s["parent"]:
            assert order.index(s["parent"]) < order.index(slug), "parent must come first"
        assert s["is_activity"] is (slug in ACTIVITIES), slug
        assert isinstance(s["name_en"], str) and s["name_en"]
        if "notes" in s:
            assert isinstance(s["notes"], str) and s["notes"]


# --------------------------------------------------------------------------
# topic files
# --------------------------------------------------------------------------
def _slug_tokens_from_name(slug, name):
    """A code's slug must be made of words of its (slugified) name."""
    return set(slug.split("-")) <= set(slugify(name).split("-"))


@pytest.mark.parametrize("path", topic_files(), ids=lambda p: p.name)
def test_topic_file_structure(path, subjects):
    doc = load(path)
    subject = doc["subject"]
    assert path.stem == subject
    assert subject in subjects
    taught = EXPECTED_GRADES[subject]  # from the hand-made table, not from the JSON
    assert isinstance(doc["source"], str) and doc["source"]

    strands = {}
    for st in doc["strands"]:
        parts = st["code"].split(".")
        assert len(parts) == 3 and parts[0] == subject, st["code"]
        assert parts[1] in EXPECTED_LEVELS and st["levels"] == [parts[1]], st["code"]
        assert SLUG_RE.match(parts[2]) and _slug_tokens_from_name(parts[2], st["name"]), st["code"]
        assert st["code"] not in strands
        strands[st["code"]] = st

    orders = {}
    for t in doc["topics"]:
        grade = t["grade"]
        assert grade in taught, f"{t['code']}: {subject} is not taught in lớp {grade}"
        prefix = f"{subject}.{grade}."
        assert t["code"].startswith(prefix), t["code"]
        slug = t["code"][len(prefix) :]
        assert SLUG_RE.match(slug), t["code"]
        assert _slug_tokens_from_name(slug, t["name"]), t["code"]
        assert t["strand"] in strands, t["code"]
        assert LEVEL_OF_GRADE[grade] in strands[t["strand"]]["levels"], t["code"]
        assert isinstance(t["order"], int) and t["order"] >= 1
        orders.setdefault(grade, []).append(t["order"])

        child_orders = []
        for c in t.get("children", []):
            assert c["code"].startswith(t["code"] + "."), c["code"]
            cslug = c["code"][len(t["code"]) + 1 :]
            assert SLUG_RE.match(cslug), c["code"]
            assert _slug_tokens_from_name(cslug, c["name"]), c["code"]
            assert set(c) == {"code", "name", "order"}
            child_orders.append(c["order"])
        assert sorted(child_orders) == list(range(1, len(child_orders) + 1))

        for i, o in enumerate(t.get("outcomes", []), start=1):
            assert o["code"] == f"{t['code']}.yc{i}"
            assert o["text"] and o["text"][0].isupper()
            assert set(o) <= {"code", "text", "unverified"}
            if "unverified" in o:
                assert o["unverified"] is True

    for grade, seq in orders.items():
        assert sorted(seq) == list(range(1, len(seq) + 1)), f"orders of lớp {grade}"

    for cd in doc.get("chuyen_de", []):
        assert subject in SUBJECTS_WITH_CHUYEN_DE
        assert cd["grade"] in (10, 11, 12) and cd["grade"] in taught
        assert re.fullmatch(rf"{re.escape(subject)}\.cd\.{cd['grade']}\.\d+", cd["code"]), cd["code"]


def test_all_codes_unique_across_topic_files():
    seen = set()
    for path in topic_files():
        doc = load(path)
        codes = [st["code"] for st in doc["strands"]]
        for t in doc["topics"]:
            codes.append(t["code"])
            codes += [c["code"] for c in t.get("children", [])]
            codes += [o["code"] for o in t.get("outcomes", [])]
        codes += [cd["code"] for cd in doc.get("chuyen_de", [])]
        for code in codes:
            assert code not in seen, f"duplicate code {code}"
            seen.add(code)


# --------------------------------------------------------------------------
# Toán (§4.2)
# --------------------------------------------------------------------------
TOAN_STRANDS = {
    "tieu-hoc": [
        "Số và Phép tính",
        "Hình học và Đo lường",
        "Một số yếu tố Thống kê và Xác suất",
        "Hoạt động thực hành và trải nghiệm",
    ],
    "thcs": [
        "Số và Đại số",
        "Hình học và Đo lường",
        "Một số yếu tố Thống kê và Xác suất",
        "Hoạt động thực hành và trải nghiệm",
    ],
    "thpt": [
        "Đại số và Một số yếu tố giải tích",
        "Hình học và Đo lường",
        "Thống kê và Xác suất",
        "Hoạt động thực hành và trải nghiệm",
    ],
}
# A few words from every cell of the §4.2 table (lower case) that must appear in the
# names of that grade's topics/children.
TOAN_KEYWORDS = {
    6: [
        "số tự nhiên",
        "số nguyên",
        "phân số",
        "số thập phân",
        "phần trăm",
        "lục giác đều",
        "hình thang cân",
        "đối xứng",
        "tia",
        "góc",
        "biểu đồ cột kép",
        "xác suất thực nghiệm",
    ],
    7: [
        "số hữu tỉ",
        "căn bậc hai số học",
        "số vô tỉ",
        "tỉ lệ thức",
        "dãy tỉ số bằng nhau",
        "đa thức một biến",
        "lăng trụ đứng",
        "tia phân giác",
        "song song",
        "tam giác cân",
        "đường trung trực",
        "đồng quy",
        "hình quạt tròn",
        "biểu đồ đoạn thẳng",
        "biến cố",
    ],
    8: [
        "đa thức nhiều biến",
        "hằng đẳng thức",
        "phân thức đại số",
        "y = ax + b",
        "hệ số góc",
        "phương trình bậc nhất một ẩn",
        "hình chóp tam giác đều",
        "pythagore",
        "tứ giác",
        "thalès",
        "đồng dạng",
        "dữ liệu",
        "xác suất thực nghiệm",
    ],
    9: [
        "căn bậc hai",
        "căn bậc ba",
        "y = ax²",
        "hệ hai phương trình bậc nhất hai ẩn",
        "bất phương trình bậc nhất một ẩn",
        "viète",
        "hình trụ",
        "hình nón",
        "hình cầu",
        "tỉ số lượng giác",
        "tiếp tuyến",
        "góc nội tiếp",
        "tứ giác nội tiếp",
        "đa giác đều",
        "tần số tương đối",
        "ghép nhóm",
        "không gian mẫu",
    ],
    10: [
        "mệnh đề",
        "tập hợp",
        "bất phương trình",
        "hàm số bậc hai",
        "tam thức bậc hai",
        "quy tắc cộng",
        "tổ hợp",
        "nhị thức newton",
        "định lí côsin",
        "vectơ",
        "conic",
        "sai số",
        "không ghép nhóm",
        "xác suất cổ điển",
    ],
    11: [
        "lượng giác",
        "cấp số cộng",
        "cấp số nhân",
        "giới hạn",
        "liên tục",
        "lôgarit",
        "đạo hàm cấp hai",
        "phép chiếu song song",
        "phép chiếu vuông góc",
        "góc nhị diện",
        "chóp cụt đều",
        "xu thế trung tâm",
        "độc lập",
        "công thức cộng",
    ],
    12: [
        "đạo hàm",
        "nguyên hàm",
        "tích phân",
        "vectơ trong không gian",
        "mặt phẳng",
        "mặt cầu",
        "phân tán",
        "xác suất có điều kiện",
        "toàn phần",
        "bayes",
    ],
}
TOAN_CHUYEN_DE = {
    "toan.cd.10.1": "Phương pháp quy nạp toán học, nhị thức Newton",
    "toan.cd.10.2": "Hệ phương trình bậc nhất ba ẩn",
    "toan.cd.10.3": "Ba đường conic và ứng dụng",
    "toan.cd.11.1": "Phép biến hình phẳng",
    "toan.cd.11.2": "Một số yếu tố vẽ kĩ thuật",
    "toan.cd.11.3": "Làm quen với một vài yếu tố của lí thuyết đồ thị",
    "toan.cd.12.1": "Biến ngẫu nhiên rời rạc và các số đặc trưng",
    "toan.cd.12.2": "Ứng dụng toán học giải một số bài toán tối ưu",
    "toan.cd.12.3": "Toán học trong một số vấn đề tài chính",
}


@pytest.fixture(scope="module")
def toan():
    return load(TOPICS_DIR / "toan.json")


def test_toan_strands(toan):
    got = {}
    for st in toan["strands"]:
        got.setdefault(st["levels"][0], []).append(st["name"])
    assert got == TOAN_STRANDS


def test_toan_every_grade_6_12_has_topics_in_every_strand(toan):
    grades = {t["grade"] for t in toan["topics"]}
    assert set(range(6, 13)) <= grades
    for grade in range(6, 13):
        used = {t["strand"] for t in toan["topics"] if t["grade"] == grade}
        level = LEVEL_OF_GRADE[grade]
        expected = {st["code"] for st in toan["strands"] if st["levels"] == [level]}
        assert used == expected, f"lớp {grade}"


@pytest.mark.parametrize("grade", sorted(TOAN_KEYWORDS))
def test_toan_topics_cover_sheet_cells(toan, grade):
    names = []
    for t in toan["topics"]:
        if t["grade"] == grade:
            names.append(t["name"])
            names += [c["name"] for c in t.get("children", [])]
    text = " | ".join(names).lower()
    missing = [kw for kw in TOAN_KEYWORDS[grade] if kw not in text]
    assert not missing, f"lớp {grade}: {missing}"


def test_toan_example_topic_and_outcome(toan):
    t = next(t for t in toan["topics"] if t["code"] == "toan.6.so-tu-nhien")
    assert t["grade"] == 6 and t["strand"] == "toan.thcs.so-dai-so" and t["name"] == "Số tự nhiên"
    assert t["order"] == 1
    assert t["outcomes"][0] == {"code": "toan.6.so-tu-nhien.yc1", "text": "Nhận biết được tập hợp các số tự nhiên."}


def test_toan_chuyen_de(toan):
    got = {cd["code"]: cd for cd in toan["chuyen_de"]}
    assert set(got) == set(TOAN_CHUYEN_DE)
    for code, name in TOAN_CHUYEN_DE.items():
        assert got[code]["name"].startswith(name)
        assert got[code]["grade"] == int(code.split(".")[2])


# --------------------------------------------------------------------------
# Khoa học tự nhiên (§4.3, flagged ⚠ on the sheet)
# --------------------------------------------------------------------------
KHTN_STRANDS = {"Chất và sự biến đổi của chất", "Vật sống", "Năng lượng và sự biến đổi", "Trái Đất và bầu trời"}


def test_khtn_file():
    doc = load(TOPICS_DIR / "khoa-hoc-tu-nhien.json")
    assert doc["unverified"] is True
    assert KHTN_STRANDS <= {st["name"] for st in doc["strands"]}
    assert {t["grade"] for t in doc["topics"]} == {6, 7, 8, 9}
    for grade in (6, 7, 8, 9):
        first = min((t for t in doc["topics"] if t["grade"] == grade), key=lambda t: t["order"])
        assert first["name"] == "Mở đầu", f"lớp {grade} must open with Mở đầu"
    names = " | ".join(
        t["name"] + " " + " ".join(c["name"] for c in t.get("children", [])) for t in doc["topics"]
    ).lower()
    for kw in (
        "oxygen",
        "tế bào",
        "hệ mặt trời",
        "bảng tuần hoàn",
        "âm thanh",
        "cảm ứng",
        "phản ứng hoá học",
        "đòn bẩy",
        "hệ sinh thái",
        "định luật ohm",
        "ethylic alcohol",
        "nguyên phân",
        "tiến hoá",
    ):
        assert kw in names, kw

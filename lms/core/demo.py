"""Demo data for the embedded default: organisations, a school of each level, people in every role.

Idempotent: running it again changes nothing. Domain apps add their own demo
data through the ``lms_demo_data`` Wagtail hook (a function taking ``say``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from wagtail import hooks

from lms.accounts.models import Role, User
from lms.accounts.services import create_user, grant_membership
from lms.curriculum.models import Grade, Level, Subject
from lms.orgs.defaults import ensure_default_unit_types
from lms.orgs.models import Organisation, SchoolClass, create_organisation

DEMO_PASSWORD = "HocTap@2026"
SCHOOL_YEAR = "2026-2027"

# code, name, unit type, parent code, school levels
ORGANISATIONS = [
    ("BGDDT", "Bộ Giáo dục và Đào tạo", "bo", None, []),
    ("01", "Thành phố Hà Nội", "tinh", "BGDDT", []),
    ("01-CAUGIAY", "Phường Cầu Giấy", "xa", "01", []),
    ("TH-HOASEN", "Trường Tiểu học Hoa Sen", "truong", "01-CAUGIAY", ["tieu-hoc"]),
    ("THCS-ANHDUONG", "Trường THCS Ánh Dương", "truong", "01-CAUGIAY", ["thcs"]),
    ("THPT-TRANPHU", "Trường THPT Trần Phú", "truong", "01-CAUGIAY", ["thpt"]),
    ("LC-SAOMAI", "Trường Phổ thông liên cấp Sao Mai", "truong", "01-CAUGIAY", ["tieu-hoc", "thcs", "thpt"]),
    ("15", "Tỉnh Lào Cai", "tinh", "BGDDT", []),
    ("15-BATXAT", "Xã Bát Xát", "xa", "15", []),
    ("THCS-BATXAT", "Trường PTDTBT THCS Bát Xát", "truong", "15-BATXAT", ["thcs"]),
]

# school code, class name, grade
CLASSES = [
    ("TH-HOASEN", "3A", 3),
    ("THCS-ANHDUONG", "6A", 6),
    ("THCS-ANHDUONG", "7A", 7),
    ("THPT-TRANPHU", "10A1", 10),
    ("LC-SAOMAI", "9A", 9),
    ("THCS-BATXAT", "6A", 6),
]

# username, full name, role, organisation code, subjects, class name
PEOPLE = [
    ("bo.quantri", "Phạm Văn Hùng", Role.MINISTRY_ADMIN, "BGDDT", [], None),
    ("bo.thamdinh.toan", "Đỗ Minh Châu", Role.REVIEWER, "BGDDT", ["toan"], None),
    ("hanoi.quantri", "Lê Thị Hồng", Role.PROVINCE_ADMIN, "01", [], None),
    ("hanoi.thamdinh.toan", "Trần Quốc Bảo", Role.REVIEWER, "01", ["toan"], None),
    ("hanoi.thamdinh.van", "Vũ Thu Trang", Role.REVIEWER, "01", ["ngu-van"], None),
    ("anhduong.quantri", "Hoàng Văn Nam", Role.SCHOOL_ADMIN, "THCS-ANHDUONG", [], None),
    ("anhduong.totruong.toan", "Ngô Thị Mai", Role.GROUP_HEAD, "THCS-ANHDUONG", ["toan"], None),
    ("anhduong.gv.toan", "Nguyễn Thị Lan", Role.TEACHER, "THCS-ANHDUONG", ["toan"], None),
    ("anhduong.gv.van", "Bùi Đức Anh", Role.TEACHER, "THCS-ANHDUONG", ["ngu-van"], None),
    ("anhduong.hs.6a01", "Đặng Minh Khôi", Role.STUDENT, "THCS-ANHDUONG", [], "6A"),
    ("anhduong.hs.6a02", "Lý Thảo Nguyên", Role.STUDENT, "THCS-ANHDUONG", [], "6A"),
    ("anhduong.hs.7a01", "Phan Gia Huy", Role.STUDENT, "THCS-ANHDUONG", [], "7A"),
    ("hoasen.gv", "Trịnh Thị Hoa", Role.TEACHER, "TH-HOASEN", ["tieng-viet", "toan"], None),
    ("hoasen.hs.3a01", "Nguyễn Bảo An", Role.STUDENT, "TH-HOASEN", [], "3A"),
    ("tranphu.totruong.toan", "Cao Thị Ngọc", Role.GROUP_HEAD, "THPT-TRANPHU", ["toan"], None),
    ("tranphu.gv.toan", "Đinh Quang Trung", Role.TEACHER, "THPT-TRANPHU", ["toan"], None),
    ("tranphu.hs.10a101", "Mai Anh Thư", Role.STUDENT, "THPT-TRANPHU", [], "10A1"),
    ("saomai.gv.toan", "Tạ Hữu Phước", Role.TEACHER, "LC-SAOMAI", ["toan"], None),
    ("laocai.thamdinh.khtn", "Hoàng Thị Dung", Role.REVIEWER, "15", ["khoa-hoc-tu-nhien"], None),
    ("batxat.quantri", "Lò Văn Sinh", Role.SCHOOL_ADMIN, "THCS-BATXAT", [], None),
    ("batxat.gv.toan", "Giàng A Páo", Role.TEACHER, "THCS-BATXAT", ["toan", "khoa-hoc-tu-nhien"], None),
    ("batxat.hs.6a01", "Sùng Thị Mỷ", Role.STUDENT, "THCS-BATXAT", [], "6A"),
]


@transaction.atomic
def load_demo(say: Callable[[str], None] = lambda message: None) -> None:
    if not Level.objects.exists():
        raise RuntimeError("Load the curriculum first: manage.py load_curriculum")
    levels = {lv.slug: lv for lv in Level.objects.all()}
    types = ensure_default_unit_types()
    orgs: dict[str, Organisation] = {o.code: o for o in Organisation.objects.all()}

    say("organisations")
    for code, name, type_slug, parent_code, school_levels in ORGANISATIONS:
        if code not in orgs:
            orgs[code] = create_organisation(
                name=name,
                code=code,
                unit_type=types[type_slug],
                parent=orgs[parent_code] if parent_code else None,
                school_levels=[levels[s] for s in school_levels],
            )

    say("classes")
    classes: dict[tuple[str, str], SchoolClass] = {}
    for school_code, name, grade in CLASSES:
        classes[(school_code, name)], _ = SchoolClass.objects.get_or_create(
            school=orgs[school_code],
            name=name,
            school_year=SCHOOL_YEAR,
            defaults={"grade": Grade.objects.get(number=grade)},
        )

    say("people")
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(username="admin", password=DEMO_PASSWORD, full_name="Quản trị hệ thống")
    subjects = {s.slug: s for s in Subject.objects.all()}
    for username, full_name, role, org_code, subject_slugs, class_name in PEOPLE:
        user = User.objects.filter(username=username).first() or create_user(
            actor=None, username=username, full_name=full_name, password=DEMO_PASSWORD
        )
        grant_membership(
            actor=None,
            user=user,
            organisation=orgs[org_code],
            role=role,
            subjects=[subjects[s] for s in subject_slugs],
            school_class=classes.get((org_code, class_name)) if class_name else None,
        )

    for fn in hooks.get_hooks("lms_demo_data"):
        fn(say)

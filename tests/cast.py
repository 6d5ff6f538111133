"""The standing cast: one user per role at school A, and outsiders at school B who may see none of A."""

from __future__ import annotations

from dataclasses import dataclass

from lms.accounts.models import Role, User
from lms.accounts.services import create_user, grant_membership
from lms.curriculum.models import Grade, Level, Subject
from lms.orgs.defaults import ensure_default_unit_types
from lms.orgs.models import Organisation, SchoolClass, create_organisation

PASSWORD = "Cast-Passw0rd!"


@dataclass
class Cast:
    ministry: Organisation
    province: Organisation
    ward: Organisation
    school: Organisation
    other_province: Organisation
    other_school: Organisation
    class_6a: SchoolClass
    student: User
    teacher: User
    group_head: User
    reviewer: User
    school_admin: User
    province_admin: User
    ministry_admin: User
    outsider: User
    outsider_student: User
    outsider_admin: User
    nobody: User

    def everyone(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in (
                "student",
                "teacher",
                "group_head",
                "reviewer",
                "school_admin",
                "province_admin",
                "ministry_admin",
                "outsider",
                "outsider_student",
                "outsider_admin",
                "nobody",
            )
        }


def build_cast() -> Cast:
    types = ensure_default_unit_types()
    thcs = Level.objects.get(slug="thcs")
    ministry = create_organisation(name="Bộ Giáo dục và Đào tạo", code="T-BO", unit_type=types["bo"])
    province = create_organisation(name="Thành phố Hà Nội", code="T-01", unit_type=types["tinh"], parent=ministry)
    ward = create_organisation(name="Phường Cầu Giấy", code="T-01-CG", unit_type=types["xa"], parent=province)
    school = create_organisation(
        name="Trường THCS Ánh Dương", code="T-AD", unit_type=types["truong"], parent=ward, school_levels=[thcs]
    )
    other_province = create_organisation(name="Tỉnh Lào Cai", code="T-15", unit_type=types["tinh"], parent=ministry)
    other_ward = create_organisation(name="Xã Bát Xát", code="T-15-BX", unit_type=types["xa"], parent=other_province)
    other_school = create_organisation(
        name="Trường THCS Bát Xát", code="T-BX", unit_type=types["truong"], parent=other_ward, school_levels=[thcs]
    )
    grade6 = Grade.objects.get(number=6)
    class_6a = SchoolClass.objects.create(school=school, grade=grade6, name="6A", school_year="2026-2027")
    other_6a = SchoolClass.objects.create(school=other_school, grade=grade6, name="6A", school_year="2026-2027")
    toan = Subject.objects.get(slug="toan")

    def person(username, full_name, role, org, subjects=(), school_class=None):
        user = create_user(actor=None, username=username, full_name=full_name, password=PASSWORD)
        grant_membership(
            actor=None, user=user, organisation=org, role=role, subjects=list(subjects), school_class=school_class
        )
        return user

    nobody = create_user(actor=None, username="nobody", full_name="Người Ngoài", password=PASSWORD)
    return Cast(
        ministry=ministry,
        province=province,
        ward=ward,
        school=school,
        other_province=other_province,
        other_school=other_school,
        class_6a=class_6a,
        student=person("hs", "Đặng Minh Khôi", Role.STUDENT, school, school_class=class_6a),
        teacher=person("gv", "Nguyễn Thị Lan", Role.TEACHER, school, [toan]),
        group_head=person("tt", "Ngô Thị Mai", Role.GROUP_HEAD, school, [toan]),
        reviewer=person("td", "Trần Quốc Bảo", Role.REVIEWER, province, [toan]),
        school_admin=person("qtt", "Hoàng Văn Nam", Role.SCHOOL_ADMIN, school),
        province_admin=person("qts", "Lê Thị Hồng", Role.PROVINCE_ADMIN, province),
        ministry_admin=person("qtb", "Phạm Văn Hùng", Role.MINISTRY_ADMIN, ministry),
        outsider=person("gv-bx", "Giàng A Páo", Role.TEACHER, other_school, [toan]),
        outsider_student=person("hs-bx", "Sùng Thị Mỷ", Role.STUDENT, other_school, school_class=other_6a),
        outsider_admin=person("qtt-bx", "Lò Văn Sinh", Role.SCHOOL_ADMIN, other_school),
        nobody=nobody,
    )

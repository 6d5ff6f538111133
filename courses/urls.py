from django.urls import path

from courses import api
from courses.views import dashboards, grades, manage, quiz_builder, quiz_pages, student

app_name = "courses"

urlpatterns = [
    path("", student.course_list, name="list"),
    path("join/", student.join, name="join"),
    path("new/", manage.course_create, name="create"),
    path("dashboard/", dashboards.student, name="dashboard"),
    path("dashboard/teaching/", dashboards.teaching, name="dashboard_teaching"),
    path("dashboard/school/", dashboards.school, name="dashboard_school"),
    path("<uuid:uid>/", student.course_detail, name="course"),
    path("<uuid:uid>/items/<int:pk>/", student.item_detail, name="item"),
    path("<uuid:uid>/items/<int:pk>/done/", student.item_done, name="item_done"),
    path("<uuid:uid>/items/<int:pk>/submit/", student.item_submit, name="item_submit"),
    path("<uuid:uid>/submissions/<uuid:sid>/file/", student.submission_file, name="submission_file"),
    path("<uuid:uid>/manage/", manage.manage, name="manage"),
    path("<uuid:uid>/manage/settings/", manage.course_settings, name="settings"),
    path("<uuid:uid>/manage/sections/", manage.section_add, name="section_add"),
    path("<uuid:uid>/manage/sections/<int:pk>/move/", manage.section_move, name="section_move"),
    path("<uuid:uid>/manage/sections/<int:section_pk>/items/new/", manage.item_add, name="item_add"),
    path("<uuid:uid>/manage/items/<int:pk>/", manage.item_edit, name="item_edit"),
    path("<uuid:uid>/manage/items/<int:pk>/move/", manage.item_move, name="item_move"),
    path("<uuid:uid>/manage/items/<int:pk>/delete/", manage.item_delete, name="item_delete"),
    path("<uuid:uid>/manage/enrol/", manage.enrol_one, name="enrol_one"),
    path("<uuid:uid>/manage/enrol/upload/", manage.enrol_upload, name="enrol_upload"),
    path("<uuid:uid>/manage/enrol/commit/", manage.enrol_commit, name="enrol_commit"),
    path("<uuid:uid>/manage/enrolments/<int:pk>/remove/", manage.unenrol, name="unenrol"),
    path("<uuid:uid>/submissions/", manage.submissions, name="submissions"),
    path("<uuid:uid>/submissions/<uuid:sid>/", manage.submission_grade, name="submission_grade"),
    # The teacher's quiz pages (courses/views/quiz_builder.py)
    path("<uuid:uid>/manage/sections/<int:section_pk>/quizzes/new/", quiz_builder.quiz_new, name="quiz_new"),
    path("<uuid:uid>/manage/quizzes/<int:pk>/", quiz_builder.builder, name="quiz_builder"),
    path("<uuid:uid>/manage/quizzes/<int:pk>/pick/", quiz_builder.pick, name="quiz_pick"),
    path("<uuid:uid>/manage/quizzes/<int:pk>/draw/", quiz_builder.draw, name="quiz_draw"),
    path("<uuid:uid>/manage/quizzes/<int:pk>/paper/", quiz_builder.paper, name="quiz_paper"),
    path("<uuid:uid>/manage/quizzes/<int:pk>/paper-set/", quiz_builder.paper_set, name="quiz_paper_set"),
    path("<uuid:uid>/manage/quizzes/<int:pk>/slots/<int:slot_pk>/", quiz_builder.slot_action, name="quiz_slot"),
    path(
        "<uuid:uid>/manage/quizzes/<int:pk>/slots/<int:slot_pk>/regrade/",
        quiz_builder.regrade_slot,
        name="quiz_regrade",
    ),
    path("<uuid:uid>/manage/grading/", quiz_builder.grading, name="grading_queue"),
    path("<uuid:uid>/manage/grading/<int:answer_pk>/", quiz_builder.grade_answer, name="grade_answer"),
    path("<uuid:uid>/results/", dashboards.course_results, name="results"),
    path("<uuid:uid>/gradebook/", grades.gradebook, name="gradebook"),
    path("<uuid:uid>/gradebook/columns/<int:pk>/link/", grades.column_link, name="column_link"),
    path("<uuid:uid>/gradebook.xlsx", grades.gradebook_export, name="gradebook_export"),
    path("<uuid:uid>/items/<int:pk>/quiz/start/", quiz_pages.quiz_start, name="quiz_start"),
    path("<uuid:uid>/attempts/<uuid:aid>/", quiz_pages.attempt_page, name="quiz_attempt"),
    path("<uuid:uid>/attempts/<uuid:aid>/review/", quiz_pages.review_page, name="quiz_review"),
    # The quiz attempt API (courses/api.py)
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("api/quizzes/<int:item_id>/attempts/", api.quiz_attempts, name="api_quiz_attempts"),
    path("api/attempts/<uuid:uid>/", api.attempt_detail, name="api_attempt"),
    path("api/attempts/<uuid:uid>/answers/<int:slot_id>/", api.save_answer, name="api_save_answer"),
    path("api/attempts/<uuid:uid>/submit/", api.submit, name="api_submit"),
    path("api/attempts/<uuid:uid>/review/", api.review, name="api_review"),
]

from django.urls import path

from repository import views

urlpatterns = [
    path("", views.library_index, name="library"),
    path("grade/<int:number>/", views.library_grade, name="library_grade"),
    path("grade/<int:number>/<slug:slug>/", views.library_subject, name="library_subject"),
    path("mine/", views.my_materials, name="library_mine"),
    path("mine/<int:pk>/appraisal/", views.material_appraisals, name="library_appraisals"),
    path("review/", views.awaiting_review, name="library_review"),
    path("coverage/", views.coverage_report, name="library_coverage"),
]

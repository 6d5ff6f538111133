from django.urls import path

from search import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("api/", views.search_api, name="search_api"),
    path("api/suggest/", views.suggest_api, name="search_suggest"),
    path("api/openapi.json", views.openapi, name="search_openapi"),
]

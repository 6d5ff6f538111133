from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.accounts.forms import LoginForm
from lms.core import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("curriculum/", views.curriculum_index, name="curriculum"),
    path("curriculum/grade/<int:number>/", views.curriculum_grade, name="curriculum_grade"),
    path("curriculum/grade/<int:number>/<slug:slug>/", views.curriculum_subject, name="curriculum_subject"),
    path("styleguide/", views.styleguide, name="styleguide"),
    # The project wires the domain apps in by dotted path; lms code itself imports none of them.
    path("library/", include("repository.urls")),
    path("search/", include("search.urls")),
    path("courses/", include("courses.urls")),
    # Lecture-video files go through an access-checked view (drafts are private), before MEDIA_URL.
    path("media/videos/", include("media_pipeline.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", views.home, name="home"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the page tree (material pages live under /hoc-lieu/) after every route above.
urlpatterns += [path("", include(wagtail_urls))]

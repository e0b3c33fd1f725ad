from django.contrib.auth import views as auth_views
from django.urls import path

from .views import costs, digest, followup, grid, pages, procedures, systems, upload

app_name = "staff"
urlpatterns = [
    path("login/", pages.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", pages.dashboard, name="dashboard"),
    path("publish/", pages.publish, name="publish"),
    path("practice/reset/", pages.practice_reset, name="practice_reset"),
    path("audit/", pages.audit, name="audit"),
    path("orgs/<str:code>/", grid.grid, name="grid"),
    path("orgs/<str:code>/grid/", grid.save_grid, name="save_grid"),
    path("orgs/<str:code>/cell/", grid.save_cell, name="cell"),
    path("orgs/<str:code>/bulk/", grid.bulk, name="bulk"),
    path("orgs/<str:code>/upload/", upload.upload, name="upload"),
    path("orgs/<str:code>/template.xlsx", upload.template, name="progress_template"),
    path("orgs/<str:code>/upload/confirm/", upload.confirm, name="upload_confirm"),
    path("orgs/<str:code>/procedures/", procedures.procedures, name="procedures"),
    path("orgs/<str:code>/systems/", systems.systems, name="systems"),
    path("orgs/<str:code>/systems/<int:pk>/", systems.system_edit, name="system_edit"),
    path("orgs/<str:code>/systems/<int:pk>/delay/", systems.delay, name="delay"),
    # operating costs (運用経費) of a 団体, and its Excel template
    path("orgs/<str:code>/costs/", costs.costs, name="staff_costs"),
    path("orgs/<str:code>/costs/template.xlsx", costs.template, name="staff_template"),
    # prefecture digest of warnings and forecasts
    path("prefectures/", digest.digest_index, name="digest_index"),
    path("prefectures/<str:pref>/digest", digest.digest, name="digest"),
    # prefecture follow-up view (`all`: the whole country, operators)
    path("prefectures/<str:pref>/", followup.followup_page, name="followup"),
    path("prefectures/<str:pref>/followup.xlsx", followup.followup_xlsx, name="followup_xlsx"),
    path("prefectures/<str:pref>/followup.csv", followup.followup_csv, name="followup_csv"),
    path("prefectures/<str:pref>/digest.xlsx", digest.digest_xlsx, name="digest_xlsx"),
]

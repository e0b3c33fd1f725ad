from django.contrib import admin
from django.urls import include, path

from shinchoku.api.app import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("shinchoku.web.urls")),
]

from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("catalogue.json", views.catalogue_json, name="catalogue-json"),
    path("<str:month>/<str:filename>", views.download, name="file"),
]

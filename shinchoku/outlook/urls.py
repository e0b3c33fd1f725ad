from django.urls import path

from . import views

app_name = "outlook"
urlpatterns = [
    path("warnings", views.warnings_page, name="warnings"),
    path("forecast", views.forecast_page, name="forecast"),
]

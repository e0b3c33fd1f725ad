from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("procedures", views.national, name="national"),
    path("procedures/search", views.search, name="search"),
    path("procedures/<str:code>", views.organization, name="organization"),
]

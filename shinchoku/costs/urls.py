from django.urls import path

from . import views

app_name = "costs"
urlpatterns = [
    path("costs", views.national, name="national"),
    path("costs/cloud", views.cloud, name="cloud"),
]

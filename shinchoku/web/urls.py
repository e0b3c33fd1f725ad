from django.urls import path

from .views import public

app_name = "web"
urlpatterns = [
    path("", public.national, name="national"),
]

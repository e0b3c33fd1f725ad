from django.urls import path

from . import staff_views, views

app_name = "costs"
urlpatterns = [
    path("costs", views.national, name="national"),
    path("costs/cloud", views.cloud, name="cloud"),
    path("staff/orgs/<str:code>/costs/", staff_views.costs, name="staff_costs"),
    path("staff/orgs/<str:code>/costs/template.xlsx", staff_views.template, name="staff_template"),
]

from django.urls import path

from .views import areas, info, lists, organization, public, search

app_name = "web"
urlpatterns = [
    path("", public.national, name="national"),
    path("search", search.search, name="search"),
    path("search/suggest", search.suggest, name="search_suggest"),
    path("prefectures/<str:pref>", areas.prefecture, name="prefecture"),
    path("organizations/<str:code>", organization.organization, name="organization"),
    path("businesses", areas.business_index, name="businesses"),
    path("businesses/<int:number>", areas.business, name="business"),
    path("steps", areas.steps, name="steps"),
    path("special-support", lists.special_support, name="special_support"),
    path("vendors", lists.vendors, name="vendors"),
    path("glossary", info.glossary, name="glossary"),
    path("accessibility", info.accessibility, name="accessibility"),
]

from django.urls import path

from .feeds import NationalFeed, OrganizationFeed, PrefectureFeed
from .views import areas, changes, compare, embeds, info, lists, og_images, organization, public, rankings, search

app_name = "web"
urlpatterns = [
    path("", public.national, name="national"),
    path("search", search.search, name="search"),
    path("rankings", rankings.rankings, name="rankings"),
    path("compare", compare.compare, name="compare"),
    path("changes", changes.changes, name="changes"),
    path("embed/organizations/<str:code>", embeds.organization, name="embed_organization"),
    path("embed/prefectures/<str:pref>", embeds.prefecture, name="embed_prefecture"),
    path("og/national.png", og_images.national, name="og_national"),
    path("og/prefectures/<str:pref>.png", og_images.prefecture, name="og_prefecture"),
    path("og/organizations/<str:code>.png", og_images.organization, name="og_organization"),
    path("feeds/national.atom", NationalFeed(), name="feed_national"),
    path("feeds/prefectures/<str:pref>.atom", PrefectureFeed(), name="feed_prefecture"),
    path("feeds/organizations/<str:code>.atom", OrganizationFeed(), name="feed_organization"),
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

from django.contrib import admin
from django.urls import include, path

from shinchoku.api.app import api
from shinchoku.ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("opendata/", include("shinchoku.opendata.urls")),
    path("staff/", include("shinchoku.staff.urls")),  # staff side
    path("", include("shinchoku.procedures.urls")),  # 26 procedures
    path("", include("shinchoku.costs.urls")),  # operating costs and the ガバメントクラウド
    path("", include("shinchoku.outlook.urls")),  # warnings and forecasts
    path("", include("shinchoku.web.urls")),
]

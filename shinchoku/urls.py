from django.contrib import admin
from django.urls import include, path

from shinchoku.api.app import api
from shinchoku.ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("opendata/", include("shinchoku.opendata.urls")),
    path("staff/", include("shinchoku.staff.urls")),  # staff side (issue 5)
    path("", include("shinchoku.procedures.urls")),  # 26 procedures (issue 6)
    path("", include("shinchoku.costs.urls")),  # operating costs and the ガバメントクラウド (issue 16)
    path("", include("shinchoku.outlook.urls")),  # warnings and forecasts (issue 15)
    path("", include("shinchoku.web.urls")),
]

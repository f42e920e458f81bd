from django.contrib import admin
from django.urls import include, path

from xinfang.portal import views as portal_views

admin.site.site_header = "智慧信访平台 管理"
admin.site.site_title = "智慧信访平台"
admin.site.index_title = "基础数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("work/", include("xinfang.workspace.urls")),
    path("work/account/", include("xinfang.accounts.urls")),
    path("work/", include("xinfang.documents.urls")),
    path("work/statistics/", include("xinfang.analytics.urls")),
    path("work/imports/", include("xinfang.imports.urls")),
    path("work/warning/", include("xinfang.warning.urls")),
    path("work/leaders/", include("xinfang.leaders.urls")),
    path("work/supervision/", include("xinfang.supervision.urls")),
    path("work/mediation/", include("xinfang.mediation.urls")),
    path("work/grid/", include("xinfang.grid.urls")),
    path("work/agents/", include("xinfang.agents.urls")),
    path("work/triage/", include("xinfang.triage.urls")),
    path("open311/v2/", include("xinfang.open311.urls")),
    path("public/", include("xinfang.portal.urls")),
    path("", include("xinfang.ops.urls")),
    path("", portal_views.index, name="index"),
    path("", include("xinfang.deadlines.urls")),
]

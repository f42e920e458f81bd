from django.urls import path

from . import report_views, views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("reports/", report_views.reports, name="reports"),
    path("reports/<int:pk>/", report_views.report, name="report"),
    path("reports/<int:pk>/progress/", report_views.progress, name="report_progress"),
    path("reports/<int:pk>/report.<str:fmt>", report_views.download, name="report_file"),
    path("<str:ident>/<str:part>/", views.cases, name="cases"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from xinfang.accounts.views import StaffLoginView

from . import desk_views, list_views, roadmap_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="workspace:login"), name="logout"),
    path("cases/", list_views.case_list, name="cases"),
    path("cases/export.xlsx", list_views.cases_export, name="cases_export"),
    path("cases/filters/", list_views.filter_save, name="filter_save"),
    path("cases/filters/<int:pk>/delete/", list_views.filter_delete, name="filter_delete"),
    path("cases/bulk/", list_views.bulk, name="bulk"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/<str:name>/", views.act, name="act"),
    path("cases/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("cases/<int:pk>/correct/", desk_views.correct, name="correct"),
    path("cases/<int:pk>/print/", desk_views.case_print, name="case_print"),
    path("cases/<int:pk>/slip/<int:child>/", desk_views.routing_slip, name="routing_slip"),
    path("register/<str:channel>/", views.register, name="register"),
    path("hints/", views.repeat_hints, name="hints"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("roadmap/", roadmap_views.roadmap_staff, name="roadmap"),
]

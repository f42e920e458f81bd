from django.contrib.auth import views as auth_views
from django.urls import path

from xinfang.accounts.views import StaffLoginView

from . import desk_views, roadmap_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="workspace:login"), name="logout"),
    path("cases/", views.case_list, name="cases"),
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

from django.urls import path

from . import conference_views, views

app_name = "leaders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("organ/", views.organ, name="organ"),
    path("take/<int:case>/", views.take, name="take"),
    path("cases/<int:pk>/", views.detail, name="detail"),
    path("cases/<int:pk>/progress/", views.progress, name="progress"),
    path("cases/<int:pk>/close/", views.close, name="close"),
    path("book/<int:case>/", views.book, name="book"),
    path("appointments/<int:pk>/", views.appointment, name="appointment"),
    path("receptions/", views.receptions, name="receptions"),
    path("receptions/<int:pk>/", views.reception, name="reception"),
    path("visits/", views.visits, name="visits"),
    path("conferences/", conference_views.conferences, name="conferences"),
    path("conferences/<int:pk>/", conference_views.conference, name="conference"),
    path("conferences/<int:pk>/agenda/", conference_views.agenda, name="agenda"),
    path("conferences/<int:pk>/decisions/", conference_views.decide, name="decide"),
    path("decisions/<int:pk>/done/", conference_views.done, name="done"),
    path("reports/", conference_views.reports, name="reports"),
    path("reports/<int:pk>/", conference_views.report, name="report"),
]

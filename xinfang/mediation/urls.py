from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<int:case_pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sessions/", views.session, name="session"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/confirmation/", views.confirmation, name="confirmation"),
    path("lawyers/", views.lawyers, name="lawyers"),
    path("lawyers/consultations/", views.consultation, name="consultation"),
    path("cases/<int:case_pk>/opinion/", views.opinion, name="opinion"),
]

from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("suggest/<int:case_id>/", views.suggest_view, name="suggest"),
]

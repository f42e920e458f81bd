from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("suggest/<int:case_id>/", views.suggest_view, name="suggest"),
    path("compare/<int:case_id>/<int:other_id>/", views.compare, name="compare"),
    path("link/<int:case_id>/<int:other_id>/", views.link, name="link"),
]

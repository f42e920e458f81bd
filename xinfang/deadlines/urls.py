from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("rules/", views.calculator, name="calculator"),
]

from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.calculator, name="calculator"),
]

from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.new_report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/petition/", views.petition, name="petition"),
]

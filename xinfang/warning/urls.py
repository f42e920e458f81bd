from django.urls import path

from . import views

app_name = "warning"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
]

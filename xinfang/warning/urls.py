from django.urls import path

from . import views

app_name = "warning"

urlpatterns = [
    path("", views.board, name="board"),
    path("export.xlsx", views.board_export, name="export"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/issue/", views.issue, name="issue"),
]

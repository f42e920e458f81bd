from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("sources/<int:pk>/upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/progress/", views.progress, name="progress"),
    path("batches/<int:pk>/report.xlsx", views.batch_report, name="batch_report"),
    path("queue/", views.queue, name="queue"),
    path("queue.xlsx", views.queue_export, name="queue_export"),
    path("items/<int:pk>/verify/", views.verify, name="verify"),
    path("items/<int:pk>/refuse/", views.refuse, name="refuse"),
]

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("cases/<int:case_pk>/documents/new/", views.draft, name="draft"),
    path("documents/<int:pk>/", views.detail, name="detail"),
    path("documents/<int:pk>/serve/", views.serve, name="serve"),
    path("documents/<int:pk>/<str:fmt>/", views.download, name="download"),
]

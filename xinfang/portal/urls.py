from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("roadmap/", views.roadmap, name="roadmap"),
    path("submit/", views.submit, name="submit"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("verify/", views.verify, name="verify"),
    path("track/<str:number>/", views.progress, name="progress"),
    path("track/<str:number>/rate/", views.rate, name="rate"),
    path("track/<str:number>/request/", views.request_review, name="request"),
    path("track/<str:number>/documents/<int:pk>/", views.document, name="document"),
    path("organs/", views.organs, name="organs"),
    path("help/", views.help_page, name="help"),
    path("hearings/", views.hearings, name="hearings"),
    path("elder/", views.elder, name="elder"),
]

from django.urls import path

from . import assignment_views, views

app_name = "supervision"

urlpatterns = [
    path("", views.orders, name="orders"),
    path("new/", views.new_order, name="new"),
    path("<int:pk>/", views.order, name="order"),
    path("<int:pk>/act/", views.order_act, name="order_act"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/new/", views.new_recommendation, name="new_recommendation"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:pk>/act/", views.recommendation_act, name="recommendation_act"),
    path("recommendations/<int:pk>/pdf/", views.recommendation_pdf, name="recommendation_pdf"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.new_review, name="new_review"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("assignments/", assignment_views.assignments, name="assignments"),
    path("assignments/new/", assignment_views.new_assignment, name="new_assignment"),
    path("assignments/<int:pk>/", assignment_views.assignment, name="assignment"),
    path("campaigns/", assignment_views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", assignment_views.campaign, name="campaign"),
]

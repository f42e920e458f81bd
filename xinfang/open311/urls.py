from django.urls import path, register_converter

from . import views


class Format:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Format, "fmt")

app_name = "open311"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("openapi.json", views.openapi, name="openapi"),
    path("discovery.<fmt:fmt>", views.discovery, name="discovery"),
    path("services.<fmt:fmt>", views.service_list, name="services"),
    path("services/<str:code>.<fmt:fmt>", views.service_definition, name="service"),
    path("requests.<fmt:fmt>", views.requests, name="requests"),
    path("requests/<str:request_id>.<fmt:fmt>", views.request_detail, name="request"),
    path("tokens/<str:token_id>.<fmt:fmt>", views.token, name="token"),
    path("servicerequestupdates.<fmt:fmt>", views.updates, name="updates"),
]

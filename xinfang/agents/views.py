"""The agent's pages under /work/agents/: the petitions they represent, and registering one for a petitioner."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xinfang.intake.services import PetitionInput
from xinfang.lifecycle.visibility import readable_cases
from xinfang.org.access import staff_required

from . import services
from .forms import RegisterForm, problems


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    agent = services.agent_of(staff)
    if agent is None:
        return render(request, "agents/not_an_agent.html", status=403)
    cases = readable_cases(staff).select_related("petition", "organ").order_by("-received_at")
    return render(request, "agents/index.html", {"agent": agent, "cases": cases})


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    staff = request.staff  # type: ignore[attr-defined]
    if services.agent_of(staff) is None:
        return render(request, "agents/not_an_agent.html", status=403)
    initial = {"consent_on": timezone.localdate(), "region_code": staff.organ.region_code}
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            petition = PetitionInput(
                channel="letter",
                request=data["request"],
                region_code=data["region_code"],
                name=data["name"],
                id_number=data["id_number"],
                contact=data["contact"],
                address=data["address"],
                facts=data["facts"],
                reasons=data["reasons"],
            )
            try:
                case, code = services.register_for(
                    staff, petition, consent=data["consent"], consent_on=data["consent_on"]
                )
            except services.AgentRefused as refused:
                messages.error(request, f"未能代为登记：{refused.message}")
            else:
                return render(request, "agents/receipt.html", {"case": case, "code": code})
        else:
            messages.error(request, f"未能代为登记：{problems(form)}")
    return render(request, "agents/register.html", {"form": form}, status=400 if request.method == "POST" else 200)

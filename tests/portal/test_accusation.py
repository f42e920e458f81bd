"""Issue 10, item 2: the portal asks whether the petition accuses organs or persons and whom, tells the
petitioner in the words of Art. 30(3) that the accusation is confidential, and registers it as such."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import at, build_city
from tests.portal.helpers import receipt_of, submit, track
from xinfang.intake.models import AccusedParty, Petition

pytestmark = pytest.mark.django_db
ART_30_3 = "不得将信访人的检举、揭发材料以及有关情况透露或者转给被检举、揭发的人员或者单位。"
ACCUSED_PERSON = "赵有权"


def test_the_form_asks_the_question_and_quotes_art_30_3() -> None:
    city = build_city()
    html = Client().get("/public/submit/").content.decode()
    assert "本信访事项是否属于检举、揭发、控告？ *" in html
    assert f"《信访工作条例》第三十条第三款规定：“{ART_30_3}”" in html
    block = html.split('data-testid="accusation"', 1)[1]
    assert city.county_land.name in block  # the accused organ is picked from the published list
    assert 'name="accused_person_1"' in block and 'name="accused_person_organ_1"' in block


def test_an_accusation_is_registered_with_whom_it_accuses_and_no_page_or_session_repeats_the_names() -> None:
    city = build_city()
    client = Client(REMOTE_ADDR="198.51.100.7")
    extra = {
        "accusation": "yes",
        "accused_organ_1": str(city.county_land.pk),
        "accused_person_1": ACCUSED_PERSON,
        "accused_person_organ_1": str(city.county_land.pk),
    }
    with time_machine.travel(at("2026-03-02"), tick=False):
        response = submit(client, city, **extra)
        assert response.status_code == 302, response.content.decode()[:3000]
        number, code = receipt_of(client)
        receipt = client.get("/public/receipt/").content.decode()
    petition = Petition.objects.get(number=number)
    assert petition.accusation is True
    assert set(AccusedParty.objects.filter(petition=petition).values_list("organ_id", "person_name")) == {
        (city.county_land.pk, ""),
        (city.county_land.pk, ACCUSED_PERSON),
    }
    assert "依法保密" in receipt and "第三十条第三款" in receipt
    sessions = "".join(repr(s.get_decoded()) for s in Session.objects.all())
    with time_machine.travel(at("2026-03-03"), tick=False):
        other = Client(REMOTE_ADDR="198.51.100.8")
        track(other, number, code)
        progress = other.get(f"/public/track/{number}/").content.decode()
        sessions += "".join(repr(s.get_decoded()) for s in Session.objects.all())
    for text in (receipt, progress, sessions):
        assert ACCUSED_PERSON not in text
    assert city.county_land.name not in receipt and city.county_land.name not in progress


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"accusation": ""}, "accusation", "请选择「是否检举、揭发、控告」"),
        ({"accusation": "yes"}, "accused_organ_1", "请至少填写一个被检举、揭发、控告的单位或者人员"),
        ({"accusation": "no", "accused_person_1": ACCUSED_PERSON}, "accusation", "请在上面选择“是”"),
        ({"accusation": "yes", "accused_person_2": ACCUSED_PERSON}, "accused_person_organ_2", "所在的单位"),
    ],
)
def test_an_incomplete_answer_is_refused_beside_its_field(extra: dict[str, Any], field: str, message: str) -> None:
    city = build_city()
    response = submit(Client(), city, **extra)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="err-{field}">' in html and message in html.split(f'id="err-{field}">', 1)[1].split("</span>", 1)[0]
    assert not Petition.objects.exists()

"""Art. 30(3): "不得将信访人的检举、揭发材料以及有关情况透露或者转给被检举、揭发的人员或者单位".

An accusation against a county government, handled by the city 纪委监委, is requested through every URL
of the project (enumerated from the URL conf, so that a new view cannot escape) by the staff of the
county government, its 信访局, a department under it, and the city 信访局. None of the answers may carry
the accusation's text, the accuser's name, ID number or phone. The 纪委监委's own staff, as a control, do
see them on the case page, so the enumeration really reaches the case.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import at, build_city, register, staff
from xinfang.documents import services as documents
from xinfang.intake.models import Channel
from xinfang.intake.services import AccusedInput
from xinfang.lifecycle.engine import perform
from xinfang.lifecycle.table import TABLE
from xinfang.org.models import Role

pytestmark = pytest.mark.django_db

TEXT = "举报甲县人民政府副县长赵某某在棚户区改造中收受开发商财物"
FACTS = "二〇二五年春节前后在县政府办公室收受购物卡若干"
NAME = "钱举报"
ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"
SECRETS = (TEXT[:12], FACTS[:10], NAME, ID_NUMBER, PHONE)
ALL_ROLES = [r.value for r in Role]


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _fill(route: str, ids: list[int], words: dict[str, list[str]]) -> list[str]:
    """Every URL the route can make from the ids and the words that fit each named part.

    A string part takes the words listed under its name (``name``: transition names, ``fmt``: pdf/docx,
    ``number``: the petition number, ``channel``: the channels), or every word for a part not listed.
    """
    import re

    every = sorted({word for group in words.values() for word in group})
    choices: list[list[str]] = []
    for part in re.split(r"(<[^>]+>)", route.lstrip("^").rstrip("$")):
        if part.startswith("<int:"):
            choices.append([str(i) for i in ids])
        elif part.startswith("<"):
            choices.append(words.get(part.strip("<>").split(":")[-1], every))
        else:
            choices.append([part.replace("\\Z", "").replace("^", "")])
    return ["/" + "".join(combo) for combo in itertools.product(*choices)]


@pytest.fixture
def world() -> dict[str, object]:
    city = build_city()
    desk = city.who(city.discipline, Role.REGISTRAR)
    case = register(
        city,
        city.discipline,
        channel=Channel.LETTER,
        request=TEXT,
        facts=FACTS,
        name=NAME,
        id_number=ID_NUMBER,
        contact=PHONE,
        accusation=True,
        accused=[
            AccusedInput(organ_id=city.county_gov.pk),
            AccusedInput(person_name="赵某某", person_organ_id=city.county_gov.pk),
        ],
    )
    triage = city.who(city.discipline, Role.TRIAGE_OFFICER)
    perform(case, "triage", triage, {"category": "accusation"}, now=at("2026-03-03"))
    perform(case, "accept", triage, {}, now=at("2026-03-03"))
    handler = city.who(city.discipline, Role.HANDLER)
    document = documents.draft(case, "receipt_notice", handler, now=at("2026-03-03"))
    viewers = {
        "county_gov": staff(city.county_gov, *ALL_ROLES),
        "county_bureau": staff(city.county_bureau, *ALL_ROLES),
        "county_housing": staff(city.county_housing, *ALL_ROLES),
        "city_bureau": staff(city.bureau, *ALL_ROLES),
    }
    return {"city": city, "case": case, "document": document, "desk": desk, "handler": handler, "viewers": viewers}


def _urls(world: dict[str, object]) -> list[str]:
    case, document = world["case"], world["document"]
    ids = sorted({case.pk, document.pk, *case.petition.cases.values_list("pk", flat=True)})  # type: ignore[attr-defined]
    return every_url(ids, case.petition.number, {"q": TEXT[:6], "text": TEXT, "name": NAME, "id_number": ID_NUMBER})  # type: ignore[attr-defined]


def every_url(ids: list[int], number: str, search: dict[str, str]) -> list[str]:
    """Every URL of the project with these ids in its numeric parts; pages without parts also with the search."""
    from pathlib import Path

    import xinfang.rules

    indicators = Path(xinfang.rules.__file__).parent / "data" / "indicators"
    words = {
        "name": sorted(t.name for t in TABLE),
        "fmt": ["pdf", "docx", "json", "xml"],
        "channel": list(Channel.values),
        "ident": sorted(p.stem for p in indicators.glob("*.yaml")),
        "part": ["numerator", "denominator"],
        **{key: [number] for key in ("number", "request_id", "token_id", "code")},
    }
    query = urlencode(search)
    urls = []
    for route, _pattern in _patterns(get_resolver()):
        if route.startswith("admin/") and "<" in route:
            continue  # the admin's object pages: the models with petitions are not registered there
        for url in _fill(route, ids, words):
            urls += [url] if "<" in route else [url, f"{url}?{query}"]
    return urls


def leaks_for(client: Client, case_ids: list[int], secrets: tuple[str, ...]) -> list[str]:
    """What of ``secrets`` any URL shows this client, for the petitions of these cases and their documents."""
    from xinfang.documents.models import Document
    from xinfang.lifecycle.models import Case

    cases = Case.objects.filter(petition__cases__in=case_ids).distinct()
    ids = sorted(
        {*cases.values_list("pk", flat=True), *Document.objects.filter(case__in=cases).values_list("pk", flat=True)}
    )
    number = cases.first().petition.number  # type: ignore[union-attr]
    return _leaks(client, every_url(ids, number, {"q": secrets[0][:6], "text": secrets[0]}), secrets)


def _leaks(client: Client, urls: list[str], secrets: tuple[str, ...] = SECRETS) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = body.decode("utf-8", errors="replace")
        # A login page echoes the URL asked for (?next=...): the user's own query is not a leak.
        text = text.replace(url, "").replace(url.replace("&", "&amp;"), "").replace(quote(url), "")
        found += [f"{url}: {secret}" for secret in secrets if secret in text]
    return found


@pytest.mark.parametrize("viewer", ["county_gov", "county_bureau", "county_housing", "city_bureau"])
def test_no_url_shows_the_accusation_to_the_accused_or_the_bureaus(world: dict[str, object], viewer: str) -> None:
    client = Client()
    client.force_login(world["viewers"][viewer].user)  # type: ignore[index]
    urls = _urls(world)
    assert len(urls) > 100  # the enumeration reached the project's views, not a handful
    assert _leaks(client, urls) == []


def test_the_handling_organ_and_the_desk_do_see_it(world: dict[str, object]) -> None:
    """The control: the same enumeration finds the secrets when the user may read them."""
    for person in (world["handler"], world["desk"]):
        client = Client()
        client.force_login(person.user)  # type: ignore[attr-defined]
        case_page = client.get(f"/work/cases/{world['case'].pk}/").content.decode()  # type: ignore[attr-defined]
        assert TEXT in case_page and NAME in case_page and PHONE in case_page


def test_the_accused_organ_cannot_even_learn_that_it_exists(world: dict[str, object]) -> None:
    client = Client()
    client.force_login(world["viewers"]["county_gov"].user)  # type: ignore[index]
    number = world["case"].petition.number  # type: ignore[attr-defined]
    assert client.get(f"/work/cases/{world['case'].pk}/").status_code == 404  # type: ignore[attr-defined]
    assert number not in client.get("/work/cases/").content.decode()
    assert number not in client.get("/work/").content.decode()


def test_the_city_bureau_sees_only_that_a_case_exists_when_it_sent_it(world: dict[str, object]) -> None:
    """A bureau sees what sits in its government's tree but in another system only as status."""
    client = Client()
    client.force_login(world["viewers"]["city_bureau"].user)  # type: ignore[index]
    page = client.get(f"/work/cases/{world['case'].pk}/")  # type: ignore[attr-defined]
    assert page.status_code == 200
    text = page.content.decode()
    assert "西地市纪委监委" in text and "只能查看办理状态" in text
    assert TEXT[:12] not in text and NAME not in text

"""HTTP clients that act as a petitioner on the portal and a clerk at the desk, against a real server.

Each submission carries a unique token in its 诉求, so that what a client was told (the receipt) can be matched
with what the database holds afterwards. A client records a receipt only once it has it in hand."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import requests

from tests.portal.helpers import VALID_ID, captcha_of

CST = ZoneInfo("Asia/Shanghai")
TIMEOUT = 15


@dataclass
class Receipt:
    kind: str  # "portal" or "desk"
    token: str
    number: str = ""
    code: str = ""
    fingerprint: str = ""
    case_id: int = 0


@dataclass
class Tally:
    receipts: list[Receipt] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # tokens of every submission sent, answered or not
    errors: list[str] = field(default_factory=list)  # answers that were neither a receipt nor a dropped connection


def csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the form carries its CSRF token"
    return found.group(1)


class Petitioner:
    """Submits online, then reads the receipt; a receipt not yet read is fetched on the next attempt."""

    def __init__(self, base: str, organ_id: int, region: str) -> None:
        self.base, self.organ_id, self.region = base, organ_id, region
        self.session = requests.Session()
        self.unread: str | None = None  # token whose receipt page was not reached

    def once(self, tally: Tally) -> None:
        if self.unread:
            self._read_receipt(self.unread, tally)
            self.unread = None
        page = self.session.get(f"{self.base}/public/submit/", timeout=TIMEOUT).text
        answer, captcha = captcha_of(page)
        token = uuid.uuid4().hex[:12]
        data = {
            "csrfmiddlewaretoken": csrf(page),
            "region": self.region,
            "organ": str(self.organ_id),
            "name": "王秀兰",
            "id_number": VALID_ID,
            "contact": "13800001111",
            "address": "甲县城关镇幸福路8号",
            "request": f"请求补发拖欠的房屋征收补偿款 {token}",
            "facts_and_reasons": "2025年老房被征收，约定补偿款至今未付清。",
            "accusation": "no",
            "captcha_answer": answer,
            "captcha_token": captcha,
        }
        tally.sent.append(token)
        self.unread = token
        response = self.session.post(f"{self.base}/public/submit/", data=data, timeout=TIMEOUT, allow_redirects=False)
        if response.status_code != 302:
            self.unread = None
            tally.errors.append(f"portal {response.status_code}")
            return
        self._read_receipt(token, tally)
        self.unread = None

    def _read_receipt(self, token: str, tally: Tally) -> None:
        html = self.session.get(f"{self.base}/public/receipt/", timeout=TIMEOUT).text
        # The receipt page shows the last receipt of this browser: if the submission died after its commit but
        # before its answer, that is an earlier one. A receipt counts only if it is this submission's.
        shown = re.search(r"<dt>诉求</dt><dd>([^<]*)</dd>", html)
        if not shown or not shown.group(1).endswith(token):
            return
        number = re.search(r'data-testid="receipt-number">([^<]+)<', html)
        code = re.search(r'data-testid="receipt-code">([^<]+)<', html)
        fingerprint = re.search(r'data-testid="receipt-fingerprint">([^<]+)<', html)
        if number and code and fingerprint:
            tally.receipts.append(Receipt("portal", token, number.group(1), code.group(1), fingerprint.group(1)))


class Clerk:
    """Logs in once (the session lives in the database and survives restarts) and registers visits."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base, self.username, self.password = base, username, password
        self.session = requests.Session()

    def _login(self) -> None:
        page = self.session.get(f"{self.base}/work/login/", timeout=TIMEOUT).text
        data = {"csrfmiddlewaretoken": csrf(page), "username": self.username, "password": self.password}
        response = self.session.post(f"{self.base}/work/login/", data=data, timeout=TIMEOUT, allow_redirects=False)
        assert response.status_code == 302, f"login failed: {response.status_code}"

    def once(self, tally: Tally) -> None:
        form = self.session.get(f"{self.base}/work/register/visit/", timeout=TIMEOUT, allow_redirects=False)
        if form.status_code == 302:
            self._login()
            form = self.session.get(f"{self.base}/work/register/visit/", timeout=TIMEOUT, allow_redirects=False)
        region = re.search(r'<select name="region_code"[^>]*>\s*<option value="(\d+)"', form.text)
        assert region, "the registration form offers a region"
        token = uuid.uuid4().hex[:12]
        received = (dt.datetime.now(CST) - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "csrfmiddlewaretoken": csrf(form.text),
            "received_at": received,
            "name": "李建国",
            "id_number": VALID_ID,
            "contact": "13900002222",
            "address": "西地市人民路1号",
            "region_code": region.group(1),
            "request": f"请求维修小区漏水的供水管道 {token}",
            "facts": "管道漏水三个月。",
        }
        tally.sent.append(token)
        response = self.session.post(
            f"{self.base}/work/register/visit/", data=data, timeout=TIMEOUT, allow_redirects=False
        )
        case = re.match(r"^/work/cases/(\d+)/$", response.headers.get("Location", ""))
        if response.status_code != 302 or not case:
            tally.errors.append(f"desk {response.status_code}")
            return
        tally.receipts.append(Receipt("desk", token, case_id=int(case.group(1))))

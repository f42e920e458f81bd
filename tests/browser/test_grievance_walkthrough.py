"""Issue 4's acceptance walk: the demo users take one grievance from a visit to final, in Chromium.

At each step the page is checked for what a user relies on: the state, the clocks, and the actions
offered. Screenshots of the key pages are saved under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.conftest import shot
from xinfang.demo.accounts import ACCOUNTS

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORDS = {a.username: a.password for a in ACCOUNTS}
FACTS = "2025年3月所住房屋被列入东城区老旧小区改造拆除范围，签订协议约定12月底前付清补偿款，至今仍欠八万元"
REASONS = "补偿协议第五条约定了付款期限，区住建局逾期未付"


class Desk:
    """One browser page, used by several demo users in turn."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.base = page.base_url

    def login(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto(f"{self.base}/work/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORDS[username])
        self.page.get_by_role("button", name="登录").click()
        self.page.get_by_role("heading", name="待我办理").wait_for()

    def open(self, number: str) -> None:
        self.page.goto(f"{self.base}/work/cases/?q={number}")
        links = self.page.locator("table.cases tbody a")
        links.last.click()  # the newest case of this petition: the one the user's organ holds
        self.page.get_by_test_id("state").wait_for()

    def open_in(self, number: str, organ: str) -> None:
        self.page.goto(f"{self.base}/work/cases/?q={number}")
        self.page.locator("table.cases tbody tr", has_text=organ).get_by_role("link").first.click()
        self.page.get_by_test_id("state").wait_for()

    def state(self) -> str:
        return str(self.page.get_by_test_id("state").inner_text())

    def actions(self) -> set[str]:
        return set(self.page.locator("details.action").evaluate_all("els => els.map(e => e.dataset.action)"))

    def clocks(self) -> dict[str, str]:
        rows = self.page.locator('[data-testid="clocks"] tbody tr[data-rule]')
        return dict(rows.evaluate_all("rows => rows.map(r => [r.dataset.rule, r.dataset.status])"))

    def act(self, name: str, **fields: Any) -> None:
        box = self.page.locator(f'details[data-action="{name}"]')
        box.locator("summary").click()
        for label, value in fields.items():
            group = box.get_by_role("group", name=label)
            if group.count():
                group.get_by_label(value, exact=True).check()
                continue
            target = box.get_by_label(label, exact=True)
            kind = target.evaluate("el => el.tagName + ':' + (el.type || '')")
            if kind.startswith("SELECT"):
                target.select_option(label=value)
            elif kind == "INPUT:checkbox":
                target.check()
            else:
                target.fill(str(value))
        box.get_by_role("button").click()
        self.page.locator(".messages").wait_for()
        problems = self.page.locator(".messages .error")
        assert problems.count() == 0, problems.all_inner_texts()

    def document(self, kind: str, *, approve: bool = False, **fields: str) -> None:
        """Draft ``kind`` from the case page, fill ``fields`` by label, sign it if asked, and issue it."""
        form = self.page.get_by_test_id("draft-form")
        form.locator("select").select_option(label=kind)
        form.get_by_role("button", name="起草").click()
        self.page.get_by_test_id("document-status").wait_for()
        for label, value in fields.items():
            target = self.page.get_by_label(re.compile(f"^{re.escape(label)}(（必备）)?$"))
            if target.evaluate("el => el.tagName") == "SELECT":
                target.select_option(label=value)
            else:
                target.fill(value)
        self.page.get_by_role("button", name="保存").click()
        self.page.locator(".messages").wait_for()
        if approve:
            self.page.get_by_role("button", name="审核签发").click()
            self.page.locator(".messages").wait_for()
        self.page.get_by_role("button", name="印发").click()
        self.page.get_by_test_id("document-number").wait_for()
        problems = self.page.locator(".messages .error")
        assert problems.count() == 0, problems.all_inner_texts()

    def serve(self, method: str, tracking: str = "") -> None:
        form = self.page.get_by_test_id("serve-form")
        form.get_by_label("送达方式").select_option(label=method)
        if tracking:
            form.get_by_label("邮件单号（邮寄送达必填）").fill(tracking)
        form.get_by_role("button", name="登记送达").click()
        self.page.get_by_test_id("service").wait_for()

    def back_to_case(self) -> None:
        self.page.get_by_role("link", name=re.compile("返回案件")).click()
        self.page.get_by_test_id("state").wait_for()


def test_demo_users_walk_a_grievance_to_final(page: Any) -> None:
    call_command("seed_demo", verbosity=0)
    desk = Desk(page)

    # 1. A visit is registered at the city petition bureau.
    desk.login("registrar")
    page.get_by_role("link", name="来访", exact=True).click()
    page.get_by_label("姓名（名称）").fill("黄某某")
    page.get_by_label("证件号码", exact=True).fill("11010519491231002X")
    page.get_by_label("联系电话", exact=True).fill("13912345678")
    page.get_by_label("住址", exact=True).fill("东城区城关街道幸福路18号")
    page.get_by_label("问题发生地").select_option(index=1)
    page.get_by_label("诉求", exact=True).fill("请求区住建局付清拖欠的房屋拆迁补偿款八万元")
    page.get_by_label("事实", exact=True).fill(FACTS)
    page.get_by_label("理由", exact=True).fill(REASONS)
    page.get_by_role("button", name="登记").click()
    notice = page.locator(".messages").inner_text()
    number = re.search(r"XF\d{11}", notice).group(0)  # type: ignore[union-attr]
    assert desk.state() == "登记"
    assert desk.clocks() == {"bureau_disposition": "running"}
    assert desk.actions() <= {"record_notice"} and "triage" not in desk.actions()  # a registrar does not triage
    shot(page, "01-registered")

    # 2. Triage transfers it to the district housing department.
    desk.login("triage")
    desk.open(number)
    assert "triage" in desk.actions() and "transfer" not in desk.actions()
    desk.act("triage", 类别="申诉求决类")
    assert desk.state() == "甄别分类" and {"transfer", "assign", "escalate"} <= desk.actions()
    desk.act("transfer", 接收机关="东城区住房和城乡建设局")
    assert desk.state() == "转送" and desk.clocks() == {"bureau_disposition": "met"}
    shot(page, "02-transferred")

    # 3. The department accepts it and sends the written notice; the handler investigates.
    desk.login("district_triage")
    desk.open_in(number, "东城区住房和城乡建设局")
    assert desk.state() == "登记"
    assert desk.clocks() == {"receipt_notice": "running", "transfer_objection": "running"}
    desk.act("triage", 类别="申诉求决类")
    assert {"accept", "object"} <= desk.actions()
    desk.act("accept")
    assert desk.state() == "受理" and desk.clocks()["transfer_objection"] == "cancelled"
    # The written notice is a 受理告知书, issued and served: no other way of telling the petitioner is offered.
    desk.login("district_registrar")
    desk.open_in(number, "东城区住房和城乡建设局")
    assert "record_notice" not in desk.actions()
    desk.document("受理告知书", 处理途径和程序="调查核实后出具书面处理意见", 承办机关及联系方式="区住建局信访科")
    desk.serve("当面送达")
    desk.back_to_case()
    assert desk.clocks()["receipt_notice"] == "met"
    desk.login("handler")
    desk.open_in(number, "东城区住房和城乡建设局")
    assert desk.clocks()["handling"] == "running"  # Art. 34: the 60 days run from acceptance
    desk.act("investigate")
    assert desk.state() == "调查核实"
    assert "extend" not in desk.actions()  # an extension is its 延期告知书, signed by the head
    shot(page, "03-investigating")

    # 4. The approver signs the 延期告知书; issuing it extends the handling period (Art. 34).
    desk.login("approver")
    desk.open_in(number, "东城区住房和城乡建设局")
    desk.document(
        "延期告知书",
        approve=True,
        延期理由="需委托评估机构复核补偿金额",
        延长天数="30",
        延长后的办结期限="办理期限自原期满之日起延长30日",
        本机关负责人批准="经本机关负责人批准",
    )
    desk.serve("当面送达")
    desk.back_to_case()
    assert desk.state() == "延期办理"
    assert desk.clocks()["handling"] == "extended" and desk.clocks()["handling_extension"] == "running"
    shot(page, "04-extended")

    # 5. The opinion is issued, then its 信访处理意见书 is signed, issued and served by post.
    desk.login("handler")
    desk.open_in(number, "东城区住房和城乡建设局")
    desk.act(
        "issue_opinion",
        处理意见="不予支持",
        事实="经核查补偿款已于2025年12月20日足额支付",
        理由="银行转账凭证为证",
        法律法规依据="《国有土地上房屋征收与补偿条例》第二十五条",
    )
    assert desk.state() == "出具处理意见书" and desk.clocks()["handling_extension"] == "met"
    assert "serve_opinion" not in desk.actions()  # served only as the issued document
    desk.login("approver")
    desk.open_in(number, "东城区住房和城乡建设局")
    desk.document(
        "信访事项处理意见书",
        approve=True,
        处理意见="对信访人补发补偿款的请求不予支持。",
        法律法规依据="《国有土地上房屋征收与补偿条例》第二十五条；《信访工作条例》第三十二条第一款第三项",
    )
    desk.serve("邮寄送达", tracking="1100000000001")
    desk.back_to_case()
    assert desk.state() == "处理意见书已送达" and desk.clocks()["review_request"] == "running"
    assert desk.actions() == set()  # the review request goes to the superior organ
    shot(page, "05-opinion-served")

    # 6. The petitioner asks the superior organ for a review.
    desk.login("district_gov_registrar")
    desk.open_in(number, "东城区住房和城乡建设局")
    assert desk.actions() == {"request_review"}
    desk.act("request_review")
    assert desk.state() == "复查中" and desk.clocks()["review"] == "running"
    assert "现由 东城区人民政府 办理" in page.locator(".case-head").inner_text()

    # 7. The review organ's head signs the 复查意见书; serving it is the review decision.
    desk.login("leader")
    desk.open_in(number, "东城区住房和城乡建设局")
    desk.document(
        "复查意见书",
        approve=True,
        复查请求="请求撤销原处理意见",
        复查认定的事实和理由="补偿款已足额支付，有银行凭证",
        复查意见="维持原处理意见",
        是否撤销或者变更原处理意见="否",
        法律法规依据="《信访工作条例》第三十五条",
    )
    desk.serve("当面送达")
    desk.back_to_case()
    assert desk.state() == "复查意见已送达" and desk.clocks()["re_review_request"] == "running"
    shot(page, "07-review-decided")

    # 8. A re-review, with a hearing that pauses its clock.
    desk.login("city_gov_registrar")
    desk.open_in(number, "东城区住房和城乡建设局")
    desk.act("request_re_review")
    assert desk.state() == "复核中"
    desk.login("city_gov_handler")
    desk.open_in(number, "东城区住房和城乡建设局")
    desk.act("start_re_review_hearing")
    assert desk.state() == "复核听证" and desk.clocks()["re_review"] == "paused"
    shot(page, "08-re-review-hearing")
    desk.act("end_re_review_hearing", 听证结论="听证认为原处理意见事实清楚")
    # Everything in this walk happens on one day, the day the request arrived, which never counts: the
    # hearing excludes no days here (the pause arithmetic is tested with a moving clock in test_scenarios).
    assert desk.state() == "复核中" and desk.clocks()["re_review"] == "running"

    # 9. Final: issuing the 复核意见书 its head signed is the re-review opinion (Art. 36).
    desk.login("city_gov_leader")
    desk.open_in(number, "东城区住房和城乡建设局")
    desk.document(
        "复核意见书",
        approve=True,
        复核请求="请求撤销复查意见",
        复核认定的事实和理由="原处理意见和复查意见认定事实清楚",
        复核意见="维持复查意见",
        是否撤销或者变更复查意见="否",
        法律法规依据="《信访工作条例》第三十六条第一款",
    )
    desk.back_to_case()
    assert desk.state() == "复核终结" and desk.actions() == set()
    assert "已复核终结" in page.locator("#h-matter").locator("..").inner_text()
    shot(page, "09-final")

    # 10. The same facts and reasons again: registered, linked to the matter, then not re-accepted.
    desk.login("registrar")
    page.get_by_role("link", name="来信", exact=True).click()
    page.get_by_label("姓名（名称）").fill("黄某某")
    page.get_by_label("证件号码", exact=True).fill("11010519491231002X")
    page.get_by_label("诉求", exact=True).fill("请求区住建局付清拖欠的房屋拆迁补偿款八万元")
    page.get_by_label("事实", exact=True).fill(FACTS)
    page.locator("#hints").get_by_text(number).wait_for()
    page.locator("#hints li", has_text=number).get_by_role("button", name="关联到该事项").click()
    assert "已复核终结" in page.locator("#linked").inner_text()
    shot(page, "10-repeat-hint")
    page.get_by_role("button", name="登记").click()
    again = re.search(r"XF\d{11}", page.locator(".messages").inner_text()).group(0)  # type: ignore[union-attr]
    desk.login("triage")
    desk.open(again)
    desk.act("triage", 类别="申诉求决类")
    assert "not_reaccept" in desk.actions()
    desk.act(
        "not_reaccept",
        **{"同一事实和理由的确认": True, "告知信访人的途径和说明": "该事项已经复核终结，不再受理，做好解释疏导"},
    )
    assert desk.state() == "不再受理"
    shot(page, "10-not-reaccepted")

"""The staff menu by role: each person sees the actions their roles allow, and no link that answers 403."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from xinfang.agents.models import represented_petitions
from xinfang.analytics.selectors import may_view as may_view_statistics
from xinfang.imports.selectors import may_import
from xinfang.leaders.selectors import may_view as may_view_leaders
from xinfang.org.models import Role, Staff
from xinfang.warning.selectors import has_notices
from xinfang.warning.selectors import may_view as may_view_warnings

# Registration at the desk (Art. 17-19): the roles the register view accepts.
REGISTER_ROLES = (Role.REGISTRAR, Role.TRIAGE_OFFICER)
# Roles whose home is an overview of the subtree rather than a queue of their own.
OVERSIGHT_ROLES = (Role.SUPERVISOR, Role.ANALYST)
# Roles that act on cases (a queue of their own).
WORKING_ROLES = (Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.HANDLER, Role.APPROVER, Role.LEADER)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    key: str = ""


def may_register(staff: Staff) -> bool:
    return staff.has_role(*REGISTER_ROLES)


def menu_for(staff: Staff) -> list[MenuItem]:
    items = [MenuItem("首页", reverse("workspace:home"), "h"), MenuItem("案件查询", reverse("workspace:cases"), "s")]
    if may_register(staff):
        items.append(MenuItem("登记", reverse("workspace:register", args=["visit"]), "n"))
    if staff.has_role(*WORKING_ROLES):
        items.append(MenuItem("回访", reverse("workspace:follow_ups")))
    if staff.has_role(Role.HANDLER, Role.APPROVER, Role.LEADER):
        items.append(MenuItem("访调对接", reverse("mediation:index")))
    if staff.has_role(*WORKING_ROLES, *OVERSIGHT_ROLES):
        items.append(MenuItem("律师值班", reverse("mediation:lawyers")))
    if staff.has_role(*OVERSIGHT_ROLES, Role.LEADER, Role.REGISTRAR):  # grid workers are their town's registrars
        items.append(MenuItem("网格化管理", reverse("grid:index")))
    if represented_petitions(staff) is not None:
        items.append(MenuItem("信访代办", reverse("agents:index")))
    if may_import(staff):
        items.append(MenuItem("批量导入", reverse("imports:index")))
    if may_view_leaders(staff):
        items.append(MenuItem("领导工作", reverse("leaders:mine")))
    items.append(MenuItem("督查督办", reverse("supervision:orders")))
    if may_view_statistics(staff):
        items.append(MenuItem("统计分析", reverse("analytics:index")))
    if may_view_warnings(staff):
        items.append(MenuItem("风险预警", reverse("warning:board")))
    if has_notices(staff):
        items.append(MenuItem("预警提示函", reverse("warning:notices")))
    items += [MenuItem("路线图", reverse("workspace:roadmap")), MenuItem("期限规则", reverse("deadlines:calculator"))]
    return items

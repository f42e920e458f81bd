"""The demo accounts `seed_demo` creates, for the README and the login page. Local use only.

Each account sits where the demo walk-through needs it: the city petition bureau registers, triages,
supervises and analyses; 东城区住房和城乡建设局 accepts and handles; 东城区人民政府 is that department's
review organ (复查) and 西地市人民政府 its re-review organ (复核).
"""

from __future__ import annotations

from typing import NamedTuple

from xinfang.org.models import Role

DEMO_PASSWORD = "demo-2026"
ADMIN_PASSWORD = "xinfang-admin"  # the README documents admin / xinfang-admin

CITY_GOV = "西地市人民政府"
CITY_BUREAU = "西地市信访局"
CITY_DISCIPLINE = "西地市纪委监委"
DISTRICT_GOV = "东城区人民政府"
DISTRICT_BUREAU = "东城区信访局"
DISTRICT_HOUSING = "东城区住房和城乡建设局"


class DemoAccount(NamedTuple):
    username: str
    password: str
    organ: str  # the organ's name, unique in the demo city
    roles: tuple[str, ...]
    description: str  # what to try with it, in Chinese
    display_name: str  # the staff member's (fictional) name


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin", ADMIN_PASSWORD, CITY_BUREAU, (Role.ADMINISTRATOR,), "系统管理员（超级用户），可进入管理后台", "陈立新"
    ),
    DemoAccount("registrar", DEMO_PASSWORD, CITY_BUREAU, (Role.REGISTRAR,), "市信访局登记员：登记来信来访", "张晓明"),
    DemoAccount(
        "triage", DEMO_PASSWORD, CITY_BUREAU, (Role.TRIAGE_OFFICER,), "市信访局分办员：甄别分类、转送、交办", "李文静"
    ),
    DemoAccount(
        "supervisor", DEMO_PASSWORD, CITY_BUREAU, (Role.SUPERVISOR,), "市信访局督查员：对超期事项督办", "王建国"
    ),
    DemoAccount("analyst", DEMO_PASSWORD, CITY_BUREAU, (Role.ANALYST,), "市信访局分析员：统计分析", "赵敏"),
    DemoAccount(
        "district_registrar",
        DEMO_PASSWORD,
        DISTRICT_HOUSING,
        (Role.REGISTRAR,),
        "区住建局登记员：登记直接来访、书面告知",
        "刘海燕",
    ),
    DemoAccount(
        "district_triage",
        DEMO_PASSWORD,
        DISTRICT_HOUSING,
        (Role.TRIAGE_OFFICER,),
        "区住建局分办员：受理、提出异议、告知向有权机关提出",
        "孙志刚",
    ),
    DemoAccount(
        "handler",
        DEMO_PASSWORD,
        DISTRICT_HOUSING,
        (Role.HANDLER,),
        "区住建局承办人：调查核实、听证、调解、出具处理意见书",
        "周丽华",
    ),
    DemoAccount(
        "approver",
        DEMO_PASSWORD,
        DISTRICT_HOUSING,
        (Role.APPROVER,),
        "区住建局审批负责人：批准延期办理，审核签发文书",
        "吴国庆",
    ),
    DemoAccount(
        "leader",
        DEMO_PASSWORD,
        DISTRICT_GOV,
        (Role.LEADER, Role.APPROVER),
        "区政府领导：领导包案（区住建局的上级），审核签发复查意见书",
        "郑志远",
    ),
    DemoAccount(
        "district_gov_registrar",
        DEMO_PASSWORD,
        DISTRICT_GOV,
        (Role.REGISTRAR,),
        "区政府登记员：登记复查请求（区住建局事项的复查机关）",
        "冯雪梅",
    ),
    DemoAccount(
        "district_gov_handler",
        DEMO_PASSWORD,
        DISTRICT_GOV,
        (Role.HANDLER,),
        "区政府承办人：提出复查意见",
        "何俊峰",
    ),
    DemoAccount(
        "city_gov_registrar",
        DEMO_PASSWORD,
        CITY_GOV,
        (Role.REGISTRAR,),
        "市政府登记员：登记复核请求（复核机关）",
        "蒋春兰",
    ),
    DemoAccount(
        "city_gov_handler",
        DEMO_PASSWORD,
        CITY_GOV,
        (Role.HANDLER,),
        "市政府承办人：复核听证、出具复核意见",
        "韩卫东",
    ),
    DemoAccount(
        "city_gov_leader",
        DEMO_PASSWORD,
        CITY_GOV,
        (Role.LEADER, Role.APPROVER),
        "市政府领导：审核签发复核意见书",
        "罗振华",
    ),
    DemoAccount(
        "district_bureau",
        DEMO_PASSWORD,
        DISTRICT_BUREAU,
        (Role.REGISTRAR, Role.TRIAGE_OFFICER),
        "区信访局登记员兼分办员：登记、转送区属部门",
        "曹丽娟",
    ),
    DemoAccount(
        "discipline",
        DEMO_PASSWORD,
        CITY_DISCIPLINE,
        (Role.REGISTRAR, Role.TRIAGE_OFFICER, Role.HANDLER),
        "市纪委监委信访室：办理检举控告（可见检举人信息）",
        "邓宏伟",
    ),
)


def markdown_table() -> str:
    """The accounts as a Markdown table, as the README shows them."""
    lines = ["| 账号 | 密码 | 所在机关 | 角色 | 用途 |", "|---|---|---|---|---|"]
    for a in ACCOUNTS:
        roles = "、".join(Role(r).label for r in a.roles)
        lines.append(f"| `{a.username}` | `{a.password}` | {a.organ} | {roles} | {a.description} |")
    return "\n".join(lines)

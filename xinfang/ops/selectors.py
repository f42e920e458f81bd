"""Readiness: what a load balancer or an operator asks before sending traffic. No personal data, ever."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from xinfang.crypto.keys import KeyConfigError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means not ready
        return Check("database", False, f"数据库不可用：{type(error).__name__}")
    return Check("database", True, connections[DEFAULT_DB_ALIAS].vendor)


def migrations() -> Check:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return Check("migrations", False, f"无法读取迁移状态：{type(error).__name__}")
    if plan:
        return Check("migrations", False, f"有 {len(plan)} 个迁移尚未执行")
    return Check("migrations", True, "已全部执行")


def field_key() -> Check:
    from xinfang.crypto.fields import active_keyring

    try:
        ring = active_keyring()
    except KeyConfigError:
        return Check("field_key", False, "未设置或无法解析字段加密密钥")
    return Check("field_key", True, f"{len(ring.keys)} 个密钥")


def readiness() -> list[Check]:
    db = database()
    if not db.ok:
        return [db, Check("migrations", False, "数据库不可用"), field_key()]
    return [db, migrations(), field_key()]

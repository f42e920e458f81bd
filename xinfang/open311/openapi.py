"""The OpenAPI 3.0 document of our GeoReport v2 endpoints (JSON format; XML mirrors it as the spec describes)."""

from __future__ import annotations

from typing import Any


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _nullable(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "nullable": True, "description": description, **extra}


TIME = {"type": "string", "format": "date-time"}
ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
    "properties": {
        "service_code": _string("服务代码（内容分类代码）"),
        "service_name": _string("三级分类名称"),
        "description": _string("分类路径：一级/二级/三级"),
        "metadata": {"type": "boolean"},
        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": _string("二级分类名称"),
        "group": _string("一级分类名称"),
    },
}
ATTRIBUTE = {
    "type": "object",
    "required": ["variable", "code", "datatype", "required", "datatype_description", "order", "description", "values"],
    "properties": {
        "variable": {"type": "boolean"},
        "code": {"type": "string"},
        "datatype": {
            "type": "string",
            "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"],
        },
        "required": {"type": "boolean"},
        "datatype_description": {"type": "string"},
        "order": {"type": "integer"},
        "description": {"type": "string"},
        "values": {
            "type": "array",
            "items": {"type": "object", "properties": {"key": {"type": "string"}, "name": {"type": "string"}}},
        },
    },
}
REQUEST = {
    "type": "object",
    "required": [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "token",
    ],
    "properties": {
        "service_request_id": _string("信访件编号"),
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": _string("办理阶段（通俗表述；保密的检举控告事项只显示“正在办理”或“已办结”）"),
        "service_name": {"type": "string"},
        "service_code": {"type": "string"},
        "agency_responsible": _string("当前办理机关（保密事项为空）"),
        "service_notice": {"type": "string"},
        "requested_datetime": TIME,
        "updated_datetime": TIME,
        "expected_datetime": {**TIME, "nullable": True},
        "token": {"type": "string"},
    },
}
POSTED = {
    "type": "object",
    "required": ["token", "service_notice"],
    "properties": {"token": {"type": "string"}, "service_notice": {"type": "string"}},
}
TOKEN = {
    "type": "object",
    "required": ["service_request_id", "token"],
    "properties": {"service_request_id": _nullable("核实登记后为信访件编号，之前为 null"), "token": {"type": "string"}},
}
UPDATE = {
    "type": "object",
    "required": ["update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"],
    "properties": {
        "update_id": {"type": "string"},
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "updated_datetime": TIME,
        "description": {"type": "string"},
        "media_url": {"type": "string"},
    },
}
KEY = {"name": "api_key", "in": "query", "required": True, "schema": {"type": "string"}, "description": "合作系统密钥"}


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": description}


def _ok(schema: dict[str, Any], description: str = "成功") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(code): _ok(ERRORS, "错误") for code in codes}


def document() -> dict[str, Any]:
    window = [_query("start_date", "起始时间（ISO 8601，含时区）"), _query("end_date", "截止时间（ISO 8601，含时区）")]
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "智慧信访平台 Open311 GeoReport v2 接口",
            "version": "2",
            "description": (
                "合作系统（12345热线、网格、App）提交诉求并查询办理状态。返回内容不含任何个人信息和诉求内容。"
            ),
        },
        "servers": [{"url": "/open311/v2"}],
        "paths": {
            "/services.json": {
                "get": {
                    "summary": "服务（内容分类）列表",
                    "responses": {"200": _ok({"type": "array", "items": SERVICE})},
                }
            },
            "/services/{service_code}.json": {
                "get": {
                    "summary": "服务定义（附加属性）",
                    "parameters": [
                        {"name": "service_code", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": _ok(
                            {
                                "type": "object",
                                "required": ["service_code", "attributes"],
                                "properties": {
                                    "service_code": {"type": "string"},
                                    "attributes": {"type": "array", "items": ATTRIBUTE},
                                },
                            }
                        ),
                        **_errors(404),
                    },
                }
            },
            "/requests.json": {
                "get": {
                    "summary": "查询本机关合作系统提交、已登记为信访件的请求",
                    "parameters": [
                        KEY,
                        _query("service_request_id", "信访件编号，逗号分隔"),
                        _query("service_code", "服务代码，逗号分隔"),
                        *window,
                        _query("status", "open 或 closed，逗号分隔"),
                    ],
                    "responses": {"200": _ok({"type": "array", "items": REQUEST}), **_errors(400, 403, 429)},
                },
                "post": {
                    "summary": "提交诉求（经信访部门核实后登记为信访件）",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "required": ["api_key", "service_code", "description"],
                                    "properties": {
                                        name: {"type": "string"}
                                        for name in (
                                            "api_key",
                                            "service_code",
                                            "description",
                                            "lat",
                                            "long",
                                            "address_string",
                                            "address_id",
                                            "email",
                                            "device_id",
                                            "account_id",
                                            "first_name",
                                            "last_name",
                                            "phone",
                                            "media_url",
                                            "attribute[region_code]",
                                            "attribute[accusation]",
                                        )
                                    },
                                }
                            }
                        },
                    },
                    "responses": {"200": _ok({"type": "array", "items": POSTED}), **_errors(400, 403, 429)},
                },
            },
            "/requests/{service_request_id}.json": {
                "get": {
                    "summary": "查询一件请求",
                    "parameters": [
                        KEY,
                        {"name": "service_request_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": {"200": _ok({"type": "array", "items": REQUEST}), **_errors(403, 404, 429)},
                }
            },
            "/tokens/{token}.json": {
                "get": {
                    "summary": "由 token 查询信访件编号",
                    "parameters": [
                        KEY,
                        {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}},
                    ],
                    "responses": {"200": _ok({"type": "array", "items": TOKEN}), **_errors(403, 404, 429)},
                }
            },
            "/servicerequestupdates.json": {
                "get": {
                    "summary": "状态变化（FixMyStreet 扩展）",
                    "parameters": [KEY, *window],
                    "responses": {"200": _ok({"type": "array", "items": UPDATE}), **_errors(400, 403, 429)},
                }
            },
        },
    }

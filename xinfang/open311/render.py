"""GeoReport v2 responses: JSON (a list) and XML (a root element of repeated elements), UTF-8, ISO 8601 times."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from django.http import HttpResponse

CST = ZoneInfo("Asia/Shanghai")
# The element name of each member of a nested list, as in the spec's XML examples.
MEMBER = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(CST).isoformat(timespec="seconds")
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, Mapping):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list | tuple):
        for child in value:
            element.append(_element(MEMBER.get(tag, "item"), child))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def respond(
    fmt: str, root: str, member: str, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any], status: int = 200
) -> HttpResponse:
    """``rows`` is a list (rendered as ``<root><member/>...</root>``) or one object (rendered as ``<root>``)."""
    data = _plain(rows)
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    if isinstance(data, list):
        tree = ET.Element(root)
        for row in data:
            tree.append(_element(member, row))
    else:
        tree = _element(root, data)
    body = '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(tree, encoding="unicode")
    return HttpResponse(body.encode(), status=status, content_type="text/xml; charset=utf-8")


def error(fmt: str, code: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", "error", [{"code": code, "description": description}], status=code)

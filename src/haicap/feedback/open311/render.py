"""Open311 GeoReport v2 answers: JSON, or XML (the spec's default), and the spec's error shape
``[{"code": 400, "description": "…"}]`` (``<errors><error>…`` in XML)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from haicap.core.calendar import ZONE

XML = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"


def w3c(moment: dt.datetime | None) -> str | None:
    """W3C datetime with the zone, as the spec writes it (2026-01-05T09:30:00+07:00)."""
    return moment.astimezone(ZONE).isoformat(timespec="seconds") if moment else None


def _xml_value(parent: ET.Element, name: str, value: Any) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(child, key, inner)
    elif isinstance(value, list):
        singular = {"keywords": "keyword", "values": "value", "attributes": "attribute"}
        for item in value:
            _xml_value(child, singular.get(name, "item"), item)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    elif value is not None:
        child.text = str(value)


def xml_document(root: str, item: str | None, body: Any) -> bytes:
    top = ET.Element(root)
    if item is None:
        for key, value in body.items():
            _xml_value(top, key, value)
    else:
        for element in body:
            node = ET.SubElement(top, item)
            for key, value in element.items():
                _xml_value(node, key, value)
    text: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=True)
    return text


def respond(fmt: str, body: Any, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    """``body`` is a list of ``item`` elements under ``root``, or one object (item None)."""
    if fmt == "json":
        return HttpResponse(
            json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
            content_type=JSON,
            status=status,
        )
    return HttpResponse(xml_document(root, item, body), content_type=XML, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(
        fmt,
        [{"code": status, "description": description}],
        root="errors",
        item="error",
        status=status,
    )

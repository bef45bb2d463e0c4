"""What the journey crawler reads from a page (forms, links, htmx controls, errors) and types
into a form: valid values from each field's kind and name, invalid ones that a browser would
have refused (empty required fields, out-of-range values)."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from functools import cache
from typing import Literal, TypedDict

from django.utils import timezone

from haicap.testing.journey_report import DIGIT, url_pattern

# How the crawler sets one control: type text, choose an option (value "" = the first real
# one), clear a choice, tick, attach a file, or leave it as the page gave it.
Op = Literal["text", "select", "unselect", "check", "file", "keep"]


class Control(TypedDict):
    """One input, select or textarea of a form, as read from the page."""

    name: str
    tag: str
    type: str
    required: bool
    min: str | None
    max: str | None
    maxlength: int | None
    accept: str
    value: str
    checked: bool
    disabled: bool
    hx: bool


class FoundForm(TypedDict):
    method: str
    action: str
    fields: list[str]


class HtmxElement(TypedDict):
    tag: str
    key: str
    url: str
    trigger: str


FORMS_JS = """() => Array.from(document.forms, f => ({
  method: (f.getAttribute('method') || 'get').toLowerCase(), action: f.action,
  fields: Array.from(f.elements).filter(e => e.name && !['submit', 'button', 'reset', 'image']
    .includes(e.type)).map(e => e.name),
}))"""
LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"
HTMX_JS = """() => Array.from(document.querySelectorAll('[hx-get], [hx-post]'), e => ({
  tag: e.tagName.toLowerCase(), key: e.id || e.getAttribute('name') || '',
  url: e.getAttribute('hx-get') || e.getAttribute('hx-post'),
  trigger: e.getAttribute('hx-trigger') || '',
}))"""
# The project shows errors as Django's .errorlist, role="alert" or a .message.error; a plain
# 4xx answer shows its text.
ERRORS_JS = """() => Array.from(document.querySelectorAll(
    '[role=alert], .errorlist, [aria-invalid=true], .message.error'))
  .some(e => e.getAttribute('aria-invalid') === 'true' || e.innerText.trim().length > 0)
  || (document.contentType === 'text/plain' && document.body.innerText.trim().length > 0)"""
SAID_JS = """() => Array.from(document.querySelectorAll(
  '[role=alert], .errorlist, .message.error'), e => e.innerText.trim()).join(' | ').slice(0, 300)"""
WHO_JS = """() => { const b = document.querySelector("form[action$='/accounts/logout/'] button");
  return b ? b.innerText : null }"""
OPEN_JS = """f => { for (let d = f.closest('details'); d; d = d.parentElement.closest('details'))
  d.open = true }"""
# Invalid input must reach the server: the browser's own checks are switched off.
STRIP_JS = """f => { f.noValidate = true;
  f.querySelectorAll('[required], [min], [max], [maxlength], [pattern]').forEach(e =>
    ['required', 'min', 'max', 'maxlength', 'pattern'].forEach(a => e.removeAttribute(a))) }"""
# The form's own submit button (f.elements: the controls the form owns).
SUBMIT_JS = """f => f.requestSubmit(Array.from(f.elements).find(e => e.type === 'submit')
  || undefined)"""
FIRST_OPTION_JS = """(e, other) => { const o = Array.from(e.options).find(o => o.value
  && !o.disabled && !(other && o.selected)); return o ? o.value : null }"""
SET_JS = """(f, steps) => { const all = f.querySelectorAll('input, select, textarea');
  for (const [index, op, value] of steps) { const e = all[index];
    if (op === 'text') e.value = value;
    else if (op === 'check') e.checked = true;
    else if (e.tagName === 'SELECT') e.value = '';
    else e.checked = false;
    e.dispatchEvent(new Event('input', {bubbles: true}));
    e.dispatchEvent(new Event('change', {bubbles: true})) } }"""
SETTLED_JS = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"


def form_signature(found: FoundForm) -> str:
    """Method, action pattern and field names; the English page's form is the same form."""
    action = found["action"]
    if found["method"] == "get":
        action = action.split("?")[0]  # the browser replaces the query with the fields
    pattern = url_pattern(action).removeprefix("/en")
    names = {DIGIT.sub("{}", name) for name in found["fields"]} - {"csrfmiddlewaretoken"}
    return f"{found['method'].upper()} {pattern} [{', '.join(sorted(names))}]"


FIELDS_JS = """f => Array.from(f.querySelectorAll('input, select, textarea')).map(e => ({
  name: e.name || '', tag: e.tagName.toLowerCase(), type: (e.type || '').toLowerCase(),
  required: e.required || e.getAttribute('aria-required') === 'true',
  min: e.getAttribute('min'), max: e.getAttribute('max'),
  maxlength: e.maxLength > 0 ? e.maxLength : null, accept: e.getAttribute('accept') || '',
  value: e.type === 'file' ? '' : (e.value || ''), checked: !!e.checked, disabled: e.disabled,
  hx: e.hasAttribute('hx-get') || e.hasAttribute('hx-post'),
}))"""

UNTOUCHED = {"hidden", "submit", "button", "reset", "image"}
SENTENCE = "Kiểm thử hành trình: nội dung hợp lệ."
# Text by field name, for fields whose input type says nothing (type="text").
BY_NAME: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"e-?mail"), "hanh.trinh@example.vn"),
    (re.compile(r"phone|tel"), "0912345678"),
    (re.compile(r"id_number|cccd"), "001203004567"),
    (re.compile(r"password"), "Mot-mat-khau-dai-1"),
    (re.compile(r"username"), "hanh.trinh"),
    (re.compile(r"full_name|^name$"), "Trần Thị Hành"),
    (re.compile(r"address"), "15 phố Hàng Bông"),
    (re.compile(r"agency"), "Chi cục Thuế khu vực"),
    (re.compile(r"reason|note|comment|missing|legal"), SENTENCE),
    (re.compile(r"^q$|search"), "ba"),
]


def _date(name: str) -> str:
    today = timezone.localdate()
    if "birth" in name:
        return "1990-05-17"
    if name in {"to", "end", "until"}:
        return today.isoformat()
    return (today - dt.timedelta(days=30)).isoformat()


def _number(control: Control) -> str:
    low = float(control["min"]) if control["min"] else None
    high = float(control["max"]) if control["max"] else None
    try:
        current = float(control["value"])
    except ValueError:
        current = None
    if (
        current is not None
        and (low is None or current >= low)
        and (high is None or current <= high)
    ):
        return control["value"]
    chosen = max(low if low is not None else 1, min(1, high) if high is not None else 1)
    return str(int(chosen))


def _text(control: Control) -> str | None:
    """A valid value for a text-like control; None to keep what the page put there."""
    kind, name = control["type"], control["name"]
    typed = {
        "email": "hanh.trinh@example.vn",
        "tel": "0912345678",
        "url": "https://example.vn/",
        "password": "Mot-mat-khau-dai-1",
        "search": "ba",
        "date": _date(name),
        "datetime-local": f"{timezone.localdate() + dt.timedelta(days=3)}T10:00",
        "month": f"{timezone.localdate():%Y-%m}",
    }
    if kind == "number":
        return _number(control)
    if kind in typed:
        return typed[kind]
    for pattern, value in BY_NAME:
        if pattern.search(name):
            return value[: control["maxlength"]] if control["maxlength"] else value
    if control["value"] or not control["required"]:
        return None
    return "Hành trình"


def valid_plan(controls: list[Control]) -> list[tuple[Op, str]]:
    """One step per control: what a careful user would enter."""
    plan: list[tuple[Op, str]] = []
    radios: set[str] = set()
    for control in controls:
        kind = control["type"]
        if control["disabled"] or kind in UNTOUCHED or not control["name"]:
            plan.append(("keep", ""))
        elif control["tag"] == "select":
            plan.append(("select", ""))
        elif kind == "checkbox":
            plan.append(("check", ""))
        elif kind == "radio":
            plan.append(("keep", "") if control["name"] in radios else ("check", ""))
            radios.add(control["name"])
        elif kind == "file":
            plan.append(("file", control["accept"]))
        else:
            text = _text(control)
            plan.append(("keep", "") if text is None else ("text", text))
    return plan


def _out_of_range(control: Control) -> str | None:
    kind = control["type"]
    if kind == "date":
        return "9999-12-31"
    if kind == "datetime-local":
        return "9999-12-31T10:00"
    if kind == "email":
        return "khong-phai-email"
    if kind == "number" and control["max"]:
        return str(int(float(control["max"])) + 1)
    if kind == "number" and control["min"]:
        return str(int(float(control["min"])) - 1)
    if control["maxlength"] and kind in {"text", "search", "tel", "textarea", "password", ""}:
        return "x" * (control["maxlength"] + 1)
    return None


def invalid_plan(controls: list[Control]) -> list[tuple[Op, str]] | None:
    """The valid plan with every required field emptied and every bounded field out of its
    bounds; None when nothing in the form can be invalid."""
    plan = valid_plan(controls)
    changed = False
    for index, control in enumerate(controls):
        if control["disabled"] or control["type"] in UNTOUCHED or not control["name"]:
            continue
        if control["required"]:
            empty: tuple[Op, str] = ("text", "")
            if control["tag"] == "select" or control["type"] in {"checkbox", "radio", "file"}:
                empty = ("unselect", "")
            plan[index] = empty
            changed = True
        elif (bad := _out_of_range(control)) is not None:
            plan[index] = ("text", bad)
            changed = True
    return plan if changed else None


@cache
def sample_pdf() -> bytes:
    """A one-page PDF made by the project's own PDF tooling (WeasyPrint)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string="<h1>Giấy tờ kiểm thử</h1><p>Hành trình.</p>").write_pdf()
    return pdf


def sample_png() -> bytes:
    """A valid 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def sample_file(accept: str) -> tuple[str, str, bytes]:
    """(name, MIME type, content) of a small real file the field accepts."""
    accepted = accept.lower()
    if not accepted or "pdf" in accepted:
        return "giay-to.pdf", "application/pdf", sample_pdf()
    if "png" in accepted or "image" in accepted:
        return "anh.png", "image/png", sample_png()
    if "csv" in accepted:
        return "bang.csv", "text/csv", "ma,ten\n00004,Ba Đình\n".encode()
    return "giay-to.pdf", "application/pdf", sample_pdf()

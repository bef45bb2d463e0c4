"""Taking over dossiers from the system a province used before (`haicap dossiers import`).

Rows use the national portal's sync names. Every row is checked before anything is written;
if any is refused nothing is imported (unless told to skip the refused ones), and each
refused row is reported with its reason. Imported dossiers keep their codes, dates and
states; their timeline starts with one "import" event holding that state.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from tqdm import tqdm

from haicap.core.calendar import ZONE, WorkingCalendar, calendar
from haicap.core.tables import read_table
from haicap.core.text import search_key
from haicap.dossiers.codes import new_secret
from haicap.dossiers.models import FINAL_STATUSES, Channel, Dossier, DossierEvent, Status
from haicap.dossiers.timeline import to_json
from haicap.procedures.models import CompetentTier, Procedure
from haicap.units.centres import own_centre
from haicap.units.models import AdminUnit, ServiceCenter, ServiceCenterKind, Tier

COLUMNS = (
    "MaHoSo",
    "MaTTHC",
    "MaDonVi",
    "NgayTiepNhan",
    "NgayHenTra",
    "TrangThaiHoSo",
    "ChuHoSo",
    "SoGiayToChuHoSo",
    "SoDienThoaiChuHoSo",
    "DiaChiChuHoSo",
)
# Optional: the end of processing, the hand-over, the channel, and (haicap's own column) the
# code of the applicant's commune, which places a district's commune-procedure dossiers.
OPTIONAL = ("NgayKetThucXuLy", "NgayTraKetQua", "KenhNop", "MaDonViCuTru")
REQUIRED = ("MaHoSo", "MaTTHC", "MaDonVi", "NgayTiepNhan", "TrangThaiHoSo", "ChuHoSo")
_CODE = re.compile(r"^[\w.\-]{3,60}$")
_ID = re.compile(r"^([0-9]{9}|[0-9]{12})$")
_PHONE = re.compile(r"^(\+84|0)[0-9]{9,10}$")


@dataclass
class Refusal:
    row: int
    code: str
    reason: str


@dataclass
class ImportReport:
    checked: int = 0
    imported: int = 0
    refused: list[Refusal] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    code: str
    procedure: Procedure
    unit: AdminUnit
    received: dt.datetime
    due: dt.datetime | None
    finished: dt.datetime | None
    returned: dt.datetime | None
    status: int
    channel: int
    name: str
    id_number: str
    phone: str
    address: str
    applicant_unit: AdminUnit | None = None


Numbered = list[tuple[int, dict[str, str]]]


def read_rows(path: Path) -> Numbered:
    """Rows with the number a person finds them by: the line (CSV, XLSX), or the position in
    a JSON list."""
    if path.suffix.lower() not in {".xlsx", ".xlsm"}:
        text = path.read_bytes().decode("utf-8-sig")
        if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
            loaded = json.loads(text)
            if not isinstance(loaded, list) or not all(isinstance(i, dict) for i in loaded):
                raise ValueError("a JSON import is a list of objects")
            return [
                (number, {k: "" if v is None else str(v) for k, v in item.items()})
                for number, item in enumerate(loaded, start=1)
            ]
    return read_table(path, lower_headers=False)


def parse_moment(value: str) -> dt.datetime:
    """20250615093000 (the portal's form), 2025-06-15T09:30, or 2025-06-15; Viet Nam time."""
    value = value.strip()
    if re.fullmatch(r"[0-9]{14}", value):
        moment = dt.datetime.strptime(value, "%Y%m%d%H%M%S")  # noqa: DTZ007 - zone set below
    elif re.fullmatch(r"[0-9]{8}", value):
        moment = dt.datetime.strptime(value, "%Y%m%d")  # noqa: DTZ007 - zone set below
    else:
        moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZONE)


class _Checker:
    def __init__(self, already_in_haicap: set[str]) -> None:
        self.procedures = {p.code: p for p in Procedure.objects.all()}
        self.seen: set[str] = set()
        self.already_in_haicap = already_in_haicap
        self.versions: dict[str, list[AdminUnit]] = {}

    def unit(self, code: str, day: dt.date) -> AdminUnit | None:
        """The unit with ``code`` on ``day`` (codes were reused; every version read once)."""
        if code not in self.versions:
            self.versions[code] = list(
                AdminUnit.objects.filter(code=code).select_related("province")
            )
        return next((u for u in self.versions[code] if u.in_force_on(day)), None)

    def check(self, number: int, raw: dict[str, str]) -> _Row:
        def field_(name: str) -> str:
            return (raw.get(name) or "").strip()

        missing = [name for name in REQUIRED if not field_(name)]
        if missing:
            raise ValueError(_("missing %(fields)s") % {"fields": ", ".join(missing)})
        code = field_("MaHoSo")
        if not _CODE.match(code):
            raise ValueError(_("MaHoSo %(code)s is not a dossier code") % {"code": code})
        if code in self.seen:
            raise ValueError(_("MaHoSo %(code)s appears twice in the file") % {"code": code})
        self.seen.add(code)
        procedure = self.procedures.get(field_("MaTTHC"))
        if procedure is None:
            raise ValueError(
                _("no procedure %(code)s in the catalogue") % {"code": field_("MaTTHC")}
            )
        try:
            received = parse_moment(field_("NgayTiepNhan"))
            due = parse_moment(field_("NgayHenTra")) if field_("NgayHenTra") else None
            finished = (
                parse_moment(field_("NgayKetThucXuLy")) if field_("NgayKetThucXuLy") else None
            )
            returned = parse_moment(field_("NgayTraKetQua")) if field_("NgayTraKetQua") else None
        except ValueError:
            raise ValueError(_("a date is not yyyyMMddHHmmss or ISO 8601")) from None
        if due is not None and due < received:
            raise ValueError(_("NgayHenTra is before NgayTiepNhan"))
        try:
            status = int(field_("TrangThaiHoSo"))
        except ValueError:
            status = 0
        if status not in Status.values:
            raise ValueError(_("TrangThaiHoSo must be 1 to 10"))
        if status != Status.NEW and due is None:
            raise ValueError(_("NgayHenTra is required once a dossier is accepted"))
        unit = self.unit(field_("MaDonVi"), received.astimezone(ZONE).date())
        if unit is None:
            raise ValueError(
                _("no unit %(code)s on %(day)s")
                % {"code": field_("MaDonVi"), "day": received.date().isoformat()}
            )
        id_number = field_("SoGiayToChuHoSo")
        if id_number and not _ID.match(id_number):
            raise ValueError(_("SoGiayToChuHoSo is not a 9 or 12 digit ID number"))
        phone = re.sub(r"[\s.-]", "", field_("SoDienThoaiChuHoSo"))
        if phone and not _PHONE.match(phone):
            raise ValueError(_("SoDienThoaiChuHoSo is not a phone number"))
        channel_text = field_("KenhNop") or str(Channel.IN_PERSON.value)
        if channel_text not in {str(value) for value in Channel.values}:
            raise ValueError(_("KenhNop must be 1, 2 or 3"))
        channel = int(channel_text)
        if code in self.already_in_haicap:
            raise ValueError(_("MaHoSo %(code)s is already in haicap") % {"code": code})
        applicant_unit = None
        if field_("MaDonViCuTru"):
            applicant_unit = self.unit(field_("MaDonViCuTru"), received.astimezone(ZONE).date())
            if applicant_unit is None or applicant_unit.tier != Tier.COMMUNE:
                raise ValueError(
                    _("MaDonViCuTru %(code)s is not a commune on %(day)s")
                    % {"code": field_("MaDonViCuTru"), "day": received.date().isoformat()}
                )
        if (status in FINAL_STATUSES or status == Status.PROCESSED) and finished is None:
            finished = due or received
        return _Row(
            number,
            code,
            procedure,
            unit,
            received,
            due,
            finished,
            returned,
            status,
            channel,
            " ".join(field_("ChuHoSo").split())[:200],
            id_number,
            phone,
            field_("DiaChiChuHoSo")[:300],
            applicant_unit,
        )


def legacy_centre(unit: AdminUnit) -> ServiceCenter:
    """The (closed) one-stop desk of a unit that no longer exists, created on first need."""
    province = unit.province or unit
    code = (
        f"H{province.code}.{unit.code}.{unit.valid_to:%Y}"
        if unit.valid_to
        else f"H{province.code}.{unit.code}"
    )
    centre, _created = ServiceCenter.objects.get_or_create(
        code=code,
        defaults={
            "name": f"Bộ phận một cửa {unit.name}",
            "kind": ServiceCenterKind.PROVINCIAL
            if unit.tier == Tier.PROVINCE
            else ServiceCenterKind.COMMUNE,
            "unit": unit,
            "address": f"{unit.name}, {province.name}",
            "is_active": unit.valid_to is None,
        },
    )
    return centre


def _centre(unit: AdminUnit) -> ServiceCenter:
    return own_centre(unit, open_only=False) or legacy_centre(unit)


def _responsible(row: _Row) -> AdminUnit:
    """Who was resolving it: a district kept its own dossiers (a reorganisation plan hands
    them on when the district tier goes); at a commune, a province-tier procedure went up."""
    unit = row.unit
    if unit.tier == Tier.COMMUNE and row.procedure.competent_tier != CompetentTier.COMMUNE:
        return unit.province or unit
    return unit


def _build(
    row: _Row, centre: ServiceCenter, label: str, clock: WorkingCalendar
) -> tuple[Dossier, DossierEvent]:
    unit = row.unit
    responsible = _responsible(row)
    started = row.status != Status.NEW
    state: dict[str, Any] = {
        "status": row.status,
        "submitted_at": row.received if row.channel == Channel.ONLINE else None,
        "received_at": row.received if started else None,
        "due_at": row.due if started else None,
        "original_due_at": row.due if started else None,
        # The previous system's appointment is taken as the legal deadline.
        "legal_due_at": row.due if started else None,
        "finished_at": row.finished,
        "working_seconds": clock.working_seconds(row.received, row.finished)
        if started and row.finished
        else None,
        "returned_at": row.returned or (row.finished if row.status == Status.RETURNED else None),
        "outcome": "approved" if row.status in {Status.PROCESSED, Status.RETURNED} else "",
        "paused_at": row.received if row.status == Status.SUPPLEMENT_REQUESTED else None,
        "resume_status": Status.PROCESSING if row.status == Status.SUPPLEMENT_REQUESTED else None,
        "step": 1 if started else 0,
        "receiving_unit_id": unit.pk,
        "responsible_unit_id": responsible.pk,
        "province_id": (unit.province or unit).pk,
    }
    dossier = Dossier(
        code=row.code,
        secret=new_secret(),
        procedure=row.procedure,
        channel=row.channel,
        applicant_name=row.name,
        applicant_name_key=search_key(row.name),
        applicant_id_number=row.id_number,
        applicant_phone=row.phone,
        applicant_address=row.address,
        applicant_unit=row.applicant_unit,
        receiving_centre=centre,
        created_at=row.received,
        version=1,
        **state,
    )
    event = DossierEvent(
        dossier=dossier,
        seq=1,
        at=row.received,
        action="import",
        actor_label=label,
        from_status=None,
        to_status=row.status,
        changes={name: to_json(name, value) for name, value in state.items()},
        data={"source_row": row.number},
    )
    return dossier, event


def check_rows(
    rows: list[tuple[int, dict[str, str]]], report: ImportReport, *, progress: bool = False
) -> list[_Row]:
    """Every row checked (refusals into ``report``); the valid ones, ready to build."""
    checker = _Checker(_codes_in_haicap(rows))
    valid: list[_Row] = []
    for number, raw in tqdm(rows, desc="check", unit="rows", disable=not progress):
        report.checked += 1
        try:
            valid.append(checker.check(number, raw))
        except ValueError as exc:
            report.refused.append(Refusal(number, (raw.get("MaHoSo") or "").strip(), str(exc)))
    return valid


def build_all(rows: list[_Row], label: str) -> list[tuple[Dossier, DossierEvent]]:
    """Unsaved dossiers and their first events, with the centres they were received at."""
    centres: dict[int, ServiceCenter] = {}
    clock = calendar()
    built = []
    for row in rows:
        if row.unit.pk not in centres:
            centres[row.unit.pk] = _centre(row.unit)
        built.append(_build(row, centres[row.unit.pk], label, clock))
    return built


def _codes_in_haicap(rows: list[tuple[int, dict[str, str]]]) -> set[str]:
    """The file's dossier codes that haicap already holds (one query per 10,000 codes)."""
    codes = [(raw.get("MaHoSo") or "").strip() for _number, raw in rows]
    found: set[str] = set()
    for start in range(0, len(codes), 10_000):
        found.update(
            Dossier.objects.filter(code__in=codes[start : start + 10_000]).values_list(
                "code", flat=True
            )
        )
    return found

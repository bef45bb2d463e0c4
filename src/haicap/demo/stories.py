"""Demo data for `haicap demo`: officers of Hà Nội and three of its wards, and a few hundred
dossiers in every state over the last four months, made through the real actions."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from tqdm import tqdm

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE, calendar
from haicap.core.errors import DomainError
from haicap.dossiers import actions
from haicap.dossiers.actions import do_rate_dossier
from haicap.dossiers.models import Channel, Dossier, Status
from haicap.dossiers.papers import Upload
from haicap.procedures.models import CompetentTier, Procedure
from haicap.staff.actions import do_add_staff_member
from haicap.units.models import ServiceCenter

PROVINCE = "01"
WARDS = {"00004": "badinh", "00070": "hoankiem", "00097": "hongha"}
# The electronic result some demo dossiers get (a minimal PDF).
RESULT_SCAN = Upload(
    name="Kết quả điện tử",
    original_name="ket-qua.pdf",
    content=b"%PDF-1.4\n%%EOF\n",
    content_type="application/pdf",
    extension="pdf",
)
SEED = 20250701

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Thu",
    "Ngọc",
    "Hữu",
    "Quang",
    "Thanh",
    "Kim",
    "Gia",
    "Bảo",
]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Ngọc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
    "Đạt",
    "Hiếu",
    "Nhung",
    "Oanh",
    "Thắng",
]
STREETS = [
    "Phan Đình Phùng",
    "Hàng Bông",
    "Điện Biên Phủ",
    "Kim Mã",
    "Đội Cấn",
    "Hàng Bài",
    "Tràng Thi",
]


@dataclass
class DemoResult:
    officers: list[tuple[str, str]]
    password: str
    dossiers_created: int


def _password(data_dir: Path) -> str:
    """One password for every demo officer, kept so the next `make run` can show it again."""
    path = data_dir / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def _officers(password: str) -> dict[str, AbstractBaseUser]:
    plan: list[tuple[str, str, list[str], str]] = [
        ("hn.admin", PROVINCE, ["province_admin"], "Quản trị tỉnh Hà Nội"),
        ("hn.receiver", PROVINCE, ["receiver"], "Tiếp nhận Trung tâm thành phố"),
        ("hn.specialist", PROVINCE, ["specialist"], "Chuyên viên sở"),
        ("hn.leader", PROVINCE, ["leader", "clerk"], "Lãnh đạo sở"),
        ("hn.auditor", PROVINCE, ["auditor"], "Thanh tra thành phố"),
    ]
    for code, slug in WARDS.items():
        plan += [
            (f"{slug}.receiver", code, ["receiver"], f"Tiếp nhận {slug}"),
            (f"{slug}.specialist", code, ["specialist"], f"Công chức {slug}"),
            (f"{slug}.leader", code, ["leader", "clerk"], f"Lãnh đạo {slug}"),
        ]
    officers: dict[str, AbstractBaseUser] = {}
    for username, unit, roles, name in plan:
        result = do_add_staff_member(
            username, unit_code=unit, roles=roles, actor=SYSTEM, password=password, full_name=name
        )
        officers[username] = result.user
    return officers


def _applicant(rng: random.Random) -> actions.Applicant:
    return actions.Applicant(
        full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        id_number="001" + "".join(rng.choice("0123456789") for _ in range(9)),
        birth_date=dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        phone="09" + "".join(rng.choice("0123456789") for _ in range(8)),
        email="",
        address=f"Số {rng.randint(1, 200)} phố {rng.choice(STREETS)}",
    )


def _office_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(7, 16), rng.choice([0, 10, 20, 30, 40, 50])), tzinfo=ZONE
    )


class _Story:
    """One dossier's life, acted out with the real actions at simulated times."""

    def __init__(
        self, rng: random.Random, dossier: Dossier, staff: dict[str, Any], now: dt.datetime
    ):
        self.rng, self.dossier, self.staff, self.now = rng, dossier, staff, now
        self.at = dossier.received_at or dossier.submitted_at or now

    def step(self, hours: float, action: Callable[..., Dossier], **kwargs: Any) -> bool:
        """Run ``action`` ``hours`` later (office time); False once that is in the future."""
        at = calendar().add_working_seconds(self.at, int(hours * 3600))
        if at >= self.now:
            return False
        self.at = at
        self.dossier = action(self.dossier, at=at, **kwargs)
        return True


def _live(story: _Story, side: str, province_work: bool) -> None:
    """Accept (if online), assign, maybe ask for papers, decide, ready, return."""
    rng, staff = story.rng, story.staff
    receiver, specialist, leader = (
        staff[f"{side}.{role}"] for role in ("receiver", "specialist", "leader")
    )
    if province_work:
        specialist, leader = staff["hn.specialist"], staff["hn.leader"]
    d = story.dossier
    if d.status == Status.NEW:  # filed online
        if rng.random() < 0.05:
            story.step(
                2,
                actions.do_refuse_dossier_intake,
                reason="Hồ sơ không thuộc thẩm quyền",
                actor=receiver,
            )
            return
        if not story.step(rng.uniform(0.5, 6), actions.do_accept_dossier, actor=receiver):
            return
    if rng.random() < 0.03:
        story.step(1, actions.do_withdraw_dossier, reason="Công dân xin rút hồ sơ", actor=receiver)
        return
    if not story.step(
        rng.uniform(0.2, 3), actions.do_assign_dossier, assignee=specialist, actor=leader
    ):
        return
    if rng.random() < 0.2:
        missing = ["Bản sao giấy tờ tùy thân", "Tờ khai có chữ ký"][: rng.randint(1, 2)]
        if not story.step(
            rng.uniform(1, 8),
            actions.do_request_supplement,
            missing=missing,
            reason="Hồ sơ chưa đầy đủ",
            actor=specialist,
        ):
            return
        if not story.step(rng.uniform(4, 40), actions.do_receive_supplement, actor=receiver):
            return
    if province_work and rng.random() < 0.4:
        if not story.step(
            rng.uniform(2, 20),
            actions.do_send_dossier_to_agency,
            agency="Chi cục Thuế khu vực",
            actor=specialist,
        ):
            return
        if not story.step(
            rng.uniform(10, 60), actions.do_receive_dossier_from_agency, actor=specialist
        ):
            return
    if story.dossier.fee and rng.random() < 0.9:
        if not story.step(
            rng.uniform(0.2, 2), actions.do_request_payment, amount=None, actor=receiver
        ):
            return
        online = story.dossier.channel == Channel.ONLINE and rng.random() < 0.8
        if not story.step(
            rng.uniform(0.5, 6),
            actions.do_record_payment,
            method="online" if online else "cash",
            actor=receiver,
        ):
            return
    due = story.dossier.due_at
    late = rng.random() < 0.12
    if late and due is not None and rng.random() < 0.6:
        new_due = calendar().due_in_working_days(max(due, story.at), rng.randint(1, 3))
        if not story.step(
            0.5,
            actions.do_apologise_dossier,
            new_due_at=new_due,
            reason="Cần xác minh thêm thông tin",
            actor=leader,
        ):
            return
    if rng.random() < 0.02:
        story.step(
            1,
            actions.do_stop_dossier,
            reason="Công dân không bổ sung hồ sơ theo yêu cầu",
            actor=leader,
        )
        return
    remaining = calendar().working_seconds(story.at, story.dossier.due_at or story.at) / 3600
    decide_in = remaining * rng.uniform(0.3, 0.9) if not late else remaining + rng.uniform(2, 20)
    if rng.random() < 0.08:
        if not story.step(
            max(decide_in, 0.2),
            actions.do_reject_dossier,
            reason="Không đủ điều kiện theo quy định",
            actor=leader,
        ):
            return
    elif not story.step(max(decide_in, 0.2), actions.do_approve_dossier, actor=leader):
        return
    electronic = [RESULT_SCAN] if rng.random() < 0.4 else []
    if not story.step(
        rng.uniform(0.1, 1), actions.do_mark_result_ready, actor=leader, uploads=electronic
    ):
        return
    if story.step(rng.uniform(0.5, 24), actions.do_return_result, actor=receiver) and (
        rng.random() < 0.5
    ):
        # Half the citizens rate the service; most are satisfied.
        score = rng.choices([3, 2, 1], weights=[55, 35, 10])[0]
        do_rate_dossier(story.dossier, score=score, comment="", actor=SYSTEM)


def create_demo(data_dir: Path, *, count: int = 300, progress: bool = False) -> DemoResult:
    """Create the demo (idempotent: the dossiers only once)."""
    password = _password(data_dir)
    staff = _officers(password)
    officer_ids = [user.pk for user in staff.values()]
    already = Dossier.objects.filter(created_by_id__in=officer_ids).exists()
    created = 0
    if not already:
        rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
        now = timezone.now()
        cal = calendar()
        commune_procedures = list(Procedure.objects.filter(competent_tier=CompetentTier.COMMUNE))
        province_procedures = list(Procedure.objects.exclude(competent_tier=CompetentTier.COMMUNE))
        centres = {
            code: ServiceCenter.objects.select_related("unit", "unit__province").get(
                code=f"H{PROVINCE}.{code}"
            )
            for code in WARDS
        }
        days = [now.astimezone(ZONE).date() - dt.timedelta(days=n) for n in range(120, -1, -1)]
        working = [day for day in days if cal.is_working_day(day)]
        for _ in tqdm(range(count), desc="demo dossiers", disable=not progress):
            code = rng.choice(list(WARDS))
            province_work = rng.random() < 0.15
            procedure = rng.choice(province_procedures if province_work else commune_procedures)
            # A quarter of the dossiers arrive in the last two weeks, so the queues have work.
            recent = rng.random() < 0.25
            received = _office_moment(rng, rng.choice(working[-10:] if recent else working))
            if received >= now:
                received = now - dt.timedelta(hours=1)
            online = rng.random() < 0.35
            side = WARDS[code]
            try:
                if online:
                    dossier, _ = actions.do_submit_dossier(
                        procedure=procedure,
                        centre=centres[code],
                        applicant=_applicant(rng),
                        actor=staff[f"{side}.receiver"],
                        at=received,
                        pages=rng.randint(1, 6) if procedure.fee_per_page else 0,
                    )
                else:
                    dossier, _ = actions.do_intake_dossier(
                        procedure=procedure,
                        centre=centres[code],
                        applicant=_applicant(rng),
                        actor=staff[f"{side}.receiver"],
                        at=received,
                        pages=rng.randint(1, 6) if procedure.fee_per_page else 0,
                    )
                created += 1
                _live(_Story(rng, dossier, staff, now), side, province_work)
            except DomainError:
                continue  # a simulated step the rules refuse is simply where the story ends
    return DemoResult(
        officers=sorted((name, str(user.get_username())) for name, user in staff.items()),
        password=password,
        dossiers_created=created,
    )

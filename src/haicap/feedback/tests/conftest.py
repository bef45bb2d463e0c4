"""Feedback fixtures: a report filed at Phường Ba Đình, and an Open311 app with its key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haicap.core.actors import SYSTEM
from haicap.feedback import categories, routing
from haicap.feedback.actions import Intake, do_create_api_app, do_file_report
from haicap.feedback.models import Channel, Report

ENVIRONMENT = "moi-truong"


@pytest.fixture
def file_report(db: Any) -> Callable[..., Report]:
    """file_report(address=…, public=…, category=…): a portal report, Ba Đình by default."""

    def make(
        *,
        address: str = "Phường Trúc Bạch, Quận Ba Đình, Hà Nội",
        category: str = ENVIRONMENT,
        public: bool = False,
        phone: str = "0912345678",
        **extra: Any,
    ) -> Report:
        place = routing.from_address(address)
        report, created = do_file_report(
            Intake(
                channel=extra.pop("channel", Channel.PORTAL),
                category=categories.category(category, place.province),
                place=place,
                description=extra.pop("description", "Rác thải đổ trộm ở đầu ngõ 12"),
                address=address,
                full_name="Nguyễn Văn An",
                phone=phone,
                email="an@example.vn",
                is_public=public,
                **extra,
            ),
            actor=SYSTEM,
        )
        assert created
        return report

    return make


@pytest.fixture
def api_key(db: Any) -> str:
    _app, key = do_create_api_app("iHanoi", actor=SYSTEM)
    return key

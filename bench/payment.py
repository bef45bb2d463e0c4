"""Fees paid online and signed results (issue 12), on a fresh database beside the main one.

1. "result ready" with the result notice rendered and signed under the leader's certificate,
   beside the same action with signing off (HAICAP_RESULT_SIGNING=0), interleaved;
2. a gateway callback checked and applied (HMAC, payment row, dossier "pay" event, audit)
   beside the counter's cash payment of the same fee (the same writes without the check);
3. a replayed callback refused (the cost of saying no).

    .venv/bin/python bench/payment.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib

from bench.common import fresh_setup, median_ms, save

BENCH_DB = "haicap_bench_payment"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    url, _env = fresh_setup(BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["HAICAP_DB_POOL_SIZE"] = "0"
    os.environ["HAICAP_DATA_DIR"] = tempfile.mkdtemp(prefix="haicap-bench-payment-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    import django

    django.setup()
    from haicap.core.pki import init_ca

    init_ca(organisation="Thành phố Hà Nội")
    save("payment", {"rounds": rounds, **measure(rounds)})


def measure(rounds: int) -> dict[str, Any]:
    from django.conf import settings

    from haicap.core.actors import SYSTEM
    from haicap.core.errors import Conflict
    from haicap.dossiers import actions, payment_callback
    from haicap.dossiers.actions import Applicant
    from haicap.dossiers.gateway import SUCCESS, signed_callback
    from haicap.procedures.models import Procedure
    from haicap.staff.actions import do_add_staff_member
    from haicap.units.models import ServiceCenter

    leader = do_add_staff_member(
        "lanhdao",
        unit_code="00004",
        roles=["receiver", "leader"],
        actor=SYSTEM,
        full_name="Trần Văn Lãnh",
    ).user
    procedure = Procedure.objects.get(code="HCP.CTR.001")  # 15.000đ at the counter
    centre = ServiceCenter.objects.select_related("unit", "unit__province").get(code="H01.00004")
    applicant = Applicant(full_name="Nguyễn Văn An", phone="0912345678", address="Số 1")

    def decided() -> Any:
        dossier, _ = actions.do_intake_dossier(
            procedure=procedure, centre=centre, applicant=applicant, actor=leader
        )
        dossier = actions.do_assign_dossier(dossier, assignee=leader, actor=leader)
        return actions.do_approve_dossier(dossier, actor=leader)

    urls = {"return_url": "http://x/return/", "notify_url": "http://x/cb/"}
    actions.do_mark_result_ready(decided(), actor=leader)  # the leader's key issued once
    samples: dict[str, list[float]] = {
        k: [] for k in ("unsigned", "signed", "cash", "callback", "replay")
    }
    for _ in range(rounds):
        for signing in (False, True):
            settings.RESULT_SIGNING = signing
            dossier = decided()
            started = time.perf_counter()
            actions.do_mark_result_ready(dossier, actor=leader, note="Đã cấp")
            samples["signed" if signing else "unsigned"].append(time.perf_counter() - started)
        dossier = decided()
        started = time.perf_counter()
        actions.do_record_counter_payment(dossier, method="cash", actor=leader)
        samples["cash"].append(time.perf_counter() - started)
        dossier = decided()
        payment = actions.do_start_online_payment(dossier, actor=SYSTEM, **urls)
        fields = signed_callback(
            order_id=payment.reference,
            transaction_id=payment.gateway_transaction,
            amount=payment.amount,
            status=SUCCESS,
        )
        started = time.perf_counter()
        payment_callback.handle(fields)
        samples["callback"].append(time.perf_counter() - started)
        started = time.perf_counter()
        with contextlib.suppress(Conflict):
            payment_callback.handle(fields)
        samples["replay"].append(time.perf_counter() - started)
    result = {name: median_ms(values) for name, values in samples.items()}
    result["signed_over_unsigned"] = round(result["signed"] / result["unsigned"], 2)
    result["callback_over_cash"] = round(result["callback"] / result["cash"], 2)
    return {"median_ms": result}


if __name__ == "__main__":
    main()

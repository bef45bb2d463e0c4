"""A province and a hub as two live servers with separate databases, over real HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from haicap.federation.protocol import signed_headers
from haicap.federation.tests.live import KEY, OTHER_KEY, PASSWORD, Pair, run, two_servers

PROVINCE_PORT, HUB_PORT = 8108, 8109
FLOW = ("accept", "assign", "approve", "mark_result_ready", "return_result")


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    with two_servers("test_haicap_federation_live", PROVINCE_PORT, HUB_PORT) as servers:
        yield servers


def intake(pair: Pair, name: str = "Nguyễn Văn An") -> dict[str, Any]:
    answer = pair.api(
        "POST",
        "/dossiers",
        json={
            "procedure": "HCP.HT.002",
            "unit": "00004",
            "channel": 1,
            "applicant": {"full_name": name, "id_number": "001090000001"},
        },
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def act(pair: Pair, dossier: dict[str, Any]) -> dict[str, Any]:
    """Take the next step of the usual flow the dossier allows."""
    action = next(a for a in FLOW if a in dossier["allowed_actions"])
    body = {"assignee": "xuly"} if action == "assign" else {}
    answer = pair.api("POST", f"/dossiers/{dossier['code']}/actions/{action}", json=body)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def wait_for(pair: Pair, code: str, version: int, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = pair.hub.sql("SELECT version FROM federation_synceddossier WHERE code = %s", [code])
        steps = pair.hub.sql(
            "SELECT count(*) FROM federation_syncedprogress p JOIN federation_synceddossier d"
            " ON d.id = p.dossier_id WHERE d.code = %s",
            [code],
        )
        if rows and rows[0][0] == version and steps[0][0] == version:
            return
        time.sleep(0.3)
    raise AssertionError(f"{code} v{version} did not reach the hub: {rows}")


def hub_state(pair: Pair, code: str) -> tuple[int, int, list[tuple[int, int]]]:
    ((version, status),) = pair.hub.sql(
        "SELECT version, status FROM federation_synceddossier WHERE code = %s", [code]
    )
    steps = pair.hub.sql(
        "SELECT p.seq, p.status FROM federation_syncedprogress p JOIN federation_synceddossier d"
        " ON d.id = p.dossier_id WHERE d.code = %s ORDER BY p.seq",
        [code],
    )
    return version, status, [(int(a), int(b)) for a, b in steps]


def test_intake_and_every_status_change_reach_the_hub(pair: Pair) -> None:
    dossier = intake(pair)
    wait_for(pair, dossier["code"], dossier["version"])
    statuses = [dossier["status"]]
    for _step in range(3):
        dossier = act(pair, dossier)
        statuses.append(dossier["status"])
        wait_for(pair, dossier["code"], dossier["version"])
    version, status, steps = hub_state(pair, dossier["code"])
    assert version == dossier["version"]
    assert status == dossier["status"]
    assert [s for _seq, s in steps] == [e["to_status"] for e in dossier["timeline"]]
    madonvi = pair.hub.sql(
        "SELECT madonvi FROM federation_synceddossier WHERE code = %s", [dossier["code"]]
    )
    assert madonvi == [("H01.00004",)]


def test_national_and_provincial_lookups_agree(pair: Pair) -> None:
    dossier = act(pair, intake(pair, "Trần Thị Bình"))
    wait_for(pair, dossier["code"], dossier["version"])
    params = {"secret": dossier["secret"]}
    provincial = requests.get(
        f"{pair.province.url}/api/v1/public/dossiers/{dossier['code']}", params=params, timeout=10
    ).json()
    national = requests.get(
        f"{pair.hub.url}/api/v1/national/dossiers/{dossier['code']}", params=params, timeout=10
    ).json()
    for field in ("code", "applicant", "status", "status_label", "received_at", "due_at"):
        left, right = provincial[field], national[field]
        if field.endswith("_at") and left:
            left = left[:19]  # the protocol carries seconds
            right = right[:19]
        assert left == right, field
    assert provincial["procedure"]["name"] == national["procedure"]["name"]
    assert national["province"]["name"] == "Thành phố Hà Nội"
    # The hub holds every province's secrets: guessing one is stopped as at the province.
    answers = [
        requests.get(
            f"{pair.hub.url}/api/v1/national/dossiers/{dossier['code']}",
            params={"secret": f"WRONG{n:03d}"},
            timeout=10,
        ).status_code
        for n in range(31)
    ]
    assert answers[:30] == [404] * 30
    assert answers[30] == 429


def test_hub_down_then_back_nothing_lost_nothing_out_of_order(pair: Pair) -> None:
    pair.hub.stop()
    try:
        dossiers = [intake(pair, f"Lê Văn {i}") for i in range(3)]
        dossiers = [act(pair, act(pair, d)) for d in dossiers]
        time.sleep(2)
        status = json.loads(run(pair.province.env, "sync", "status", "--json"))
        assert status["pending"] >= 9
    finally:
        pair.hub.start()
    out = pair.push()
    assert "sent" in out
    for dossier in dossiers:
        wait_for(pair, dossier["code"], dossier["version"])
        version, state, steps = hub_state(pair, dossier["code"])
        assert (version, state) == (dossier["version"], dossier["status"])
        assert [seq for seq, _s in steps] == list(range(1, version + 1))


def _integration(pair: Pair, session: str, key: str, body: dict[str, Any]) -> requests.Response:
    raw = json.dumps({"session": session, **body}).encode()
    return requests.post(
        f"{pair.hub.url}/api/v1/federation/integration",
        data=raw,
        headers={**signed_headers(key, raw), "Content-Type": "application/json"},
        timeout=10,
    )


def _login(pair: Pair, dstcode: str, username: str, key: str) -> requests.Response:
    raw = json.dumps({"username": username, "password": PASSWORD}).encode()
    return requests.post(
        f"{pair.hub.url}/api/v1/federation/auth",
        data=raw,
        headers={
            **signed_headers(key, raw),
            "dstcode": dstcode,
            "Content-Type": "application/json",
        },
        timeout=10,
    )


def test_replay_and_wrong_key_refused(pair: Pair) -> None:
    answer = _login(pair, "H01", "hanoi", KEY)
    assert answer.json()["error_code"] == 0
    session = answer.json()["session"]
    raw = json.dumps({"session": session, "madonvi": "H01", "service": "LayDanhSachTTHC"}).encode()
    headers = {**signed_headers(KEY, raw), "Content-Type": "application/json"}
    url = f"{pair.hub.url}/api/v1/federation/integration"
    first = requests.post(url, data=raw, headers=headers, timeout=10)
    assert first.status_code == 200
    assert first.json()["error_code"] == 0
    replay = requests.post(url, data=raw, headers=headers, timeout=10)
    assert replay.status_code == 409
    assert replay.json()["error_code"] == 4
    # Cao Bằng's key on Hà Nội's session, and Hà Nội's login with Cao Bằng's key.
    wrong = _integration(pair, session, OTHER_KEY, {"madonvi": "H01", "service": "LayDanhSachTTHC"})
    assert wrong.status_code == 401
    assert wrong.json()["error_code"] == 3
    assert _login(pair, "H01", "hanoi", OTHER_KEY).json()["error_code"] == 3
    # Hà Nội's credentials on a Cao Bằng unit, an unknown unit, bad data: refused, nothing kept.
    other = _integration(pair, session, KEY, {"madonvi": "H04", "service": "LayDanhSachTTHC"})
    assert other.json()["error_code"] == 6
    unknown = _integration(pair, session, KEY, {"madonvi": "H99.X", "service": "LayDanhSachTTHC"})
    assert unknown.json()["error_code"] == 6
    item = {
        "MaHoSo": "H01.00004-991231-0001",
        "PhienBan": 1,
        "MaDonVi": "H01.00004",
        "MaTraCuu": "ABCDEFGH",
        "MaTTHC": "X",
        "TenTTHC": "X",
        "ChuHoSo": "A",
        "LoaiDoiTuong": 1,
        "NgayTiepNhan": "20261301120000",
        "TrangThaiHoSo": 2,
        "HinhThuc": 1,
    }
    bad_date = _integration(
        pair,
        session,
        KEY,
        {"madonvi": "H01", "service": "DongBoHoSoMC", "isUpdating": False, "data": [item]},
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["error"]["field"] == "NgayTiepNhan"
    bad_status = _integration(
        pair,
        session,
        KEY,
        {
            "madonvi": "H01",
            "service": "DongBoHoSoMC",
            "isUpdating": False,
            "data": [{**item, "NgayTiepNhan": "20261201120000", "TrangThaiHoSo": 11}],
        },
    )
    assert bad_status.json()["error_code"] == 7
    foreign = _integration(
        pair,
        session,
        KEY,
        {
            "madonvi": "H01",
            "service": "DongBoHoSoMC",
            "isUpdating": False,
            "data": [{**item, "NgayTiepNhan": "", "MaDonVi": "H04"}],
        },
    )
    assert foreign.json()["error_code"] == 10
    # Hà Nội pushing a Cao Bằng centre's code (to take it on the hub first): refused.
    squat = {**item, "MaHoSo": "04.01234-261201-0001", "NgayTiepNhan": "20261201120000"}
    taken = _integration(
        pair,
        session,
        KEY,
        {"madonvi": "H01", "service": "DongBoHoSoMC", "isUpdating": False, "data": [squat]},
    )
    assert taken.json()["error_code"] == 10
    assert taken.json()["error"]["field"] == "MaHoSo"
    assert pair.hub.sql(
        "SELECT count(*) FROM federation_synceddossier WHERE code = ANY(%s)",
        [[item["MaHoSo"], squat["MaHoSo"]]],
    ) == [(0,)]


def test_role_decides_what_answers(pair: Pair) -> None:
    # The province mounts no hub endpoint (CSRF would answer a POST first: ask with GET).
    assert requests.get(f"{pair.province.url}/api/v1/federation/auth", timeout=5).status_code == 404
    assert requests.get(f"{pair.hub.url}/api/v1/federation/auth", timeout=5).status_code == 405
    assert (
        requests.get(f"{pair.hub.url}/api/v1/province/non-boundary", timeout=5).status_code == 404
    )
    listed = requests.get(f"{pair.province.url}/api/v1/province/non-boundary", timeout=5).json()
    assert listed
    assert all(p["PhiDiaGioi"] for p in listed)


def staff_session(server_url: str) -> requests.Session:
    browser = requests.Session()
    browser.get(f"{server_url}/accounts/login/", timeout=10)
    answer = browser.post(
        f"{server_url}/accounts/login/",
        data={
            "username": "admin",
            "password": "admin-password-for-tests",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        headers={"Referer": f"{server_url}/accounts/login/"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.status_code
    return browser


def test_catalogue_pull_maps_local_codes_to_national(pair: Pair) -> None:
    # The national catalogue names marriage registration by its national code.
    pair.hub.sql_write(
        "UPDATE procedures_procedure SET code = '1.000894' WHERE code = 'HCP.HT.002'"
    )
    out = run(pair.province.env, "sync", "catalogue")
    assert "by name 1" in out, out
    mapped = pair.province.sql(
        "SELECT m.national_code, m.source FROM federation_proceduremapping m"
        " JOIN procedures_procedure p ON p.id = m.procedure_id WHERE p.code = 'HCP.HT.002'"
    )
    assert mapped == [("1.000894", "name")]
    dossier = intake(pair, "Phạm Văn Cường")
    wait_for(pair, dossier["code"], dossier["version"])
    assert pair.hub.sql(
        "SELECT procedure_code FROM federation_synceddossier WHERE code = %s", [dossier["code"]]
    ) == [("1.000894",)]
    # Filing from the hub's catalogue hands the citizen to the province's portal.
    hop = requests.get(
        f"{pair.hub.url}/national/procedures/1.000894/file/",
        params={"province": "H01"},
        allow_redirects=False,
        timeout=10,
    )
    assert hop.status_code == 302
    assert hop.headers["Location"] == f"{pair.province.url}/federation/file/1.000894/"
    landed = requests.get(hop.headers["Location"], allow_redirects=False, timeout=10)
    assert landed.status_code == 302
    assert landed.headers["Location"].endswith("/procedures/HCP.HT.002/file/")


def test_reconciliation_finds_and_fixes_a_difference(pair: Pair) -> None:
    lost, drifted = intake(pair, "Đỗ Thị Dung"), act(pair, intake(pair, "Hoàng Văn Em"))
    wait_for(pair, lost["code"], lost["version"])
    wait_for(pair, drifted["code"], drifted["version"])
    # The hub loses one dossier and another's status drifts.
    pair.hub.sql_write(
        "DELETE FROM federation_syncedprogress WHERE dossier_id IN"
        " (SELECT id FROM federation_synceddossier WHERE code = %s)",
        [lost["code"]],
    )
    pair.hub.sql_write("DELETE FROM federation_synceddossier WHERE code = %s", [lost["code"]])
    pair.hub.sql_write(
        "UPDATE federation_synceddossier SET status = 8 WHERE code = %s", [drifted["code"]]
    )
    day = _vietnam_today()
    out = run(pair.province.env, "sync", "reconcile", "--day", day)
    assert "0 differences" not in out, out
    hub_rows = pair.hub.sql(
        "SELECT jsonb_array_length(differences) FROM federation_hubreconciliation r"
        " JOIN federation_hubprovince p ON p.id = r.province_id WHERE p.dstcode = 'H01'"
        " AND r.day = %s",
        [day],
    )
    assert hub_rows
    assert hub_rows[0][0] >= 2
    run(pair.province.env, "sync", "reconcile", "--day", day, "--resend")
    wait_for(pair, lost["code"], lost["version"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if hub_state(pair, drifted["code"])[1] == drifted["status"]:
            break
        time.sleep(0.3)
    assert hub_state(pair, drifted["code"])[1] == drifted["status"]
    again = run(pair.province.env, "sync", "reconcile", "--day", day)
    assert f"{day}: 0 differences" in again, again


def _vietnam_today() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).date().isoformat()


def test_monitor_figures(pair: Pair) -> None:
    run(pair.hub.env, "createadmin", "--password", "admin-password-for-tests")
    browser = staff_session(pair.hub.url)
    rows = browser.get(f"{pair.hub.url}/national/monitor/?format=json", timeout=10).json()
    assert len(rows) == 34
    hanoi = next(r for r in rows if r["dstcode"] == "H01")
    synced_today = pair.hub.sql(
        "SELECT count(*) FROM federation_synceddossier d JOIN federation_hubprovince p"
        " ON p.id = d.province_id WHERE p.dstcode = 'H01'"
    )[0][0]
    assert hanoi["connected"] is True
    assert hanoi["last_success_at"]
    assert hanoi["today"] == synced_today
    assert hanoi["errors"] >= 5
    assert hanoi["calls"] > hanoi["errors"]
    assert hanoi["lag_p95"] is not None
    assert hanoi["lag_p95"] < 60
    assert sum(1 for r in rows if r["dstcode"] is None) == 32
    page = browser.get(f"{pair.hub.url}/national/monitor/", timeout=10)
    assert page.status_code == 200
    assert "1/34" in page.text
    # A citizen (anonymous) is sent to sign in; the province's officers page is not on the hub.
    assert (
        requests.get(
            f"{pair.hub.url}/national/monitor/", allow_redirects=False, timeout=10
        ).status_code
        == 302
    )

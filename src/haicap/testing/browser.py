"""Playwright driving Debian's Chromium for the browser tests (no browser is downloaded)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

ARTIFACTS = Path(os.environ.get("HAICAP_TEST_ARTIFACTS", "test-artifacts")).resolve()
# Chromium's own network chatter is refused on a closed machine: keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str:
    found = os.environ.get("HAICAP_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright runs an event loop in this thread; the test's own ORM calls are fine here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations: list[dict[str, Any]] = results.response["violations"]
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]


def choose_commune(page: Page, province: str, commune: str) -> None:
    """Pick the province, wait for its communes (htmx brings them), pick the commune. The page
    must have loaded first: a change made before htmx has processed the page is lost, which
    a person never does and a test can."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label("Tỉnh, thành phố").select_option(province)
    expect(page.locator(f"#id_commune option[value='{commune}']")).to_have_count(1)
    page.get_by_label("Xã, phường").select_option(commune)


def menu_link(page: Page, name: str, *, exact: bool = False) -> Locator:
    """A link of the site's menu, as a person reaches it: on a phone the menu is folded
    behind its "Menu" button, which is pressed first."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page.locator(".site-nav").get_by_role("link", name=name, exact=exact)

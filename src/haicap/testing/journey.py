"""Journey tests: a persona walks the site in Chromium, following every same-origin link and
submitting every form with invalid, then valid, input. Every response the browser gets is
recorded; a 5xx, or invalid input answered without an error on the page, is a failure.

Invalid input passes when the answer (after the site's redirect-after-post, if any) is a 4xx
or a 200 page showing the error the way the templates do: .errorlist, role="alert",
aria-invalid="true" or .message.error; a plain-text 4xx shows its text.

New pages join by being linked: nothing here lists the site's addresses. Addresses are grouped
by pattern (segments with digits are codes) so 300 dossiers cost a few visits.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Browser, Locator, Page, Response
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from haicap.testing import journey_inputs as page_js
from haicap.testing.browser import screenshot
from haicap.testing.journey_frontier import Frontier
from haicap.testing.journey_inputs import (
    Control,
    HtmxElement,
    Op,
    form_signature,
    invalid_plan,
    sample_file,
    valid_plan,
)
from haicap.testing.journey_report import (
    ADMIN,
    SKIPPED,
    Hit,
    JourneyReport,
    Limits,
    Persona,
    Submission,
    url_pattern,
)

__all__ = ["JourneyReport", "Limits", "Persona", "run_journey"]


def _is_htmx(response: Response) -> bool:
    return response.request.headers.get("hx-request") == "true"


def _rendered(response: Response | None) -> bool:
    kind = response.headers.get("content-type", "") if response else ""
    return kind.startswith(("text/html", "text/plain"))


class Journey:
    """One persona's walk; ``run`` returns what it saw."""

    def __init__(self, browser: Browser, base_url: str, persona: Persona, limits: Limits):
        self.base = base_url.rstrip("/")
        self.origin = urlsplit(self.base).netloc
        self.persona, self.limits = persona, limits
        self.report = JourneyReport(persona.name)
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        self.context.set_default_timeout(30_000)  # a loaded CI machine
        self.context.on("response", self._record)
        self.page: Page = self.context.new_page()
        self.current = ""
        self.frontier = Frontier(self.base, persona, limits)
        self.shots = 0
        self.forms: set[str] = set()
        self.pending: deque[tuple[str, str]] = deque()
        self.htmx_done: set[str] = set()

    def run(self) -> JourneyReport:
        try:
            self._sign_in()
            for path in ("/", *self.persona.landing):
                self.frontier.add(self.base + path)
            while len(self.report.pages) < self.limits.pages:
                url = self.frontier.next()
                if url is None:
                    break
                self._visit(url)
                self._submit_pending()
        finally:
            self.context.close()
        return self.report

    # Looking

    def _record(self, response: Response) -> None:
        if urlsplit(response.url).netloc == self.origin:
            method, kind = response.request.method, response.request.resource_type
            self.report.hits.append(Hit(method, response.url, response.status, kind, self.current))

    def _goto(self, url: str) -> Response | None:
        """Load ``url``; None for a download (its response is recorded all the same)."""
        try:
            return self.page.goto(url)
        except PlaywrightError as exc:
            if "Download is starting" not in exc.message:
                self.report.problems.append(
                    f"{self.persona.name}: {url} did not load: {exc.message.splitlines()[0]}"
                )
            return None

    def _visit(self, url: str) -> None:
        self.current = url
        started = time.monotonic()
        response = self._goto(url)
        self.report.timings.append((time.monotonic() - started, url))
        if response is None and not any(hit.url == url for hit in self.report.hits):
            return
        self.report.pages.append(url)
        if response is None or not response.headers.get("content-type", "").startswith("text/html"):
            return
        if self.shots == 0:
            self._screenshot("landing" if url == self.base + "/" else "page")
        if self._harvest(forms=True):
            self.frontier.promote(url_pattern(url))
        self._poke_htmx()
        self._harvest(forms=False)

    def _harvest(self, *, forms: bool) -> bool:
        """Queue the page's links (and forms); whether it offered a form not seen yet."""
        for link in self.page.evaluate(page_js.LINKS_JS):
            self.frontier.add(link, self.page.url)
        if not forms or ADMIN.match(urlsplit(self.page.url).path):
            return False
        new = False
        for found in self.page.evaluate(page_js.FORMS_JS):
            action = urljoin(self.page.url, found["action"])
            path = urlsplit(action).path
            if urlsplit(action).netloc != self.origin or SKIPPED.match(path) or ADMIN.match(path):
                continue  # sign-out ends the persona's walk; admin forms are Django's own
            signature = form_signature(found)
            if signature not in self.forms:
                self.forms.add(signature)
                self.pending.append((self.page.url, signature))
                new = True
        return new

    def _find_form(self, signature: str) -> Locator | None:
        for index, found in enumerate(self.page.evaluate(page_js.FORMS_JS)):
            if form_signature(found) == signature:
                return self.page.locator("form").nth(index)
        return None

    def _poke_htmx(self) -> None:
        """Change each htmx-driven select or input once; the request it sends must come."""
        for _round in range(8):
            todo = [
                (index, found)
                for index, found in enumerate(self.page.evaluate(page_js.HTMX_JS))
                if self._htmx_key(found) not in self.htmx_done
            ]
            if not todo:
                return
            index, found = todo[0]
            self.htmx_done.add(self._htmx_key(found))
            element = self.page.locator("[hx-get], [hx-post]").nth(index)
            change = self._htmx_change(element, found)
            if change is not None:
                self._expect_htmx(change, f"changing {found['tag']} {found['key']!r}")

    @staticmethod
    def _htmx_key(found: HtmxElement) -> str:
        """The same control on every page it appears on (queue tabs, English pages)."""
        return f"{found['tag']}#{found['key']} {url_pattern(found['url']).removeprefix('/en')}"

    def _htmx_change(self, element: Locator, found: HtmxElement) -> Callable[[], object] | None:
        tag, trigger = found["tag"], found["trigger"] or "change"
        if tag == "form":
            selects = element.locator("select")
            if "change" in trigger and selects.count():
                element, tag = selects.first, "select"
            else:
                element, tag = (
                    element.locator("input[type=search], input[type=text]").first,
                    "input",
                )
                if not element.count():
                    return None
        if tag == "select":
            value = element.evaluate(page_js.FIRST_OPTION_JS, True)
            return None if value is None else lambda: element.select_option(value, force=True)
        if tag in {"input", "textarea"}:
            # "input changed" fires only for a new value.
            text = "ha" if element.input_value() == "ba" else "ba"
            return lambda: element.fill(text, force=True)
        return None  # load, every …: they fire by themselves and are recorded

    def _expect_htmx(self, change: Callable[[], object], what: str) -> None:
        try:
            with self.page.expect_response(_is_htmx, timeout=5_000) as info:
                change()
            self.report.htmx.append(f"{info.value.status} {info.value.url}")
            self.page.wait_for_function(page_js.SETTLED_JS, timeout=5_000)
        except PlaywrightTimeout:
            self.report.problems.append(
                f"{self.persona.name}: {what} on {self.page.url} sent no htmx request"
            )

    # Submitting

    def _submit_pending(self) -> None:
        while self.pending and len({s.form for s in self.report.submissions}) < self.limits.forms:
            self._try_form(*self.pending.popleft())

    def _try_form(self, page_url: str, signature: str) -> None:
        """Invalid input first: it must change nothing, so the valid try still finds the form."""
        opened = self._open_form(page_url, signature, "invalid")
        if opened is None:
            return
        form, controls = opened
        plan = invalid_plan(controls)
        if plan is None:  # nothing in it can be invalid: the page is still fresh
            self.report.submissions.append(Submission(signature, "invalid", page_url, None, False))
        else:
            self._submit(form, controls, plan, signature, page_url, valid=False)
            opened = self._open_form(page_url, signature, "valid")
            if opened is None:
                return
            form, controls = opened
        self._submit(form, controls, valid_plan(controls), signature, page_url, valid=True)

    def _open_form(
        self, page_url: str, signature: str, variant: str
    ) -> tuple[Locator, list[Control]] | None:
        self.current = f"{variant} {signature} from {page_url}"
        if self._goto(page_url) is None:
            return None
        form = self._find_form(signature)
        if form is None:
            # The page moved on (the dossier changed state): another page may offer it.
            self.forms.discard(signature)
            self.report.notes.append(f"{signature} gone from {page_url} before its {variant} try")
            return None
        controls: list[Control] = form.evaluate(page_js.FIELDS_JS)
        return form, controls

    def _submit(
        self,
        form: Locator,
        controls: list[Control],
        plan: list[tuple[Op, str]],
        signature: str,
        page_url: str,
        *,
        valid: bool,
    ) -> None:
        variant = "valid" if valid else "invalid"
        self.current = f"{variant} {signature} from {page_url}"
        form.evaluate(page_js.OPEN_JS)
        if not valid:
            form.evaluate(page_js.STRIP_JS)
        self._fill(form, controls, plan, valid=valid)
        mark = len(self.report.hits)
        started = time.monotonic()
        response = self._send(form)
        self.report.timings.append((time.monotonic() - started, self.current))
        status = response.status if response is not None else self._last_status(mark)
        shown = _rendered(response) and bool(self.page.evaluate(page_js.ERRORS_JS))
        self.report.submissions.append(Submission(signature, variant, page_url, status, shown))
        if not valid and not (shown and status is not None and 200 <= status < 500):
            self.report.problems.append(
                f"{self.persona.name}: invalid input to {signature} on {page_url} answered "
                f"{status} {'with' if shown else 'without'} an error shown"
            )
        elif not valid and self.shots < self.limits.screenshots:
            self._screenshot("invalid")
        elif valid and shown:
            said = self.page.evaluate(page_js.SAID_JS)
            self.report.notes.append(f"valid input to {signature} was refused: {said}")
        if response is not None and _rendered(response):
            self._harvest(forms=response.request.method == "GET")
            self._keep_identity(signature)

    def _fill(
        self, form: Locator, controls: list[Control], plan: list[tuple[Op, str]], *, valid: bool
    ) -> None:
        """Choices first (one may load the next one's options, or more fields, by htmx), then
        files, then every typed value and tick in one step, with the input and change events
        a user's typing fires."""
        elements = form.locator("input, select, textarea")
        self._choose(elements, controls, plan)
        fresh: list[Control] = form.evaluate(page_js.FIELDS_JS)
        if [c["name"] for c in fresh] != [c["name"] for c in controls]:
            # A choice brought fields of its own (the counter's e-form): plan them too.
            controls = fresh
            plan = valid_plan(fresh) if valid else (invalid_plan(fresh) or valid_plan(fresh))
            if not valid:
                form.evaluate(page_js.STRIP_JS)
            self._choose(elements, controls, plan)
        for index, (op, value) in enumerate(plan):
            try:
                if op == "file":
                    name, mime, content = sample_file(value)
                    elements.nth(index).set_input_files(
                        {"name": name, "mimeType": mime, "buffer": content}
                    )
            except PlaywrightError as exc:
                self.report.notes.append(
                    f"could not set {controls[index]['name']}: {exc.message.splitlines()[0]}"
                )
        steps = [
            [index, op, value]
            for index, (op, value) in enumerate(plan)
            if op in {"text", "check", "unselect"}
        ]
        form.evaluate(page_js.SET_JS, steps)

    def _choose(
        self, elements: Locator, controls: list[Control], plan: list[tuple[Op, str]]
    ) -> None:
        for index, (op, _value) in enumerate(plan):
            if op != "select":
                continue
            try:
                self._select_first(elements.nth(index), controls[index])
            except PlaywrightError as exc:
                self.report.notes.append(
                    f"could not set {controls[index]['name']}: {exc.message.splitlines()[0]}"
                )

    def _select_first(self, element: Locator, control: Control) -> None:
        # The options may have come by htmx after an earlier choice: read them now.
        chosen = element.evaluate(page_js.FIRST_OPTION_JS, False)
        if chosen is None:
            return
        current = element.evaluate("e => e.value")
        if control["hx"] and chosen != current:
            self._expect_htmx(
                lambda: element.select_option(chosen, force=True), f"choosing {control['name']}"
            )
        else:
            element.select_option(chosen, force=True)

    def _send(self, form: Locator) -> Response | None:
        try:
            if form.evaluate("f => f.hasAttribute('hx-get') || f.hasAttribute('hx-post')"):
                with self.page.expect_response(_is_htmx) as info:
                    form.evaluate(page_js.SUBMIT_JS)
                self.page.wait_for_function(page_js.SETTLED_JS, timeout=5_000)
                return info.value
            with self.page.expect_navigation() as navigation:
                form.evaluate(page_js.SUBMIT_JS)
            return navigation.value
        except PlaywrightError as exc:
            if "Download is starting" not in exc.message:
                self.report.notes.append(f"submitting: {exc.message.splitlines()[0]}")
            return None

    def _last_status(self, mark: int) -> int | None:
        documents = [hit for hit in self.report.hits[mark:] if hit.kind == "document"]
        return documents[-1].status if documents else None

    # Who is signed in

    def _sign_in(self) -> None:
        if not self.persona.username:
            return
        self.current = "sign-in"
        self.page.goto(self.base + "/accounts/login/")
        self.page.fill("#id_username", self.persona.username)
        self.page.fill("#id_password", self.persona.password)
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").click()
        if not self._signed_in_as_persona():
            raise AssertionError(f"{self.persona.name} could not sign in")

    def _signed_in_as_persona(self) -> bool:
        who = self.page.evaluate(page_js.WHO_JS)
        if not self.persona.username:
            return who is None
        return who is not None and f"({self.persona.username})" in who

    def _keep_identity(self, signature: str) -> None:
        """A form that signs someone else in (sign-up) must not change the persona."""
        if not self.page.locator(".site-header").count():
            return  # not one of the site's pages (a bare error page, a file)
        if not self._signed_in_as_persona():
            self.report.notes.append(f"{signature} changed who is signed in; signed in again")
            self.context.clear_cookies()
            self._sign_in()

    def _screenshot(self, what: str) -> None:
        self.shots += 1
        screenshot(self.page, f"journey-{self.persona.name}-{self.shots:02d}-{what}")


def run_journey(
    browser: Browser, base_url: str, persona: Persona, limits: Limits | None = None
) -> JourneyReport:
    return Journey(browser, base_url, persona, limits or Limits()).run()

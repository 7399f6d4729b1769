"""The whole year walked in a real browser (Debian's Chromium through Playwright), each role
from the navigation only: starting at its home page and clicking links and buttons, no typed
address except the login page and never the admin site (issue 17's "Done when").

A unit pastes its August progress into the entry grid and submits it; the lead department
approves it in bulk from the status matrix and closes the round after its preview; a county
answers its warning with a rectification plan and reports it done; the lead department closes
the rectification, opens and closes the annual round from the rounds page, computes and
publishes the results after their preview; the county reads its feedback and lodges an
objection, the responsible unit answers it, the lead department upholds it after the
preview and drafts next year as a copy of this one. Fewer than 300 clicks in all (bulk
review at most 5), counted by the test; each step's screenshot is kept in
``screenshots/year-walk/`` (gitignored), named in the README.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import sync_playwright

from alerts.models import Rectification, Warning
from assessment.models import Cycle, Round
from reports.models import Objection
from reports.publication import is_published
from scoring.models import EntryState, Progress
from tests.browser import launch
from tests.factories import CountyFactory, RoundFactory
from tests.pages import build_cycle

FOLDER = Path(__file__).resolve().parents[2] / "screenshots" / "year-walk"
# The links and buttons of a page, to name them when an expected one is missing.
OFFERED = """() => [...document.querySelectorAll("a, button")]
  .map((e) => e.innerText.trim().replace(/\\s+/g, " ")).filter(Boolean)"""
# What Excel and WPS put on the clipboard for a column of three values.
PASTE = """(block) => {
  const data = new DataTransfer();
  data.setData("text/plain", block);
  document.activeElement.dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""
# The page's pictures loaded (the charts are lazy, which a full-page screenshot does not
# trigger): a chart that fails to load is then among the error responses.
IMAGES = """async () => {
  for (const img of document.images) {
    img.loading = "eager";
    if (!img.complete) await new Promise((done) => { img.onload = done; img.onerror = done; });
  }
}"""
# The smallest PDF the upload guard accepts as a rectification's evidence.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Walk:
    """One browser page of one role: counts the clicks and keeps a screenshot of each step."""

    def __init__(self, browser, base, folder, counter):
        self.page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.base, self.folder, self.counter = base, folder, counter
        # Every page the browser was served, for the test to find an error among them.
        self.page.on(
            "response",
            lambda r: counter["errors"].append((r.status, r.url)) if r.status >= 400 else None,
        )

    def shot(self, name):
        """A full-page screenshot of the step, numbered in the order of the walk."""
        self.page.evaluate(IMAGES)
        self.counter["step"] += 1
        path = self.folder / f"{self.counter['step']:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def login(self, username):
        """Sign in on the login page (the only address typed), landing on the home page."""
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", "pass1234")
        with self.page.expect_navigation():
            self.page.press("input[name=password]", "Enter")
        self.page.wait_for_load_state()

    def click(self, selector, *, navigate=True, name=None):
        """Click the first visible match of ``selector`` (waiting for it), counted; wait for
        the page it leads to unless ``navigate`` is false; keep a screenshot named ``name``."""
        target = self.page.locator(selector).first
        try:
            target.wait_for(timeout=5000)
        except Exception:
            # What the page offered instead, to say which link or button is missing.
            self.page.screenshot(path=str(self.folder / "failed.png"), full_page=True)
            offered = self.page.evaluate(OFFERED)
            raise AssertionError(f"{selector} not on {self.page.url}; offered: {offered}") from None
        self.counter["clicks"] += 1
        if navigate:
            with self.page.expect_navigation():
                target.click()
            self.page.wait_for_load_state()
        else:
            target.click()
        if name:
            self.shot(name)

    def link(self, text, name=None, *, within=""):
        self.click(f"{within} a:has-text('{text}'):visible".strip(), name=name)

    def button(self, text, name=None, *, within=""):
        self.click(f"{within} button:has-text('{text}'):visible".strip(), name=name)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_year_walk_every_role_from_the_navigation_in_few_clicks(
    live_server, county, other_county, unit, other_unit, lead, county_user, unit_user,
    other_unit_user,
):  # fmt: skip
    cache.clear()
    third = CountyFactory(code="103", name="南城区")
    cycle = build_cycle(
        [county, other_county, third],
        [(90, 80), (70, 60), (80, 95)],
        year=2026,
        units=(unit, other_unit),
        compute=False,
    )
    today = timezone.localdate()
    RoundFactory(
        cycle=cycle,
        code="annual",
        name="年度考核",
        kind=Round.Kind.ANNUAL,
        expected_progress=None,
        status=Round.Status.PENDING,
        opens_on=today + timedelta(days=60),
        closes_on=today + timedelta(days=90),
    )
    RoundFactory(
        cycle=cycle,
        code="august",
        name="8月预考核",
        expected_progress=Decimal("66.67"),
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=10),
    )
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*.png"):
        old.unlink()
    counter = {"clicks": 0, "step": 0, "errors": []}
    with sync_playwright() as p:
        browser = launch(p)
        # A unit enters its August progress: pasted into the grid and submitted.
        w = Walk(browser, live_server.url, FOLDER, counter)
        w.login("unit-TJJ")
        w.shot("unit-home")
        w.link("A01 地区生产总值增速", "unit-grid")
        w.click("input.grid-cell", navigate=False)
        w.page.evaluate(PASTE, "20\r\n70\r\n65\r\n")
        w.shot("unit-grid-pasted")
        w.button("保存并提交", "unit-submitted")
        # The lead department reviews in bulk from the status matrix, then closes the round
        # after its preview.
        w = Walk(browser, live_server.url, FOLDER, counter)
        w.login("lead")
        w.shot("lead-home")
        before_review = counter["clicks"]
        w.link("8月预考核", "lead-matrix")
        w.link("审核已提交的", "lead-approve-list")
        w.button("审核通过勾选的填报", "lead-approved")
        review_clicks = counter["clicks"] - before_review
        w.link("考核轮次", "lead-rounds", within="nav")
        w.link("结束并发出预警", "lead-close-preview")
        w.button("确认：结束并发出预警", "lead-closed")
        # The county answers its warning with a plan, then reports the rectification done.
        c = Walk(browser, live_server.url, FOLDER, counter)
        c.login("county-101")
        c.shot("county-home")
        c.link("指标预警", "county-warnings", within="nav")
        c.click("main table a:visible", name="county-warning")
        c.page.fill(
            "textarea[name=measures]",
            "召开专题会议，逐项落实收入征管措施，确保年底前完成全年目标任务。",
        )
        c.page.fill("input[name=owner]", "区财政局 王明")
        c.page.fill("input[name=deadline]", (today + timedelta(days=20)).isoformat())
        c.button("提交整改方案", "county-plan-submitted")
        c.page.fill(
            "textarea[name=completion]", "已召开专题会议，收入征管措施均已落实，进度已赶上。"
        )
        c.page.set_input_files(
            "input[name=evidence]",
            files=[{"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        c.button("报告完成，提请回头看", "county-completion-reported")
        # The lead department closes the rectification.
        w.link("问题整改", "lead-rectifications", within="nav")
        w.click("main table a[href*='/rectifications/']:visible", name="lead-rectification")
        w.click("label:has-text('整改到位，予以销号')", navigate=False)
        w.button("提交回头看结论", "lead-rectification-closed")
        # The lead department opens and closes the annual round from the rounds page.
        w.link("考核轮次", "lead-rounds-annual", within="nav")
        w.button("立即开启", "lead-annual-opened")
        w.link("结束并锁定填报", "lead-annual-close-preview")
        w.button("确认：结束并锁定填报", "lead-annual-closed")
        # It computes and publishes the results, after the preview.
        w.click("nav button.dropdown-toggle:has-text('考核结果')", navigate=False)
        w.link("考核结果", "lead-results", within="nav .dropdown-menu")
        w.click("form[action$='/results/compute/'] button", name="lead-computed")
        w.link("指标统计与结果公布", "lead-statistics")
        w.click(".publish-form button", name="lead-publish-preview")
        w.button("确认：公布", "lead-published")
        # The county reads its feedback and lodges an objection.
        c.link("结果反馈", "county-feedback", within="nav")
        c.link("异议申诉", "county-objections", within="nav")
        c.link("提出异议申诉", "county-objection-form")
        c.page.select_option("select[name=indicator]", label="A02 一般公共预算收入")
        c.page.fill(
            "textarea[name=reasons]", "收入口径漏计一笔土地出让收入，请予复核并更正本项得分。"
        )
        c.button("提交异议申诉", "county-objection-lodged")
        # The unit responsible for the indicator answers it.
        u = Walk(browser, live_server.url, FOLDER, counter)
        u.login("unit-CZJ")
        u.shot("other-unit-home")
        u.link("异议申诉", "other-unit-objections", within="nav")
        u.click("main table a[href^='/objections/']", name="other-unit-objection")
        u.page.fill(
            "textarea[name=answer]", "经核实，该笔土地出让收入已于12月入库，应计入本年度收入。"
        )
        u.button("提交答复", "other-unit-answered")
        # The lead department decides it: upheld.
        w.click("nav button.dropdown-toggle:has-text('考核结果')", navigate=False)
        w.link("异议申诉", "lead-objections", within="nav .dropdown-menu")
        w.click("main table a[href^='/objections/']", name="lead-objection")
        w.click("label:has-text('异议成立')", navigate=False)
        w.page.fill("textarea[name=reason]", "责任单位核实属实，异议成立。")
        w.button("提交裁定", "lead-objection-decision-preview")
        w.button("确认：提交裁定", "lead-objection-decided")
        # Then it drafts next year as a copy of this one.
        w.click("nav button.dropdown-toggle:has-text('考核统筹')", navigate=False)
        w.link("新建年度", "lead-new-year")
        w.button("生成年度草稿", "lead-next-year-drafted")
        browser.close()

    assert counter["errors"] == []
    assert counter["clicks"] < 300, counter["clicks"]
    assert review_clicks <= 5, review_clicks
    assert counter["step"] == len(list(FOLDER.glob("*.png")))
    august = Round.objects.get(cycle=cycle, code="august")
    annual = Round.objects.get(cycle=cycle, code="annual")
    assert (august.status, annual.status) == (Round.Status.CLOSED, Round.Status.CLOSED)
    stored = sorted(
        Progress.objects.filter(round=august).values_list(
            "county__code", "indicator__code", "value"
        )
    )
    assert stored == [
        ("101", "A01", Decimal(20)), ("102", "A01", Decimal(70)), ("103", "A01", Decimal(65)),
    ]  # fmt: skip
    state = EntryState.objects.get(round=august, indicator__code="A01")
    assert state.status == EntryState.Status.APPROVED
    warning = Warning.objects.get(round=august)
    assert (warning.county.code, warning.indicator.code) == ("101", "A01")
    assert warning.rectification.status == Rectification.Status.CLOSED
    cycle.refresh_from_db()
    assert cycle.results_computed_at is not None
    assert is_published(cycle)
    objection = Objection.objects.get(cycle=cycle)
    assert (objection.county.code, objection.indicator.code, objection.status) == (
        "101", "A02", Objection.Status.UPHELD,
    )  # fmt: skip
    draft = Cycle.objects.get(year=2027)
    assert draft.status == Cycle.Status.DRAFT
    assert sorted(draft.indicators.values_list("code", flat=True)) == ["A01", "A02"]

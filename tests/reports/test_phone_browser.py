"""The county's pages on a phone (390 px wide, Debian's Chromium through Playwright): no page
scrolls sideways, the charts are the narrow variant with no text under 10 px on screen, and
the unread warnings are counted in the navigation bar without opening its menu."""

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import sync_playwright

from alerts.models import Rectification
from assessment.models import Round
from reports.objections import lodge
from reports.publication import publish
from tests.browser import launch
from tests.factories import RectificationFactory, RoundFactory, WarningFactory
from tests.pages import build_cycle

PHONE = {"width": 390, "height": 844}
# A folder to keep a full-page screenshot of each page in, to look at them (optional).
SHOTS = os.environ.get("PHONE_SCREENSHOTS")

# Every chart picture on the page, scrolled into view and loaded: its source (the variant the
# browser chose), its width on screen, and the font size of each text of the SVG on screen.
# matplotlib writes text as glyph paths in a group scaled by size ÷ 100 (in the SVG's units,
# points); on screen a unit is the picture's width ÷ the viewBox's width.
CHART_TEXT = """async () => {
  const found = [];
  for (const img of document.querySelectorAll("picture img")) {
    img.scrollIntoView();
    if (!img.complete) {
      // Bounded: a picture that never loads fails the test below instead of hanging it.
      await new Promise((done) => {
        img.addEventListener("load", done, {once: true});
        img.addEventListener("error", done, {once: true});
        setTimeout(done, 60000);
      });
    }
    // Not naturalWidth: an SVG sized by its viewBox alone has none, loaded or not (waiting
    // for a load that had already happened hung this walk).
    const response = await fetch(img.currentSrc, {signal: AbortSignal.timeout(60000)});
    if (!response.ok) {
      found.push({src: img.currentSrc, width: 0, sizes: []});
      continue;
    }
    const svg = await response.text();
    const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
    const box = doc.documentElement.getAttribute("viewBox").split(" ").map(Number);
    const unit = img.getBoundingClientRect().width / box[2];
    const sizes = [];
    for (const g of doc.querySelectorAll("g[transform*='scale(']")) {
      const m = /scale\\(([0-9.]+) -/.exec(g.getAttribute("transform"));
      if (m) sizes.push(parseFloat(m[1]) * 100 * unit);
    }
    found.push({src: img.currentSrc, width: img.getBoundingClientRect().width, sizes});
  }
  window.scrollTo(0, 0);
  return found;
}"""


def _year(county, other_county, unit, other_unit, lead, county_user):
    """A published year with last year before it, two warnings (one answered with a plan),
    an objection lodged."""
    build_cycle([county, other_county], [(80, 70), (90, 80)], year=2023, units=(unit, other_unit))
    cycle = build_cycle(
        [county, other_county], [(90, 80), (70, 60)], year=2024, units=(unit, other_unit)
    )
    for published in (cycle.__class__.objects.get(year=2023), cycle):
        publish(cycle=published, actor=lead)
    april = RoundFactory(
        cycle=cycle, code="april", name="4月预考核", status=Round.Status.CLOSED,
        closes_on=date(2024, 4, 30),
    )  # fmt: skip
    warnings = [
        WarningFactory(round=april, cycle=cycle, county=county, indicator=indicator)
        for indicator in cycle.indicators.order_by("code")
    ]
    rect = RectificationFactory(
        warning=warnings[1],
        status=Rectification.Status.PLANNED,
        deadline=timezone.localdate() + timedelta(days=10),
        measures="召开专题会议，倒排工期，逐项落实收入征管各项措施，确保年底前完成全年目标任务。",
    )
    objection = lodge(
        cycle=cycle,
        county=county,
        indicator=cycle.indicators.get(code="A02"),
        reasons="收入口径漏计一笔土地出让收入，请予复核并更正本项得分。",
        actor=county_user,
    )
    return warnings, rect, objection


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_county_pages_fit_a_phone_with_readable_charts(
    live_server, county, other_county, unit, other_unit, lead, county_user
):
    cache.clear()
    warnings, rect, objection = _year(county, other_county, unit, other_unit, lead, county_user)
    pages = [
        "/",
        "/warnings/",
        f"/warnings/{warnings[0].pk}/",
        "/rectifications/",
        f"/rectifications/{rect.pk}/",
        "/cycles/2024/counties/101/feedback/",
        "/cycles/2024/counties/101/explain/",
        "/cycles/2024/objections/",
        f"/objections/{objection.pk}/",
        "/cycles/2024/objections/new/",
    ]
    overflow, charts, badges = {}, {}, {}
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "county-101")
        page.fill("input[name=password]", "pass1234")
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            overflow[path] = page.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            if SHOTS:
                name = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
            badge = page.locator(".nav-unread-phone")
            badges[path] = badge.inner_text() if badge.is_visible() else None
            if path.endswith("/feedback/"):
                charts = page.evaluate(CHART_TEXT)
        browser.close()

    # Opening the first warning marked it read: one unread is left from then on.
    assert overflow == {path: 0 for path in pages}
    unread = ["指标预警 2"] * 2 + ["指标预警 1"] * (len(pages) - 2)
    assert badges == dict(zip(pages, unread, strict=True))
    assert [(c["src"].split("/", 3)[3], c["width"]) for c in charts] == [
        ("counties/101/trend.svg?width=narrow", 366),
        ("cycles/2024/change.svg?width=narrow", 366),
        ("cycles/2024/counties/101/profile.svg?width=narrow", 366),
    ]
    smallest = min(min(c["sizes"]) for c in charts)
    assert smallest >= 10, f"a chart's text is {smallest:.1f} px on screen"

"""The dashboard in a real headless Chromium (Debian's `chromium`, driven by Playwright) against `hadath serve`.

The browser may fetch nothing but the hadath server: any other request fails
the test, so the page must work offline (map library and base map included).
A screenshot is kept under tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_api import API_ARTICLES, PY, Server
from test_store import write_jsonl

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                              args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dash")
    db = f"sqlite:///{tmp / 'dash.db'}"
    r = subprocess.run([*PY, "ingest", str(write_jsonl(tmp / "a.jsonl", API_ARTICLES)), "--db", db, "--no-progress"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    s = Server(db)
    yield s
    s.stop()


def test_dashboard_offline_filter_and_evidence(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 950}, locale="ar")
    outside: list[str] = []
    errors: list[str] = []

    def only_local(route):
        host = urlparse(route.request.url).hostname
        if host != "127.0.0.1":
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_local)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    # the map draws the shipped Natural Earth countries and one marker per placed event
    page.wait_for_function("document.querySelectorAll('#map svg path').length > 100", timeout=20_000)
    page.wait_for_function("document.querySelectorAll('#map path.leaflet-interactive').length === 3",
                           timeout=20_000)  # the three placed events
    rows = page.locator("#events tbody tr")
    rows.first.wait_for()
    assert rows.count() == 3  # Abha (two reports, one event), Saada, Doha
    assert page.locator("#timeline rect.bar").count() >= 2

    # filter: assaults only
    page.select_option("#f-type", "ASSAULT")
    page.click("#f-apply")
    page.wait_for_function("document.querySelectorAll('#events tbody tr').length === 2")
    # free text in Arabic, folded the same way as the index
    page.fill("#f-q", "أبها")
    page.click("#f-apply")
    page.wait_for_function("document.querySelectorAll('#events tbody tr').length === 1")
    assert "Abha" in rows.first.inner_text()

    # open the event: both sources, evidence highlighted in each Arabic article
    rows.first.click()
    page.wait_for_selector("#detail .source mark.k-trigger")
    sources = page.locator("#detail .source")
    assert sources.count() == 2
    for k in range(2):
        src = sources.nth(k)
        article = src.locator(".article")
        assert article.get_attribute("dir") == "rtl"
        kinds = " ".join(src.locator("mark").evaluate_all("ms => ms.map(m => m.dataset.kind)"))
        for kind in ("trigger", "place", "killed", "sentence"):
            assert kind in kinds, (kind, kinds)
        assert "أبها" in src.locator("mark.k-place").first.inner_text()
        assert "Abha" in src.locator(".lbl").all_inner_texts()  # the English name beside the Arabic one
    trigger = sources.first.locator("mark.k-trigger").first.inner_text()
    assert trigger and trigger in API_ARTICLES[0]["body"] + API_ARTICLES[1]["body"]

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")  # screenshots are for looking at, not for committing
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert not outside, f"the page tried to reach the internet: {outside}"
    assert not errors, errors
    page.close()

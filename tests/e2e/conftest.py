"""Browser journeys: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Every page a journey visits is checked with axe-core (from the npm registry) for serious or critical
accessibility violations; the URLs covered are listed at the end of the run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_COVERED: list[str] = []

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the ORM calls the tests make between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make install` as root (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_live(transactional_db, live_server):
    """The demo data in a database the live server's thread can see."""
    from django.core.management import call_command

    from govhall.accounts.models import User

    with open(os.devnull, "w") as devnull:
        call_command("load_demo", catalog="core", verbosity=0, stdout=devnull)
    return {user.username: user for user in User.objects.all()}


def check_accessibility(page) -> None:
    """Run axe-core on the current page; fail on serious or critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    AXE_COVERED.append(page.url)
    assert not bad, json.dumps(
        [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in bad],
        ensure_ascii=False,
        indent=1,
    )


def pytest_terminal_summary(terminalreporter):
    if AXE_COVERED:
        terminalreporter.write_sep("-", f"axe-core checked {len(AXE_COVERED)} page views")
        for url in dict.fromkeys(AXE_COVERED):
            terminalreporter.write_line(f"  {url}")

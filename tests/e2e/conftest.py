"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against a live server."""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_EXECUTABLE") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}; run scripts/services/system-packages.sh (apt: chromium).")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


def describe_failure(request, page) -> None:
    """On a failed browser test, report where the browser was and what a screen reader would have seen:
    CI keeps only the log, and a missing button is often hidden behind a dialog."""
    from playwright.sync_api import Error as PlaywrightError

    if not getattr(request.node, "e2e_failed", False):
        return
    lines = [f"failed at {page.url}"]
    try:
        dialogs = page.locator("dialog[open], [role=dialog]:visible, [role=alertdialog]:visible")
        lines += [f"open dialog: {dialogs.nth(i).inner_text(timeout=2_000)[:500]!r}" for i in range(dialogs.count())]
        lines.append("accessibility tree (end):\n" + page.locator("body").aria_snapshot(timeout=5_000)[-8_000:])
    except PlaywrightError as error:  # the page may be gone; the test's own error is the one that matters
        lines.append(f"could not describe the page: {error}")
    request.node.add_report_section("teardown", "browser", "\n".join(lines))


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    describe_failure(request, page)
    context.close()


@pytest.fixture
def phone(browser, live_server, request):
    """A small cheap phone: 360 px wide."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    describe_failure(request, page)
    context.close()


@pytest.fixture
def demo(transactional_db):
    from lms.core.demo import load_demo
    from lms.curriculum.loader import load_curriculum

    load_curriculum()
    load_demo()


def assert_accessible(page, context: str = "") -> None:
    """Run axe-core on the page; fail with every WCAG 2.1 A/AA violation listed."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing; run scripts/build-frontend.sh")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, f"{context or page.url}: " + json.dumps(violations, ensure_ascii=False, indent=1)

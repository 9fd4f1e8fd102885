"""The browser page in a real browser: Debian's headless Chromium driven by selenium.

The test starts ``termbase serve`` (uvicorn) on a free loopback port and
Chromium through ``chromedriver``; it signs in with a token, types a query
one key at a time, sees the hit, opens the entry and reads its renderings,
at a phone's width.  Without Chromium the tests skip, except in CI
(``CI=true``), where ``.ci/run`` installs it and a skip would hide a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from termbase import Termbase

from .conftest import FIXED_TIME, make_entry
from .serverkit import add_users, live_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
#: A phone in portrait (CSS pixels).
PHONE = (390, 844)

if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        pytest.fail("CI must install chromium and chromium-driver (see .ci/run)")
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="termbase-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
    ):
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=DRIVER or "")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def site(db_path: Path) -> Iterator[tuple[str, str]]:
    with Termbase(db_path, user="seed", seed=False, clock=lambda: FIXED_TIME) as tb:
        tb.add(make_entry())
    token = add_users(db_path)["viewer"]
    with live_server(db_path) as url:
        yield url, token


def wait(driver: Any, condition: Any, timeout: float = 15) -> Any:
    return WebDriverWait(driver, timeout).until(condition)


def fits_the_screen(driver: Any) -> bool:
    return bool(
        driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
    )


def test_sign_in_search_as_you_type_open_the_entry(browser: Any, site: tuple[str, str]) -> None:
    url, token = site
    browser.get(url + "/")
    wait(browser, ec.presence_of_element_located((By.ID, "token")))  # asked to sign in
    assert "/login" in browser.current_url
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    box = wait(browser, ec.presence_of_element_located((By.ID, "q")))
    assert "viewer · viewer" in browser.find_element(By.CSS_SELECTOR, "header .who").text
    for key in "新发展":  # one request per keystroke
        box.send_keys(key)
    # the page shows the answer to the whole query (earlier answers are dropped)
    wait(browser, ec.url_to_be(url + "/?q=%E6%96%B0%E5%8F%91%E5%B1%95"))
    link = wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "li.hit a")))
    assert "新发展格局" in link.text and "new development pattern" in link.text
    assert fits_the_screen(browser)
    link.click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "article.entry")))
    assert browser.current_url == url + "/entry/1"
    terms = [
        (
            t.find_element(By.CSS_SELECTOR, ".text").text,
            t.find_element(By.CSS_SELECTOR, ".status").text,
        )
        for t in browser.find_elements(By.CSS_SELECTOR, "li.term")
    ]
    assert terms == [
        ("新发展格局", "preferred"),
        ("new development pattern", "preferred"),
        ("new development dynamic", "admitted"),
        ("NDP", "admitted"),
    ]
    evidence = browser.find_element(By.CSS_SELECTOR, "blockquote.context").text
    assert "China has made progress in pursuing a new development pattern." in evidence
    assert "CICIR Task Force" in evidence
    assert fits_the_screen(browser)
    # typing English finds the same concept
    browser.get(url + "/")
    box = wait(browser, ec.presence_of_element_located((By.ID, "q")))
    box.send_keys("development dyn")
    wait(browser, ec.url_to_be(url + "/?q=development%20dyn"))
    link = wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "li.hit a")))
    assert link.get_attribute("href") == url + "/entry/1"


def test_anonymous_read_opens_a_permalink_without_sign_in(browser: Any, db_path: Path) -> None:
    with Termbase(db_path, user="seed", seed=False, clock=lambda: FIXED_TIME) as tb:
        tb.add(make_entry())
    with live_server(db_path, anonymous_read=True) as url:
        browser.get(url + "/entry/1")
        heading = wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, "article h1")))
        assert "新发展格局" in heading.text
        assert "anonymous" in browser.find_element(By.CSS_SELECTOR, "header .who").text
        browser.get(url + "/entry/99")
        assert "no entry" in browser.find_element(By.CSS_SELECTOR, ".error").text

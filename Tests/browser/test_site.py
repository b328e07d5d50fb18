#!/usr/bin/env python3
"""Browser tests of the built site, from file:// in headless Chromium (Debian's chromium and
chromium-driver, Python selenium).

  python3 Tests/browser/test_site.py SITE_DIR [--screenshots DIR]

Opens the index, a postmortem, a cause page and the search page; checks that the scripts run
under the Content-Security-Policy (no console errors), that filtering, sorting and search work,
that axe-core (shipped by the axe-selenium-python package) finds no serious or critical
accessibility violations, and saves screenshots (light, dark, phone) for people to look at.
Ends with the line "N passed, M failed".
"""
import argparse
import json
import os
import sys
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait


def axe_source():
    """axe.min.js from a PyPI package (no network at test time).

    axe-playwright-python (installed with --no-deps: only its axe.min.js is used) ships a current
    axe-core 4.x; axe-selenium-python ships axe-core 3.1 from 2018, whose rules predate HTML
    changes (it rejects <div> groups in <dl>), so it is only the fallback.
    """
    import importlib.util
    for package, relative in (("axe_playwright_python", "axe.min.js"),
                              ("axe_selenium_python", os.path.join("node_modules", "axe-core", "axe.min.js"))):
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            path = os.path.join(os.path.dirname(spec.origin), relative)
            if os.path.exists(path):
                with open(path, encoding="utf-8") as handle:
                    source = handle.read()
                print(f"axe-core from {package}: {source[3:17].strip()}")
                return source
    raise SystemExit("axe-core not found: pip install --no-deps axe-playwright-python")


def chromium_binary():
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if os.path.exists(candidate):
            return candidate
    return None


def chromedriver_binary():
    for candidate in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"):
        if os.path.exists(candidate):
            return candidate
    return None


class SiteTests:
    def __init__(self, site, screenshots):
        self.site = os.path.abspath(site)
        self.screenshots = screenshots
        os.makedirs(screenshots, exist_ok=True)
        options = Options()
        binary = chromium_binary()
        if binary:
            options.binary_location = binary
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--hide-scrollbars", "--window-size=1280,900", "--force-device-scale-factor=1",
                         "--lang=en-US"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver_path = chromedriver_binary()
        service = Service(executable_path=driver_path) if driver_path else Service()
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)
        self.axe = axe_source()
        self.passed = 0
        self.failed = 0

    # ---- helpers ----

    def url(self, path):
        return "file://" + os.path.join(self.site, path)

    def open(self, path):
        self.driver.get(self.url(path))
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def console_errors(self):
        entries = self.driver.get_log("browser")
        return [e["message"] for e in entries if e.get("level") == "SEVERE"]

    def shoot(self, name, width=1280, height=None, dark=False, full=True):
        driver = self.driver
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
        if width < 600:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height or 800, "deviceScaleFactor": 2, "mobile": True})
        else:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": height or 900, "deviceScaleFactor": 1, "mobile": False})
        if full:
            total = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
            metrics = {"width": width, "height": total, "deviceScaleFactor": 2 if width < 600 else 1, "mobile": width < 600}
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        path = os.path.join(self.screenshots, name + ".png")
        driver.save_screenshot(path)
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        return path

    def axe_check(self, label):
        driver = self.driver
        driver.execute_script(self.axe)
        result = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations'], preload: false}).then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));
        """)
        # axe's own console noise is not the site's: drop it before the next page is checked.
        self.driver.get_log("browser")
        violations = json.loads(result)
        if isinstance(violations, dict):
            raise AssertionError(f"axe failed on {label}: {violations['error']}")
        bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
        for v in violations:
            if v not in bad:
                print(f"    axe ({v.get('impact')}) {v['id']}: {v['help']} [{len(v['nodes'])} nodes] on {label}")
        if bad:
            details = "; ".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in bad)
            raise AssertionError(f"axe found {len(bad)} serious/critical violations on {label}: {details}")

    def check(self, name, function):
        try:
            function()
            self.passed += 1
            print(f"  ok    {name}")
        except Exception as error:  # noqa: BLE001 - report every failure, keep going
            self.failed += 1
            print(f"  FAIL  {name}: {error}")
            if os.environ.get("VERBOSE"):
                traceback.print_exc()

    # ---- tests ----

    def test_index(self):
        self.open("index.html")
        d = self.driver
        errors = self.console_errors()
        assert not errors, f"console errors: {errors}"
        form = d.find_element(By.ID, "filter-form")
        assert form.is_displayed(), "the filter form stays hidden: site.js did not run (CSP?)"
        rows = d.find_elements(By.CSS_SELECTOR, "#postmortem-list tbody tr")
        assert len(rows) >= 10, f"expected the sample's postmortems, found {len(rows)} rows"
        Select(d.find_element(By.ID, "filter-severity")).select_by_value("SEV1")
        visible = [r for r in rows if r.is_displayed()]
        assert 0 < len(visible) < len(rows), f"severity filter shows {len(visible)} of {len(rows)}"
        assert all("SEV1" in r.text for r in visible), "a non-SEV1 row is visible"
        status = d.find_element(By.ID, "results-count").text
        assert f"Showing {len(visible)} of {len(rows)}" in status, f"status says {status!r}"
        d.find_element(By.CSS_SELECTOR, "#filter-form button[type=reset]").click()
        WebDriverWait(d, 5).until(lambda _: all(r.is_displayed() for r in rows))
        # Keyboard: Tab to a sort button, activate it with Enter.
        button = d.find_element(By.CSS_SELECTOR, "th[data-sort='title'] .sort-button")
        button.send_keys(Keys.ENTER)
        titles = [r.find_element(By.CSS_SELECTOR, ".col-title").text for r in d.find_elements(By.CSS_SELECTOR, "#postmortem-list tbody tr")]
        assert titles == sorted(titles, key=str.casefold), "sorting by title did not sort"
        assert d.find_element(By.CSS_SELECTOR, "th[data-sort='title']").get_attribute("aria-sort") == "ascending"
        self.axe_check("index.html")

    def test_postmortem(self):
        self.open("index.html")
        link = self.driver.find_element(By.CSS_SELECTOR, "#postmortem-list tbody tr .col-title a")
        href = link.get_attribute("href")
        self.driver.get(href)
        d = self.driver
        errors = self.console_errors()
        assert not errors, f"console errors: {errors}"
        assert d.find_elements(By.CSS_SELECTOR, ".incident-card"), "no header card"
        assert d.find_elements(By.CSS_SELECTOR, "nav.toc a"), "no table of contents"
        self.axe_check("a postmortem page")

    def test_sample_postmortem(self):
        self.open("postmortems/2025-01-14-dns-ttl-api-cutover.html")
        d = self.driver
        assert len(d.find_elements(By.CSS_SELECTOR, "ol.timeline li")) >= 5, "timeline not drawn"
        assert d.find_elements(By.CSS_SELECTOR, ".action-items .state-badge"), "action items without state"
        assert d.find_elements(By.CSS_SELECTOR, "#revision-history"), "no revision history"
        self.shoot("postmortem")
        self.shoot("postmortem-dark", dark=True)
        self.shoot("postmortem-phone", width=390, height=844, full=False)
        self.axe_check("the DNS postmortem")

    def test_cause(self):
        self.open("causes/index.html")
        d = self.driver
        first = d.find_element(By.CSS_SELECTOR, ".cause-card h2 a")
        d.get(first.get_attribute("href"))
        errors = self.console_errors()
        assert not errors, f"console errors: {errors}"
        assert d.find_elements(By.CSS_SELECTOR, "figure.occurrences svg[role=img]"), "no chart of occurrences over time"
        assert d.find_elements(By.CSS_SELECTOR, "table.postmortems tbody tr"), "no incidents listed"
        self.shoot("cause")
        self.axe_check("a cause page")
        self.open("causes/index.html")
        self.shoot("causes")
        self.axe_check("causes/index.html")

    def test_search(self):
        self.open("search.html")
        d = self.driver
        errors = self.console_errors()
        assert not errors, f"console errors: {errors}"
        box = d.find_element(By.ID, "search-input")
        box.send_keys("dns ttl")
        WebDriverWait(d, 5).until(lambda _: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
        results = d.find_elements(By.CSS_SELECTOR, "#search-results li")
        assert "DNS TTL" in results[0].text, f"first result is {results[0].text[:80]!r}"
        assert d.find_elements(By.CSS_SELECTOR, "#search-results mark"), "matches are not highlighted"
        self.shoot("search", full=False)
        self.axe_check("search.html with results")
        box.clear()
        box.send_keys("zzqqxx")
        WebDriverWait(d, 5).until(lambda _: "No postmortems match" in d.find_element(By.ID, "search-status").text)
        # A query in the URL (the header search box on every page submits one) runs on load.
        self.open("search.html?q=certificate")
        WebDriverWait(d, 5).until(lambda _: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
        assert "certificate" in d.find_element(By.CSS_SELECTOR, "#search-results li").text.lower()

    def test_other_pages(self):
        for path in ("actions.html", "stats.html", "services/index.html", "tags/index.html", "404.html"):
            self.open(path)
            errors = self.console_errors()
            assert not errors, f"{path}: console errors: {errors}"
            self.axe_check(path)
        self.open("stats.html")
        self.shoot("stats")
        self.shoot("stats-dark", dark=True)
        self.open("actions.html")
        self.shoot("actions")

    def test_screenshots(self):
        self.open("index.html")
        self.shoot("index", full=False)
        self.shoot("index-full")
        self.shoot("index-dark", dark=True, full=False)
        self.shoot("index-phone", width=390, height=844, full=False)
        self.axe_check("index.html (dark)")

    def run(self):
        print(f"Browser tests of {self.site}")
        for name in ("index", "postmortem", "sample_postmortem", "cause", "search", "other_pages", "screenshots"):
            self.check(name, getattr(self, "test_" + name))
        self.driver.quit()
        print(f"screenshots in {self.screenshots}")
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--screenshots", default=".build/screenshots")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.site, "index.html")):
        print(f"{args.site}/index.html not found: build the site first", file=sys.stderr)
        return 2
    return SiteTests(args.site, args.screenshots).run()


if __name__ == "__main__":
    sys.exit(main())

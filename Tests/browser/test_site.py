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
import http.server
import json
import os
import sys
import threading
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
    def __init__(self, site, screenshots, big=False):
        self.big = big
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
        assert len(rows) >= 10, f"expected the archive's postmortems, found {len(rows)} rows"
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
        # Compare first letters: the page sorts with the locale's collation, Python by code point.
        initials = [t[:1].casefold() for t in titles]
        assert initials == sorted(initials), "sorting by title did not sort"
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
        assert d.find_elements(By.CSS_SELECTOR, "figure.occurrences svg[aria-label]"), "no chart of occurrences over time"
        assert d.find_elements(By.CSS_SELECTOR, "table.postmortems tbody tr"), "no incidents listed"
        self.shoot("cause")
        self.shoot("cause-phone", width=390, height=844, full=False)
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
        status = lambda: d.find_element(By.ID, "search-status").text
        first = lambda: d.find_element(By.CSS_SELECTOR, "#search-results li").text
        # Prefix: the half-typed last word completes ("tt" is too short; "cutov" is enough).
        box.clear()
        box.send_keys("dns cutov")
        WebDriverWait(d, 5).until(lambda _: "match" in status() and "every word" not in status())
        assert "DNS TTL" in first(), f"prefix search: first result is {first()[:80]!r}"
        # ...but not once the word is finished with a space: then "cutov" must match exactly.
        box.send_keys(" ")
        WebDriverWait(d, 5).until(lambda _: "every word" in status())
        # Synonyms from the manifest: the postmortem says "switchover" and "promoted", not "failover".
        groups = d.execute_async_script("window.INQUEST_EXPAND(arguments[0], arguments[1])", "postgres failover ")
        assert groups[0][:2] == ["postgr", "postgresql"] and "switchover" in groups[1] and "promot" in groups[1], groups
        box.clear()
        box.send_keys("postgres failover ")
        WebDriverWait(d, 5).until(lambda _: "match" in status() and "every word" not in status())
        assert "newly promoted primary" in first(), f"synonym search: first result is {first()[:80]!r}"
        # No document has every word: those with most of them, ranked lower, and a note says so.
        box.clear()
        box.send_keys("certificate zzqqxx ")
        WebDriverWait(d, 5).until(lambda _: "No postmortem matches every word" in status())
        assert "certificate" in first().lower(), f"partial match: first result is {first()[:80]!r}"
        # A query in the URL (the header search box on every page submits one) runs on load.
        self.open("search.html?q=certificate")
        WebDriverWait(d, 5).until(lambda _: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
        assert "certificate" in d.find_element(By.CSS_SELECTOR, "#search-results li").text.lower()

    def test_other_pages(self):
        for path in ("actions.html", "stats.html", "services/index.html", "tags/index.html", "404.html"):
            self.open(path)
            errors = self.console_errors()
            if path == "404.html":
                # Without a base URL the 404 page also links /assets/site.css, for hosts that serve it
                # at a nested path; from file:// that second copy cannot load.
                # (With a base URL every link of the 404 page is root-absolute: none loads from file://.)
                errors = [e for e in errors if "file:///assets/" not in e]
            assert not errors, f"{path}: console errors: {errors}"
            self.axe_check(path)
        self.open("stats.html")
        self.shoot("stats")
        self.shoot("stats-dark", dark=True)
        self.shoot("stats-phone", width=390, height=844, full=False)
        self.open("actions.html")
        self.shoot("actions")
        self.shoot("actions-phone", width=390, height=844, full=False)

    # ---- scale and details ----

    def search_timing(self, query):
        """Milliseconds from setting the query to rendered results, and the bytes of the search
        files the page loaded so far (manifest, shards, documents, search.js)."""
        d = self.driver
        return d.execute_async_script("""
            const [query, done] = [arguments[0], arguments[arguments.length - 1]];
            const box = document.getElementById('search-input');
            const before = window.INQUEST_SEARCH_DONE || 0;
            const start = performance.now();
            box.value = query;
            box.dispatchEvent(new Event('input'));
            (function wait() {
              if ((window.INQUEST_SEARCH_DONE || 0) > before) {
                // Every stylesheet and script the page has loaded, the search loader's included
                // (resource timing does not list file:// loads).
                const files = Array.from(document.querySelectorAll('script[src], link[rel=stylesheet]')).map(e => e.src || e.href);
                done({ms: performance.now() - start, files: files});
              } else setTimeout(wait, 2);
            })();
        """, query)

    def file_bytes(self, urls):
        total = 0
        for url in urls + [self.url("search.html")]:
            path = url.replace("file://", "")
            if os.path.exists(path):
                total += os.path.getsize(path)
        return total

    def test_search_scale(self):
        self.open("search.html")
        d = self.driver
        first = self.search_timing("database")
        kb = self.file_bytes(first["files"]) / 1024
        print(f"    first query: {first['ms']:.0f} ms, {kb:.0f} KB downloaded (page, scripts, manifest, shards, result files)")
        assert kb <= 300, f"the first query downloads {kb:.0f} KB"
        times = [self.search_timing(q)["ms"] for q in ("database failover", "cache", "alert routing", "severity:sev1 cache", "year:2024 deploy")]
        print(f"    keystroke to results: {', '.join(f'{t:.0f}' for t in times)} ms")
        status = d.find_element(By.ID, "search-status").text
        assert "match" in status, f"status says {status!r}"
        # Field filters narrow: every result of severity:sev1 is SEV1.
        self.search_timing("severity:sev1")
        metas = [m.text for m in d.find_elements(By.CSS_SELECTOR, "#search-results .meta")]
        assert metas and all("SEV1" in m for m in metas), f"severity filter results: {metas[:3]}"
        # Stemming: the JavaScript stemmer agrees with the shared vectors (and so with Swift's).
        vectors = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "site", "stemmer-vectors.txt")
        with open(vectors, encoding="utf-8") as handle:
            pairs = [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]
        wrong = [(w, s, d.execute_script("return window.INQUEST_STEM(arguments[0])", w)) for w, s in pairs]
        wrong = [x for x in wrong if x[1] != x[2]]
        assert not wrong, f"JS stems differ: {wrong[:5]}"
        # Snippets come from a passage, never from a heading.
        snippets = [s.text for s in d.find_elements(By.CSS_SELECTOR, "#search-results .snippet")]
        assert snippets and not any(s.startswith("Summary ") for s in snippets), snippets[:2]

    def test_header_search_passes_the_query(self):
        self.open("index.html")
        d = self.driver
        box = d.find_element(By.ID, "header-q")
        box.send_keys("cache")
        box.send_keys(Keys.ENTER)
        WebDriverWait(d, 10).until(lambda _: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
        assert d.find_element(By.ID, "search-input").get_attribute("value") == "cache"

    def test_focus_ring_contrast(self):
        self.open("index.html")
        d = self.driver
        ratio = d.execute_script("""
            function lum(c) {
              const m = c.match(/\\d+(\\.\\d+)?/g).map(Number).slice(0, 3).map(v => v / 255)
                .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
              return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2];
            }
            const link = document.querySelector('main a');
            link.focus();
            const ring = getComputedStyle(link).outlineColor;
            let worst = 99;
            for (const el of [document.body, document.querySelector('.table-wrap') || document.body]) {
              const bg = getComputedStyle(el).backgroundColor;
              const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
              worst = Math.min(worst, (a + 0.05) / (b + 0.05));
            }
            return worst;
        """)
        assert ratio >= 3, f"focus ring contrast {ratio:.2f}:1"

    def test_phone_layout(self):
        d = self.driver
        pages = ["index.html", "actions.html", "stats.html", "causes/index.html", "services/index.html", "search.html"]
        for folder in ("causes", "postmortems", os.path.join("actions", "owners")):
            names = sorted(n for n in os.listdir(os.path.join(self.site, folder)) if n.endswith(".html") and n != "index.html")
            if names:
                pages.append(folder.replace(os.sep, "/") + "/" + names[0])
        for path in pages:
            self.open(path)
            d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
            wide = d.execute_script("return document.documentElement.scrollWidth")
            nav_hidden = d.execute_script("""
                return Array.from(document.querySelectorAll('.site-nav a')).filter(a => a.getBoundingClientRect().right > window.innerWidth + 1).map(a => a.textContent);
            """)
            d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            assert wide <= 390, f"{path} is {wide} px wide at 390 px"
            assert not nav_hidden, f"{path}: navigation entries off-screen: {nav_hidden}"

    def test_footer_at_the_bottom(self):
        self.open("search.html")
        d = self.driver
        gap = d.execute_script("const f = document.querySelector('.site-footer').getBoundingClientRect(); return window.innerHeight - f.bottom;")
        assert abs(gap) <= 1, f"the footer ends {gap:.0f} px above the bottom of a short page"

    def test_feed_has_a_stylesheet(self):
        with open(os.path.join(self.site, "feed.xml"), encoding="utf-8") as handle:
            head = handle.read(300)
        assert '<?xml-stylesheet type="text/xsl" href="assets/feed.xsl"?>' in head, head
        assert os.path.exists(os.path.join(self.site, "assets", "feed.xsl"))

    def test_every_page_kind(self):
        """axe and console on every kind of page, including the tracker's owner pages and the
        year pages of long lists when the site has them."""
        kinds = {}
        for folder, _, files in os.walk(self.site):
            for name in files:
                rel = os.path.relpath(os.path.join(folder, name), self.site)
                if not name.endswith(".html"):
                    continue
                parts = rel.split(os.sep)
                if parts[0] == "actions" and len(parts) > 1 and parts[1] == "owners":
                    kind = "owner" if len(parts) == 3 else "owner-part"
                elif parts[0] in ("causes", "services", "tags"):
                    kind = parts[0] + ("-index" if parts[-1] == "index.html" and len(parts) == 2 else ("" if len(parts) == 2 else "-part"))
                elif parts[0] in ("archive", "actions"):
                    kind = parts[0] + "-part"
                elif parts[0] == "postmortems":
                    kind = "postmortem"
                else:
                    kind = rel
                kinds.setdefault(kind, rel)
        for kind, rel in sorted(kinds.items()):
            self.open(rel)
            errors = [e for e in self.console_errors() if not (rel == "404.html" and "file:///assets/" in e)]
            assert not errors, f"{rel}: console errors: {errors}"
            self.axe_check(rel)
        print(f"    {len(kinds)} page kinds checked: {', '.join(sorted(kinds))}")

    def test_not_found_at_a_nested_path(self):
        """A host serves 404.html for any missing path: at /a/b/c/missing.html (no base URL) the
        page is styled and its links, rebased by site.js, lead into the site."""
        site = self.site

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=site, **kwargs)

            def send_error(self, code, message=None, explain=None):
                if code != 404:
                    return super().send_error(code, message, explain)
                with open(os.path.join(site, "404.html"), "rb") as handle:
                    body = handle.read()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            d = self.driver
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            d.get(base + "a/b/c/missing.html")
            WebDriverWait(d, 10).until(lambda x: x.execute_script("return document.readyState") == "complete")
            assert "Page not found" in d.title, d.title
            styled = d.execute_script("""return Array.prototype.some.call(document.styleSheets, function (s) {
                try { return s.cssRules.length > 0; } catch (e) { return false; } });""")
            assert styled, "no stylesheet loaded"
            brand = d.find_element(By.CSS_SELECTOR, "a.brand").get_attribute("href")
            assert brand == base + "index.html", brand
            search = d.find_element(By.CSS_SELECTOR, "form.header-search").get_attribute("action")
            assert search == base + "search.html", search
            hrefs = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "main a[href], .site-nav a[href]")]
            assert hrefs and all(h.startswith(base) and "/a/b/c/" not in h for h in hrefs), hrefs
            # The relative copies of site.css and site.js miss at this depth; nothing else may fail.
            errors = [e for e in self.console_errors() if "/a/b/c/assets/" not in e and "missing.html" not in e]
            assert not errors, f"console errors: {errors}"
            d.find_element(By.CSS_SELECTOR, ".site-nav a[href$='stats.html']").click()
            WebDriverWait(d, 10).until(lambda x: x.current_url == base + "stats.html")
            assert "Page not found" not in d.title, d.title
        finally:
            server.shutdown()
            server.server_close()

    def test_screenshots(self):
        self.open("index.html")
        self.shoot("index", full=False)
        self.shoot("index-full")
        self.shoot("index-dark", dark=True, full=False)
        self.shoot("index-phone", width=390, height=844, full=False)
        self.axe_check("index.html (dark)")

    def run(self):
        print(f"Browser tests of {self.site}")
        names = ["index", "postmortem", "cause", "search_scale", "header_search_passes_the_query", "focus_ring_contrast",
                 "phone_layout", "footer_at_the_bottom", "feed_has_a_stylesheet", "every_page_kind", "other_pages", "not_found_at_a_nested_path", "screenshots"]
        if not self.big:
            names[2:2] = ["sample_postmortem"]
            names.insert(4, "search")
        for name in names:
            self.check(name, getattr(self, "test_" + name))
        self.driver.quit()
        print(f"screenshots in {self.screenshots}")
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--screenshots", default=".build/screenshots")
    parser.add_argument("--big", action="store_true", help="a generated archive (make site-10k): skip the sample-specific checks")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.site, "index.html")):
        print(f"{args.site}/index.html not found: build the site first", file=sys.stderr)
        return 2
    return SiteTests(args.site, args.screenshots, big=args.big).run()


if __name__ == "__main__":
    sys.exit(main())

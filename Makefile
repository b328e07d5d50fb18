# Inquest — every target installs what it needs first (`make setup` is idempotent).
SWIFT       ?= swift
PREFIX      ?= /usr/local
CONFIG      ?= debug
APT_PACKAGES = libcmark-gfm-dev libcmark-gfm-extensions-dev libgit2-dev pkg-config git
BIN          = .build/$(CONFIG)/inquest
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build release lint test site install eval clean help

help:
	@echo "make site      build Inquest and the archive site of the sample postmortems"
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

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

site: build
	$(BIN) lint

eval: setup
	$(SWIFT) build -c release --product blameless-eval
	.build/release/blameless-eval Tests/Fixtures/blameless/eval.tsv
	.build/release/blameless-eval Tests/Fixtures/blameless/eval-holdout.tsv

install: setup
	$(SWIFT) build -c release --product inquest
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 .build/release/inquest $(DESTDIR)$(PREFIX)/bin/inquest

clean:
	rm -rf .build _site

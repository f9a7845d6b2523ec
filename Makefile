# Two commands on a fresh Debian/Ubuntu machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PACKAGES := libzbar0 espeak-ng libespeak-ng1 alsa-utils fonts-noto-cjk libegl1 libgl1 libfontconfig1 \
	libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libnss3 \
	libasound2 libpulse0 libxrandr2 libxcomposite1 libxdamage1 libxtst6
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all setup system-deps venv demo test lint-imports audit bench screenshots i18n clean

all: test

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null; then \
			echo "Installing system packages:$$missing"; \
			$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
		else echo "Please install:$$missing"; fi; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

setup: system-deps venv

demo: setup
	$(VENV)/bin/kiosk demo

test: setup
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk audit
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint-imports: setup
	$(VENV)/bin/lint-imports

audit: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk audit

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

screenshots: setup
	for lang in zh_CN en; do for s in 1.0 1.5; do \
		QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk screenshot --out screenshots/$$lang-$$s --lang $$lang --scale $$s; \
	done; done

# Lists every marked message that a catalogue under locales/ lacks (or whose placeholders differ).
i18n: setup
	$(PY) -c "from kiosk.catalogue_check import problems; ps = problems(); [print(p.lang, repr(p.msgid), p.what) for p in ps]; print(len(ps), 'problem(s)')"

clean:
	rm -rf $(VENV) build *.egg-info screenshots

# interviewdesk — make demo (run it), make test (check it), make lint, make bench.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := interviewdesk.settings

.PHONY: install demo test test-fast e2e lint bench messages clean system-deps lock

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes. The exact versions and their hashes come from
# requirements.lock (runtime and test dependencies; `make lock` writes it anew from pyproject.toml), so
# every machine and CI install the same files; then the project itself, without dependencies.
$(VENV)/.installed: pyproject.toml requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# After changing a dependency in pyproject.toml: pin everything again, with hashes (uv resolves in seconds).
lock: | $(VENV)/bin/python
	$(PY) -m pip install --quiet 'uv>=0.9,<1'
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --quiet -o requirements.lock

messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

install: $(VENV)/.installed messages

# The demo procedure's Jitsi links are signed with this (a real Jitsi server has its own secret).
demo: export MEETINGS_JITSI_APP_SECRET ?= insecure-demo-jitsi-secret
demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py send_pending_invitations
	$(PY) manage.py run_demo --port $(PORT)

# Debian packages the tests need when missing and apt works: chromium (browser journeys),
# poppler-utils (PDF text checks), Pango and fonts (WeasyPrint's PDF reports).
DEBIAN_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-dejavu-core
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null \
	    || ! ldconfig -p | grep -q libpangoft2 || ! fc-list 2>/dev/null | grep -qi dejavu; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	  else echo "missing Debian packages ($(DEBIAN_PACKAGES)) and apt unavailable: some tests will fail" >&2; fi; \
	fi

test: install system-deps
	$(PY) -m pytest -n 2 -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy interviewdesk

bench: install
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache

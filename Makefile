# Two commands matter: `make run` and `make test` (see README.md). Everything else they need
# (the virtualenv, the project, Debian packages) is installed on the way when missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB := demo-data/kiemtra-demo.sqlite
# Qt's xcb/offscreen plugins, the virtual screen for screenshots, PDF rendering and signature
# checks (pdfsig), a software token for the PKCS#11 signing tests (softhsm2, pkcs11-tool),
# LibreOffice to lay out our DOCX/XLSX as a client we did not write (tests/reports).
DEBIAN_PACKAGES := python3-venv xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 \
	libxcb-shape0 libxcb-xkb1 libxcb-xinerama0 libfontconfig1 libdbus-1-3 libglib2.0-0 poppler-utils \
	softhsm2 opensc libreoffice-writer-nogui libreoffice-calc-nogui

.PHONY: run test lint bench build fuzz clean debian-deps install test-windows build-windows \
	clean-windows

debian-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Cài gói Debian còn thiếu:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Cần Python 3.11 trở lên"'
	$(PYTHON) -m venv $(VENV) || { $(MAKE) debian-deps && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed

run: debian-deps install
	$(BIN)/kiemtra --db $(DEMO_DB) demo
	$(BIN)/kiemtra --db $(DEMO_DB)

test: debian-deps install
	$(BIN)/ruff check desktop db tests
	$(BIN)/lint-imports
	$(BIN)/mypy
	# Every core (pytest-xdist); then, alone, the tests that assert wall time (tests/conftest.py).
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto -m "not timing"
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:xdist -m timing

lint: install
	$(BIN)/ruff check desktop db tests
	$(BIN)/ruff format --check desktop db tests
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: debian-deps install
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench

fuzz: debian-deps install
	QT_QPA_PLATFORM=offscreen HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -m fuzz tests

build: debian-deps install
	$(BIN)/python -m pip install -q -e '.[test,build]'
	$(BIN)/pyinstaller --noconfirm build.spec

clean:
	rm -rf build dist demo-data .pytest_cache

# Windows under Wine (tools/wine/windows.sh): Wine, the Windows CPython 3.11 and its wheels are
# set up on the way, cached in .cache/windows/; every Wine call is bounded by a timeout.
test-windows: install
	tools/wine/windows.sh test

build-windows: install
	tools/wine/windows.sh build

clean-windows:
	rm -rf .cache/windows

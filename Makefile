# Two entry points, both idempotent: `make run` and `make test`.
# The environment is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: setup run check browser test docs

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	# CPU build of torch first, so nothing later pulls a CUDA build.
	$(VENV)/bin/pip install --quiet torch==2.13.0
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/textcls run configs/default.yaml

# Lint and types, in seconds; also part of `make test`, so CI runs them.
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Headless Chromium for the test that opens the report page (Debian's package; CI runs as root).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test: check browser
	$(VENV)/bin/python -m pytest -q

# The docs site into site/; --strict turns a broken link or reference into an error.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(VENV)/bin/mkdocs build --strict

# Two entry points, both idempotent: `make run` and `make test`.
# The environment is rebuilt only when pyproject.toml or requirements.lock changes.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV_VERSION := 0.13.9
# torch's CPU build is not on PyPI: it comes from a find-links folder (PIP_FIND_LINKS,
# /opt/wheels on the project's machines) both for locking and for installing.
FIND_LINKS := $(if $(PIP_FIND_LINKS),--find-links $(PIP_FIND_LINKS))

.PHONY: setup run check browser test docs lock

$(STAMP): pyproject.toml $(LOCK)
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	# The lock is for CPython 3.11 on Linux x86-64: exactly its versions, each checked
	# against its hash. Any other Python gets the newest versions pyproject.toml allows.
	if $(VENV)/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  $(VENV)/bin/pip install --quiet --require-hashes --no-deps -r $(LOCK); \
	else \
	  echo "warning: $(LOCK) is for Python 3.11; installing unlocked versions"; \
	  $(VENV)/bin/pip install --quiet torch==2.13.0 && \
	  $(VENV)/bin/pip install --quiet -e '.[test]'; \
	fi
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/textcls run configs/default.yaml

# Lint and types, in seconds; also part of `make test`, so CI runs them.
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Headless Chromium for the test that opens the report page (Debian's package; CI runs as root).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test: check browser
	$(VENV)/bin/python -m pytest -q

# The docs site into site/; --strict turns a broken link or reference into an error.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(VENV)/bin/mkdocs build --strict

# Regenerate the lock from pyproject.toml after adding or changing a dependency.
lock:
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	test -x $(VENV)/bin/uv || $(VENV)/bin/pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 $(FIND_LINKS) \
	  --custom-compile-command "make lock" --quiet -o $(LOCK)

"""What a fresh clone reproduces: locked versions, and results that do not depend on
thread counts (the CPU's instruction set does matter: see the README)."""

import json
import re
import subprocess
import sys

import pytest
from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = REPO / "requirements.lock"


def _locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", LOCK.read_text(), flags=re.MULTILINE)
    return {canonicalize_name(name): version for name, version in pins}


def test_the_lock_pins_every_dependency_with_hashes():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+, the locked Python
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]
    ]
    locked = _locked()
    stale = [
        str(r)
        for r in wanted
        if canonicalize_name(r.name) not in locked
        or not r.specifier.contains(locked[canonicalize_name(r.name)], prereleases=True)
    ]
    assert not stale, f"run 'make lock': {LOCK.name} does not satisfy {stale}"
    assert locked["torch"] == "2.13.0+cpu"
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text().split("\n", 2)[2])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    makefile = (REPO / "Makefile").read_text()
    assert "--require-hashes --no-deps -r $(LOCK)" in makefile and "uv pip compile" in makefile


_SCRIPT = """
import hashlib, json, sys
threads = int(sys.argv[1])
import numba, numpy as np, torch
from threadpoolctl import threadpool_limits
torch.set_num_threads(threads)
numba.set_num_threads(threads)
threadpool_limits(threads)
from textcls.embedding import SentenceEmbedder
from textcls.reduction import CachedUMAP
texts = ["Police closed 30 gambling sites.", "A rumor about a dam was false.",
         "Regulators banned crypto mining.", "An influencer was fined for tax evasion."] * 2
vectors = SentenceEmbedder(use_cache=False, progress=False).transform(texts[:4])
data = np.random.default_rng(0).normal(size=(120, 16)).astype(np.float32)
reduced = CachedUMAP(n_neighbors=10, n_components=3, use_cache=False).fit_transform(data)
print(json.dumps([hashlib.sha256(a.tobytes()).hexdigest() for a in (vectors, reduced)]))
"""


def test_embeddings_and_umap_are_identical_with_one_or_two_threads():
    def run(threads: int) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(threads)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert run(1) == run(2)

"""The facts that decide whether another machine reproduces a run bit for bit.

Measured on the shipped corpus (README, "Reproducibility"): the thread counts of
torch, BLAS and numba change no result; the CPU does. torch and MKL pick kernels
by instruction set (torch's "CPU capability": AVX512, AVX2...) and numba compiles
UMAP for the host CPU; both move values in the 7th digit, and UMAP amplifies
that into other topics (the classifier's predictions did not change). Each run
records these facts in ``metrics.json`` under ``environment``.

Example
-------
>>> sorted(run_environment())                                    # doctest: +SKIP
['blas', 'libraries', 'machine', 'numba', 'python', 'torch']
"""

from __future__ import annotations

import platform
import sys

from .persist import library_versions

# What the topic stage depends on beyond the libraries a saved model records.
TOPIC_LIBRARIES = (
    "umap-learn",
    "pynndescent",
    "numba",
    "llvmlite",
    "hdbscan",
    "bertopic",
    "transformers",
    "tokenizers",
)


def run_environment() -> dict:
    """CPU kind, thread counts and library versions of the running process.

    torch and numba are described only when something already imported them.
    """
    from threadpoolctl import threadpool_info

    info: dict = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "libraries": library_versions(TOPIC_LIBRARIES),
    }
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch"] = {
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "threads": torch.get_num_threads(),
        }
    numba = sys.modules.get("numba")
    if numba is not None:
        from llvmlite import binding

        info["numba"] = {
            "cpu": numba.config.CPU_NAME or binding.get_host_cpu_name(),
            "threads": numba.get_num_threads(),
        }
    info["blas"] = [
        {key: pool.get(key) for key in ("internal_api", "version", "architecture", "num_threads")}
        for pool in threadpool_info()
    ]
    return info

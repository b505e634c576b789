"""The decision-record contract: its Vyper source and the compiled artifact kept beside it.

``DecisionRecord.json`` is a cache of compiling ``DecisionRecord.vy`` with the pinned
``vyper`` version; ``manage.py build_decision_contract`` rewrites it, and the test suite and
``manage.py check`` compare it with a fresh compilation, so the artifact can always be
reproduced from source by anyone.
"""

import functools
import hashlib
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_PATH = HERE / "DecisionRecord.vy"
ARTIFACT_PATH = HERE / "DecisionRecord.json"
OUTPUTS = ("abi", "bytecode", "bytecode_runtime")


def source():
    return SOURCE_PATH.read_text()


def source_sha256():
    return hashlib.sha256(SOURCE_PATH.read_bytes()).hexdigest()


def compile_source():
    """Compile the source now (about a tenth of a second); the result is deterministic."""
    import vyper

    output = vyper.compile_code(source(), output_formats=list(OUTPUTS))
    return {
        "contract": "DecisionRecord",
        "compiler": f"vyper {vyper.__version__}",
        "source_sha256": source_sha256(),
        **{name: output[name] for name in OUTPUTS},
    }


def write_artifact():
    data = compile_source()
    ARTIFACT_PATH.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    artifact.cache_clear()
    return data


@functools.cache
def artifact():
    """The compiled contract: the stored artifact when it matches the source, else compiled."""
    if ARTIFACT_PATH.exists():
        data = json.loads(ARTIFACT_PATH.read_text())
        if data.get("source_sha256") == source_sha256():
            return data
    return compile_source()


def stored_artifact_problem():
    """Why the stored artifact cannot be trusted, or None when it matches the source."""
    if not ARTIFACT_PATH.exists():
        return "missing"
    data = json.loads(ARTIFACT_PATH.read_text())
    if data.get("source_sha256") != source_sha256():
        return "compiled from another version of the source"
    return None

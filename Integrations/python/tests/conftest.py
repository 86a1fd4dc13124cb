"""Shared fixtures: the repository, the Swift command lines to compare with, the corpora.

SIMCORE_SIMDEDUP and SIMCORE_SIMBENCH name the command lines (``.ci/run`` passes the ones
``swift test`` built); otherwise they are looked for in the repository's .build/debug and
.build/release. A missing one fails the tests that need it, with the command that builds it:
an agreement test that silently skipped would prove nothing.
"""
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]
WIRE_STORIES = REPOSITORY / "Data" / "wire-stories"


def _tool(name):
    override = os.environ.get(f"SIMCORE_{name.upper()}")
    candidates = [Path(override)] if override else [
        REPOSITORY / ".build" / "debug" / name, REPOSITORY / ".build" / "release" / name]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(f"{name} not found at {', '.join(map(str, candidates))}: build it with "
                f"`swift build --product {name}` or set SIMCORE_{name.upper()}")


@pytest.fixture(scope="session")
def simdedup():
    return _tool("simdedup")


@pytest.fixture(scope="session")
def simbench():
    return _tool("simbench")


@pytest.fixture(scope="session")
def wire_stories():
    """(ids, texts) of the bundled sample, in file-name order (simdedup's order)."""
    paths = sorted(WIRE_STORIES.glob("*.txt"), key=lambda path: path.name.encode())
    assert len(paths) == 5
    return [path.stem for path in paths], [path.read_text(encoding="utf-8") for path in paths]


@pytest.fixture(scope="session")
def generated_corpus(simbench, tmp_path_factory):
    """A news-like corpus with planted near-duplicates from `simbench generate` (2,000 documents,
    corpus seed 11): (path, ids, texts)."""
    path = tmp_path_factory.mktemp("corpus") / "generated.jsonl"
    subprocess.run([str(simbench), "generate", "--documents", "2000", "--corpus-seed", "11", "--output", str(path)],
                   check=True, capture_output=True)
    ids, texts = [], []
    with open(path, encoding="utf-8") as corpus:
        for line in corpus:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
    assert len(texts) == 2000
    return path, ids, texts


def run_simdedup(simdedup, *arguments):
    """simdedup's verdict lines as dictionaries."""
    result = subprocess.run([str(simdedup), *map(str, arguments)], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="session")
def run_threads():
    """run_threads(count, target): calls target(0) … target(count - 1) on as many Python threads at
    once and re-raises the first exception one of them raised."""
    def run(count, target):
        errors = []

        def guarded(index):
            try:
                target(index)
            except BaseException as error:  # re-raised in the main thread
                errors.append(error)

        threads = [threading.Thread(target=guarded, args=(index,)) for index in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
    return run

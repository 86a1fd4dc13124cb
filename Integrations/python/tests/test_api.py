"""Exact values on small inputs, signatures' shape and determinism, keys, save and load."""
import ctypes

import numpy
import pytest

import simcore
from simcore import _native


def test_versions_and_abi():
    assert simcore.library_version() == simcore.__version__
    options = _native.Options()
    _native.lib.simcore_options_init(ctypes.byref(options))
    assert options.struct_size == ctypes.sizeof(_native.Options)
    assert isinstance(_native.lib, ctypes.CDLL) and not isinstance(_native.lib, ctypes.PyDLL), \
        "calls must go through a CDLL, which releases the GIL"


def test_exact_similarity_of_word_sets():
    # Word 1-grams: {a, b, c, d} and {c, d, e}: 2 shared, 5 in the union.
    a, b = "A b, c d", "c d e"
    assert simcore.jaccard(a, b, shingle="words:1") == pytest.approx(0.4, abs=0)
    assert simcore.containment(b, a, shingle="words:1") == 2 / 3
    assert simcore.containment(a, b, shingle="words:1") == 0.5
    assert simcore.overlap(a, b, shingle="words:1") == 2 / 3
    assert simcore.jaccard(a.encode(), b.encode(), shingle="words:1") == 0.4
    # Typography folds: curly quotes and dashes equal straight ones.
    assert simcore.jaccard("“Don’t” — STOP now", '"don\'t" - stop now', shingle="words:2") == 1.0


def test_shingle_sets():
    first = simcore.shingles("one two three four five six", shingle="words:5")
    second = simcore.shingles("one two three four five seven", shingle="words:5")
    assert len(first) == 2 and len(second) == 2
    assert list(first.hashes) == sorted(set(first.hashes))
    assert first.jaccard(second) == 1 / 3
    assert first.containment(second) == 0.5 and first.overlap(second) == 0.5
    assert simcore.jaccard(first, second) == 1 / 3
    assert simcore.shingles("x", shingle="words:5", seed=1).hashes != simcore.shingles("x", shingle="words:5").hashes
    with pytest.raises(TypeError):
        simcore.jaccard(first, "text")


def test_signatures_shape_and_determinism():
    texts = [f"document number {i} says " + "word " * (i % 7) + "the end" for i in range(50)]
    for scheme in ["oph", "minhash", "superminhash", "minhash-b1"]:
        matrix = simcore.signatures(texts, scheme=scheme, k=32, seed=5)
        assert matrix.shape == (50, 32) and matrix.dtype == numpy.uint64
        assert numpy.array_equal(matrix, simcore.signatures(iter(texts), scheme=scheme, k=32, seed=5, threads=1, batch_size=3))
        assert numpy.array_equal(matrix[7], simcore.signatures([texts[7]], scheme=scheme, k=32, seed=5)[0])
        assert numpy.array_equal(matrix, simcore.signatures([t.encode() for t in texts], scheme=scheme, k=32, seed=5))
    b1 = simcore.signatures(texts, scheme="minhash-b1", k=32)
    assert set(numpy.unique(b1)) <= {0, 1}
    assert not numpy.array_equal(simcore.signatures(texts, k=32, seed=1), simcore.signatures(texts, k=32, seed=2))
    assert simcore.signatures([], k=8).shape == (0, 8)


def test_signatures_without_numpy(monkeypatch):
    texts = ["alpha beta gamma delta epsilon", "alpha beta gamma delta zeta"]
    with_numpy = simcore.signatures(texts, k=16)
    monkeypatch.setattr(simcore, "_numpy", None)
    view = simcore.signatures(texts, k=16)
    assert isinstance(view, memoryview) and view.format == "Q" and view.shape == (2, 16)
    assert view.tolist() == with_numpy.tolist()
    assert numpy.array_equal(numpy.asarray(view), with_numpy)


def test_keys_numbers_and_ids(tmp_path):
    base = "the quick brown fox jumps over the lazy dog near the river bank today"
    with simcore.Deduplicator(measure="jaccard") as dedup:
        assert dedup.add(base) == simcore.Verdict(0, 0, None, None)
        copy = dedup.add(base.upper())   # same bytes, same shingles: the first stays the representative
        assert copy.document == 1 and copy.key == 1 and copy.duplicate_of == 0 and copy.similarity > 0.8
        assert dedup.kept() == [0] and dedup.clusters() == [simcore.Cluster(0, [0, 1])]
        named = dedup.add(base.title(), id="named")
        assert named.key == "named" and named.duplicate_of == 0
        assert dedup.keys() == [0, 1, "named"]
        assert len(dedup) == 3
        # The cluster's label is the smallest id; documents without one have the empty id.
        assert [a.cluster for a in dedup.assignments()] == [0, 0, 0]
        assert dedup.clusters(include_singletons=True) == [simcore.Cluster(0, [0, 1, "named"])]
        unique = dedup.add("something else entirely, with more than five words in it", id="other")
        assert unique.duplicate_of is None and dedup.kept() == [0, "other"]
        dedup.save(tmp_path / "state.simcore")
        expected = dedup.assignments()
    with simcore.Deduplicator.load(tmp_path / "state.simcore", measure="jaccard", threads=1) as loaded:
        assert loaded.assignments() == expected
        assert loaded.add(base.swapcase(), id="later").duplicate_of == 0
        assert len(loaded) == 5


def test_representative_is_the_longest():
    short = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    with simcore.Deduplicator(measure="overlap") as dedup:
        dedup.add_many([short, short + " lambda mu nu xi omicron pi rho sigma"], ids=["short", "long"])
        assert dedup.clusters() == [simcore.Cluster("long", ["short", "long"])]
        assert dedup.kept() == ["long"]


def test_iterables_of_any_length_stream():
    def generate():
        for i in range(10_000):
            yield f"item {i % 50} of a generated stream with some words"
    with simcore.Deduplicator(measure="jaccard") as dedup:
        verdicts = dedup.add_many(generate(), batch_size=1000)
        assert len(verdicts) == len(dedup) == 10_000
        assert len(dedup.kept()) == 50
        assert all(v.duplicate_of == v.document % 50 for v in verdicts[50:])

"""Python threads: concurrent adds and signatures give the single-threaded results."""
import threading

import numpy

import simcore


def partition(clusters):
    return sorted(sorted(cluster.members) for cluster in clusters)


def test_concurrent_adds_find_the_same_clusters(generated_corpus, run_threads):
    _, ids, texts = generated_corpus
    texts, ids = texts[:1200], ids[:1200]
    with simcore.Deduplicator(measure="jaccard") as sequential:
        sequential.add_many(texts, ids=ids)
        expected = partition(sequential.clusters())
    assert len(expected) > 10
    with simcore.Deduplicator(measure="jaccard") as shared:
        def add_quarter(index):
            for position in range(index, len(texts), 4):
                if position % 3:
                    shared.add(texts[position], id=ids[position])
                else:
                    shared.add_many([texts[position]], ids=[ids[position]])

        run_threads(4, add_quarter)
        assert len(shared) == len(texts)
        assert sorted(shared.keys()) == sorted(ids)
        # Verification is symmetric, so the clusters do not depend on the order of inserts.
        assert partition(shared.clusters()) == expected


def test_concurrent_signatures_are_identical(generated_corpus, run_threads):
    _, _, texts = generated_corpus
    expected = simcore.signatures(texts[:400], k=64, threads=1)
    results = [None] * 4

    def sign(index):
        results[index] = simcore.signatures(texts[:400], k=64, batch_size=50 + index)

    run_threads(4, sign)
    for result in results:
        assert numpy.array_equal(result, expected)


def test_close_waits_for_calls_in_progress(generated_corpus):
    _, _, texts = generated_corpus
    dedup = simcore.Deduplicator()
    started = threading.Event()
    outcome = []

    def add_everything(_):
        started.set()
        try:
            outcome.append(len(dedup.add_many(texts, batch_size=100)))
        except ValueError as error:
            outcome.append(str(error))

    worker = threading.Thread(target=add_everything, args=(0,))
    worker.start()
    started.wait()
    dedup.close()
    worker.join()
    # Either the whole call finished before the engine was freed, or a later batch saw the
    # closed deduplicator and said so: never a crash.
    assert outcome == [len(texts)] or outcome == ["this Deduplicator is closed"]

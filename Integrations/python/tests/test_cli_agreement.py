"""simcore gives exactly what the Swift command line gives, on the samples and a generated corpus."""
import pytest

import simcore
from conftest import WIRE_STORIES, run_simdedup


def as_cli_lines(assignments):
    return [
        {"id": a.key, "cluster": a.cluster, "representative": a.representative, "match": a.duplicate_of,
         "similarity": a.similarity}
        for a in assignments
    ]


@pytest.mark.parametrize("flags,options", [
    ([], {}),
    (["--measure", "jaccard"], {"measure": "jaccard"}),
    (["--verification", "exact", "--threshold", "0.5"], {"verification": "exact", "threshold": 0.5}),
    (["--shingle", "chars:7", "--seed", "3", "--scheme", "superminhash", "-k", "64"],
     {"shingle": "chars:7", "seed": 3, "scheme": "superminhash", "k": 64}),
])
def test_wire_stories_match_simdedup(simdedup, wire_stories, flags, options):
    ids, texts = wire_stories
    expected = run_simdedup(simdedup, "dedupe", *flags, WIRE_STORIES)
    with simcore.Deduplicator(**options) as dedup:
        dedup.add_many(texts, ids=ids)
        assert as_cli_lines(dedup.assignments()) == expected


def test_wire_stories_reprint(wire_stories):
    ids, texts = wire_stories
    with simcore.Deduplicator() as dedup:
        verdicts = dedup.add_many(texts, ids=ids)
        assert [v.is_duplicate for v in verdicts] == [False, True, False, False, False]
        assert verdicts[1].duplicate_of == ids[0]
        assert dedup.kept() == [ids[0], ids[2], ids[3], ids[4]]
        assert dedup.clusters() == [simcore.Cluster(ids[0], [ids[0], ids[1]])]


@pytest.mark.parametrize("measure", ["overlap", "jaccard"])
def test_generated_corpus_matches_simdedup(simdedup, generated_corpus, measure):
    path, ids, texts = generated_corpus
    expected = run_simdedup(simdedup, "dedupe", "--measure", measure, path)
    with simcore.Deduplicator(measure=measure) as dedup:
        verdicts = dedup.add_many(texts, ids=ids, batch_size=700)
        lines = as_cli_lines(dedup.assignments())
    assert len(lines) == len(expected) == 2000
    assert sum(line["match"] is not None for line in expected) > 100, "the corpus should hold planted duplicates"
    assert lines == expected
    assert [v.duplicate_of for v in verdicts] == [line["match"] for line in expected]


def test_one_by_one_equals_batches(generated_corpus):
    _, ids, texts = generated_corpus
    with simcore.Deduplicator(measure="jaccard") as batch, simcore.Deduplicator(measure="jaccard") as single:
        batched = batch.add_many(texts[:600], ids=ids[:600], batch_size=128)
        one_by_one = [single.add(text, id=identifier) for text, identifier in zip(texts[:600], ids[:600])]
        assert batched == one_by_one
        assert batch.clusters() == single.clusters()


def test_signature_agreement_estimates_exact_jaccard(generated_corpus):
    """Signature agreement estimates exact Jaccard within a seeded bound (k = 256, OPH)."""
    _, _, texts = generated_corpus
    sample = texts[:300]
    signatures = simcore.signatures(sample, k=256)
    worst = 0.0
    for i in range(0, 300, 7):
        for j in range(i + 1, min(i + 40, 300)):
            estimate = float((signatures[i] == signatures[j]).mean())
            worst = max(worst, abs(estimate - simcore.jaccard(sample[i], sample[j])))
    # sd of the estimate is at most sqrt(0.25 / 256) = 0.031: 0.2 is over 6 sd.
    assert worst < 0.2

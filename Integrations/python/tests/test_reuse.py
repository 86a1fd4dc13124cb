"""Passage alignment and text reuse: exactly what simdedup align and simdedup reuse print, on the
sample stories and a generated corpus with planted reuse; str offsets; the streaming index;
Python threads; bad input."""
import json
import subprocess

import pytest

import simcore
from conftest import WIRE_STORIES

PUTIN = ("Russian President Vladimir Putin landed in Vietnam on Thursday on a state visit, a day after "
         "signing a mutual defence pact.")
QUOTED = ("“Russian President Vladimir Putin landed in Hanoi on Thursday on a state visit, a day after "
          "signing a mutual defence pact,” AFP said.")


def cli_lines(simdedup, *arguments):
    result = subprocess.run([str(simdedup), *map(str, arguments)], check=True, capture_output=True, text=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


def as_cli_line(a, b, coverage_a, coverage_b, passages):
    """One line of simdedup reuse / align, from simcore's values."""
    return {"a": a, "b": b, "coverage_a": coverage_a, "coverage_b": coverage_b, "passages": [
        {"a": list(p.a), "b": list(p.b), "words_a": p.words_a, "words_b": p.words_b, "similarity": p.similarity}
        for p in passages]}


def as_cli_lines(pairs):
    return [as_cli_line(*pair) for pair in pairs]


@pytest.fixture(scope="session")
def story_files():
    return sorted(WIRE_STORIES.glob("*.txt"), key=lambda path: path.name.encode())


@pytest.fixture(scope="session")
def planted_corpus(simbench, tmp_path_factory):
    """`simbench generate --documents 500 --corpus-seed 7 --paragraph-reuse-probability 0.5
    --reused-paragraph-edit-probability 0.5`: reprints and borrowed paragraphs, half of them
    lightly edited. (path, ids, texts)."""
    path = tmp_path_factory.mktemp("planted") / "planted.jsonl"
    subprocess.run([str(simbench), "generate", "--documents", "500", "--corpus-seed", "7",
                    "--paragraph-reuse-probability", "0.5", "--reused-paragraph-edit-probability", "0.5",
                    "--output", str(path), "--quiet"], check=True, capture_output=True)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 500
    return path, [record["id"] for record in records], [record["text"] for record in records]


# Agreement with the command line ---------------------------------------------------------------


@pytest.mark.parametrize("flags,options", [
    ([], {}),
    (["--shingle", "words:4", "--min-passage-words", "8", "--max-gap", "0", "--seed", "3"],
     {"shingle": "words:4", "min_passage_words": 8, "max_gap": 0, "seed": 3}),
])
def test_align_matches_simdedup_align(simdedup, story_files, flags, options):
    found = 0
    for first in story_files:
        for second in story_files:
            if first == second:
                continue
            [expected] = cli_lines(simdedup, "align", *flags, first, second)
            alignment = simcore.align(first.read_bytes(), second.read_bytes(), **options)
            assert as_cli_line(str(first), str(second), alignment.coverage_a, alignment.coverage_b,
                               alignment.passages) == expected
            found += len(alignment.passages)
    assert found > 10, "the stories share passages (001 reprints 000, 002 rewrites 001)"


@pytest.mark.parametrize("flags,options", [
    ([], {}),
    (["--boilerplate", "off", "--max-gap", "5"], {"boilerplate": "off", "max_gap": 5}),
])
def test_reuse_of_the_stories_matches_simdedup_reuse(simdedup, wire_stories, flags, options):
    ids, texts = wire_stories
    expected = cli_lines(simdedup, "reuse", *flags, WIRE_STORIES)
    pairs = simcore.reuse([text.encode() for text in texts], ids=ids, **options)
    assert as_cli_lines(pairs) == expected
    assert [(pair.a, pair.b) for pair in pairs] == [(ids[0], ids[1]), (ids[0], ids[2]), (ids[1], ids[2])]


@pytest.mark.parametrize("flags,options", [
    ([], {}),
    (["--boilerplate", "off", "--max-df", "20", "--min-passage-words", "20"],
     {"boilerplate": "off", "max_df": 20, "min_passage_words": 20}),
])
def test_reuse_of_a_planted_corpus_matches_simdedup_reuse(simdedup, planted_corpus, flags, options):
    path, ids, texts = planted_corpus
    expected = cli_lines(simdedup, "reuse", "--quiet", *flags, path)
    pairs = simcore.reuse([text.encode() for text in texts], ids=ids, **options)
    assert len(pairs) > 300, "the corpus should hold planted reuse"
    assert as_cli_lines(pairs) == expected
    # The same on one thread, and numbered instead of named.
    assert simcore.reuse(texts, threads=1, **options) == [
        pair._replace(a=ids.index(pair.a), b=ids.index(pair.b)) for pair in simcore.reuse(texts, ids=ids, **options)]


def test_str_offsets_are_character_offsets(planted_corpus):
    """For str texts, offsets index the str; the bytes they cover are the ones simdedup reports."""
    _, ids, texts = planted_corpus
    texts = [f"«{text}» — ½ ✓ 😀 end" if i % 3 == 0 else text for i, text in enumerate(texts)]
    as_bytes = simcore.reuse([text.encode() for text in texts], ids=ids)
    as_str = simcore.reuse(texts, ids=ids)
    assert len(as_str) == len(as_bytes) and any(not text.isascii() for text in texts)
    by_id = dict(zip(ids, texts))
    for text_pair, byte_pair in zip(as_str, as_bytes):
        assert text_pair._replace(passages=None) == byte_pair._replace(passages=None)
        for in_text, in_bytes in zip(text_pair.passages, byte_pair.passages):
            assert in_text[2:] == in_bytes[2:]
            for side, key in (("a", text_pair.a), ("b", text_pair.b)):
                (start, end), (byte_start, byte_end) = getattr(in_text, side), getattr(in_bytes, side)
                assert by_id[key][start:end].encode() == by_id[key].encode()[byte_start:byte_end]


# Exact values on small inputs -------------------------------------------------------------------


def test_one_substituted_word_is_bridged():
    alignment = simcore.align(PUTIN, QUOTED)
    [passage] = alignment.passages
    # 21 words each side, 20 matching; "Vietnam" ↔ "Hanoi" bridged; in QUOTED, the opening
    # quote is one character but three bytes.
    assert passage == simcore.Passage((0, 122), (1, 121), 21, 21, 20, 40 / 42)
    assert PUTIN[0:122] == PUTIN[:-1] and QUOTED[1:121].endswith("defence pact")
    assert alignment.words_a == 21 and alignment.words_b == 23
    assert alignment.coverage_a == 1.0 and alignment.coverage_b == 21 / 23
    assert simcore.align(PUTIN.encode(), QUOTED.encode()).passages[0].b == (3, 123)
    # Mixed: offsets follow each text's own type; characters beyond the BMP count once.
    assert simcore.align("😀 " + PUTIN, QUOTED.encode()).passages[0][:2] == ((2, 124), (3, 123))
    # Nothing shared, or too short: no passage, and no error.
    assert simcore.align(PUTIN, "something else entirely").passages == []
    assert simcore.align("x", "x").passages == []
    # Options: a 30-word minimum leaves the 21-word passage out.
    assert simcore.align(PUTIN, QUOTED, min_passage_words=30).passages == []


def test_boilerplate_auto_and_off():
    texts = [f"Report {chr(97 + i)}{chr(113 + i)}\nAll rights reserved by the agency that wrote this story and sold it "
             "today\n" for i in range(12)]
    # The shared line stands in 12 ≥ max(10, 1%) documents: auto blanks it, off keeps it.
    assert simcore.reuse(texts) == []
    off = simcore.reuse(texts, boilerplate="off")
    assert len(off) == 66 and off[0] == simcore.ReusedPair(0, 1, 14 / 16, 14 / 16, [
        simcore.Passage((10, len(texts[0]) - 1), (10, len(texts[1]) - 1), 14, 14, 14, 1.0)])
    with simcore.ReuseIndex(boilerplate_from=texts) as learned, simcore.ReuseIndex() as plain:
        learned.add_many(texts)
        plain.add_many(texts)
        assert learned.pairs() == [] and plain.pairs() == off


# The streaming index ----------------------------------------------------------------------------


def test_index_gives_the_batch_pairs(planted_corpus):
    _, ids, texts = planted_corpus
    expected = simcore.reuse(texts, ids=ids)
    with simcore.ReuseIndex(boilerplate_from=texts) as index:
        index.add_many(texts[:250], ids=ids[:250], batch_size=100)
        streamed = []
        for text, key in zip(texts[250:], ids[250:]):
            matches = index.matches(text)
            added = index.add(text, id=key)
            assert [pair._replace(b=key) for pair in matches] == added
            assert all(pair.b == key for pair in added)
            streamed += added
        assert len(index) == 500 and index.keys() == ids
        assert index.pairs() == expected
    # Every pair with a later document, found as it arrived, as the batch has it.
    later = set(ids[250:])
    assert streamed and sorted(streamed, key=lambda pair: (ids.index(pair.a), ids.index(pair.b))) == [
        pair for pair in expected if pair.b in later]


def test_index_keys_are_ids_or_numbers():
    with simcore.ReuseIndex() as index:
        assert index.add(PUTIN) == []
        [pair] = index.add(QUOTED, id="quoted")
        assert (pair.a, pair.b) == (0, "quoted")
        index.add_many([PUTIN, PUTIN + " More."], ids=[None, "more"])
        assert index.keys() == [0, "quoted", 2, "more"] and len(index) == 4
        assert [(pair.a, pair.b) for pair in index.matches(PUTIN)] == [(0, None), ("quoted", None), (2, None), ("more", None)]
        assert "4 documents" in repr(index)


# Python threads ---------------------------------------------------------------------------------


def test_concurrent_calls(planted_corpus, run_threads):
    _, ids, texts = planted_corpus
    texts, ids = texts[:300], ids[:300]
    expected = simcore.reuse(texts, ids=ids, threads=1)
    results = [None] * 4

    def find(index):
        results[index] = simcore.reuse(texts, ids=ids)

    run_threads(4, find)
    assert all(result == expected for result in results)

    with simcore.ReuseIndex() as shared:
        def add_quarter(index):
            for position in range(index, len(texts), 4):
                if position % 2:
                    shared.add(texts[position], id=ids[position])
                else:
                    shared.add_many([texts[position]], ids=[ids[position]])
                shared.matches(texts[position])

        run_threads(4, add_quarter)
        keys = shared.keys()
        assert sorted(keys) == sorted(ids)
        # Whatever order the threads added in, the index holds what a batch in that order finds.
        order = {key: position for position, key in enumerate(ids)}
        assert shared.pairs() == simcore.reuse([texts[order[key]] for key in keys], ids=keys, boilerplate="off")


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("call,error,message", [
    (lambda: simcore.align(None, PUTIN), TypeError, "a is NoneType, expected str or bytes"),
    (lambda: simcore.align(PUTIN, 3), TypeError, "b is int"),
    (lambda: simcore.align("", PUTIN), ValueError, "a is empty"),
    (lambda: simcore.align(PUTIN, b"bad \xc3\x28 bytes"), ValueError, r"b is not valid UTF-8 \(byte 4\)"),
    (lambda: simcore.align(PUTIN, "lone \ud800"), ValueError, "b cannot be encoded as UTF-8"),
    (lambda: simcore.align(PUTIN, PUTIN, shingle="chars:7"), ValueError, "aligned on word n-grams"),
    (lambda: simcore.align(PUTIN, PUTIN, shingle="words:0"), ValueError, "shingle width"),
    (lambda: simcore.align(PUTIN, PUTIN, min_passage_words=0), ValueError, "min_passage_words must be in 1...100000"),
    (lambda: simcore.align(PUTIN, PUTIN, max_gap="3"), TypeError, "max_gap must be an int"),
    (lambda: simcore.align(PUTIN, PUTIN, max_gap=10_001), ValueError, "max_gap must be in 0...10000"),
    (lambda: simcore.align(PUTIN, PUTIN, invalid_utf8="ignore"), ValueError, "invalid_utf8 must be one of"),
    (lambda: simcore.reuse("one string"), TypeError, "not a single str"),
    (lambda: simcore.reuse(None), TypeError, "not None"),
    (lambda: simcore.reuse([PUTIN, None]), TypeError, r"texts\[1\] is NoneType"),
    (lambda: simcore.reuse([PUTIN, b""]), ValueError, r"texts\[1\] is empty"),
    (lambda: simcore.reuse([PUTIN], ids=["a", "b"]), ValueError, "ids has more items than texts"),
    (lambda: simcore.reuse([PUTIN, PUTIN], ids=["a"]), ValueError, "texts has more items than ids"),
    (lambda: simcore.reuse([PUTIN], ids=[""]), ValueError, r"ids\[0\] is empty"),
    (lambda: simcore.reuse([PUTIN], max_df=1), ValueError, "max_df must be in 2"),
    (lambda: simcore.reuse([PUTIN], boilerplate="maybe"), ValueError, "boilerplate must be one of"),
    (lambda: simcore.reuse([PUTIN], threads=0), ValueError, "threads must be in"),
    (lambda: simcore.ReuseIndex(boilerplate_from=[PUTIN, 7]), TypeError, r"texts\[1\] is int"),
    (lambda: simcore.ReuseIndex(shingle="lines:3"), ValueError, "shingle unit"),
])
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_invalid_utf8_can_be_replaced():
    damaged = PUTIN.encode().replace(b"ss", b"s\xff", 1)   # "Rus\xffian": "rus", "ian"
    alignment = simcore.align(damaged, PUTIN.encode(), invalid_utf8="replace")
    assert alignment.words_a == 22 and alignment.passages[0].a == (8, 122)
    assert simcore.reuse([damaged, PUTIN], invalid_utf8="replace", boilerplate="off")[0].passages[0].a == (8, 122)


def test_an_empty_corpus_has_no_pairs():
    assert simcore.reuse([]) == [] and simcore.reuse(iter([]), ids=[]) == []
    assert simcore.reuse([PUTIN]) == []


def test_bad_items_keep_the_earlier_documents_and_closed_indexes_refuse():
    index = simcore.ReuseIndex()
    with pytest.raises(ValueError, match=r"texts\[3\] is not valid UTF-8"):
        index.add_many([PUTIN, QUOTED, PUTIN, b"\xff", PUTIN], batch_size=2)
    assert len(index) == 3 and index.keys() == [0, 1, 2]
    with pytest.raises(TypeError, match=r"ids\[1\] is int"):
        index.add_many([PUTIN, PUTIN], ids=["x", 5])
    assert index.keys() == [0, 1, 2, "x"]
    with pytest.raises(TypeError, match="id is int"):
        index.add(PUTIN, id=5)
    with pytest.raises(ValueError, match="text is empty"):
        index.add("")
    assert len(index) == 4
    index.close()
    index.close()
    assert index.closed and "closed" in repr(index)
    for call in [lambda: index.add(PUTIN), lambda: index.add_many([PUTIN]), lambda: index.matches(PUTIN), index.pairs]:
        with pytest.raises(ValueError, match="this ReuseIndex is closed"):
            call()

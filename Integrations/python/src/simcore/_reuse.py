"""Passage alignment and text reuse: which passages texts share, and where.

Offsets: for a ``str`` text, a passage's ``(start, end)`` indexes the string
(``text[start:end]``); for ``bytes``, its UTF-8 bytes, as ``simdedup align`` and ``reuse`` print
them. The library works in bytes; ``str`` offsets are converted here, each document's once per
call, from the bytes the text was encoded to.
"""
import ctypes
import struct
import sys
import threading
from collections import namedtuple

from . import _native, _texts
from ._handle import Handle
from ._native import lib

Passage = namedtuple("Passage", "a b words_a words_b matched_words similarity")
Passage.__doc__ = """One passage two texts share.

a, b: its half-open (start, end) in each text: character offsets into a str, byte offsets into
bytes (text_a[start:end] is the passage as text A has it, from its first word to its last);
words_a, words_b: its words on each side; matched_words: words that match a word on the other
side, in order; similarity: 2 × matched_words / (words_a + words_b), 1 for a verbatim passage."""

Alignment = namedtuple("Alignment", "passages coverage_a coverage_b words_a words_b")
Alignment.__doc__ = """The passages two texts share (by position in A, then in B), the fraction of
each text's words inside them, and each text's word count."""

ReusedPair = namedtuple("ReusedPair", "a b coverage_a coverage_b passages")
ReusedPair.__doc__ = """Two documents sharing passages, as a line of simdedup reuse: a, b their
keys (a added first; b is None for the text given to ReuseIndex.matches), the fraction of each
one's words inside the passages, and the passages (A is document a)."""

# simcore_passage and simcore_reuse_pair as struct formats (native sizes and alignment), so
# that results are read in one pass of C code rather than field by field through ctypes.
_PASSAGE = struct.Struct("@9NdQ")
_PAIR = struct.Struct("@qqNPNNdd")
assert _PASSAGE.size == ctypes.sizeof(_native.Passage) and _PAIR.size == ctypes.sizeof(_native.ReusePair)


def _source(item, data):
    """What offsets need of a text: its UTF-8 bytes when it was a non-ASCII str (byte offsets
    become str indices), else None (bytes keep byte offsets; in ASCII they are the same)."""
    return data if isinstance(item, str) and not data.isascii() else None


def _characters(data, offsets):
    """{byte offset: str index} for byte offsets at character boundaries of UTF-8 ``data``."""
    mapping, characters, previous = {}, 0, 0
    for offset in sorted(offsets):
        characters += len(data[previous:offset].decode("utf-8"))
        mapping[offset] = characters
        previous = offset
    return mapping


class _Results:
    """Reads a simcore_alignment or simcore_reuse_pairs into Python values, converting offsets."""

    def __init__(self, sources, keys):
        self.sources = sources    # document number → bytes needing conversion, or None
        self.keys = keys          # document number → key

    def pairs(self, raw, query_source=None, query_key=None):
        """ReusedPairs from a simcore_reuse_pairs (released by the caller). A b equal to
        ``len(sources)`` is the query (``query_source``, key ``query_key``)."""
        if raw.count == 0:
            return []
        pairs = list(_PAIR.iter_unpack(ctypes.string_at(raw.pairs, raw.count * _PAIR.size)))
        passages = list(_PASSAGE.iter_unpack(ctypes.string_at(raw.passages, raw.passage_count * _PASSAGE.size)))
        sources = self.sources

        def source(document):
            return query_source if document == len(sources) else sources[document]

        # Every byte offset each document needs, converted once per document.
        needed = {}
        position = 0
        for a, b, count, _, _, _, _, _ in pairs:
            source_a, source_b = source(a), source(b)
            for passage in passages[position:position + count]:
                if source_a is not None:
                    needed.setdefault(a, set()).update(passage[0:2])
                if source_b is not None:
                    needed.setdefault(b, set()).update(passage[2:4])
            position += count
        mappings = {document: _characters(source(document), offsets) for document, offsets in needed.items()}

        result = []
        position = 0
        keys = self.keys
        for a, b, count, _, _, _, coverage_a, coverage_b in pairs:
            map_a, map_b = mappings.get(a), mappings.get(b)
            result.append(ReusedPair(
                keys[a], query_key if b == len(sources) else keys[b], coverage_a, coverage_b,
                [_passage(passage, map_a, map_b) for passage in passages[position:position + count]]))
            position += count
        return result


def _passage(raw, map_a, map_b):
    a_start, a_end, b_start, b_end, wa_start, wa_end, wb_start, wb_end, matched, similarity, _ = raw
    if map_a is not None:
        a_start, a_end = map_a[a_start], map_a[a_end]
    if map_b is not None:
        b_start, b_end = map_b[b_start], map_b[b_end]
    return Passage((a_start, a_end), (b_start, b_end), wa_end - wa_start, wb_end - wb_start, matched, similarity)


def align(a, b, *, shingle="words:5", min_passage_words=12, max_gap=12, seed=0, invalid_utf8="strict",
          **normalization):
    """The passages texts ``a`` and ``b`` share, as ``simdedup align`` finds them.

    Returns an :class:`Alignment`; offsets index each text as given (characters of a str, bytes of
    bytes). ``shingle``: ``"words:N"``, the seed n-gram (default 5 words); ``min_passage_words``:
    fewest matching words of a passage (12); ``max_gap``: most substituted, inserted or deleted
    words bridged inside one (12). Linear in the two lengths.
    """
    options = _native.make_alignment_options(
        shingle=shingle, min_passage_words=min_passage_words, max_gap=max_gap, seed=seed, invalid_utf8=invalid_utf8,
        **normalization)
    strict = invalid_utf8 == "strict"
    first = _texts.encode(a, None, "a", strict)
    second = _texts.encode(b, None, "b", strict)
    raw = _native.Alignment()
    _native.check(lib.simcore_align(ctypes.byref(options), first, len(first), second, len(second), ctypes.byref(raw)))
    try:
        passages = list(_PASSAGE.iter_unpack(ctypes.string_at(raw.passages, raw.count * _PASSAGE.size))) if raw.count else []
        result = (raw.coverage_a, raw.coverage_b, raw.word_count_a, raw.word_count_b)
    finally:
        lib.simcore_alignment_free(ctypes.byref(raw))
    source_a, source_b = _source(a, first), _source(b, second)
    map_a = _characters(source_a, {offset for p in passages for offset in p[0:2]}) if source_a is not None else None
    map_b = _characters(source_b, {offset for p in passages for offset in p[2:4]}) if source_b is not None else None
    return Alignment([_passage(p, map_a, map_b) for p in passages], *result)


def _reuse_pairs(call, results, **query):
    """Runs ``call(ReusePairs)``, reads the pairs and releases them."""
    raw = _native.ReusePairs()
    _native.check(call(ctypes.byref(raw)))
    try:
        return results.pairs(raw, **query)
    finally:
        lib.simcore_reuse_pairs_free(ctypes.byref(raw))


def _corpus(texts, ids, strict):
    """Every text encoded (one batch), with ids; returns (batch, keys, sources)."""
    items = list(_texts.iterate(texts))
    id_iterator = None if ids is None else _texts.iterate(ids, "ids")
    batch = id_batch = None
    # One batch of everything; a second one only carries the error of an ids iterable too long.
    for found, found_ids in _texts.batches(iter(items), max(1, len(items)), id_iterator, strict=strict):
        if found.error is not None:
            raise found.error
        batch, id_batch = found, found_ids
    if batch is None:
        return None, [], []
    keys = list(range(len(batch))) if id_batch is None else \
        [item.decode("utf-8") if item else number for number, item in enumerate(id_batch.items)]
    return batch, keys, [_source(item, data) for item, data in zip(items, batch.items)]


def reuse(texts, ids=None, *, shingle="words:5", min_passage_words=12, max_gap=12, max_df=100, seed=0,
          boilerplate="auto", threads=None, invalid_utf8="strict", **normalization):
    """Every pair of ``texts`` that shares a passage, as ``simdedup reuse`` prints them.

    Returns :class:`ReusedPair` values ordered by a then b (a before b in input order), keyed by
    ``ids`` (non-empty str, or None for the document's number) or by number. ``boilerplate``:
    ``"auto"`` (default) blanks lines found in at least max(10, 1% of) the texts first (tickers,
    copyright lines; offsets still index the originals), ``"off"`` keeps them; ``max_df``: n-grams
    held by more texts are left out of the index (default 100). All cores (``threads``); the
    result is the same for every thread count.
    """
    options = _native.make_alignment_options(
        shingle=shingle, min_passage_words=min_passage_words, max_gap=max_gap, seed=seed, max_df=max_df,
        boilerplate=boilerplate, threads=threads, invalid_utf8=invalid_utf8, **normalization)
    batch, keys, sources = _corpus(texts, ids, invalid_utf8 == "strict")
    if batch is None:
        return []
    return _reuse_pairs(
        lambda out: lib.simcore_reuse(ctypes.byref(options), batch.pointers, batch.lengths, len(batch), out),
        _Results(sources, keys))


class ReuseIndex(Handle):
    """A corpus-wide text-reuse index that grows: SimCore's ReuseIndex.

    ``add(text, id=None)`` returns the passages the text shares with the documents added before
    it, then adds it; ``add_many(texts, ids=None)`` adds an iterable on all cores;
    ``matches(text)`` asks without adding; ``pairs()`` lists every pair of added documents that
    shares a passage (what :func:`reuse` gives for the same texts). Options as :func:`reuse`;
    ``boilerplate_from``: texts (for instance the archive about to be added) whose lines found in
    at least max(10, 1% of) them are blanked in every document added or matched; by default none.

    A document is named by its id (a non-empty str) or, when added without one, by its number.
    Safe to share between threads (calls run one at a time inside, each on ``threads`` cores);
    ``close()`` (or ``with``) frees it after the calls in progress.
    """

    _free = lib.simcore_reuse_index_free

    def __init__(self, *, shingle="words:5", min_passage_words=12, max_gap=12, max_df=100, seed=0, threads=None,
                 invalid_utf8="strict", boilerplate_from=None, **normalization):
        self._options = _native.make_alignment_options(
            shingle=shingle, min_passage_words=min_passage_words, max_gap=max_gap, seed=seed, max_df=max_df,
            threads=threads, invalid_utf8=invalid_utf8, **normalization)
        self._strict_utf8 = invalid_utf8 == "strict"
        self._keys = []        # document number → key
        self._sources = []     # document number → bytes whose offsets need converting, or None
        # Held around every call into the index, so that document numbers, keys and sources stay
        # in step across threads (the library serializes calls on one index anyway).
        self._lock = threading.Lock()
        pointer = ctypes.c_void_p()
        if boilerplate_from is None:
            _native.check(lib.simcore_reuse_index_new(ctypes.byref(self._options), None, None, 0, ctypes.byref(pointer)))
        else:
            sample, _, _ = _corpus(boilerplate_from, None, self._strict_utf8)
            count = 0 if sample is None else len(sample)
            _native.check(lib.simcore_reuse_index_new(
                ctypes.byref(self._options), sample.pointers if count else None, sample.lengths if count else None,
                count, ctypes.byref(pointer)))
        self._open(pointer.value)

    def __len__(self):
        return len(self._keys)

    def keys(self):
        """Every document's key, in the order added."""
        return list(self._keys)

    def _call(self, call, **query):
        """Runs ``call(pointer, out)`` under the lock and reads its pairs."""
        pointer = self._acquire()
        try:
            with self._lock:
                return _reuse_pairs(lambda out: call(pointer, out), _Results(self._sources, self._keys), **query)
        finally:
            self._release()

    def add(self, text, id=None):
        """Adds one document (str or UTF-8 bytes) and returns the :class:`ReusedPair` values it
        forms with the documents added before it (it is b), ordered by a."""
        data = _texts.encode(text, None, "text", self._strict_utf8)
        _texts.encode_id(id, None, "id")
        source = _source(text, data)
        number = ctypes.c_int64()

        def insert(pointer, out):
            status = lib.simcore_reuse_index_insert(pointer, data, len(data), ctypes.byref(number), out)
            if status == _native.OK:
                # Under the lock: the new document's number is the count before it, and its
                # pairs (b = that number) are read once it has its key and source.
                assert number.value == len(self._keys)
                self._keys.append(number.value if id is None else id)
                self._sources.append(source)
            return status

        return self._call(insert)

    def add_many(self, texts, ids=None, *, batch_size=_texts.DEFAULT_BATCH_SIZE):
        """Adds every text of an iterable, in order, ``batch_size`` at a time on all cores.

        On a bad item (not str or bytes, empty, invalid UTF-8, a bad id) every document before it
        has been added, none from it on, and the exception names its position.
        """
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, not {batch_size!r}")
        items = []

        def tap(iterator):
            for item in iterator:
                items.append(item)
                yield item

        text_iterator = tap(_texts.iterate(texts))
        id_iterator = None if ids is None else _texts.iterate(ids, "ids")
        for batch, id_batch in _texts.batches(text_iterator, batch_size, id_iterator, strict=self._strict_utf8):
            if len(batch):
                pointer = self._acquire()
                try:
                    with self._lock:
                        _native.check(lib.simcore_reuse_index_insert_many(pointer, batch.pointers, batch.lengths, len(batch)))
                        first = len(self._keys)
                        if id_batch is None:
                            self._keys.extend(range(first, first + len(batch)))
                        else:
                            self._keys.extend(item.decode("utf-8") if item else first + offset
                                              for offset, item in enumerate(id_batch.items))
                        self._sources.extend(_source(item, data) for item, data in zip(items, batch.items))
                finally:
                    self._release()
            del items[:]
            if batch.error is not None:
                raise batch.error

    def matches(self, text):
        """The :class:`ReusedPair` values a text would form with the added documents (b is None),
        ordered by a; the text is not added."""
        data = _texts.encode(text, None, "text", self._strict_utf8)
        return self._call(lambda pointer, out: lib.simcore_reuse_index_matches(pointer, data, len(data), out),
                          query_source=_source(text, data), query_key=None)

    def pairs(self):
        """Every pair of added documents that shares a passage, ordered by a then b."""
        return self._call(lib.simcore_reuse_index_pairs)

    def __repr__(self):
        state = "closed" if self.closed else f"{len(self)} documents"
        return f"<simcore.ReuseIndex {state}>"

"""simcore: near-duplicate detection and text reuse from Python, over libsimcore (SimCore's C interface).

    import simcore
    dedup = simcore.Deduplicator(threshold=0.8, measure="jaccard", k=128)
    dedup.add_many(texts, ids=urls)        # verdicts, in order; all cores
    dedup.kept()                           # one id per cluster, and every unique document
    simcore.signatures(texts, k=128)       # numpy uint64 (n, 128) when NumPy is installed
    simcore.jaccard(a, b)                  # exact, of word 5-gram sets
    simcore.align(a, b).passages           # the passages two texts share, with offsets into both
    simcore.reuse(texts, ids=urls)         # every pair of documents sharing a passage; all cores

Texts are ``str`` or UTF-8 ``bytes``; iterables of any length are streamed in batches. Every
long call releases the GIL. Names and defaults are simdedup's: ``shingle="words:5"``,
``scheme="oph"``, ``k=128``, ``seed=0``, ``measure="overlap"``, ``threshold=0.8``,
``verification="estimated"``, ``threads=None`` (every core).
"""
import ctypes
import os
from collections import namedtuple

from . import _native, _texts
from ._handle import Handle as _Handle
from ._native import IndexFileError, lib
from ._reuse import Alignment, Passage, ReusedPair, ReuseIndex, align, reuse
from ._texts import DEFAULT_BATCH_SIZE  # how many texts go to the library per call when streaming

#: NumPy, imported on the first call that returns an array (None when it is not installed), so
#: that importing simcore costs no NumPy start-up.
_numpy = ...


def _numpy_module():
    global _numpy
    if _numpy is ...:
        try:
            import numpy
        except ImportError:  # NumPy is optional
            numpy = None
        _numpy = numpy
    return _numpy

__all__ = [
    "Deduplicator", "Verdict", "Cluster", "Assignment", "ShingleSet", "IndexFileError",
    "signatures", "shingles", "jaccard", "containment", "overlap", "library_version",
    "align", "reuse", "ReuseIndex", "Alignment", "Passage", "ReusedPair",
]

__version__ = "0.2.0"



def library_version():
    """The version of the libsimcore this package loaded (SimCore's release)."""
    return lib.simcore_version().decode()


Verdict = namedtuple("Verdict", "document key duplicate_of similarity")
Verdict.__doc__ = """One added document's verdict.

document: its number (0, 1, 2, ... in the order added); key: its id, or its number when added
without one; duplicate_of: the key of the most similar earlier document, or None when it is new;
similarity: the verified similarity to it (the deduplicator's measure), or None."""
Verdict.is_duplicate = property(lambda self: self.duplicate_of is not None, doc="Whether it duplicates an earlier document.")

Cluster = namedtuple("Cluster", "representative members")
Cluster.__doc__ = """A group of near-duplicates: the key of the one to keep (the longest, the first
added among equals) and every member's key, in the order added."""

Assignment = namedtuple("Assignment", "key cluster representative duplicate_of similarity")
Assignment.__doc__ = """One document's place in the clusters, as simdedup dedupe prints it: its key,
its cluster's label (the member with the smallest id in byte-wise UTF-8 order), whether it is the
one kept, and its verdict's duplicate_of and similarity."""


# Shingle sets and exact similarity ----------------------------------------------------------


class ShingleSet:
    """A document's sorted, duplicate-free set of 64-bit shingle hashes (immutable, thread-safe).

    ``len(s)``, ``s.hashes`` (a tuple of ints), ``s.jaccard(t)``, ``s.containment(t)``
    (|s ∩ t| / |s|), ``s.overlap(t)``. Made by :func:`shingles`.
    """

    __slots__ = ("_pointer", "options")

    def __init__(self, pointer, options):
        self._pointer = pointer
        self.options = options

    def __del__(self):
        pointer, self._pointer = getattr(self, "_pointer", None), None
        if pointer:
            lib.simcore_shingle_set_free(pointer)

    def __len__(self):
        return lib.simcore_shingle_set_count(self._pointer)

    @property
    def hashes(self):
        """The hashes, increasing."""
        count = len(self)
        return tuple(lib.simcore_shingle_set_hashes(self._pointer)[:count]) if count else ()

    def _similarity(self, other, measure):
        if not isinstance(other, ShingleSet):
            raise TypeError(f"expected a ShingleSet, not {type(other).__name__}")
        value = ctypes.c_double()
        _native.check(lib.simcore_shingle_set_similarity(self._pointer, other._pointer, measure, ctypes.byref(value)))
        return value.value

    def jaccard(self, other):
        """|A ∩ B| / |A ∪ B| (0 when either is empty)."""
        return self._similarity(other, _native.MEASURES["jaccard"])

    def containment(self, other):
        """|A ∩ B| / |A|: how much of this set is inside ``other``."""
        return self._similarity(other, _native.MEASURES["containment"])

    def overlap(self, other):
        """|A ∩ B| / min(|A|, |B|)."""
        return self._similarity(other, _native.MEASURES["overlap"])

    def __repr__(self):
        return f"<simcore.ShingleSet of {len(self)} shingles>"


def _shingling_options(shingle, seed, invalid_utf8, normalization):
    return _native.make_options(shingle=shingle, seed=seed, invalid_utf8=invalid_utf8, **normalization)


def shingles(text, *, shingle="words:5", seed=0, invalid_utf8="strict", **normalization):
    """The shingle set of one text (``str`` or UTF-8 ``bytes``).

    ``shingle``: ``"words:N"`` or ``"chars:K"``; ``seed``: the hash seed; normalization flags
    ``lowercase``, ``fold_compatibility_forms`` (default True), ``keep_punctuation`` (False).
    """
    options = _shingling_options(shingle, seed, invalid_utf8, normalization)
    data = _texts.encode(text, None, "text", invalid_utf8 == "strict")
    pointer = ctypes.c_void_p()
    _native.check(lib.simcore_shingle_set_new(ctypes.byref(options), data, len(data), ctypes.byref(pointer)))
    return ShingleSet(pointer.value, options)


def _exact(a, b, measure, shingle, seed, invalid_utf8, normalization):
    if isinstance(a, ShingleSet) and isinstance(b, ShingleSet):
        return a._similarity(b, _native.MEASURES[measure])
    if isinstance(a, ShingleSet) or isinstance(b, ShingleSet):
        raise TypeError("pass two texts or two ShingleSets")
    options = _shingling_options(shingle, seed, invalid_utf8, normalization)
    first = _texts.encode(a, None, "a", invalid_utf8 == "strict")
    second = _texts.encode(b, None, "b", invalid_utf8 == "strict")
    value = ctypes.c_double()
    _native.check(lib.simcore_similarity(
        ctypes.byref(options), _native.MEASURES[measure], first, len(first), second, len(second), ctypes.byref(value)))
    return value.value


def jaccard(a, b, *, shingle="words:5", seed=0, invalid_utf8="strict", **normalization):
    """Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two texts' shingle sets (or two ShingleSets)."""
    return _exact(a, b, "jaccard", shingle, seed, invalid_utf8, normalization)


def containment(a, b, *, shingle="words:5", seed=0, invalid_utf8="strict", **normalization):
    """Exact directed containment |A ∩ B| / |A|: how much of ``a`` is inside ``b``."""
    return _exact(a, b, "containment", shingle, seed, invalid_utf8, normalization)


def overlap(a, b, *, shingle="words:5", seed=0, invalid_utf8="strict", **normalization):
    """Exact overlap coefficient |A ∩ B| / min(|A|, |B|)."""
    return _exact(a, b, "overlap", shingle, seed, invalid_utf8, normalization)


# Signatures -----------------------------------------------------------------------------------


def signatures(texts, *, scheme="oph", k=128, seed=0, shingle="words:5", threads=None,
               batch_size=DEFAULT_BATCH_SIZE, invalid_utf8="strict", **normalization):
    """MinHash-family signatures of many texts, on all cores.

    Returns a NumPy ``uint64`` array of shape (n, k) when NumPy is installed, otherwise a
    ``memoryview`` of format ``'Q'`` and shape (n, k) (``.tolist()``, ``numpy.asarray``).
    Row i is ``texts[i]``'s signature, the bytes SimCore's Swift API and ``simdedup`` compute
    for the same scheme, k, seed and shingling (an empty document has none: it is refused).

    ``scheme``: ``"oph"`` (one-permutation, default), ``"minhash"``, ``"superminhash"``,
    ``"minhash-b1"``. ``texts``: any iterable of str or bytes, streamed ``batch_size`` at a time.
    """
    options = _native.make_options(
        scheme=scheme, k=k, seed=seed, shingle=shingle, threads=threads, invalid_utf8=invalid_utf8, **normalization)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, not {batch_size!r}")
    chunks = []
    rows = 0
    for batch, _ in _texts.batches(_texts.iterate(texts), batch_size, strict=invalid_utf8 == "strict"):
        if batch.error is not None:
            raise batch.error
        output = bytearray(len(batch) * k * 8)
        buffer = (ctypes.c_char * len(output)).from_buffer(output)
        status = lib.simcore_signatures(ctypes.byref(options), batch.pointers, batch.lengths, len(batch), buffer, len(batch) * k)
        del buffer
        _native.check(status)
        chunks.append(output)
        rows += len(batch)
    data = chunks[0] if len(chunks) == 1 else bytearray().join(chunks)
    numpy = _numpy_module()
    if numpy is not None:
        return numpy.frombuffer(data, dtype=numpy.uint64).reshape(rows, k)
    return memoryview(data).cast("B").cast("Q", (rows, k)) if rows else memoryview(data).cast("Q")


# The deduplicator -----------------------------------------------------------------------------


class Deduplicator(_Handle):
    """SimCore's streaming near-duplicate detector.

    ``Deduplicator(threshold=0.8, measure="overlap", k=128)`` (``measure="jaccard"`` for classic
    near-duplicates): ``add(text, id=None)`` returns a :class:`Verdict`; ``add_many(texts,
    ids=None)`` adds an iterable on all cores with exactly the verdicts of one-by-one adds;
    ``clusters()``, ``kept()``, ``assignments()``; ``save(path)`` and
    ``Deduplicator.load(path, ...same options...)``; ``close()`` (or ``with``).

    A document is named by its id (a non-empty str) or, when added without one, by its number.
    Safe to use from several threads at once; ``close()`` waits for calls in progress.
    """

    def __init__(self, threshold=0.8, measure="overlap", k=128, *, scheme="oph", shingle="words:5", seed=0,
                 verification="estimated", bands=None, rows=None, threads=None, invalid_utf8="strict",
                 **normalization):
        self._options = _native.make_options(
            threshold=threshold, measure=measure, k=k, scheme=scheme, shingle=shingle, seed=seed,
            verification=verification, bands=bands, rows=rows, threads=threads, invalid_utf8=invalid_utf8,
            **normalization)
        self._strict_utf8 = invalid_utf8 == "strict"
        self._has_ids = False
        pointer = ctypes.c_void_p()
        _native.check(lib.simcore_dedup_new(ctypes.byref(self._options), ctypes.byref(pointer)))
        self._open(pointer.value)

    @classmethod
    def load(cls, path, threshold=0.8, measure="overlap", k=128, **options):
        """A deduplicator saved by :meth:`save`; pass the options it was made with (threads may
        differ). Raises OSError when the file cannot be read, IndexFileError when it is not a
        SimCore file, is corrupt or of another version, or was made with other options."""
        self = cls.__new__(cls)
        self._options = _native.make_options(threshold=threshold, measure=measure, k=k, **options)
        self._strict_utf8 = options.get("invalid_utf8", "strict") == "strict"
        pointer = ctypes.c_void_p()
        _native.check(lib.simcore_dedup_load(_path_bytes(path), ctypes.byref(self._options), ctypes.byref(pointer)))
        self._open(pointer.value)
        self._has_ids = any(key is not None for key in self._raw_ids())
        return self

    _free = lib.simcore_dedup_free

    def __len__(self):
        pointer = self._acquire()
        try:
            count = ctypes.c_size_t()
            _native.check(lib.simcore_dedup_count(pointer, ctypes.byref(count)))
            return count.value
        finally:
            self._release()

    # Keys: an id, or the document's number when it was added without one.

    def _key(self, pointer, document):
        if not self._has_ids:
            return document
        buffer = (ctypes.c_uint8 * 256)()
        length = ctypes.c_size_t()
        status = lib.simcore_dedup_id(pointer, document, buffer, 256, ctypes.byref(length))
        if status == _native.E_BUFFER_TOO_SMALL:
            buffer = (ctypes.c_uint8 * length.value)()
            status = lib.simcore_dedup_id(pointer, document, buffer, length.value, ctypes.byref(length))
        _native.check(status)
        return bytes(buffer[:length.value]).decode("utf-8") if length.value else document

    def _raw_ids(self):
        """Every document's id, None where it has none."""
        pointer = self._acquire()
        try:
            data = ctypes.POINTER(ctypes.c_uint8)()
            offsets = ctypes.POINTER(ctypes.c_size_t)()
            count = ctypes.c_size_t()
            _native.check(lib.simcore_dedup_ids(pointer, ctypes.byref(data), ctypes.byref(offsets), ctypes.byref(count)))
            try:
                ends = offsets[:count.value + 1] if count.value else [0]
                blob = ctypes.string_at(data, ends[-1]) if ends[-1] else b""
            finally:
                lib.simcore_free(data)
                lib.simcore_free(offsets)
            return [blob[ends[i]:ends[i + 1]].decode("utf-8") if ends[i + 1] > ends[i] else None
                    for i in range(count.value)]
        finally:
            self._release()

    def keys(self):
        """Every document's key, in the order added."""
        if not self._has_ids:
            return list(range(len(self)))
        return [number if key is None else key for number, key in enumerate(self._raw_ids())]

    def _verdict(self, pointer, raw, key):
        if raw.duplicate_of < 0:
            return Verdict(raw.document, key, None, None)
        return Verdict(raw.document, key, self._key(pointer, raw.duplicate_of), raw.similarity)

    # Adding documents.

    def add(self, text, id=None):
        """Adds one document (str or UTF-8 bytes) and returns its :class:`Verdict`."""
        data = _texts.encode(text, None, "text", self._strict_utf8)
        identifier = _texts.encode_id(id, None, "id")
        raw = _native.Verdict()
        pointer = self._acquire()
        try:
            if identifier:
                self._has_ids = True
            _native.check(lib.simcore_dedup_insert(pointer, data, len(data), identifier, len(identifier), ctypes.byref(raw)))
            return self._verdict(pointer, raw, id if id is not None else raw.document)
        finally:
            self._release()

    def add_many(self, texts, ids=None, *, batch_size=DEFAULT_BATCH_SIZE):
        """Adds every text of an iterable, in order, ``batch_size`` at a time on all cores, and
        returns their verdicts. ``ids``: an iterable of str (or None items) as long as ``texts``.

        On a bad item (not str or bytes, empty, invalid UTF-8, a bad id) every document before it
        has been added, none from it on, and the exception names its position.
        """
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, not {batch_size!r}")
        text_iterator = _texts.iterate(texts)
        id_iterator = None if ids is None else _texts.iterate(ids, "ids")
        verdicts = []
        for batch, id_batch in _texts.batches(text_iterator, batch_size, id_iterator, strict=self._strict_utf8):
            if len(batch):
                self._insert_batch(batch, id_batch, verdicts)
            if batch.error is not None:
                raise batch.error
        return verdicts

    def _insert_batch(self, batch, id_batch, verdicts):
        count = len(batch)
        raw = (_native.Verdict * count)()
        pointer = self._acquire()
        try:
            if id_batch is not None and any(id_batch.items):
                self._has_ids = True
                status = lib.simcore_dedup_insert_many(
                    pointer, batch.pointers, batch.lengths, count, id_batch.pointers, id_batch.lengths, raw)
            else:
                status = lib.simcore_dedup_insert_many(pointer, batch.pointers, batch.lengths, count, None, None, raw)
            _native.check(status)
            if id_batch is not None and self._has_ids:
                keys = [item.decode("utf-8") if item else raw[i].document for i, item in enumerate(id_batch.items)]
            else:
                keys = [raw[i].document for i in range(count)]
            verdicts.extend(self._verdict(pointer, raw[i], keys[i]) for i in range(count))
        finally:
            self._release()

    # Results.

    def assignments(self):
        """Every document's :class:`Assignment`, in the order added (simdedup dedupe's lines)."""
        pointer = self._acquire()
        try:
            data = ctypes.POINTER(_native.Assignment)()
            count = ctypes.c_size_t()
            _native.check(lib.simcore_dedup_assignments(pointer, ctypes.byref(data), ctypes.byref(count)))
            try:
                rows = [(a.cluster, a.is_representative, a.duplicate_of, a.similarity) for a in data[:count.value]]
            finally:
                lib.simcore_free(data)
        finally:
            self._release()
        keys = self.keys()
        keys += list(range(len(keys), len(rows)))
        return [
            Assignment(keys[document], keys[cluster], bool(representative),
                       keys[match] if match >= 0 else None, similarity if match >= 0 else None)
            for document, (cluster, representative, match, similarity) in enumerate(rows)
        ]

    def kept(self):
        """The keys of the documents to keep: one per cluster and every unique document, in the
        order added."""
        pointer = self._acquire()
        try:
            data = ctypes.POINTER(ctypes.c_int64)()
            count = ctypes.c_size_t()
            _native.check(lib.simcore_dedup_kept(pointer, ctypes.byref(data), ctypes.byref(count)))
            try:
                documents = data[:count.value] if count.value else []
            finally:
                lib.simcore_free(data)
        finally:
            self._release()
        if not self._has_ids:
            return documents
        keys = self.keys()
        return [keys[document] for document in documents]

    def clusters(self, include_singletons=False):
        """The clusters of near-duplicates found so far, ordered by their first member; each a
        :class:`Cluster` of keys. Unique documents are one-member clusters only when
        ``include_singletons`` is true."""
        pointer = self._acquire()
        try:
            raw = _native.Clusters()
            _native.check(lib.simcore_dedup_clusters(pointer, 1 if include_singletons else 0, ctypes.byref(raw)))
            try:
                count = raw.count
                offsets = raw.offsets[:count + 1] if count else [0]
                members = raw.members[:offsets[-1]] if offsets[-1] else []
                representatives = raw.representatives[:count] if count else []
            finally:
                lib.simcore_clusters_free(ctypes.byref(raw))
        finally:
            self._release()
        if self._has_ids:
            keys = self.keys()
            members = [keys[document] for document in members]
            representatives = [keys[document] for document in representatives]
        return [Cluster(representatives[c], members[offsets[c]:offsets[c + 1]]) for c in range(count)]

    def save(self, path):
        """Saves everything added so far to ``path``, atomically (OSError when it cannot be written)."""
        pointer = self._acquire()
        try:
            _native.check(lib.simcore_dedup_save(pointer, _path_bytes(path)))
        finally:
            self._release()

    def __repr__(self):
        state = "closed" if self.closed else f"{len(self)} documents"
        return f"<simcore.Deduplicator {state}>"


def _path_bytes(path):
    path = os.fspath(path)
    if isinstance(path, str):
        try:
            return path.encode("utf-8")
        except UnicodeEncodeError:
            return os.fsencode(path)
    return path

"""libsimcore through ctypes: loading, the C declarations of simcore.h, and status → exception.

ctypes releases the GIL for the duration of every call into a ``CDLL``, so long calls (batch
signatures, batch inserts) run on all cores while other Python threads go on.
"""
import ctypes
import os
import sys
from ctypes import POINTER, c_char_p, c_double, c_int, c_int32, c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p
from pathlib import Path

ABI_VERSION = 1

# simcore_status
OK = 0
E_INVALID_ARGUMENT = 1
E_INVALID_UTF8 = 2
E_EMPTY_TEXT = 3
E_BUFFER_TOO_SMALL = 4
E_IO = 5
E_FORMAT = 6
E_PARAMETER_MISMATCH = 7
E_OUT_OF_RANGE = 8

SHINGLE_UNITS = {"words": 1, "chars": 2}
SCHEMES = {"oph": 1, "minhash": 2, "superminhash": 3, "minhash-b1": 4}
MEASURES = {"jaccard": 1, "containment": 2, "overlap": 3}
VERIFICATIONS = {"estimated": 1, "exact": 2}
UTF8_POLICIES = {"strict": 1, "replace": 2}


class IndexFileError(ValueError):
    """A saved deduplicator file was refused: not an index, truncated, corrupt, of another
    format version, or made with other options (the message shows both parameter lines)."""


class Options(ctypes.Structure):
    """simcore_options (simcore.h)."""

    _fields_ = [
        ("struct_size", c_uint32), ("shingle_unit", c_uint32), ("shingle_width", c_uint32),
        ("scheme", c_uint32), ("signature_length", c_uint32), ("measure", c_uint32),
        ("seed", c_uint64), ("threshold", c_double), ("verification", c_uint32),
        ("bands", c_uint32), ("rows", c_uint32), ("threads", c_uint32), ("invalid_utf8", c_uint32),
        ("lowercase", c_uint32), ("fold_compatibility_forms", c_uint32), ("keep_punctuation", c_uint32),
    ]


class Verdict(ctypes.Structure):
    """simcore_verdict."""

    _fields_ = [("document", c_int64), ("duplicate_of", c_int64), ("similarity", c_double)]


class Assignment(ctypes.Structure):
    """simcore_assignment."""

    _fields_ = [
        ("document", c_int64), ("cluster", c_int64), ("duplicate_of", c_int64), ("similarity", c_double),
        ("is_representative", c_uint32), ("reserved", c_uint32),
    ]


class Clusters(ctypes.Structure):
    """simcore_clusters."""

    _fields_ = [
        ("count", c_size_t), ("offsets", POINTER(c_size_t)), ("members", POINTER(c_int64)),
        ("representatives", POINTER(c_int64)),
    ]


BOILERPLATE = {"auto": 1, "off": 2}


class AlignmentOptions(ctypes.Structure):
    """simcore_alignment_options."""

    _fields_ = [
        ("struct_size", c_uint32), ("ngram_width", c_uint32), ("minimum_passage_words", c_uint32),
        ("maximum_gap", c_uint32), ("seed", c_uint64), ("lowercase", c_uint32),
        ("fold_compatibility_forms", c_uint32), ("keep_punctuation", c_uint32), ("invalid_utf8", c_uint32),
        ("maximum_document_frequency", c_uint32), ("boilerplate", c_uint32), ("threads", c_uint32),
        ("reserved", c_uint32),
    ]


class Passage(ctypes.Structure):
    """simcore_passage."""

    _fields_ = [
        ("a_start", c_size_t), ("a_end", c_size_t), ("b_start", c_size_t), ("b_end", c_size_t),
        ("words_a_start", c_size_t), ("words_a_end", c_size_t), ("words_b_start", c_size_t),
        ("words_b_end", c_size_t), ("matched_words", c_size_t), ("similarity", c_double), ("reserved", c_uint64),
    ]


class Alignment(ctypes.Structure):
    """simcore_alignment."""

    _fields_ = [
        ("count", c_size_t), ("passages", POINTER(Passage)), ("word_count_a", c_size_t),
        ("word_count_b", c_size_t), ("coverage_a", c_double), ("coverage_b", c_double),
    ]


class ReusePair(ctypes.Structure):
    """simcore_reuse_pair."""

    _fields_ = [("a", c_int64), ("b", c_int64), ("alignment", Alignment)]


class ReusePairs(ctypes.Structure):
    """simcore_reuse_pairs."""

    _fields_ = [
        ("count", c_size_t), ("pairs", POINTER(ReusePair)), ("passage_count", c_size_t),
        ("passages", POINTER(Passage)), ("boilerplate_lines", c_size_t),
    ]


def _library_path():
    override = os.environ.get("SIMCORE_LIBRARY")
    if override:
        return Path(override)
    name = "libsimcore.dylib" if sys.platform == "darwin" else "libsimcore.so"
    return Path(__file__).with_name(name)


def _load():
    path = _library_path()
    try:
        library = ctypes.CDLL(str(path))
    except OSError as error:
        raise ImportError(
            f"simcore: cannot load {path}: {error}. The library is built by `pip install ./Integrations/python` "
            "from a SimCore checkout and links to the Swift runtime of the toolchain that built it "
            "(set SIMCORE_LIBRARY to use another build)") from error
    declarations = {
        "simcore_last_error": (c_char_p, []),
        "simcore_status_name": (c_char_p, [c_int]),
        "simcore_version": (c_char_p, []),
        "simcore_abi_version": (c_uint32, []),
        "simcore_free": (None, [c_void_p]),
        "simcore_options_init": (None, [POINTER(Options)]),
        "simcore_shingle_set_new": (c_int, [POINTER(Options), c_char_p, c_size_t, POINTER(c_void_p)]),
        "simcore_shingle_set_free": (None, [c_void_p]),
        "simcore_shingle_set_count": (c_size_t, [c_void_p]),
        "simcore_shingle_set_hashes": (POINTER(c_uint64), [c_void_p]),
        "simcore_shingle_set_similarity": (c_int, [c_void_p, c_void_p, c_uint32, POINTER(c_double)]),
        "simcore_similarity": (c_int, [POINTER(Options), c_uint32, c_char_p, c_size_t, c_char_p, c_size_t, POINTER(c_double)]),
        "simcore_signatures": (c_int, [POINTER(Options), POINTER(c_char_p), POINTER(c_size_t), c_size_t, c_void_p, c_size_t]),
        "simcore_dedup_new": (c_int, [POINTER(Options), POINTER(c_void_p)]),
        "simcore_dedup_load": (c_int, [c_char_p, POINTER(Options), POINTER(c_void_p)]),
        "simcore_dedup_save": (c_int, [c_void_p, c_char_p]),
        "simcore_dedup_free": (None, [c_void_p]),
        "simcore_dedup_insert": (c_int, [c_void_p, c_char_p, c_size_t, c_char_p, c_size_t, POINTER(Verdict)]),
        "simcore_dedup_insert_many": (c_int, [
            c_void_p, POINTER(c_char_p), POINTER(c_size_t), c_size_t, POINTER(c_char_p), POINTER(c_size_t), POINTER(Verdict)]),
        "simcore_dedup_count": (c_int, [c_void_p, POINTER(c_size_t)]),
        "simcore_dedup_id": (c_int, [c_void_p, c_int64, POINTER(c_uint8), c_size_t, POINTER(c_size_t)]),
        "simcore_dedup_ids": (c_int, [c_void_p, POINTER(POINTER(c_uint8)), POINTER(POINTER(c_size_t)), POINTER(c_size_t)]),
        "simcore_dedup_assignments": (c_int, [c_void_p, POINTER(POINTER(Assignment)), POINTER(c_size_t)]),
        "simcore_dedup_kept": (c_int, [c_void_p, POINTER(POINTER(c_int64)), POINTER(c_size_t)]),
        "simcore_dedup_clusters": (c_int, [c_void_p, c_int32, POINTER(Clusters)]),
        "simcore_clusters_free": (None, [POINTER(Clusters)]),
        "simcore_alignment_options_init": (None, [POINTER(AlignmentOptions)]),
        "simcore_align": (c_int, [POINTER(AlignmentOptions), c_char_p, c_size_t, c_char_p, c_size_t, POINTER(Alignment)]),
        "simcore_alignment_free": (None, [POINTER(Alignment)]),
        "simcore_reuse_pairs_free": (None, [POINTER(ReusePairs)]),
        "simcore_reuse": (c_int, [POINTER(AlignmentOptions), POINTER(c_char_p), POINTER(c_size_t), c_size_t,
                                  POINTER(ReusePairs)]),
        "simcore_reuse_index_new": (c_int, [POINTER(AlignmentOptions), POINTER(c_char_p), POINTER(c_size_t), c_size_t,
                                            POINTER(c_void_p)]),
        "simcore_reuse_index_free": (None, [c_void_p]),
        "simcore_reuse_index_insert": (c_int, [c_void_p, c_char_p, c_size_t, POINTER(c_int64), POINTER(ReusePairs)]),
        "simcore_reuse_index_insert_many": (c_int, [c_void_p, POINTER(c_char_p), POINTER(c_size_t), c_size_t]),
        "simcore_reuse_index_count": (c_int, [c_void_p, POINTER(c_size_t)]),
        "simcore_reuse_index_matches": (c_int, [c_void_p, c_char_p, c_size_t, POINTER(ReusePairs)]),
        "simcore_reuse_index_pairs": (c_int, [c_void_p, POINTER(ReusePairs)]),
    }
    for name, (restype, argtypes) in declarations.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    if library.simcore_abi_version() != ABI_VERSION:
        raise ImportError(
            f"simcore: {path} implements C ABI version {library.simcore_abi_version()}, this package needs {ABI_VERSION}")
    return library


lib = _load()


def last_error():
    """The calling thread's last libsimcore error message."""
    return (lib.simcore_last_error() or b"").decode("utf-8", "replace")


def check(status, context=""):
    """Raises the exception for a libsimcore status (nothing for OK)."""
    if status == OK:
        return
    message = last_error()
    if context:
        message = f"{context}: {message}"
    if status in (E_INVALID_ARGUMENT, E_INVALID_UTF8, E_EMPTY_TEXT):
        raise ValueError(message)
    if status == E_IO:
        raise OSError(message)
    if status in (E_FORMAT, E_PARAMETER_MISMATCH):
        raise IndexFileError(message)
    if status == E_OUT_OF_RANGE:
        raise IndexError(message)
    name = lib.simcore_status_name(status).decode()
    raise RuntimeError(f"{name}: {message}")


def _choice(value, table, name):
    if not isinstance(value, str) or value not in table:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, table))}, not {value!r}")
    return table[value]


def _integer(value, name, low, high):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in {low}...{high}, not {value}")
    return value


def _shingle(shingle):
    """(unit, width) of a 'words:N' or 'chars:K' string."""
    if not isinstance(shingle, str) or ":" not in shingle:
        raise ValueError(f"shingle must be 'words:N' or 'chars:K' (as simdedup's --shingle), not {shingle!r}")
    unit, _, width = shingle.partition(":")
    _choice(unit, SHINGLE_UNITS, "the shingle unit")
    if not width.isdigit():
        raise ValueError(f"shingle must be 'words:N' or 'chars:K' with N, K in 1...1000, not {shingle!r}")
    return unit, _integer(int(width), "the shingle width", 1, 1000)


def _normalization(options, lowercase, fold_compatibility_forms, keep_punctuation):
    options.lowercase = int(bool(lowercase))
    options.fold_compatibility_forms = int(bool(fold_compatibility_forms))
    options.keep_punctuation = int(bool(keep_punctuation))


def make_options(*, shingle="words:5", seed=0, scheme="oph", k=128, measure="overlap", threshold=0.8,
                 verification="estimated", bands=None, rows=None, threads=None, invalid_utf8="strict",
                 lowercase=True, fold_compatibility_forms=True, keep_punctuation=False):
    """A simcore_options from keyword arguments; names are checked here, ranges by the library."""
    options = Options()
    lib.simcore_options_init(ctypes.byref(options))
    unit, options.shingle_width = _shingle(shingle)
    options.shingle_unit = SHINGLE_UNITS[unit]
    options.seed = _integer(seed, "seed", 0, 2**64 - 1)
    options.scheme = _choice(scheme, SCHEMES, "scheme")
    options.signature_length = _integer(k, "k", 1, 4096)
    options.measure = _choice(measure, {"jaccard": 1, "overlap": 3}, "measure")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold must be a float, not {type(threshold).__name__}")
    options.threshold = float(threshold)
    options.verification = _choice(verification, VERIFICATIONS, "verification")
    if (bands is None) != (rows is None):
        raise ValueError("give bands and rows together, or neither (the optimum for the threshold)")
    if bands is not None:
        options.bands = _integer(bands, "bands", 1, 4096)
        options.rows = _integer(rows, "rows", 1, 4096)
    options.threads = 0 if threads is None else _integer(threads, "threads", 1, 1024)
    _choice(invalid_utf8, UTF8_POLICIES, "invalid_utf8")
    # The package checks bytes for UTF-8 itself (naming the item), and text from str is valid by
    # construction: the library replaces, which for valid input changes nothing.
    options.invalid_utf8 = UTF8_POLICIES["replace"]
    _normalization(options, lowercase, fold_compatibility_forms, keep_punctuation)
    return options


def make_alignment_options(*, shingle="words:5", min_passage_words=12, max_gap=12, seed=0, max_df=100,
                           boilerplate="auto", threads=None, invalid_utf8="strict", lowercase=True,
                           fold_compatibility_forms=True, keep_punctuation=False):
    """A simcore_alignment_options from keyword arguments (simdedup align's and reuse's flags)."""
    options = AlignmentOptions()
    lib.simcore_alignment_options_init(ctypes.byref(options))
    unit, width = _shingle(shingle)
    if unit != "words":
        raise ValueError(f"passages are aligned on word n-grams: give shingle='words:N', not {shingle!r}")
    options.ngram_width = width
    options.minimum_passage_words = _integer(min_passage_words, "min_passage_words", 1, 100_000)
    options.maximum_gap = _integer(max_gap, "max_gap", 0, 10_000)
    options.seed = _integer(seed, "seed", 0, 2**64 - 1)
    options.maximum_document_frequency = _integer(max_df, "max_df", 2, 2**32 - 1)
    options.boilerplate = _choice(boilerplate, BOILERPLATE, "boilerplate")
    options.threads = 0 if threads is None else _integer(threads, "threads", 1, 1024)
    _choice(invalid_utf8, UTF8_POLICIES, "invalid_utf8")
    # As in make_options: the package checks bytes itself, so the library may always replace.
    options.invalid_utf8 = UTF8_POLICIES["replace"]
    _normalization(options, lowercase, fold_compatibility_forms, keep_punctuation)
    return options

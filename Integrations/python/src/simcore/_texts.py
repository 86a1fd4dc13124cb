"""Python texts → libsimcore batches: a pointer and a length per text, pointing into the
encoded ``bytes`` objects themselves (nothing is concatenated).

Every item is checked here (type, emptiness, encodability, and for ``bytes`` UTF-8 validity
unless invalid bytes are to be replaced) with its position in the caller's iterable in the
message, so that a bad item is a ``TypeError`` or ``ValueError`` that names it. Texts that come
from ``str`` are valid UTF-8 by construction, so the library is always asked to replace rather
than to check again (the same result, one pass less).
"""
import ctypes

#: How many texts go to the library per call when streaming an iterable.
DEFAULT_BATCH_SIZE = 4096

_BYTES_LIKE = (bytes, bytearray, memoryview)


def label(what, position):
    """``what[position]``, or ``what`` alone for a single argument (position None)."""
    return what if position is None else f"{what}[{position}]"


def encode(item, position, what="texts", strict=True):
    """One text as UTF-8 bytes, or TypeError/ValueError naming ``what[position]``
    (``what`` alone when position is None). ``strict``: refuse bytes that are not UTF-8."""
    kind = type(item)
    if kind is str:
        try:
            data = item.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(
                f"{label(what, position)} cannot be encoded as UTF-8 ({error.reason} at index {error.start})") from None
    elif isinstance(item, _BYTES_LIKE):
        data = item if kind is bytes else bytes(item)
        if strict:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ValueError(
                    f"{label(what, position)} is not valid UTF-8 (byte {error.start}); "
                    "pass invalid_utf8='replace' to have invalid bytes replaced") from None
    elif isinstance(item, str):
        data = str(item).encode("utf-8", "strict")
    else:
        raise TypeError(f"{label(what, position)} is {kind.__name__}, expected str or bytes")
    if not data:
        raise ValueError(f"{label(what, position)} is empty")
    return data


def iterate(texts, what="texts"):
    """An iterator over ``texts``, refusing a single str or bytes (an iterable of characters)."""
    if isinstance(texts, (str, *_BYTES_LIKE)):
        raise TypeError(f"{what} must be an iterable of str or bytes, not a single {type(texts).__name__}")
    if texts is None:
        raise TypeError(f"{what} must be an iterable of str or bytes, not None")
    try:
        return iter(texts)
    except TypeError:
        raise TypeError(f"{what} must be an iterable of str or bytes, not {type(texts).__name__}") from None


class Batch:
    """Encoded items with the pointer and length arrays a libsimcore call takes."""

    __slots__ = ("start", "items", "pointers", "lengths", "error")

    def __init__(self, start, items, error):
        self.start = start          # position of the first item in the caller's iterable
        self.items = items          # encoded bytes, kept alive while the pointers are used
        self.error = error          # the exception for the item after the last good one, or None
        count = len(items)
        self.pointers = (ctypes.c_char_p * count)(*items)
        self.lengths = (ctypes.c_size_t * count)(*map(len, items))

    def __len__(self):
        return len(self.items)


def encode_id(item, position, what="ids"):
    """One id as UTF-8 bytes: a non-empty str, or None for none (b"")."""
    if item is None:
        return b""
    if not isinstance(item, str):
        raise TypeError(f"{label(what, position)} is {type(item).__name__}, expected str or None")
    if not item:
        raise ValueError(f"{label(what, position)} is empty: pass None to name the document by its number")
    try:
        return item.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f"{label(what, position)} cannot be encoded as UTF-8 ({error.reason} at index {error.start})") from None


_END = object()


def batches(texts, size, ids=None, what="texts", strict=True):
    """Batches of encoded texts (and ids, when ``ids`` is an iterator), ``size`` at a time.

    A bad item ends the stream: its batch holds the good items before it and carries the
    item's exception in ``error``, so the caller can keep the good ones first. Yields
    ``(Batch of texts, Batch of ids or None)``.
    """
    position = 0
    while True:
        text_items, id_items, error, finished = [], [], None, False
        while len(text_items) < size:
            text = next(texts, _END)
            if ids is not None:
                identifier = next(ids, _END)
                if (text is _END) != (identifier is _END):
                    longer = "ids" if text is _END else what
                    error = ValueError(f"{longer} has more items than {'ids' if longer == what else what} "
                                       f"({position + len(text_items)} of the shorter were read)")
                    break
            if text is _END:
                finished = True
                break
            try:
                encoded = encode(text, position + len(text_items), what, strict)
                if ids is not None:
                    id_items.append(encode_id(identifier, position + len(text_items)))
            except (TypeError, ValueError) as caught:
                error = caught
                break
            text_items.append(encoded)
        if text_items or error is not None:
            yield Batch(position, text_items, error), (Batch(position, id_items, None) if ids is not None else None)
        if error is not None or finished:
            return
        position += len(text_items)

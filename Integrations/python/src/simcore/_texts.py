"""Python texts → libsimcore batches: one UTF-8 buffer and count + 1 offsets.

Every item is checked here (type, emptiness, encodability) with its position in the caller's
iterable in the message, so that a bad item is a ``TypeError`` or ``ValueError`` that names it.
Invalid UTF-8 inside ``bytes`` is found by the library; ``first_problem`` then names the item.
"""
import ctypes
from itertools import accumulate

_BYTES_LIKE = (bytes, bytearray, memoryview)


def label(what, position):
    """``what[position]``, or ``what`` alone for a single argument (position None)."""
    return what if position is None else f"{what}[{position}]"


def encode(item, position, what="texts"):
    """One text as UTF-8 bytes, or TypeError/ValueError naming ``what[position]``
    (``what`` alone when position is None)."""
    kind = type(item)
    if kind is str:
        try:
            data = item.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValueError(
                f"{label(what, position)} cannot be encoded as UTF-8 ({error.reason} at index {error.start})") from None
    elif kind is bytes:
        data = item
    elif isinstance(item, _BYTES_LIKE):
        data = bytes(item)
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
    """Up to ``size`` encoded items with their offsets, ready for a libsimcore call."""

    __slots__ = ("start", "items", "data", "offsets", "error")

    def __init__(self, start, items, error):
        self.start = start          # position of the first item in the caller's iterable
        self.items = items          # encoded bytes
        self.error = error          # the exception for the item after the last good one, or None
        self.data = b"".join(items)
        offsets = (ctypes.c_size_t * (len(items) + 1))()
        offsets[:] = list(accumulate(map(len, items), initial=0))
        self.offsets = offsets

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


def batches(texts, size, ids=None, what="texts"):
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
                encoded = encode(text, position + len(text_items), what)
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


def first_invalid_utf8(items):
    """The index of the first item that is not valid UTF-8 (bytes inputs), or None."""
    for index, item in enumerate(items):
        try:
            item.decode("utf-8")
        except UnicodeDecodeError:
            return index
    return None

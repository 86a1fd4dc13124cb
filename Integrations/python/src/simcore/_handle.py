"""The lifetime of a libsimcore handle shared between Python threads.

Every call holds a use count for its duration; ``close()`` takes the handle away at once (later
calls raise ``ValueError: this X is closed``) and frees it when the calls in progress have
returned, so no thread ever calls into a freed handle.
"""
import threading


class Handle:
    """Base of the classes that own a libsimcore handle (``Deduplicator``, ``ReuseIndex``).

    Subclasses call ``_open(pointer)`` once the handle exists and set ``_free`` to the C
    function that releases it.
    """

    _free = None

    def _open(self, pointer):
        self._condition = threading.Condition()
        self._users = 0
        self._pointer = pointer

    def _acquire(self):
        with self._condition:
            if self._pointer is None:
                raise ValueError(f"this {type(self).__name__} is closed")
            self._users += 1
            return self._pointer

    def _release(self):
        with self._condition:
            self._users -= 1
            if self._users == 0:
                self._condition.notify_all()

    def close(self):
        """Frees the engine (after calls in progress on other threads return). Idempotent."""
        condition = getattr(self, "_condition", None)
        if condition is None:
            return
        with condition:
            pointer, self._pointer = self._pointer, None
            while self._users:
                condition.wait()
        if pointer:
            type(self)._free(pointer)

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()

    def __del__(self):
        self.close()

    @property
    def closed(self):
        """Whether :meth:`close` was called."""
        return getattr(self, "_pointer", None) is None

"""How far a long run has got (files read, members checked), for the command line's progress line.

The library notes its steps with :func:`note`; nothing listens unless the command line does (:func:`listening`),
so a script that imports the library pays one global lookup per file.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

__all__ = ["listening", "note"]

_listener: Callable[[dict[str, int]], None] | None = None
_lock = threading.Lock()


def note(**counts: int) -> None:
    """Add ``counts`` (``files=1``, ``members=170``) to the run's progress, if anyone listens."""
    listener = _listener
    if listener is not None:
        listener(counts)


@contextlib.contextmanager
def listening(listener: Callable[[dict[str, int]], None]) -> Iterator[None]:
    """Send every :func:`note` to ``listener`` while inside (one listener at a time)."""
    global _listener
    with _lock:
        previous, _listener = _listener, listener
    try:
        yield
    finally:
        with _lock:
            _listener = previous

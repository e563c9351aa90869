"""Pausing Python's cycle collector for the length of a check, safely across threads."""

from __future__ import annotations

import gc
import threading

__all__ = ["CollectorPaused"]


class CollectorPaused:
    """Pauses Python's cycle collector while the check counts and scores.

    Why: the check makes few reference cycles, but each full pass of the
    collector walks every object the process holds (Polars', NumPy's and the
    engine's modules just imported), tens of milliseconds at a time with the
    GIL held, while the reader's and classifier's threads wait for it.
    Reference counting still frees everything at once; any cycles are
    collected when the collector resumes. The free-text walk runs with it
    resumed, because spaCy's objects can form cycles on long files.

    Checks may run side by side in threads (the portal's task worker), so the
    pauses are counted for the whole process: the first check to pause
    remembers whether the collector was on, and the last one to resume puts
    it back as it was.
    """

    _lock = threading.Lock()
    _paused = 0
    _was_enabled = True

    def __init__(self) -> None:
        self._counted = False

    def pause(self) -> None:
        cls = type(self)
        with cls._lock:
            if self._counted:
                return
            if cls._paused == 0:
                cls._was_enabled = gc.isenabled()
                gc.disable()
            cls._paused += 1
            self._counted = True

    def resume(self) -> None:
        cls = type(self)
        with cls._lock:
            if not self._counted:
                return
            cls._paused -= 1
            self._counted = False
            if cls._paused == 0 and cls._was_enabled:
                gc.enable()

    def __enter__(self) -> CollectorPaused:
        self.pause()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.resume()

"""The peak memory of the running process itself, for tests that bound a command's memory.

Why not the parent's ``os.wait4`` figure: Linux folds the old address space's
high-water mark into a process's ``ru_maxrss`` when it calls exec, and a child
started from the test process (vfork shares the parent's memory until exec)
so reports the whole test process's peak, which grows as the suite runs. The
child's own ``VmHWM`` starts afresh at exec, so the child measures itself.
"""

from __future__ import annotations

import resource
from pathlib import Path


def peak_kib() -> int:
    """This process's peak resident size since exec, or its children's if larger (KiB)."""
    own = 0
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1])
    else:  # no /proc: the process's own figure, which may include what it inherited
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


class AnonymousPeak:
    """The largest anonymous resident memory (``RssAnon``) of this process while it is running, sampled.

    Why besides :func:`peak_kib`: Polars reads a delimited file through a memory
    map, so the file's own pages count in the resident size as they are read.
    Those pages are the file on disk, which the kernel drops whenever it needs
    the room; what a command must keep bounded is the memory it allocates. Linux
    keeps no high-water mark of that, so a thread samples it every few milliseconds.
    """

    def __init__(self, every: float = 0.005) -> None:
        import threading

        self.kib = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> AnonymousPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._read()

    def _read(self) -> None:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                self.kib = max(self.kib, int(line.split()[1]))

    def _sample(self) -> None:
        while not self._stop.wait(self._every):
            self._read()

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

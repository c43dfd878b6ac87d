"""Whoosh's two-process writer, with children that cannot outlive the build.

``ix.writer(procs=2, multisegment=True)`` forks writer children
(``whoosh.multiproc.SubWriterTask``). Stock, a ``kill -9`` of the parent left them
running (~210 MB each) for as long as they waited on their job queue, and as forked
copies they held the parent's descriptors of the builder lock and of Whoosh's
``WRITELOCK``: an ``flock`` lives as long as any descriptor of it, so every later
``dossier index`` was told "another dossier is indexing (pid <dead parent>)".

Here each child, first thing:

- asks the kernel for SIGKILL when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``),
  and exits at once if the parent is already gone (it died before the request);
- closes its copies of the lock descriptors (close only: ``LOCK_UN`` on a shared
  descriptor would release the parent's lock too), so the locks belong to the
  parent's descriptors alone.

The death signal is tied to the thread that started the child: build with the
multi-process writer from a thread that lives as long as the build (the command
line does, from its main thread).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
from collections.abc import Iterable
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> bool:
    """Ask for SIGKILL when the parent dies; False where the platform has no such call."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        ok = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        ok = False
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)
    return ok


class GuardedTask(SubWriterTask):  # type: ignore[misc]
    """A writer child that dies with its parent and holds none of its locks."""

    def __init__(self, *args: Any, close_fds: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()
        self.close_fds = tuple(close_fds)

    def run(self) -> None:
        """Guard, then do Whoosh's work."""
        die_with_parent(self.parent_pid)
        for fd in self.close_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        super().run()


class GuardedMpWriter(MpWriter):  # type: ignore[misc]
    """``MpWriter`` whose children are :class:`GuardedTask`; *lock_fds* are descriptors
    the children must not keep (the builder lock); Whoosh's own ``WRITELOCK`` is added."""

    def __init__(self, ix: Any, *, lock_fds: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.lock_fds = tuple(lock_fds)

    def _new_task(self) -> GuardedTask:
        fds = list(self.lock_fds)
        own = getattr(getattr(self, "writelock", None), "fd", None)
        if isinstance(own, int):
            fds.append(own)
        task = GuardedTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                           self.subargs, self.multisegment, close_fds=fds)
        self.tasks.append(task)
        task.start()
        return task

"""How the ``socklock`` program ends: as a normal exit does, without freeing every object.

A command that loaded 1,500 services holds about three million small objects, and Python
frees them one at a time: when the command returns (its locals) and again when the
interpreter finalizes (0.09 s of a 2 s ``policy verify``), for memory the operating system
takes back at once. :func:`end` does what a normal exit does that anyone can observe: it
flushes stdout and stderr and runs the ``atexit`` handlers (logging, coverage, temporary
directories), then ends the process with ``os._exit``. It falls back to ``sys.exit`` when
that is not safe: another thread still runs (a normal exit would join it), or a flush
fails (a normal exit reports it).

What a command holds to its end anyway is kept past its return (:func:`keep`): every
loaded inventory (``common.load``), and ``policy verify``'s analysis. Only the console
script and ``python -m socklock`` arm this (:func:`arm`, in ``main.run``); a test or a
library caller that calls ``main()`` or runs the click command in its own process keeps
the normal exit (``SystemExit``), and :func:`keep` keeps nothing for them.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

_state: dict[str, object] = {"armed": False}
_kept: list[object] = []


def arm() -> None:
    """The process ends with this command: :func:`keep` and :func:`end` take effect."""
    _state["armed"] = True


def keep(*objects: object) -> None:
    """Leave ``objects`` (a loaded inventory, an analysis) to the end of the process, which
    drops them all at once, rather than free them when the command returns."""
    if _state["armed"]:
        _kept.extend(objects)


def end(code: int) -> NoReturn:
    """Exit with ``code``: flush, run the exit handlers, and end without finalizing."""
    if not _state["armed"] or threading.active_count() > 1:
        sys.exit(code)
    try:
        _flush()
        atexit._run_exitfuncs()
        _flush()
    except Exception:
        sys.exit(code)
    os._exit(code)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()

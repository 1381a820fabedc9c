"""The app's writer: saves and undos run one after the other on a thread of their own,
so that the screen answers while a lock is busy or a file settles."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any


class Writer:
    """Runs jobs in the order given, on one thread; `then` hands results to the UI."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._post: Callable[..., Any] = lambda fn, *args: fn(*args)

    def start(self, loop: asyncio.AbstractEventLoop, post: Callable[..., Any]) -> None:
        """Run on a thread; results go to `post(fn, *args)` (the app's `call_later`),
        called on `loop`."""
        self._loop = loop
        self._post = post
        self._thread = threading.Thread(target=self._run, name="clientfit-writer", daemon=True)
        self._thread.start()

    def put(self, job: Callable[[], None]) -> None:
        if self._thread is None:  # not started (no app loop): do it now
            job()
            return
        self._jobs.put(job)

    def then(self, fn: Callable[..., Any], *args: Any) -> None:
        """Call `fn(*args)` on the UI's loop (from the writer thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            loop.call_soon_threadsafe(self._post, fn, *args)
        except RuntimeError:  # the loop closed meanwhile: the app is gone
            pass

    def idle(self) -> bool:
        """Nothing given is still to be done."""
        return self._thread is None or self._jobs.unfinished_tasks == 0

    def after_jobs(self, fn: Callable[..., Any], *args: Any) -> None:
        """Call `fn(*args)` on the UI's loop once every job given so far is done (and
        what they hand to the UI has been handed)."""
        self.put(lambda: self.then(fn, *args))

    def drain(self) -> None:
        """Wait until every job given so far is done."""
        if self._thread is not None:
            self._jobs.join()

    def stop(self) -> None:
        """Finish the jobs given so far, then end the thread."""
        thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._jobs.put(None)
            thread.join()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                job()
            except Exception:  # a job reports its own failures; the writer never dies
                pass
            finally:
                self._jobs.task_done()


def mid_sentence(said: str) -> str:
    """A change's message ("Deleted an incident of acme") as it reads after another
    sentence's colon: English keeps its capital, as it always has; Spanish lowers it
    ("Deshecho: se borró un incidente de acme"), but not a word in capitals ("ACME")."""
    from ..i18n import language

    if language() == "en" or len(said) < 2 or not said[1].islower():
        return said
    return said[0].lower() + said[1:]

"""How far a running background job has got, for its pages to poll.

A job is a sequence of steps, each named for the user and ending at a share of the job; a step may
report how many of its items are done, and code run inside a step may divide it into steps of its
own (`dividing`), so the sheet's own work fills the pipeline's "writing" step. Each step's share is
what it took of the job in a benchmark (an import's: bench/import_households.py prints them). Outside
a job (a command, tests) reporting does nothing.

Progress is kept in Django's cache (a folder of files, shared by the web server and the worker), not
in the job's row: a job's work is one transaction, and whatever it wrote there would stay invisible to
the page until it ended. The entry is a lease: renewed at every report and, between reports, by a
heartbeat thread of the worker every HEARTBEAT_SECONDS (one long statement still renews it), so a
running job whose entry has expired has lost its worker (killed, or its machine restarted) and can be
run again from its page (`runner.is_stalled`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.cache import cache

log = logging.getLogger(__name__)
KEPT_SECONDS = 120  # the lease: a killed worker's job shows as stopped this long after its last heartbeat
HEARTBEAT_SECONDS = 20.0
REPORT_EVERY = 1.0  # seconds between reports of items done within a step


@dataclass(frozen=True)
class Progress:
    percent: int
    step: str
    seconds: int  # since the job started


@dataclass
class _Job:
    job_id: int
    started: float = field(default_factory=time.time)
    low: float = 0.0  # the range being divided into steps, in percent of the job
    high: float = 100.0
    start: float = 0.0  # the current step, in percent of the job
    end: float = 0.0
    step: str = ""
    reported_at: float = 0.0
    percent: int = 0  # the last reported: a bar never goes back

    def report(self, percent: float, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.reported_at < REPORT_EVERY:
            return
        self.reported_at = now
        self.percent = max(self.percent, int(percent))
        self.renew()

    def renew(self) -> None:
        entry = {"percent": self.percent, "step": self.step, "started": self.started}
        try:
            cache.set(_key(self.job_id), entry, KEPT_SECONDS)
        except OSError:  # the page then shows less; the import must not fail for it
            log.warning("job progress could not be kept", exc_info=True)


def _heartbeat(job: _Job, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        job.renew()


_current: ContextVar[_Job | None] = ContextVar("job", default=None)


def _key(job_id: int) -> str:
    return f"fupin:job-progress:{job_id}"


@contextmanager
def running(job_id: int) -> Iterator[None]:
    """Report the steps run inside as job `job_id`'s progress, holding its lease; forget it when the job ends."""
    job = _Job(job_id)
    job.renew()
    token = _current.set(job)
    stop = threading.Event()
    beating = threading.Thread(target=_heartbeat, args=(job, stop), name=f"job-{job_id}-heartbeat", daemon=True)
    beating.start()
    try:
        yield
    finally:
        stop.set()
        beating.join()
        _current.reset(token)
        try:
            cache.delete(_key(job_id))
        except OSError:  # it expires
            log.warning("job progress could not be removed", exc_info=True)


def step(name: str, until: float) -> None:
    """What runs next is `name` (an English message, marked with gettext_noop: the page translates it
    into its reader's language), ending `until` percent of the way through the range being divided."""
    running = _current.get()
    if running is None:
        return
    running.start = max(running.end, running.low)
    running.end = max(running.start, running.low + (running.high - running.low) * until / 100)
    running.step = name
    running.report(running.start, force=True)


def advance(done: int, total: int) -> None:
    """`done` of the current step's `total` items are done."""
    running = _current.get()
    if running is None or total <= 0:
        return
    running.report(running.start + (running.end - running.start) * min(done, total) / total)


@contextmanager
def dividing() -> Iterator[None]:
    """Steps reported inside divide the current step; afterwards the job is at the step's end."""
    running = _current.get()
    if running is None:
        yield
        return
    outer = (running.low, running.high, running.end, running.step)
    running.low, running.high, running.end = running.start, running.end, running.start
    try:
        yield
    finally:
        running.low, running.high, running.end, running.step = outer
        running.start = running.end


def last(job_id: int) -> tuple[int, str]:
    """The percent and step last reported by the job running here (kept in its row when it ends)."""
    running_job = _current.get()
    if running_job is None or running_job.job_id != job_id:
        return 0, ""
    return running_job.percent, running_job.step


def of(job_id: int) -> Progress | None:
    """The job's progress, or None when it is not running (it waits for a worker, or has ended)."""
    entry = cache.get(_key(job_id))
    if entry is None:
        return None
    return Progress(entry["percent"], entry["step"], max(0, int(time.time() - entry["started"])))

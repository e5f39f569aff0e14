"""The one index builder per server: keeps a `MatchingIndex` and writes it as snapshots.

The worker starts it (`ensure_running`, from `Worker.maintain`) as a thread of its own,
so a long task never delays matching and a 17-second first build never delays tasks.
Several workers on one server elect one builder with an exclusive `flock` on
``builder.lock`` in the index directory; the others try again on every turn, so when the
builder's worker stops, another takes over. Each turn (every
`OPENHOURS_MATCHING_REFRESH_SECONDS`) takes the change log and, when anything changed,
writes a new snapshot (`snapshot.write`). docs/matching.md gives the staleness bound.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connections
from django.utils import timezone

from openhours.matching.ranking import changes, semantic, snapshot
from openhours.matching.ranking.engine import MatchingIndex, in_process, index_directory

logger = logging.getLogger(__name__)

PRUNE_EVERY = 600.0


class Builder:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.index: MatchingIndex | None = None
        self._lock_file: IO[str] | None = None
        self._pruned_at = float("-inf")
        self.last_write_seconds: float | None = None

    def holds_lock(self) -> bool:
        """Take the server's builder lock if it is free (kept for this process's life)."""
        if self._lock_file is not None:
            return True
        self.directory.mkdir(parents=True, exist_ok=True)
        lock_file = open(self.directory / "builder.lock", "w")  # noqa: SIM115 (held open)
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.close()
            return False
        self._lock_file = lock_file
        return True

    def release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing the file releases the flock
            self._lock_file = None

    def step(self) -> int | None:
        """One turn: build or refresh, and write a snapshot if anything changed (or none
        exists yet). Returns the version written, or None. Does nothing without the lock."""
        if not self.holds_lock():
            return None
        written: int | None = None
        if self.index is None:
            index = MatchingIndex()
            index.load()
            self.index = index
            written = self.write()
        else:
            report = self.index.refresh(force=True)
            self._prune()
            changed = report is not None and (report.members or report.requests)
            if changed or snapshot.current_version(self.directory) == 0:
                written = self.write()
        # Nothing new is news too: the snapshot is current as of this look.
        snapshot.mark_looked(self.directory)
        return written

    def write(self) -> int:
        assert self.index is not None and self.index.built_at is not None
        began = time.monotonic()
        version = snapshot.write(
            self.directory,
            members=self.index.members,
            requests=self.index.requests,
            built_at=self.index.built_at,
            model=semantic.model_label(),
        )
        self.last_write_seconds = time.monotonic() - began
        logger.info(
            "Matching snapshot %s written (%s members, %s requests) in %.1f s",
            version,
            len(self.index.members),
            len(self.index.requests),
            self.last_write_seconds,
        )
        return version

    def _prune(self) -> None:
        if time.monotonic() - self._pruned_at >= PRUNE_EVERY:
            changes.prune(now=timezone.now())
            self._pruned_at = time.monotonic()

    def run(self, stopping: threading.Event) -> None:
        """Turn until `stopping` is set; an error is logged and the next turn tries again."""
        try:
            while not stopping.is_set():
                try:
                    self.step()
                except Exception:
                    logger.exception("Matching index builder: this turn failed")
                    connections.close_all()  # a database that went away: reconnect next turn
                stopping.wait(max(settings.OPENHOURS_MATCHING_REFRESH_SECONDS, 1))
        finally:
            self.release()
            connections.close_all()


_thread: threading.Thread | None = None
_stopping = threading.Event()
_start_lock = threading.Lock()


def ensure_running() -> bool:
    """Start this process's builder thread if it is not running; return whether one runs.

    Nothing to do when each process is its own builder (no refresh delay: tests)."""
    global _thread
    if in_process():
        return False
    with _start_lock:
        if _thread is None or not _thread.is_alive():
            _stopping.clear()
            builder = Builder(index_directory())
            _thread = threading.Thread(
                target=builder.run, args=(_stopping,), name="matching-builder", daemon=True
            )
            _thread.start()
    return True


def stop(timeout: float = 10.0) -> None:
    """Stop the builder thread (tests, and a worker shutting down)."""
    global _thread
    _stopping.set()
    if _thread is not None:
        _thread.join(timeout)
        _thread = None

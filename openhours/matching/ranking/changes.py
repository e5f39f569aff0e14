"""Reading the change log (`DocumentChange`, filled by triggers) by primary key.

A look for changes is `id > last id taken`, a range of the primary-key index however
many members there are, and costs nothing when nothing changed. On PostgreSQL ids are
handed out when a row is written but become visible when its transaction commits, so a
long transaction can commit an id below one already taken. Each id skipped over is kept
as a *gap* and looked up again (by primary key) on later looks, for `GAP_SECONDS`; a gap
that never appears was a rolled-back transaction. Nothing here reads a clock the tests
move: only ids, and `time.monotonic()` for how long gaps are kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max

from openhours.matching.models import ChangeKind, DocumentChange

# How long an id skipped over is looked for: longer than any transaction that writes
# profiles or posts should run.
GAP_SECONDS = 120.0
MAX_GAPS = 10_000
# At most this many rows are taken in one look; the rest wait for the next.
BATCH = 50_000
# How long rows are kept; a builder that was away longer rebuilds every document.
KEEP = timedelta(days=1)


@dataclass
class Changes:
    members: set[int] = field(default_factory=set)
    requests: set[int] = field(default_factory=set)
    reload: bool = False  # every document was rewritten: load them all again

    def __bool__(self) -> bool:
        return bool(self.members or self.requests or self.reload)

    def add(self, kind: str, object_id: int) -> None:
        if kind == ChangeKind.RELOAD:
            self.reload = True
        else:
            (self.members if kind == ChangeKind.MEMBER else self.requests).add(object_id)


@dataclass
class ChangeCursor:
    """Where one reader of the change log is: the last id taken, and the gaps below it."""

    last_id: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # id -> when first skipped

    @classmethod
    def at_end(cls) -> ChangeCursor:
        """A cursor after every change logged so far."""
        return cls(last_id=DocumentChange.objects.aggregate(last=Max("id"))["last"] or 0)

    def take(self) -> Changes:
        """The members and requests changed since the last look (two primary-key reads)."""
        changes = Changes()
        now = time.monotonic()
        self.gaps = {gap: at for gap, at in self.gaps.items() if now - at < GAP_SECONDS}
        if self.gaps:
            for change_id, kind, object_id in DocumentChange.objects.filter(
                id__in=list(self.gaps)
            ).values_list("id", "kind", "object_id"):
                changes.add(kind, object_id)
                del self.gaps[change_id]
        rows = list(
            DocumentChange.objects.filter(id__gt=self.last_id)
            .order_by("id")
            .values_list("id", "kind", "object_id")[:BATCH]
        )
        expected = self.last_id + 1
        for change_id, kind, object_id in rows:
            for missing in range(expected, min(change_id, expected + MAX_GAPS)):
                if len(self.gaps) < MAX_GAPS:
                    self.gaps[missing] = now
            expected = change_id + 1
            changes.add(kind, object_id)
        if rows:
            self.last_id = rows[-1][0]
        return changes


def log_reload(*, now: datetime) -> None:
    """Tell every builder that every document was rewritten (`rebuild_matching_index`)."""
    DocumentChange.objects.create(kind=ChangeKind.RELOAD, object_id=0, changed_at=now)


def logged_since(moment: datetime) -> Changes:
    """Everything the log holds from `moment` on (a builder starting up; it loads every
    document anyway, so a reload logged is no news to it)."""
    changes = Changes()
    for kind, object_id in (
        DocumentChange.objects.filter(changed_at__gte=moment)
        .values_list("kind", "object_id")
        .distinct()
    ):
        changes.add(kind, object_id)
    return changes


def prune(*, now: datetime) -> int:
    """Delete rows older than `KEEP`; return how many."""
    return DocumentChange.objects.filter(changed_at__lt=now - KEEP).delete()[0]

"""Building the insight tables: a full rebuild, or an incremental refresh since the watermark.

The one write path for ``insight``'s tables (``manage.py refresh_insight`` calls it). One
transaction per run, so the dashboard sees either the old figures or the new ones.

Incremental refresh, in order:

1. **Members** are diffed in full: one grouped query gives every approved, active member's
   organisation (the first by id), profession and ledger balance; rows whose values changed
   are written. About a second at 100,000 members. A member whose organisation, kind,
   place or profession changed has their facts re-derived below.
2. **Exchanges** changed since the watermark (``updated_at``, minus an overlap for
   transactions that committed late) are re-derived: deleted from ``ExchangeFact`` and,
   if confirmed, inserted again by one ``INSERT … SELECT`` joining ``MemberFact``. So are
   the attendances of group sessions settled since then: each attendee who paid is one
   fact, from the giver to them, of the session's length (docs/insight.md), keyed by
   minus the attendance's id.
3. **Monthly aggregates** (``OrgFlow``, ``ProfessionFlow``) are recomputed for the cells
   (month and pair of organisations or professions) those facts fell in before or fall in
   now, by group-bys over just those cells' facts.
4. **Members' counters** (given, received, last active) are recomputed for the parties of
   those facts.
5. **Posts** created, updated or closed since the watermark, answered by a changed exchange
   or written by a member who moved, are re-derived, and ``SkillMonth`` is rebuilt for
   their months.
6. **Boundary spanners** (betweenness) are recomputed when facts changed and the last
   computation is older than ``OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES`` (default 60).

An orchestrator: each step lives with what it builds, the fact tables in ``facts/``
(members, exchanges, monthly flows, posts) and each metric family's summaries in its own
module in ``metrics/``, beside the read paths that use them (docs/insight.md, "Where the
code lives").

``rebuild=True`` empties every table and does all of it from scratch. Running the refresh
twice in a row changes nothing the second time; a test checks that an incremental refresh
leaves exactly what a rebuild would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import windows
from .facts.exchanges import Touched, rebuild_facts, refresh_facts
from .facts.flows import rebuild_flows, refresh_flow_cells
from .facts.members import refresh_counters, refresh_members
from .facts.posts import refresh_posts
from .metrics import balances, crossing, pairs, silo, skills, spanners
from .metrics.headlines import refresh_request_windows
from .metrics.stale_requests import refresh_stale_requests
from .models import RefreshState

# Transactions that stamped updated_at before the last run started but committed after it
# are caught by looking back this far; re-deriving an exchange twice is harmless.
OVERLAP = timedelta(minutes=10)

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass
class RefreshResult:
    rebuild: bool
    members_changed: int = 0
    exchanges_changed: int = 0
    cells_recomputed: int = 0
    posts_changed: int = 0
    spanners: bool = False
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)


def refresh(
    *, rebuild: bool = False, now: datetime | None = None, progress: Progress = _quiet
) -> RefreshResult:
    """Bring the insight tables up to date (see the module docstring)."""
    now = now or timezone.now()
    started = time.perf_counter()
    result = RefreshResult(rebuild=rebuild)
    with transaction.atomic():
        state = RefreshState.objects.select_for_update().first()
        if state is None:
            state = RefreshState.objects.create()
            state = RefreshState.objects.select_for_update().get(pk=state.pk)
        full = rebuild or state.exchanges_seen_until is None
        result.rebuild = full
        if full and connection.vendor == "postgresql":
            # Room for the rebuild's sorts (COUNT DISTINCT) in memory, for this transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        _run_steps(state, result, now=now, full=full, progress=progress)
        state.exchanges_seen_until = now
        state.posts_seen_until = now
        state.last_run_at = now
        if full:
            state.last_rebuild_at = now
        result.seconds = time.perf_counter() - started
        state.last_duration_ms = int(result.seconds * 1000)
        state.save()
    return result


def _run_steps(
    state: RefreshState, result: RefreshResult, *, now: datetime, full: bool, progress: Progress
) -> None:
    """Every step in order, each timed; each slice owns the tables its step writes."""
    # One line per step and its timing, in the order the module docstring gives them.
    began = time.perf_counter()

    def step(name: str) -> None:
        nonlocal began
        result.steps[name] = time.perf_counter() - began
        progress(f"  {name}: {result.steps[name]:.2f}s")
        began = time.perf_counter()

    since: datetime | None = None
    if not full and state.exchanges_seen_until is not None:
        since = state.exchanges_seen_until - OVERLAP
    moved_members = refresh_members(full=full)
    result.members_changed = len(moved_members)
    step("members")

    touched = Touched()
    if full:
        rebuild_facts()
    else:
        assert since is not None
        touched = refresh_facts(since, moved_members)
        result.exchanges_changed = touched.exchanges
    step("exchange facts")

    changed_months: set[date] | None = None
    if full:
        rebuild_flows()
    else:
        result.cells_recomputed, changed_months = refresh_flow_cells(touched)
    step("monthly flows")

    if not full:
        refresh_counters(touched.users)
    step("member counters")

    # Every window moves on with the month; otherwise only those holding a change do.
    windows_moved = full or state.windows_month != timezone.localdate(now).replace(day=1)
    _refresh_summaries(state, now, changed_months)
    step("windows and summaries")

    result.posts_changed, post_months = refresh_posts(
        since=since, state=state, exchange_posts=touched.posts, moved=moved_members
    )
    skills.rebuild_skill_months(post_months)
    assert state.windows_month is not None
    skills.refresh_skill_windows(state.windows_month, None if windows_moved else post_months)
    refresh_request_windows(state.windows_month)
    refresh_stale_requests(state, now)
    step("posts and skills")

    every = timedelta(minutes=settings.OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES)
    due = state.spanners_at is None or now - state.spanners_at >= every
    if full or (due and (result.exchanges_changed or result.members_changed)):
        state.spanners_exact = spanners.refresh_member_spanners(now)
        state.spanners_at = now
        result.spanners = True
    step("boundary spanners")


def _refresh_summaries(state: RefreshState, now: datetime, months: set[date] | None) -> None:
    """What a page would otherwise group from many rows: ``OrgFlowWindow``,
    ``ProfessionFlowWindow`` and ``OrgBetweenness`` for the standard windows, ``SiloWindow``
    for the periods before them, ``MonthFlow`` per month and scope, ``MemberCount`` per
    kind and place.

    ``months`` are the months whose ``OrgFlow`` cells changed (None: all of them). Windows
    are rebuilt when the current month moved on, else only those containing a changed
    month; ``MemberCount`` is a few dozen rows, counted afresh every time.
    """
    month = timezone.localdate(now).replace(day=1)
    wanted, before = windows.current(month), windows.previous(month)
    afresh = months is None or state.windows_month != month
    if not afresh:
        assert months is not None
        wanted = [(a, b) for a, b in wanted if any(a <= m <= b for m in months)]
        before = [(a, b) for a, b in before if any(a <= m <= b for m in months)]
    pairs.refresh_windows(wanted, afresh=afresh)
    silo.refresh_windows(before, afresh=afresh)
    # From the ``OrgFlowWindow`` pairs just written.
    spanners.refresh_org_betweenness(wanted, afresh=afresh)
    state.windows_month = month
    crossing.refresh_months(months)
    balances.refresh_member_counts(now)

"""Run scripted stories step by step, in time order, each step at its moment in the past.

A *script* is one story (an exchange, a group session, a donation...) as a list of steps,
each a short delay after the previous one. The timeline interleaves every script's steps
in time order and runs each inside ``time_machine.travel(moment, tick=False)``, so the
services' own ``timezone.now()`` stamps the rows they write (exchange events, ledger
transfers, notifications) with that moment. Time order matters: the ledger's running
balance follows transfer ids, so transfers must be written in the order they happened.

A step that a service refuses (``DomainError``: a balance limit, a rule) ends its script
there and is counted; nothing is forced. A step that falls after ``now`` ends its script
too, which is how the demo ends up with exchanges still waiting for an answer.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import time_machine
from django.utils import timezone
from tqdm import tqdm

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.exchanges.models import Exchange
from openhours.group_sessions.models import GroupSession

# Nobody answers messages at 3 a.m.: steps that land outside these local hours move on
# to the next morning.
DAY_STARTS = 8
DAY_ENDS = 19


@dataclass
class Context:
    """What a script's steps share: its own random, and what the earlier steps made."""

    rng: random.Random
    exchange: Exchange | None = None
    session: GroupSession | None = None
    people: list[User] = field(default_factory=list)
    holds: list[tuple[int, int]] = field(default_factory=list)  # (user id, minutes)
    minutes: int | None = None  # time to record, when the story says exactly
    say: dict[str, str] = field(default_factory=dict)  # step name -> words, when scripted

    @property
    def the_exchange(self) -> Exchange:
        assert self.exchange is not None, "the opening step creates the exchange"
        return self.exchange

    @property
    def the_session(self) -> GroupSession:
        assert self.session is not None, "the opening step creates the session"
        return self.session


# A step returns False to end its script quietly (nobody suitable to take part, say).
Action = Callable[[Context], bool | None]


@dataclass(frozen=True)
class Step:
    after: timedelta  # after the previous step (the first: after the script's start)
    name: str
    do: Action


@dataclass
class Script:
    kind: str
    start: datetime
    rng: random.Random
    steps: list[Step] = field(default_factory=list)
    daytime: bool = True  # False for what happens at any hour: sign-ups, scheduled jobs

    def then(self, after: timedelta, name: str, do: Action) -> Script:
        self.steps.append(Step(after, name, do))
        return self


@dataclass(frozen=True)
class Timing:
    """Delays between an exchange's steps (``None``: the story stops before that step)."""

    accept: timedelta | None
    deliver: timedelta | None = None
    answer: timedelta | None = None
    settle: timedelta | None = None
    chat: bool = True


@dataclass
class TimelineRun:
    steps: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    unfinished: Counter[str] = field(default_factory=Counter)


def daytime(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    if local.hour < DAY_STARTS:
        return moment + timedelta(hours=DAY_STARTS - local.hour)
    if local.hour >= DAY_ENDS:
        return moment + timedelta(hours=24 + DAY_STARTS - local.hour)
    return moment


def _when(script: Script, planned: datetime) -> datetime:
    return daytime(planned) if script.daytime else planned


def run_timeline(
    scripts: Sequence[Script],
    *,
    now: datetime,
    release: Callable[[Context], None],
    progress: bool = False,
) -> TimelineRun:
    """Run every script's steps in time order; steps at or after ``now`` never run.

    ``release`` is called with a script's context when a refusal ends it, so minutes it
    set aside (see ``history``) are free again.
    """
    run = TimelineRun()
    contexts = [Context(rng=script.rng) for script in scripts]
    # (when it runs, which script, which step, when it was planned before moving it out
    # of the night). Delays count from the planned time, so moves never add up.
    queue = []
    for order, script in enumerate(scripts):
        if script.steps:
            planned = script.start + script.steps[0].after
            queue.append((_when(script, planned), order, 0, planned))
    heapq.heapify(queue)
    bar = tqdm(total=len(queue), desc="History", unit=" stories", disable=not progress)
    while queue:
        at, order, index, planned = heapq.heappop(queue)
        script, context = scripts[order], contexts[order]
        if at >= now:
            run.unfinished[script.kind] += 1
            bar.update(1)
            continue
        step = script.steps[index]
        try:
            with time_machine.travel(at, tick=False):
                carry_on = step.do(context) is not False
        except DomainError:
            run.refused[f"{script.kind}: {step.name}"] += 1
            release(context)
            carry_on = False
        else:
            run.steps += 1
            if not carry_on:
                run.skipped[script.kind] += 1
        if carry_on and index + 1 < len(script.steps):
            planned += script.steps[index + 1].after
            following = max(_when(script, planned), at)
            heapq.heappush(queue, (following, order, index + 1, planned))
        else:
            bar.update(1)  # outside the travel, so the bar's clock is the real one
    bar.close()
    return run

"""System insight: aggregate tables, refreshed from the other apps' tables, read by the dashboard.

``insight`` reads exchanges, posts, members, organisations and the ledger, and writes only
these tables. The dashboard never scans raw tables per request: it reads the fact tables and
the monthly aggregates built from them by ``manage.py refresh_insight`` (see
``refresh.py`` and docs/insight.md). Fact tables hold plain integer keys rather
than foreign keys, so a refresh can bulk-write them without locking or checking other
apps' rows, and a member's erasure never waits on insight. ``0`` means "not known" in an
integer dimension and ``""`` in a text one.

The models live in a package by what they hold (``facts``, ``monthly``, ``windows``,
``state``; shared field blocks in ``base``); every one is importable from here.
"""

from __future__ import annotations

from .facts import ExchangeFact, MemberFact, RequestFact, SpannerScore, split_ids
from .monthly import MemberCount, MonthFlow, OrgFlow, ProfessionFlow, SkillMonth, StaleRequest
from .state import NamingPreference, RefreshState, UnitCost
from .windows import (
    OrgBetweenness,
    OrgFlowWindow,
    ProfessionFlowWindow,
    RequestWindow,
    SiloWindow,
    SkillWindow,
)

__all__ = [
    "ExchangeFact",
    "MemberCount",
    "MemberFact",
    "MonthFlow",
    "NamingPreference",
    "OrgBetweenness",
    "OrgFlow",
    "OrgFlowWindow",
    "ProfessionFlow",
    "ProfessionFlowWindow",
    "RefreshState",
    "RequestFact",
    "RequestWindow",
    "SiloWindow",
    "SkillMonth",
    "SkillWindow",
    "SpannerScore",
    "StaleRequest",
    "UnitCost",
    "split_ids",
]

"""System-aware ranking: relevance first, then what makes a good match in an ICS.

Each candidate arrives with its relevance scaled to (0, 1] (1 is the most relevant). The
final score adds small, bounded adjustments, so a far less relevant member never jumps a
clearly better one on these alone:

* another organisation: + `OPENHOURS_MATCHING_CROSS_BOUNDARY_WEIGHT` (0.15); another
  profession: + half that. Breaking silos is the point of the time bank.
* recent activity (signed in or gave time in the last 30 days): +0.05; nothing for
  180 days: -0.10. An alert to someone who left is a request left waiting.
* stated availability: +0.02; the request's way of meeting among their modes: +0.03,
  not among them: -0.15.
* load: -0.06 per exchange they are giving now (at most -0.30) and -0.04 per match
  alert in the last seven days (at most -0.20), so the few well-known experts are not
  asked everything.

Pay band is never read (principle 1). docs/matching.md explains each number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from openhours.accounts.models import User, approved_member_q
from openhours.exchanges.models import ACTIVE_STATES, Exchange, State
from openhours.matching.models import MemberDocument, Suggestion, SuggestionKind
from openhours.matching.ranking.results import HelperMatch, RequestMatch
from openhours.matching.ranking.text import is_content, terms
from openhours.members.models import Profile
from openhours.members.selectors import blocked_either_way
from openhours.posts.models import Kind, Post, PostMode, Status

ACTIVE_BONUS = 0.05
DORMANT_PENALTY = 0.10
AVAILABILITY_BONUS = 0.02
MODE_BONUS = 0.03
MODE_PENALTY = 0.15
OPEN_EXCHANGE_PENALTY, OPEN_EXCHANGE_CAP = 0.06, 0.30
RECENT_ALERT_PENALTY, RECENT_ALERT_CAP = 0.04, 0.20
UNANSWERED_BONUS = 0.05
NEW_REQUEST_BONUS = 0.03
ACTIVE_DAYS, DORMANT_DAYS = 30, 180

MODE_FIELDS = {
    PostMode.VIDEO: ("mode_video", "video calls"),
    PostMode.PHONE: ("mode_phone", "phone calls"),
    PostMode.IN_PERSON: ("mode_in_person", "meeting in person"),
    PostMode.WRITTEN: ("mode_written", "written help"),
}


@dataclass
class _Scored:
    score: float
    reasons: list[str] = field(default_factory=list)


def _cross_weight() -> float:
    return float(settings.OPENHOURS_MATCHING_CROSS_BOUNDARY_WEIGHT)


def _organisations(user_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    found: dict[int, dict[int, str]] = {user_id: {} for user_id in user_ids}
    for user_id, org_id, name in Profile.organisations.through.objects.filter(
        profile__user_id__in=user_ids
    ).values_list("profile__user_id", "organisation_id", "organisation__name"):
        found[user_id][org_id] = name
    return found


def _boundary(
    scored: _Scored,
    mine: dict[int, str],
    theirs: dict[int, str],
    my_profession: str,
    their_profession: str,
    *,
    from_them: bool,
) -> None:
    weight = _cross_weight()
    if mine and theirs and not set(mine) & set(theirs):
        scored.score += weight
        names = ", ".join(sorted(theirs.values())[:2])
        scored.reasons.append(
            f"from another organisation ({names})"
            if from_them
            else f"works in a different organisation ({names})"
        )
    if my_profession and their_profession and my_profession != their_profession:
        scored.score += weight / 2
        scored.reasons.append(f"a different profession ({their_profession})")


def content_terms(text: str) -> set[str]:
    """The stemmed terms of `text` that can make a match on their own."""
    return {term for term in terms(text) if is_content(term) and len(term) > 2}


def _matched_words(query_text: str, text: str, limit: int = 3) -> list[str]:
    """Words of the query, as the query wrote them, that `text` also uses (stemmed)."""
    theirs = set(terms(text))
    seen: dict[str, str] = {}
    for word in query_text.lower().replace("\n", " ").split():
        cleaned = "".join(ch for ch in word if ch.isalnum())
        stems = terms(cleaned)
        if len(cleaned) > 3 and stems and is_content(stems[0]) and stems[0] in theirs:
            seen.setdefault(stems[0], cleaned)
    return list(seen.values())[:limit]


# Members for a request ----------------------------------------------------------------
#
# Three steps, so that each reads on its own: load the facts of every candidate in a
# handful of queries, score them all on those plain columns, then load in full and explain
# only the `limit` best (working out which words match means reading them again, which was
# most of the time when every candidate was explained).


@dataclass(frozen=True)
class _HelperFacts:
    """What scoring a request's candidate helpers needs, read for all of them at once.

    `rows` holds the candidates who may be asked at all (active, approved, not the
    requester, not blocked either way); everyone else is already gone.
    """

    now: datetime
    relevance: dict[int, float]
    rows: Mapping[int, Mapping[str, Any]]
    # giver id -> (exchanges they are giving now, when they last gave time)
    giving: dict[int, tuple[int, datetime | None]]
    recent_alerts: Counter[int]
    organisations: dict[int, dict[int, str]]
    requester_profession: str


def _load_helper_facts(post: Post, candidates: Sequence[tuple[int, float]]) -> _HelperFacts | None:
    """The candidates' plain columns and counts, or None when nobody may be asked."""
    blocked = blocked_either_way(post.author_id)
    relevance = {
        key: rel for key, rel in candidates if key not in blocked and key != post.author_id
    }
    rows = {
        row["user_id"]: row
        for row in Profile.objects.filter(
            approved_member_q("user__"), user_id__in=list(relevance)
        ).values(
            "user_id",
            "user__last_login",
            "profession__name",
            "availability",
            *(attribute for attribute, _ in MODE_FIELDS.values()),
        )
    }
    if not rows:
        return None
    ids = list(rows)
    now = timezone.now()
    giving = _giving(ids)
    recent_alerts = _recent_alerts(ids, since=now - timedelta(days=7))
    organisations = _organisations([post.author_id, *ids])
    requester_profession = (
        Profile.objects.filter(user_id=post.author_id)
        .values_list("profession__name", flat=True)
        .first()
        or ""
    )
    return _HelperFacts(
        now=now,
        relevance=relevance,
        rows=rows,
        giving=giving,
        recent_alerts=recent_alerts,
        organisations=organisations,
        requester_profession=requester_profession,
    )


def _giving(ids: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """Each helper's exchanges open now as giver, and when they last gave (confirmed)."""
    return {
        giver_id: (open_now, last)
        for giver_id, open_now, last in Exchange.objects.filter(
            giver_id__in=ids, state__in=[*ACTIVE_STATES, State.CONFIRMED]
        )
        .order_by()
        .values("giver_id")
        .annotate(
            open_now=Count("pk", filter=Q(state__in=ACTIVE_STATES)),
            last=Max("confirmed_at", filter=Q(state=State.CONFIRMED)),
        )
        .values_list("giver_id", "open_now", "last")
    }


def _recent_alerts(ids: list[int], *, since: datetime) -> Counter[int]:
    """How many alerts each helper has been sent since ``since``."""
    return Counter(
        dict(
            Suggestion.objects.filter(
                member_id__in=ids,
                kind=SuggestionKind.ALERT,
                created_at__gte=since,
            )
            .order_by()
            .values("member_id")
            .annotate(n=Count("pk"))
            .values_list("member_id", "n")
        )
    )


def _score_helper(
    user_id: int, facts: _HelperFacts, *, author_id: int, mode: PostMode | None
) -> _Scored:
    """Relevance plus the bounded adjustments (module docstring), with their reasons."""
    row = facts.rows[user_id]
    now = facts.now
    scored = _Scored(facts.relevance[user_id])
    _boundary(
        scored,
        facts.organisations[author_id],
        facts.organisations[user_id],
        facts.requester_profession,
        row["profession__name"] or "",
        from_them=False,
    )
    open_now, last_gave = facts.giving.get(user_id, (0, None))
    latest = max((at for at in (row["user__last_login"], last_gave) if at), default=None)
    if latest and latest >= now - timedelta(days=ACTIVE_DAYS):
        scored.score += ACTIVE_BONUS
        scored.reasons.append("active in the last month")
    elif latest is None or latest < now - timedelta(days=DORMANT_DAYS):
        scored.score -= DORMANT_PENALTY
    availability = row["availability"].strip()
    if availability:
        scored.score += AVAILABILITY_BONUS
        scored.reasons.append(f"available: {availability[:60]}")
    if mode is not None:
        attribute, label = MODE_FIELDS[mode]
        if row[attribute]:
            scored.score += MODE_BONUS
            scored.reasons.append(f"happy to help by {label}")
        else:
            scored.score -= MODE_PENALTY
    scored.score -= min(OPEN_EXCHANGE_CAP, OPEN_EXCHANGE_PENALTY * open_now)
    scored.score -= min(RECENT_ALERT_CAP, RECENT_ALERT_PENALTY * facts.recent_alerts[user_id])
    return scored


def _explain_helpers(best: Sequence[tuple[int, _Scored]], *, query_text: str) -> list[HelperMatch]:
    """The finalists loaded in full, each with what they know that the request asks for
    before the reasons their score already gave."""
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=[user_id for user_id, _ in best])
        .select_related("profile", "profile__profession")
        .prefetch_related("profile__skills")
    }
    documents = dict(
        MemberDocument.objects.filter(member_id__in=list(users)).values_list("member_id", "fields")
    )
    query_terms = content_terms(query_text)
    matches = []
    for user_id, scored in best:
        profile = users[user_id].profile
        known = [s.name for s in profile.skills.all() if content_terms(s.name) & query_terms][:3]
        why: list[str] = []
        if known:
            why.append("knows: " + ", ".join(known))
        if profile.job_title and content_terms(profile.job_title) & query_terms:
            why.append(f"works as {profile.job_title}")
        if not known:
            text = " ".join(str(v) for v in documents.get(user_id, {}).values())
            words = _matched_words(query_text, text)
            if words:
                why.append("mentions: " + ", ".join(words))
        matches.append(
            HelperMatch(
                member=users[user_id],
                score=round(scored.score, 4),
                reasons=(why or ["has done similar work"]) + scored.reasons,
            )
        )
    return matches


def rerank_helpers(
    post: Post, candidates: Sequence[tuple[int, float]], *, query_text: str, limit: int
) -> list[HelperMatch]:
    """The `limit` best of `candidates` (member id, relevance in (0, 1]) for `post`, best
    first: load their facts, score every one, explain only the best."""
    if not candidates or limit <= 0:
        return []
    facts = _load_helper_facts(post, candidates)
    if facts is None:
        return []
    mode = PostMode(post.mode) if post.mode in MODE_FIELDS else None
    scored = [
        (user_id, _score_helper(user_id, facts, author_id=post.author_id, mode=mode))
        for user_id in facts.rows
    ]
    # Ties go to the lower id, so a ranking is the same on every run.
    scored.sort(key=lambda item: (-item[1].score, item[0]))
    return _explain_helpers(scored[:limit], query_text=query_text)


# Requests for a member ----------------------------------------------------------------


@dataclass(frozen=True)
class _RequestFacts:
    """What scoring a member's candidate requests needs, read for all of them at once.

    `rows` holds only the requests the member may be shown: open, unexpired requests by
    another active member, not blocked either way, that this member has not answered.
    """

    now: datetime
    relevance: dict[int, float]
    rows: Mapping[int, Mapping[str, Any]]
    answered_by_anyone: set[int]
    profile: Profile | None
    organisations: dict[int, dict[int, str]]


def _load_request_facts(
    member: User, candidates: Sequence[tuple[int, float]]
) -> _RequestFacts | None:
    """The candidates' plain columns, or None when none of them may be shown."""
    now = timezone.now()
    blocked = blocked_either_way(member.pk)
    relevance = dict(candidates)
    answered = set(
        Exchange.objects.filter(post_id__in=list(relevance), giver_id=member.pk).values_list(
            "post_id", flat=True
        )
    )
    # Looked up by primary key only and checked here: given the other conditions too,
    # SQLite walks every open request by its status index instead of 200 keys.
    rows = {
        row["pk"]: row
        for row in Post.objects.filter(pk__in=list(relevance))
        .order_by()
        .values(
            "pk",
            "author_id",
            "kind",
            "status",
            "expires_at",
            "created_at",
            "mode",
            "author__is_active",
            "author__profile__profession__name",
        )
        if row["kind"] == Kind.REQUEST
        and row["status"] == Status.OPEN
        and row["expires_at"] > now
        and row["author__is_active"]
        and row["author_id"] != member.pk
        and row["author_id"] not in blocked
        and row["pk"] not in answered
    }
    if not rows:
        return None
    answered_by_anyone = set(
        Exchange.objects.filter(post_id__in=list(rows))
        .exclude(state__in=[State.DECLINED, State.CANCELLED])
        .values_list("post_id", flat=True)
    )
    profile = Profile.objects.filter(user_id=member.pk).select_related("profession").first()
    author_ids = list({row["author_id"] for row in rows.values()})
    return _RequestFacts(
        now=now,
        relevance=relevance,
        rows=rows,
        answered_by_anyone=answered_by_anyone,
        profile=profile,
        organisations=_organisations([member.pk, *author_ids]),
    )


def _score_request(post_id: int, facts: _RequestFacts, *, member_id: int) -> _Scored:
    """Relevance plus the bounded adjustments for a request, with their reasons."""
    row = facts.rows[post_id]
    profile = facts.profile
    scored = _Scored(facts.relevance[post_id])
    _boundary(
        scored,
        facts.organisations[member_id],
        facts.organisations[row["author_id"]],
        profile.profession.name if profile and profile.profession else "",
        row["author__profile__profession__name"] or "",
        from_them=True,
    )
    if post_id not in facts.answered_by_anyone:
        scored.score += UNANSWERED_BONUS
        scored.reasons.append("no one has offered to help yet")
    if row["created_at"] >= facts.now - timedelta(days=7):
        scored.score += NEW_REQUEST_BONUS
    if row["mode"] in MODE_FIELDS and profile is not None:
        attribute, _ = MODE_FIELDS[PostMode(row["mode"])]
        if not getattr(profile, attribute):
            scored.score -= MODE_PENALTY
    return scored


def _explain_requests(
    best: Sequence[tuple[int, _Scored]], *, profile: Profile | None, query_text: str
) -> list[RequestMatch]:
    """The finalists loaded in full, each led by which of the member's skills (or, failing
    that, words) the request asks for."""
    skills = [skill.name for skill in profile.skills.all()] if profile is not None else []
    posts = Post.objects.select_related(
        "author", "author__profile", "author__profile__profession"
    ).in_bulk([post_id for post_id, _ in best])
    matches = []
    for post_id, scored in best:
        post = posts[post_id]
        post_terms = content_terms(f"{post.title} {post.description}")
        yours = [s for s in skills if content_terms(s) & post_terms][:3]
        if yours:
            why = "asks for what you know: " + ", ".join(yours)
        else:
            words = _matched_words(query_text, f"{post.title} {post.description}")
            why = "mentions " + ", ".join(words) if words else "close to what you offer"
        matches.append(
            RequestMatch(post=post, score=round(scored.score, 4), reasons=[why, *scored.reasons])
        )
    return matches


def rerank_requests(
    member: User,
    candidates: Sequence[tuple[int, float]],
    *,
    query_fields: dict[str, str],
    limit: int,
) -> list[RequestMatch]:
    """The `limit` best of `candidates` (post id, relevance in (0, 1]) for `member`, best
    first: load their facts, score every one, explain only the best."""
    if not candidates or limit <= 0:
        return []
    facts = _load_request_facts(member, candidates)
    if facts is None:
        return []
    scored = [
        (post_id, _score_request(post_id, facts, member_id=member.pk)) for post_id in facts.rows
    ]
    # Ties go to the newer request.
    scored.sort(key=lambda item: (-item[1].score, -item[0]))
    query_text = "\n".join(str(value) for value in query_fields.values())
    return _explain_requests(scored[:limit], profile=facts.profile, query_text=query_text)

"""Benchmark: full-text search over offers and requests at 100,000 posts.

Builds a scratch database (SQLite by default, or the one in BENCH_DATABASE_URL), fills it
with posts written from health-and-care vocabulary, then times the query the browse page
runs (count plus the first page of 20) for a set of searches, through the real selector.
The baseline, measured in the same run on the same data, is the naive approach the index
replaces: a case-insensitive LIKE over title and description. Prints p50/p95 for both and
their ratio; the machines are shared and noisy, so the ratio is the figure to quote.

    make bench-search                 # 100,000 posts on SQLite
    BENCH_POSTS=20000 make bench-search
    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/openhours_bench make bench-search
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="openhours-bench-")) / "search.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{SCRATCH}")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openhours.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from openhours.accounts.models import User  # noqa: E402
from openhours.posts.models import Post, Status  # noqa: E402
from openhours.posts.selectors import BrowsePaginator, PostFilters, browse_posts  # noqa: E402

POSTS = int(os.environ.get("BENCH_POSTS", "100000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
TOPICS = [
    "business case",
    "clinical audit",
    "Power BI dashboard",
    "QI coaching",
    "process mapping",
    "patient experience survey",
    "falls prevention",
    "discharge planning",
    "virtual ward",
    "sepsis teaching",
    "spirometry training",
    "rota planning",
    "estates strategy",
    "options appraisal",
    "safeguarding supervision",
    "health inequalities data",
    "frailty pathway",
    "medicines optimisation",
    "research protocol",
    "grant application",
    "co-production workshop",
    "staff wellbeing",
    "recruitment campaign",
    "net zero plan",
]
VERBS = ["Help with", "Advice on", "Support for", "Coaching on", "A second pair of eyes on"]
CONTEXT = [
    "for our ward team",
    "across two GP practices",
    "in a care home",
    "for the PCN board",
    "before the ICB deadline",
    "with the council's adult social care team",
    "for a voluntary sector partner",
    "on the community nursing caseload",
]
SEARCHES = [
    "audit",
    "business case",
    "virtual ward",
    "dashboard",
    "sepsis",
    "care home",
    "frailty pathway",
    "wellbeing",
    "spiro",
    "nothing-matches-this",
]


def build() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    authors = [User(email=f"bench{i}@nhs.net", full_name=f"Bench Member {i}") for i in range(200)]
    User.objects.bulk_create(authors, batch_size=500)
    author_ids = list(User.objects.values_list("pk", flat=True))
    now = timezone.now()
    batch: list[Post] = []
    started = time.perf_counter()
    for i in range(POSTS):
        topic = rng.choice(TOPICS)
        created = now - timedelta(minutes=rng.randrange(60 * 24 * 50))
        batch.append(
            Post(
                author_id=rng.choice(author_ids),
                kind=rng.choice(["offer", "request"]),
                title=f"{rng.choice(VERBS)} {topic} {rng.choice(CONTEXT)}",
                description=(
                    f"We are looking at {rng.choice(TOPICS)} and {topic}. "
                    f"It would help to talk to someone who has done this {rng.choice(CONTEXT)}."
                ),
                category="improvement",
                estimated_minutes=60,
                created_at=created,
                updated_at=created,
                expires_at=created + timedelta(days=60),
                status=Status.OPEN,
            )
        )
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch.clear()
            print(f"\r  inserted {i + 1:,} of {POSTS:,} posts", end="", flush=True)
    Post.objects.bulk_create(batch)
    print(f"\r  inserted {POSTS:,} posts in {time.perf_counter() - started:.1f}s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE posts_post")


def page_with(query: Callable[[str], None], text: str) -> None:
    query(text)


def indexed(text: str) -> None:
    """What the browse page does: the selector, its paginator's count, the first page."""
    page = BrowsePaginator(browse_posts(PostFilters(text=text)), 20).get_page(1)
    list(page.object_list)


def like_scan(text: str) -> None:
    """The baseline, unchanged: an exact count and the first page of a LIKE scan."""
    qs = Post.objects.filter(status=Status.OPEN)
    for word in text.split():
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    qs = qs.select_related("author").order_by("-created_at", "-pk")
    qs.count()
    list(qs[:20])


def timings(query: Callable[[str], None]) -> list[float]:
    results = []
    for _ in range(REPEATS):
        for text in SEARCHES:
            started = time.perf_counter()
            page_with(query, text)
            results.append((time.perf_counter() - started) * 1000)
    return results


def p(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100)[pct - 1]


def main() -> None:
    print(f"Search benchmark: {POSTS:,} posts on {connection.vendor}")
    build()
    for text in SEARCHES:  # warm both paths once
        page_with(indexed, text)
        page_with(like_scan, text)
    full_text = timings(indexed)
    baseline = timings(like_scan)
    print(f"\n{'query path':<28}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'full-text index':<28}{p(full_text, 50):>10.1f}{p(full_text, 95):>10.1f}")
    print(f"{'LIKE scan (baseline)':<28}{p(baseline, 50):>10.1f}{p(baseline, 95):>10.1f}")
    print(
        f"\nratio index/baseline: p50 {p(full_text, 50) / p(baseline, 50):.3f}, "
        f"p95 {p(full_text, 95) / p(baseline, 95):.3f}  (lower is better)"
    )


if __name__ == "__main__":
    main()

"""Benchmark: ranking helpers for a request, and requests for a member, at 100,000 members.

Fills a scratch database with the demo command (`seed_demo --members N --posts N
--no-history`), then for each ranker:

* in a fresh process, as `rebuild_matching_index` would, writes every matching document
  (embedded when semantic);
* in another fresh process (so its memory is that of one app process holding the index),
  loads the index, and:
* times `helpers_for_request` and `requests_for_member`, the real entry points, over a
  fixed sample, p50 and p95 (embedding the request is included for the semantic ranker);
* times a brute-force baseline in the same process on the same data: every member's words
  counted and scored against the request in Python, without an index;
* reports peak resident memory.

    make bench-matching                       # 100,000 members and posts, SQLite
    BENCH_MEMBERS=20000 make bench-matching   # smaller
    BENCH_RANKERS=lexical make bench-matching # skip the semantic ranker
    BENCH_SEEDED=1 BENCH_DATABASE_URL=sqlite:////tmp/x.sqlite3 make bench-matching  # reuse
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100000"))
POSTS = int(os.environ.get("BENCH_POSTS", str(MEMBERS)))
QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))
BASELINE_QUERIES = int(os.environ.get("BENCH_BASELINE_QUERIES", "10"))
RANKERS = os.environ.get("BENCH_RANKERS", "lexical,semantic").split(",")


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1)]


def setup_django(database_url: str, model: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
    os.environ["DJANGO_SETTINGS_MODULE"] = "openhours.settings"
    os.environ["OPENHOURS_MATCHING_SEMANTIC_MODEL"] = model
    os.environ["OPENHOURS_MATCHING_REFRESH_SECONDS"] = "3600"
    import django

    django.setup()


def brute_force(text: str, documents: list[tuple[int, dict[str, str]]]) -> list[int]:
    """Score every member by counting the request's words in their words: no index."""
    from openhours.matching.ranking.text import is_content, terms

    wanted = Counter(t for t in terms(text) if is_content(t))
    scored = []
    for member_id, fields in documents:
        counts = Counter(terms(" ".join(fields.values())))
        score = sum(math.log1p(counts[t]) * n for t, n in wanted.items() if t in counts)
        if score:
            scored.append((score, member_id))
    scored.sort(reverse=True)
    return [member_id for _, member_id in scored[:10]]


def build(ranker: str, database_url: str) -> dict[str, object]:
    """Run in a fresh process, as `rebuild_matching_index` would: write every document."""
    setup_django(database_url, "all-MiniLM-L6-v2" if ranker == "semantic" else "")
    from openhours.matching.models import MemberDocument, RequestDocument
    from openhours.matching.ranking.documents import sync_documents

    # From nothing, as on a first deployment: every document written (and embedded).
    MemberDocument.objects.all().delete()
    RequestDocument.objects.all().delete()
    started = time.perf_counter()
    report = sync_documents(since=None)
    return {
        "documents_s": round(time.perf_counter() - started, 1),
        "texts_embedded": report.embedded,
        "build_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measure(ranker: str, database_url: str) -> dict[str, object]:
    """Run in a fresh process, as an app process would: load the index, then time both
    rankings and the baseline."""
    setup_django(database_url, "all-MiniLM-L6-v2" if ranker == "semantic" else "")
    from openhours.accounts.models import User
    from openhours.matching.models import MemberDocument
    from openhours.matching.ranking.engine import get_index
    from openhours.matching.selectors import helpers_for_request, requests_for_member
    from openhours.posts.models import Kind, Post, Status

    loaded = time.perf_counter()
    index = get_index()
    load_seconds = time.perf_counter() - loaded
    rng = random.Random(7)
    request_ids = list(
        Post.objects.filter(kind=Kind.REQUEST, status=Status.OPEN).values_list("pk", flat=True)
    )
    requests = list(Post.objects.filter(pk__in=rng.sample(request_ids, QUERIES)))
    member_ids = list(MemberDocument.objects.values_list("member_id", flat=True))
    members = list(User.objects.filter(pk__in=rng.sample(member_ids, QUERIES)))

    def timed(call: object, items: list[object]) -> list[float]:
        spent = []
        for item in items:
            began = time.perf_counter()
            call(item)  # type: ignore[operator]
            spent.append((time.perf_counter() - began) * 1000)
        return spent

    helpers_for_request(requests[0])  # warm the model and caches once
    helper_ms = []
    for post in requests:
        if index.requests.vectors is not None:
            # Forget the stored vector, so the timing includes embedding the request.
            index.requests.vectors.remove(post.pk)
        began = time.perf_counter()
        helpers_for_request(post, limit=10)
        helper_ms.append((time.perf_counter() - began) * 1000)
    request_ms = timed(lambda member: requests_for_member(member, limit=10), members)
    # Peak memory of the app process: the index and the rankings, before the baseline
    # below loads every document into Python.
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    documents = list(MemberDocument.objects.values_list("member_id", "fields"))
    baseline_ms = timed(
        lambda post: brute_force(f"{post.title}\n{post.description}", documents),
        requests[:BASELINE_QUERIES],
    )
    return {
        "ranker": ranker,
        "members": len(index.members),
        "open_requests": len(index.requests),
        "load_s": round(load_seconds, 1),
        "helpers_p50_ms": round(statistics.median(helper_ms), 1),
        "helpers_p95_ms": round(percentile(helper_ms, 95), 1),
        "requests_p50_ms": round(statistics.median(request_ms), 1),
        "requests_p95_ms": round(percentile(request_ms, 95), 1),
        "baseline_p50_ms": round(statistics.median(baseline_ms), 1),
        "baseline_p95_ms": round(percentile(baseline_ms, 95), 1),
        "peak_mib": round(peak_mib),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("--build", "--measure"):
        ranker, database_url = sys.argv[2].split("@@", 1)
        step = build if sys.argv[1] == "--build" else measure
        print(json.dumps(step(ranker, database_url)))
        return
    scratch = Path(tempfile.mkdtemp(prefix="openhours-bench-")) / "matching.sqlite3"
    database_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}")
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    if os.environ.get("BENCH_SEEDED"):
        print(f"Using the database already seeded at {database_url}", flush=True)
    else:
        print(f"Seeding {MEMBERS:,} members and {POSTS:,} posts into {database_url} ...")
        began = time.perf_counter()
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run(
            [*manage, "seed_demo", f"--members={MEMBERS}", f"--posts={POSTS}", "--no-history"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"  seeded in {time.perf_counter() - began:.0f} s", flush=True)
    results = []
    for ranker in RANKERS:
        result: dict[str, object] = {}
        for step in ("build", "measure"):
            print(f"{ranker}: {step} in a fresh process ...", flush=True)
            out = subprocess.run(
                [sys.executable, __file__, f"--{step}", f"{ranker}@@{database_url}"],
                # DEBUG off, as in production: with it on, Django keeps every query's SQL,
                # and each bulk write of 500 embeddings is megabytes of it.
                env={key: value for key, value in os.environ.items() if key != "DEBUG"},
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result.update(json.loads(out.strip().splitlines()[-1]))
        print(f"  {result}", flush=True)
        results.append(result)
    print()
    print(
        f"{'ranker':<9} {'members':>8} {'requests':>8} {'build s':>8} "
        f"{'helpers p50/p95 ms':>19} {'requests p50/p95 ms':>20} "
        f"{'brute force p50/p95 ms':>23} {'p95 ratio':>9} {'texts':>7} "
        f"{'peak MiB build/app':>18}"
    )
    for r in results:
        build_s = float(r["documents_s"]) + float(r["load_s"])  # type: ignore[arg-type]
        ratio = float(r["helpers_p95_ms"]) / float(r["baseline_p95_ms"])  # type: ignore[arg-type]
        print(
            f"{r['ranker']:<9} {r['members']:>8,} {r['open_requests']:>8,} {build_s:>8.1f} "
            f"{r['helpers_p50_ms']:>9} / {r['helpers_p95_ms']:<7} "
            f"{r['requests_p50_ms']:>9} / {r['requests_p95_ms']:<8} "
            f"{r['baseline_p50_ms']:>11} / {r['baseline_p95_ms']:<9} {ratio:>9.3f} "
            f"{r['texts_embedded']:>7} {r['build_peak_mib']:>8} / {r['peak_mib']:<8}"
        )
    print(
        "\nTargets: p95 under 50 ms (lexical) and 100 ms (semantic), build under 10 minutes, "
        "under 1 GiB per process. 'p95 ratio' is helpers p95 over the brute-force p95; "
        "'texts' is how many distinct texts were embedded; build s is writing every "
        "document (in one process, as rebuild_matching_index does) plus loading the index "
        "(in the app process)."
    )


if __name__ == "__main__":
    main()

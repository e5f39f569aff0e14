"""Benchmark: matching at 100,000 members, served from the per-server index snapshot.

Fills a scratch database with the demo command (`seed_demo --members N --posts N
--no-history`), or reuses one (`BENCH_SEEDED=1 BENCH_DATABASE_URL=...`), then for each
ranker:

* in a fresh process, as a server's worker does: starts the index builder (loads the
  index from the stored documents and writes the first snapshot; for the semantic ranker,
  first embeds every document, as `rebuild_matching_index` does after a model change),
  times a look at the change log when nothing changed against the scan every process ran
  every 2 s before, times a snapshot write, and makes a bulk change of a tenth of the
  profiles in one UPDATE and times the builder's turn that takes it;
* in another fresh process, as an app process: maps the snapshot and times
  `helpers_for_request` and `requests_for_member`, the real entry points, over a fixed
  sample, p50 and p95 (embedding the request is included for the semantic ranker), next
  to a brute-force baseline in the same process (every member's words counted in Python,
  no index), and its memory: resident, and its own (anonymous) part, the rest being the
  shared page cache; then builds the old per-process index in the same process to show
  what each web worker used to hold.

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
import shutil
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
# BENCH_OLD_INDEX=0 skips building the old per-process index (minutes at 1 million).
OLD_INDEX = os.environ.get("BENCH_OLD_INDEX", "1") != "0"


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


def memory() -> dict[str, float]:
    """This process's memory in MiB: resident, and of that what is private to it (the
    rest, the mapped snapshot above all, is shared with every process on the server)."""
    fields: dict[str, float] = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            fields[name] = float(value.split()[0]) / 1024
    # Anonymous memory is this process's own; file pages (the mapped snapshot, libraries)
    # are the page cache's, shared by every process that maps them.
    return {
        "rss_mib": round(fields["Rss"]),
        "own_mib": round(fields["Anonymous"]),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


# Long on purpose: one measured build, step by step, each step timed where it happens.
def build(ranker: str, database_url: str, directory: str) -> dict[str, object]:
    """Run in a fresh process, as a server's worker does: start the builder (load the
    index from the stored documents, write the first snapshot), then time a look for
    changes when nothing changed, against the scan it replaced, and a snapshot write."""
    setup_django(database_url, "all-MiniLM-L6-v2" if ranker == "semantic" else "")
    from django.utils import timezone

    from openhours.matching.ranking.builder import Builder
    from openhours.matching.ranking.changes import ChangeCursor
    from openhours.matching.ranking.documents import _changed_member_ids, sync_documents

    embedded = 0
    documents_s = 0.0
    if ranker == "semantic":
        # Every document embedded, as `rebuild_matching_index` does after a model change.
        began = time.perf_counter()
        embedded = sync_documents(since=None).embedded
        documents_s = time.perf_counter() - began
    builder = Builder(Path(directory))
    began = time.perf_counter()
    builder.step()
    start_s = time.perf_counter() - began
    cursor = ChangeCursor.at_end()
    look_ms = []
    for _ in range(20):
        began = time.perf_counter()
        cursor.take()
        look_ms.append((time.perf_counter() - began) * 1000)
    since = timezone.now()
    scan_ms = []
    for _ in range(5):
        began = time.perf_counter()
        _changed_member_ids(since)  # the look every process made every 2 s before
        scan_ms.append((time.perf_counter() - began) * 1000)
    writes = []
    for _ in range(3):
        began = time.perf_counter()
        builder.write()
        writes.append(time.perf_counter() - began)
    # A bulk change of a tenth of the members, as one UPDATE (only the triggers see it),
    # then one builder turn: how long until every process can match on the new words.
    from openhours.members.models import Profile

    rng = random.Random(11)
    profile_ids = list(Profile.objects.order_by("user_id").values_list("user_id", flat=True))
    changed = rng.sample(profile_ids, len(profile_ids) // 10)
    first = Profile.objects.filter(user_id=changed[0]).values_list("bio", flat=True).first()
    word = "zymurgy" if first != "Zymurgy and home brewing" else "oenology"
    began = time.perf_counter()
    for start in range(0, len(changed), 5000):
        Profile.objects.filter(user_id__in=changed[start : start + 5000]).update(
            bio=f"{word.capitalize()} and home brewing"
        )
    update_s = time.perf_counter() - began
    began = time.perf_counter()
    version = builder.step()
    catch_up_s = time.perf_counter() - began
    assert version is not None and builder.index is not None
    found = {key for key, _ in builder.index.members.relevance(word, None)}
    size = sum(f.stat().st_size for f in Path(directory).glob("v*/*") if f.is_file())
    # Only the newest snapshot counts: older ones are kept a moment for readers.
    newest = max(Path(directory).glob("v*"))
    snapshot_mib = sum(f.stat().st_size for f in newest.iterdir()) / 2**20
    builder.release()
    return {
        "documents_s": round(documents_s, 1),
        "texts_embedded": embedded,
        "builder_start_s": round(start_s, 1),
        "look_ms": round(statistics.median(look_ms), 2),
        "scan_ms": round(statistics.median(scan_ms), 1),
        "write_s": round(statistics.median(writes), 2),
        "snapshot_mib": round(snapshot_mib),
        "bulk_changed": len(changed),
        "bulk_update_s": round(update_s, 1),
        "bulk_catch_up_s": round(catch_up_s, 1),
        "bulk_found_of_200": len(found & set(changed)),
        "all_versions_mib": round(size / 2**20),
        "builder": memory(),
    }


# Long on purpose: the run sheet of one ranker's measurements, in the order reported.
def measure(ranker: str, database_url: str, directory: str) -> dict[str, object]:
    """Run in a fresh process, as an app process would: map the snapshot, then time both
    rankings and the baseline."""
    setup_django(database_url, "all-MiniLM-L6-v2" if ranker == "semantic" else "")
    os.environ["OPENHOURS_MATCHING_INDEX_DIR"] = directory
    from django.test import override_settings

    override_settings(OPENHOURS_MATCHING_INDEX_DIR=Path(directory)).enable()
    from openhours.accounts.models import User
    from openhours.matching.models import MemberDocument
    from openhours.matching.ranking.engine import get_index
    from openhours.matching.selectors import helpers_for_request, requests_for_member
    from openhours.posts.models import Kind, Post, Status

    loaded = time.perf_counter()
    index = get_index()
    load_seconds = time.perf_counter() - loaded
    assert index is not None, f"no snapshot in {directory}"
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
    # Forget the requests' stored vectors, so the timing includes embedding the request.
    index.requests.vectors = None  # type: ignore[attr-defined]
    helper_ms = timed(lambda post: helpers_for_request(post, limit=10), requests)
    # Relevance alone (the part that grows with the membership; the re-ranking reads a
    # fixed 100 candidates from the database).
    relevance_ms = timed(
        lambda post: index.members.relevance(f"{post.title}\n{post.description}", None),
        requests,
    )
    request_ms = timed(lambda member: requests_for_member(member, limit=10), members)
    # The app process's memory: the mapped index and the rankings, before the baseline
    # below loads every document into Python.
    app = memory()
    # The design this replaced, in the same process: its own index, built here.
    from openhours.matching.ranking.engine import MatchingIndex

    old_build_s, old = 0.0, app
    if OLD_INDEX:
        began = time.perf_counter()
        own_index = MatchingIndex()
        own_index.load()
        old_build_s = time.perf_counter() - began
        old = memory()  # measured while the index is still held
        del own_index
    documents = list(MemberDocument.objects.values_list("member_id", "fields"))
    baseline_ms = timed(
        lambda post: brute_force(f"{post.title}\n{post.description}", documents),
        requests[:BASELINE_QUERIES],
    )
    return {
        "ranker": ranker,
        "members": len(index.members),
        "open_requests": len(index.requests),
        "map_ms": round(load_seconds * 1000, 1),
        "helpers_p50_ms": round(statistics.median(helper_ms), 1),
        "helpers_p95_ms": round(percentile(helper_ms, 95), 1),
        "relevance_p95_ms": round(percentile(relevance_ms, 95), 1),
        "requests_p50_ms": round(statistics.median(request_ms), 1),
        "requests_p95_ms": round(percentile(request_ms, 95), 1),
        "baseline_p50_ms": round(statistics.median(baseline_ms), 1),
        "baseline_p95_ms": round(percentile(baseline_ms, 95), 1),
        "app": app,
        "old_build_s": round(old_build_s, 1),
        "old_own_mib": old["own_mib"] - app["own_mib"],
    }


# Long on purpose: the benchmark's set-up and report, one step after another.
def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in ("--build", "--measure"):
        ranker, database_url, directory = sys.argv[2].split("@@", 2)
        step = build if sys.argv[1] == "--build" else measure
        print(json.dumps(step(ranker, database_url, directory)))
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
        directory = tempfile.mkdtemp(prefix=f"openhours-bench-index-{ranker}-")
        result: dict[str, object] = {}
        for step in ("build", "measure"):
            print(f"{ranker}: {step} in a fresh process ...", flush=True)
            out = subprocess.run(
                [sys.executable, __file__, f"--{step}", f"{ranker}@@{database_url}@@{directory}"],
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
        shutil.rmtree(directory, ignore_errors=True)
    print()
    print(
        f"{'ranker':<9} {'members':>8} {'helpers p50/p95 ms':>19} {'requests p50/p95 ms':>20} "
        f"{'brute p95 ms':>12} {'p95 ratio':>9} {'builder start s':>15} {'write s':>7} "
        f"{'look ms':>7} {'old scan ms':>11} {'snapshot MiB':>12} {'builder RSS':>11} "
        f"{'app RSS/own MiB':>15} {'map ms':>7} {'old per-process MiB / build s':>29}"
    )
    for r in results:
        ratio = float(r["helpers_p95_ms"]) / float(r["baseline_p95_ms"])  # type: ignore[arg-type]
        app, built = r["app"], r["builder"]
        print(
            f"{r['ranker']:<9} {r['members']:>8,} "
            f"{r['helpers_p50_ms']:>9} / {r['helpers_p95_ms']:<7} "
            f"{r['requests_p50_ms']:>9} / {r['requests_p95_ms']:<8} "
            f"{r['baseline_p95_ms']:>12} {ratio:>9.3f} {r['builder_start_s']:>15} "
            f"{r['write_s']:>7} {r['look_ms']:>7} {r['scan_ms']:>11} {r['snapshot_mib']:>12} "
            f"{built['peak_mib']:>11} "  # type: ignore[index]
            f"{app['rss_mib']:>7} / {app['own_mib']:<5} {r['map_ms']:>7} "  # type: ignore[index]
            f"{r['old_own_mib']:>21} / {r['old_build_s']:<5}"
        )
    for r in results:
        print(
            f"{r['ranker']}: bulk change of {r['bulk_changed']:,} profiles (one UPDATE, "
            f"{r['bulk_update_s']} s); the builder's next turn took {r['bulk_catch_up_s']} s "
            f"(documents rebuilt, index updated, snapshot written); {r['bulk_found_of_200']} "
            "of the best 200 for the new word are changed members."
        )
    print(
        "\nMemory per server with W app processes: builder peak (the worker holding the live "
        "index) + W x app own (anonymous) + one snapshot (shared page cache). 'old "
        "per-process' is what one process's own index added to it before (built in the "
        "same process, same run). 'look ms' is the "
        "builder's look at the change log when nothing changed; 'old scan ms' the query "
        "every process ran every 2 s before. 'p95 ratio' is helpers p95 over the "
        "brute-force p95."
    )


if __name__ == "__main__":
    main()

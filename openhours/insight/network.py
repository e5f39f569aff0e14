"""Network measures on the exchange graph: betweenness (Brandes) and Krackhardt's E-I index.

Pure functions over plain Python data, so tests can check them on hand-made networks.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy import sparse

Node = TypeVar("Node", bound=Hashable)
# Sources searched together are at most this many nodes times sources (memory per array).
BLOCK_CELLS = 1_000_000
Group = TypeVar("Group", int, str)


def betweenness(
    edges: Iterable[tuple[Node, Node]],
    *,
    exact_up_to: int = 3000,
    samples: int = 64,
    seed: int = 0,
) -> tuple[dict[Node, float], bool]:
    """Normalised betweenness centrality of an undirected, unweighted graph.

    Brandes' algorithm, level by level: the breadth-first searches from a block of sources
    are a few sparse matrix products, so a source costs milliseconds even at a million
    edges.
    Exact (every node a source) up to ``exact_up_to`` nodes; beyond that, ``samples``
    sources chosen with a fixed seed and the sum scaled by n / samples (Brandes and
    Pich 2007). Scores are divided by (n-1)(n-2)/2, so 1.0 is a star's centre. Returns the
    scores and whether they are exact.
    """
    # Nodes numbered in order of first appearance (the sampled sources depend on it).
    index: dict[Node, int] = {}
    ends = [index.setdefault(node, len(index)) for a, b in edges if a != b for node in (a, b)]
    n = len(index)
    if n < 3:
        return dict.fromkeys(index, 0.0), True
    pairs = np.array(ends, np.int64).reshape(-1, 2)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0  # duplicate edges collapse to one
    exact = n <= exact_up_to
    sources = list(range(n)) if exact else random.Random(seed).sample(range(n), min(samples, n))
    scores = np.zeros(n)
    # Small networks (organisations) search many sources at once, a column each: at a
    # hundred organisations all of them in one go, one product instead of a hundred small
    # ones (about three times faster). Large sampled ones (members) go one source at a
    # time, which was faster there.
    block = max(1, min(len(sources), BLOCK_CELLS // n)) if exact else 1
    for start in range(0, len(sources), block):
        scores += _dependencies(matrix, np.array(sources[start : start + block]))
    if not exact:
        scores *= n / len(sources)
    scores /= 2  # every path was counted from both ends
    scores /= (n - 1) * (n - 2) / 2
    nodes = list(index)
    return {nodes[i]: float(scores[i]) for i in range(n)}, exact


def _dependencies(matrix: sparse.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Brandes' dependencies of every node, summed over ``sources``: one breadth-first
    search per source, all of them together (column j is ``sources[j]``'s)."""
    n, width = matrix.shape[0], len(sources)
    columns = np.arange(width)
    sigma = np.zeros((n, width))
    sigma[sources, columns] = 1.0
    seen = np.zeros((n, width), dtype=bool)
    seen[sources, columns] = True
    frontier = seen.copy()
    levels = [frontier]
    while True:
        reach = np.asarray(matrix @ np.where(frontier, sigma, 0.0))
        frontier = (reach > 0) & ~seen
        if not frontier.any():
            break
        sigma[frontier] = reach[frontier]
        seen |= frontier
        levels.append(frontier)
    delta = np.zeros((n, width))
    for depth in range(len(levels) - 1, 0, -1):
        below = levels[depth]
        coefficient = np.where(below, (1.0 + delta) / np.where(below, sigma, 1.0), 0.0)
        back = np.asarray(matrix @ coefficient)
        above = levels[depth - 1]
        delta[above] += (sigma * back)[above]
    delta[sources, columns] = 0.0
    total: np.ndarray = delta.sum(axis=1)
    return total


@dataclass(frozen=True)
class EIScore:
    group: int | str
    external: int
    internal: int

    @property
    def ties(self) -> int:
        return self.external + self.internal

    @property
    def index(self) -> float | None:
        """(E - I) / (E + I): -1 when every tie stays inside, +1 when every tie crosses."""
        return (self.external - self.internal) / self.ties if self.ties else None


def ei_index(flows: Mapping[tuple[Group, Group], int], *, unknown: Group) -> dict[Group, EIScore]:
    """Krackhardt's E-I index per group from exchange counts between groups.

    ``flows[(a, b)]`` is the number of exchanges from a member of ``a`` to a member of
    ``b``. An exchange inside ``a`` is internal to ``a``; one from ``a`` to ``b`` is
    external to both. Exchanges with a party in the ``unknown`` group are left out.
    """
    external: dict[Group, int] = {}
    internal: dict[Group, int] = {}
    for (a, b), count in flows.items():
        if a == unknown or b == unknown or not count:
            continue
        if a == b:
            internal[a] = internal.get(a, 0) + count
        else:
            external[a] = external.get(a, 0) + count
            external[b] = external.get(b, 0) + count
    groups = set(external) | set(internal)
    return {g: EIScore(g, external.get(g, 0), internal.get(g, 0)) for g in groups}


def ei_index_of_columns(
    givers: Sequence[int], receivers: Sequence[int], counts: Sequence[int], *, unknown: int
) -> dict[int, EIScore]:
    """``ei_index`` of integer groups given as columns (one entry per pair, a pair may
    repeat), with numpy: the same scores, in ascending order of group."""
    giver = np.asarray(givers, np.int64)
    receiver = np.asarray(receivers, np.int64)
    count = np.asarray(counts, np.int64)
    known = (giver != unknown) & (receiver != unknown) & (count != 0)
    giver, receiver, count = giver[known], receiver[known], count[known]
    inside = giver == receiver
    groups, where = np.unique(np.concatenate([giver, receiver[~inside]]), return_inverse=True)
    weights = np.concatenate([count, count[~inside]])
    crossing = np.concatenate([~inside, np.ones(int((~inside).sum()), bool)])
    external = np.bincount(where, weights=np.where(crossing, weights, 0), minlength=len(groups))
    internal = np.bincount(where, weights=np.where(crossing, 0, weights), minlength=len(groups))
    return {
        g: EIScore(g, int(e), int(i))
        for g, e, i in zip(groups.tolist(), external.tolist(), internal.tolist(), strict=True)
    }

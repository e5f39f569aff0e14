"""Network measures on hand-made networks with known answers."""

from __future__ import annotations

import random

import pytest

from openhours.insight.network import betweenness, ei_index, ei_index_of_columns


def test_ei_index_is_minus_one_when_every_exchange_stays_inside() -> None:
    scores = ei_index({("a", "a"): 4}, unknown="")
    assert scores["a"].index == -1
    assert scores["a"].ties == 4


def test_ei_index_is_zero_when_half_the_exchanges_cross() -> None:
    scores = ei_index({("a", "a"): 3, ("a", "b"): 2, ("b", "a"): 1}, unknown="")
    assert scores["a"].index == 0  # 3 external, 3 internal
    assert scores["b"].index == 1


def test_ei_index_is_plus_one_when_every_exchange_crosses() -> None:
    scores = ei_index({(1, 2): 5, (2, 3): 1}, unknown=0)
    assert {g: s.index for g, s in scores.items()} == {1: 1, 2: 1, 3: 1}


def test_ei_index_leaves_out_exchanges_with_an_unknown_group() -> None:
    scores = ei_index({(1, 0): 5, (1, 1): 1}, unknown=0)
    assert set(scores) == {1}
    assert scores[1].index == -1


def test_ei_index_of_columns_agrees_with_ei_index_on_random_flows() -> None:
    """The numpy version the dashboard uses, including repeated pairs, zero counts and
    the unknown group."""
    rng = random.Random(7)
    for _ in range(200):
        rows = [
            (rng.randint(0, 6), rng.randint(0, 6), rng.choice([0, 1, 2, 5, 40]))
            for _ in range(rng.randint(0, 30))
        ]
        flows: dict[tuple[int, int], int] = {}
        for giver, receiver, count in rows:
            flows[(giver, receiver)] = flows.get((giver, receiver), 0) + count
        columns = ei_index_of_columns(
            [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], unknown=0
        )
        assert columns == ei_index(flows, unknown=0)
        assert list(columns) == sorted(columns)


BRIDGED = [
    # Two triangles that only "bridge" connects.
    ("a1", "a2"), ("a2", "a3"), ("a1", "a3"),
    ("b1", "b2"), ("b2", "b3"), ("b1", "b3"),
    ("a3", "bridge"), ("bridge", "b1"),
]  # fmt: skip


def test_a_bridge_member_has_the_highest_betweenness() -> None:
    scores, exact = betweenness(BRIDGED)
    assert exact
    assert max(scores, key=scores.__getitem__) == "bridge"
    # 9 of the 15 pairs of the other six people pass through the bridge.
    assert scores["bridge"] == pytest.approx(9 / 15)
    assert scores["a1"] == 0


def test_a_star_centre_scores_one_and_its_leaves_zero() -> None:
    scores, _ = betweenness([(0, 1), (0, 2), (0, 3), (0, 4)])
    assert scores == {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}


def test_sampled_betweenness_is_repeatable_and_still_finds_the_bridge() -> None:
    first, exact = betweenness(BRIDGED, exact_up_to=3, samples=4, seed=0)
    again, _ = betweenness(BRIDGED, exact_up_to=3, samples=4, seed=0)
    assert not exact
    assert first == again
    assert max(first, key=first.__getitem__) in {"bridge", "a3", "b1"}


def test_betweenness_is_the_same_whatever_number_of_sources_is_searched_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openhours.insight import network

    rng = random.Random(3)
    for _ in range(30):
        nodes = rng.randint(3, 40)
        edges = [(rng.randrange(nodes), rng.randrange(nodes)) for _ in range(rng.randint(2, 80))]
        together, exact = betweenness(edges)
        assert exact
        for cells in (1, 7 * nodes):  # one source at a time, then seven
            monkeypatch.setattr(network, "BLOCK_CELLS", cells)
            assert betweenness(edges)[0] == pytest.approx(together, abs=1e-12)
        monkeypatch.undo()

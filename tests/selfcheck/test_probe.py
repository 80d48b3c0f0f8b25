"""What-if scoring: copies of a unit scored in one run give what the unit alone would score."""

from __future__ import annotations

from pathlib import Path

from rules.language.scheme import Scheme
from selfcheck.probe import Prober
from tests.selfcheck.depot import DEPOT, check, dataset, depot_units, load


def test_copies_are_scored_alone_when_the_scheme_reads_the_unit_id(depot: Scheme, tmp_path: Path) -> None:
    text = DEPOT.replace("      - {id: P2, name: 演练, points: 3, when: not drills_ok, deduct: 3}",
                         "      - {id: P2, name: 演练, points: 3, when: not drills_ok and entity.id != 'w9', deduct: 3}")
    assert text != DEPOT
    by_id = load(text, tmp_path)
    assert not Prober(by_id, dataset(by_id, depot_units()), "w1", {}).batch
    a, b = check(by_id, depot_units(), "w1"), check(depot, depot_units(), "w1")
    assert [(g.item, [(t.input, t.after, t.gain) for t in g.targets]) for g in a.gaps] == \
        [(g.item, [(t.input, t.after, t.gain) for t in g.targets]) for g in b.gaps]

"""The mapping benchmark's scorer on its labelled corpus (bench/mapping_corpus.yaml), against the
seeded store's catalogue: no wrong automatic mapping, at least 90 % mapped where a right answer
exists, in the part written while building the matcher and in the held-out part alike."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH_FILE = Path(__file__).resolve().parents[1] / "bench" / "mapping_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("mapping_bench", BENCH_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_scorer_counts_wrong_and_missed_mappings(bench):
    cases = [
        bench.Case("a", "", "m1", "lbf", "dev"),
        bench.Case("b", "", "m2", "lbf", "dev"),
        bench.Case("c", "", None, "negativ", "dev"),
        bench.Case("d", "", "m3", "lbf", "dev"),
    ]
    answers = {"a": "m1", "b": "m1", "c": "m4", "d": None}
    result = bench.score(cases, lambda part: [answers[c.label] for c in part])
    assert (result.cases, result.positives, result.automatic, result.right) == (4, 3, 3, 1)
    assert [(case.label, mapped) for case, mapped in result.wrong] == [("b", "m1"), ("c", "m4")]
    assert [case.label for case in result.missed] == ["d"]
    assert result.precision == pytest.approx(1 / 3)
    assert result.recall == pytest.approx(1 / 3)


def test_corpus_is_large_and_has_hard_negatives(bench):
    cases = bench.load_corpus()
    assert len(cases) >= 300
    assert {c.split for c in cases} == {"dev", "heldout"}
    assert sum(c.expected is None for c in cases) >= 100
    assert len({(c.label, c.context) for c in cases}) == len(cases)  # no label twice


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_meaning_matcher_makes_no_wrong_mapping_and_maps_nine_in_ten(bench, seeded_url, split):
    cases = [c for c in bench.load_corpus() if c.split == split]
    mappers = bench.mappers(seeded_url)
    result = bench.score(cases, mappers["meaning"])
    assert [(c.label, c.context, mapped) for c, mapped in result.wrong] == []
    assert result.recall >= bench.TARGET_RECALL, [c.label for c in result.missed]
    assert result.recall > bench.score(cases, mappers["exact"]).recall

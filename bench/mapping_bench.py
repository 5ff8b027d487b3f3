"""Benchmark: how many row/column texts map automatically to the right measure, and how many wrongly.

    python -m bench.mapping_bench [--corpus bench/mapping_corpus.yaml] [--misses]

Loads data/seed into a throw-away SQLite store and takes the catalogue exactly as an upload does
(`ingest.measure_catalog`, the synonyms file, every plan's indikator texts). Then every label of
the labelled corpus is mapped twice in the same run, by `lbf.propose_mapping`:

- exact: normalised exact matches only (measure names, keys, synonyms): the matcher before meaning;
- meaning: the same plus `monitoring.lbf.labels.Matcher` (as `ingest.resolve` calls it).

Per split (dev: written while building the matcher; heldout: written after it was done) it prints
the wrong automatic mappings (mapped to another measure than the right one, or mapped where no
automatic mapping is right), precision (right / all automatic mappings) and recall (share mapped
automatically, and rightly, where a right answer exists). Targets (issue 10): 0 wrong, recall
≥ 90 %. Exit 1 when the meaning matcher misses a target.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from monitoring import ingest
from monitoring.lbf import MeasureInfo, load_synonyms, propose_mapping
from monitoring.lbf.labels import Matcher, describe
from monitoring.seed import load_seed
from monitoring.store.db import create_schema, get_engine

ROOT = Path(__file__).resolve().parent.parent

CORPUS = ROOT / "bench" / "mapping_corpus.yaml"
TARGET_RECALL = 0.9


@dataclass(frozen=True)
class Case:
    label: str
    context: str
    expected: str | None
    kind: str
    split: str


@dataclass
class Score:
    cases: int = 0
    positives: int = 0  # cases with a right answer
    automatic: int = 0
    right: int = 0
    wrong: list[tuple[Case, str]] | None = None
    missed: list[Case] | None = None

    @property
    def precision(self) -> float:
        return self.right / self.automatic if self.automatic else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.positives if self.positives else 1.0


Mapper = Callable[[Sequence[Case]], list[str | None]]


def load_corpus(path: Path = CORPUS) -> list[Case]:
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for split, kinds in content.items():
        for kind, by_key in (kinds or {}).items():
            for key, labels in by_key.items():
                expected = None if key in (None, "null") else str(key)
                for entry in labels:
                    label, context = (
                        (entry["label"], entry.get("context", ""))
                        if isinstance(entry, dict)
                        else (entry, "")
                    )
                    cases.append(Case(str(label), str(context), expected, kind, split))
    return cases


def score(cases: Sequence[Case], mapper: Mapper) -> Score:
    """Wrong automatic mappings, precision and recall of `mapper` on `cases`."""
    result = Score(wrong=[], missed=[])
    for case, mapped in zip(cases, mapper(cases), strict=True):
        result.cases += 1
        result.positives += case.expected is not None
        if mapped is not None:
            result.automatic += 1
            if mapped == case.expected:
                result.right += 1
            else:
                result.wrong.append((case, mapped))
        elif case.expected is not None:
            result.missed.append(case)
    return result


def seeded_store(directory: Path) -> str:
    url = f"sqlite:///{directory / 'monitor.db'}"
    engine = get_engine(url)
    create_schema(engine)
    load_seed(engine)
    return url


def catalogue(url: str) -> tuple[dict[str, MeasureInfo], dict[str, str], Matcher]:
    """Measures, synonyms and the meaning matcher, exactly as an upload takes them."""
    engine = get_engine(url)
    measures = ingest.measure_catalog(engine)
    return measures, load_synonyms(), ingest.label_matcher(engine, measures)


def mappers(url: str) -> dict[str, Mapper]:
    """The exact-only matcher and the meaning matcher, on the store's catalogue."""
    measures, synonyms, matcher = catalogue(url)

    def mapper(with_meaning: bool) -> Mapper:
        def run(cases: Sequence[Case]) -> list[str | None]:
            labels = [(c.label, c.context, 1, ["corpus"]) for c in cases]
            found = propose_mapping(
                labels, measures, synonyms, matcher=matcher if with_meaning else None
            )
            return [p.measure_key for p in found]

        return run

    return {"exact": mapper(False), "meaning": mapper(True)}


def _line(name: str, s: Score) -> str:
    return (
        f"  {name:<22} {s.cases:>4} labels  {s.positives:>4} with a right answer  "
        f"automatic {s.automatic:>4}  wrong {len(s.wrong or []):>2}  "
        f"precision {s.precision:6.1%}  recall {s.recall:6.1%}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true", help="list the labels not mapped")
    args = parser.parse_args(argv)
    cases = load_corpus(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        url = seeded_store(Path(tmp))
        by_name = mappers(url)
        matcher = catalogue(url)[2]
        ok = True
        for split in sorted({c.split for c in cases}):
            part = [c for c in cases if c.split == split]
            print(f"== {split}: {len(part)} labels")
            for name, mapper in by_name.items():
                result = score(part, mapper)
                print(_line(name, result))
                if name != "meaning":
                    continue
                for kind in sorted({c.kind for c in part}):
                    print(_line(f"  {kind}", score([c for c in part if c.kind == kind], mapper)))
                for case, mapped in result.wrong or []:
                    print(f"    WRONG {case.label!r} ({case.context!r}) -> {mapped}")
                if args.misses:
                    for case in result.missed or []:
                        print(f"    missed {case.label!r} ({case.context!r}) -> {case.expected}")
                        print(f"           {describe(matcher.parse(case.label))}")
                ok = ok and not result.wrong and result.recall >= TARGET_RECALL
        everything = score(cases, by_name["meaning"])
        print(_line("all (meaning)", everything))
        print(_line("all (exact)", score(cases, by_name["exact"])))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

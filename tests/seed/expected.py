"""What each signed delaftale says about its plan, transcribed by hand (see the YAML comments).

One entry per seed file; `tests/seed/test_seed_plans.py` checks every entry against both the YAML
and the loaded store. Plan-specific details (indicators, comparators) stay in test_seed_<slug>.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanFacts:
    slug: str
    name: str
    kommune: str
    kommune_code: int
    period: tuple[str, str]
    main_area: str
    indicators_per_subgoal: tuple[int, ...]
    areas: frozenset[tuple[str, str]]  # (name, kind) that must be among the plan's areas
    yaml_name: bool = True  # the YAML carries the plan's name as well
    afdelinger: bool = True  # False: the document names no afdelinger, so none may appear


PLANS = (
    PlanFacts(
        slug="aalborg-loevvangen",
        name="Boligsocial Helhedsplan i Løvvangen",
        kommune="Aalborg",
        kommune_code=851,
        period=("2021-04-01", "2025-03-31"),
        main_area="Løvvangen",
        indicators_per_subgoal=(1, 1, 1, 1),
        areas=frozenset(
            {
                ("Løvvangen", "boligomraade"),
                ("Sundby-Hvorup Boligselskab afd. 12", "afdeling"),
            }
        ),
        yaml_name=False,
    ),
    PlanFacts(
        slug="guldborgsund-mit-liv",
        name="Mit liv – mit sted – min fremtid",
        kommune="Guldborgsund",
        kommune_code=376,
        period=("2022-08-01", "2026-08-01"),
        main_area="Østerbro",
        indicators_per_subgoal=(2, 1, 2),
        areas=frozenset({("Østerbro", "boligomraade")}),
    ),
    PlanFacts(
        slug="holstebro-trekanten",
        name="Helhedsplanen Trekanten",
        kommune="Holstebro",
        kommune_code=661,
        period=("2021-01-01", "2024-12-31"),
        main_area="Trekanten",
        indicators_per_subgoal=(1, 1, 1, 1),
        areas=frozenset({("Trekanten", "boligomraade")}),
    ),
    PlanFacts(
        slug="horsens-bo-trivsel",
        name="Bo Trivsel",
        kommune="Horsens",
        kommune_code=615,
        period=("2024-01-01", "2027-12-31"),
        main_area="Bo Trivsel",
        indicators_per_subgoal=(1, 2, 1),
        areas=frozenset(
            {
                ("Bo Trivsel", "boligomraade"),
                ("Sundparken", "boligomraade"),
                ("Sønderbro", "boligomraade"),
            }
        ),
        afdelinger=False,
    ),
    PlanFacts(
        slug="svendborg-aktive-boligomraader",
        name="Aktive Boligområder i Svendborg",
        kommune="Svendborg",
        kommune_code=479,
        period=("2022-01-01", "2025-12-31"),
        main_area="Aktive Boligområder i Svendborg",
        indicators_per_subgoal=(1, 1, 1, 1, 1, 1),
        areas=frozenset(
            {
                ("Aktive Boligområder i Svendborg", "boligomraade"),
                ("Skovparken", "boligomraade"),
                ("Sanddalsparken", "boligomraade"),
                ("Jægermarken", "boligomraade"),
                ("Toftemarken/Klitemarken/Frilandsvej", "boligomraade"),
            }
        ),
        yaml_name=False,
        afdelinger=False,
    ),
)

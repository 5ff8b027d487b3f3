"""Sammenlign områder: rankings, small multiples, heat table, negative development, plans side by side.

For the koordinationsudvalg, which follows a measure in all the afdelinger and boligområder it
covers. Every selection lives in the URL, every table can be downloaded with real numbers.
"""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.shared import (
    alert_inputs,
    all_progress,
    chart,
    comparable_measures,
    compare_filter_options,
    comparison,
    demo_banner,
    engine,
    on_demand,
    reading_table,
    url_selectbox,
    view_choice,
)
from app_pages.signin import actor
from monitoring.access.roles import may
from monitoring.access.scope import comparison_scope, require_comparison_in_scope
from monitoring.compare import (
    SUBJECT_KINDS,
    AreaFilter,
    Thresholds,
    alert_year,
    alerts_export,
    change_word,
    heat_bands,
    heat_export,
    heat_table,
    index_to_first_year,
    negative_development,
    plans_side_by_side,
    rank_areas,
    ranking_export,
    reference_values,
    series_export,
    shown_areas,
    top_bottom,
    well_covered_year,
    year_shown,
)
from monitoring.errors import MonitorError
from monitoring.fmt import format_number, format_value
from monitoring.names import match_key
from monitoring.present.charts import (
    MAX_SMALL_MULTIPLES,
    plan_status_figure,
    ranking_figure,
    small_multiples_figure,
)
from monitoring.present.compare_tables import (
    alerts_display,
    heat_table_styler,
    plans_detail_groups,
    ranking_display,
)
from monitoring.present.export import to_csv_bytes, to_excel_bytes
from monitoring.present.plaintext import markdown_text
from monitoring.store.models import AREA_KINDS
from monitoring.vocabulary import AreaKind, Direction, Unit, label_of

ALL = "Alle"
RANKING, SMALL_MULTIPLES, HEAT = "Rangering", "Små grafer", "Varmetabel"
ALERTS, PLANS = "Negativ udvikling", "Planer side om side"
VIEWS = [RANKING, SMALL_MULTIPLES, HEAT, ALERTS, PLANS]
MAX_ALERT_ROWS = 500
MAX_TABLE_ROWS = 300  # a longer ranking is shown as a data grid
POINT_STEPS = [step / 2 for step in range(21)]  # 0 to 10 procentpoint in halves
MORE_FILTERS = ("years", "kinds", "q", "n")  # the URL keys of the filters under *Flere filtre*
DEFAULT_TOP_N = 10
THRESHOLD_KEYS = ("pp1", "pp3", "rel1", "rel3")  # the alert thresholds' URL keys
PCTS = [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 75.0, 100.0]  # percent of the value

st.title("Sammenlign områder")
measures = comparable_measures()
if measures.empty:
    st.info(
        "Der er ingen tal at sammenligne endnu. Kør `python -m monitoring init`, og indlæs "
        "LBF-tal (eller demodata med `python -m monitoring demo`)."
    )
    st.stop()
demo_banner(may(actor().role, "import-lbf"))
by_key = measures.set_index("key")
options = compare_filter_options()
plan_names = {p["slug"]: p["name"] for p in options["plans"]}
me = actor()
scope = comparison_scope(engine(), me, [k["name"] for k in options["kommuner"]])
if scope.kommuner is None:  # everything, "Alle" included
    kommune_choices, plan_choices = (
        [ALL, *[k["name"] for k in options["kommuner"]]],
        [ALL, *plan_names],
    )
elif scope.kommuner:  # a koordinationsudvalg: one of its kommuner, any plan within it
    kommune_choices, plan_choices = scope.kommuner, [ALL, *plan_names]
else:  # a læser or projektleder: one of its plans
    kommune_choices, plan_choices = [ALL], list(plan_names)
if not plan_choices:
    st.info("Din bruger har ikke adgang til nogen helhedsplaner; spørg en administrator.")
    st.stop()


def downloads(frames: dict[str, Any], name: str, key: str) -> None:
    """A CSV per table and one Excel file with every table as a sheet (numbers stay numbers).

    A table may be given as a function that builds it: files are made only when clicked.
    """

    def table(frame: Any) -> pd.DataFrame:
        return frame() if callable(frame) else frame

    columns = st.columns(len(frames) + 1)
    for column, (title, frame) in zip(columns, frames.items(), strict=False):
        label = "Hent som CSV" if len(frames) == 1 else f"CSV: {title}"
        column.download_button(
            label,
            lambda frame=frame: to_csv_bytes(table(frame)),
            f"{name}-{slug(title)}.csv",
            "text/csv",
            key=f"csv-{key}-{title}",
        )
    columns[-1].download_button(
        "Hent som Excel",
        lambda: to_excel_bytes({title: table(frame) for title, frame in frames.items()}),
        f"{name}.xlsx",
        key=f"xlsx-{key}",
    )


def table_height(frame: object, rows: int = 12) -> int | str:
    """Tall enough for `rows` rows, then scroll; small tables take only the room they need."""
    return "auto" if len(frame) <= rows else 36 * (rows + 1) + 2


def points(value: float) -> str:
    return f"{format_value(value, 'count', 1)} procentpoint"


def percent(value: float) -> str:
    return f"{format_number(value)} %"


def threshold(
    label: str, key: str, default: float, steps: list[float], text: Callable[[float], str]
) -> float:
    """A threshold picked from values written the Danish way ("2,5 procentpoint"): a number box
    would show "2.5". The URL keeps a plain number (pp1=2.5) unless it is the default; a value
    from a link that is not one of the steps is offered too, so a link shows what its sender saw.
    """
    asked = st.query_params.get(key, "")
    try:
        linked = float(asked.replace(",", "."))
    except ValueError:
        linked = None
    options = sorted({*steps, default})
    if linked is not None and 0 <= linked <= 1000:
        options = sorted({*options, linked})
        st.query_params[key] = str(linked)
    chosen = url_selectbox(label, options, key, format_func=text, default=default)
    if chosen == default:  # as the bound filters do: a default leaves the link short
        del st.query_params[key]
    return chosen


def chosen_thresholds() -> Thresholds:
    """The four alert thresholds as the reader (or a link) set them, beside each other."""
    defaults = Thresholds()
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        pp1 = threshold("Tærskel 1 år", "pp1", defaults.pct_points_1y, POINT_STEPS, points)
    with c2:
        pp3 = threshold("Tærskel 3 år", "pp3", defaults.pct_points_3y, POINT_STEPS, points)
    with c3:
        rel1 = threshold(
            "Tærskel 1 år, antal og kr.", "rel1", defaults.relative_pct_1y, PCTS, percent
        )
    with c4:
        rel3 = threshold(
            "Tærskel 3 år, antal og kr.", "rel3", defaults.relative_pct_3y, PCTS, percent
        )
    return Thresholds(pp1, pp3, rel1, rel3)


def slug(text: str) -> str:
    return match_key(text).replace(" ", "-")


# The filters a reader needs above the page, not in the sidebar, which a phone folds away; the
# rarer ones in an expander that opens by itself when a link sets one. Plans side by side uses
# none of them, so there they wait in the sidebar. Every choice stays in the URL.
chosen_view = st.session_state.get("view") or st.query_params.get("view") or RANKING
in_body = chosen_view != PLANS
with st.container() if in_body else st.sidebar:
    measure_place, kommune_place, plan_place = (
        st.columns([2, 1, 1]) if in_body else (st.container(), st.container(), st.container())
    )
    more = on_demand(
        "Flere filtre: år, områdetyper, søgning, antal",
        "more_filters",
        linked=any(key in st.query_params for key in MORE_FILTERS),
    )
# Negativ udvikling for every measure: the one chosen does not apply, so it is not offered.
all_chosen = chosen_view == ALERTS and st.session_state.get(
    "alle", st.query_params.get("alle") == "true"
)
measure_key = measure_place.selectbox(
    "Mål",
    list(by_key.index),
    index=int(measures["areas_last_year"].fillna(0).to_numpy().argmax()),
    format_func=lambda k: by_key.at[k, "label"],
    key="measure",
    bind="query-params",
    disabled=bool(all_chosen),
    help="Negativ udvikling viser alle mål; slå *Alle mål* fra for at vælge ét."
    if all_chosen
    else None,
)
measure = by_key.loc[measure_key]
first_year, last_year = int(measure["first_year"]), int(measure["last_year"])
kommune = kommune_place.selectbox("Kommune", kommune_choices, key="kommune", bind="query-params")
plan = plan_place.selectbox(
    "Helhedsplan",
    plan_choices,
    format_func=lambda s: plan_names.get(s, s),
    key="plan",
    bind="query-params",
)


def more_filters() -> tuple[tuple[int, int], list[str], str, int]:
    """Years, area kinds, search text and the top-and-bottom count, as the reader set them."""
    years = (first_year, last_year)
    if first_year < last_year:
        years = st.slider(
            "År",
            min_value=first_year,
            max_value=last_year,
            value=(first_year, last_year),
            key="years",
            bind="query-params",
            help="Rangering og negativ udvikling gælder det sidste år i perioden.",
        )
    kinds = st.multiselect(
        "Områdetyper",
        list(AREA_KINDS),
        default=list(SUBJECT_KINDS),
        format_func=lambda k: label_of(AreaKind, k),
        key="kinds",
        bind="query-params",
    )
    search = st.text_input(
        "Søg område", key="q", bind="query-params", placeholder="fx Sundparken eller afd. 12"
    )
    top_n = st.number_input(
        "Vis de bedste og dårligste (antal)",
        min_value=3,
        max_value=50,
        value=DEFAULT_TOP_N,
        key="n",
        bind="query-params",
        help="Ved mange områder vises kun de bedste og de dårligste; søg for at finde andre.",
    )
    return years, kinds, search, int(top_n)


if more is not None:
    with more:
        years, kinds, search, top_n = more_filters()
else:  # closed and not set: the defaults the widgets would have
    years, kinds, search, top_n = (first_year, last_year), list(SUBJECT_KINDS), "", DEFAULT_TOP_N

unit, direction = str(measure["unit"]), int(measure["direction"])
end_year = int(years[1])
filters = AreaFilter(
    kommune=None if kommune == ALL else kommune,
    plan=None if plan == ALL else plan,
    kinds=tuple(kinds) or SUBJECT_KINDS,
    search=search or None,
)
try:
    require_comparison_in_scope(me, scope, filters.kommune, filters.plan)
except MonitorError as refusal:
    st.error(markdown_text(refusal))
    st.stop()


view = view_choice(VIEWS, "view")
every_measure = view == ALERTS and st.query_params.get("alle") == "true"

if every_measure:
    st.markdown("### Alle mål")
elif view != PLANS:
    st.markdown(f"### {markdown_text(measure['name'])}")
    population = f" · {markdown_text(measure['population'])}" if measure["population"] else ""
    order = "bedst øverst" if direction else "højest øverst"
    st.caption(
        f"{label_of(Unit, unit)}{population} · {label_of(Direction, direction, '')} "
        f"({order}) · {'–'.join(str(y) for y in sorted({years[0], years[1]}))}"
    )

focus = st.query_params.get("area")
if focus and focus.isdigit():
    with st.container(border=True):
        # The area from the link, still within the chosen kommune and plan (the user's scope).
        narrowed = AreaFilter(kommune=filters.kommune, plan=filters.plan, area_id=int(focus))
        single = comparison(measure_key, narrowed, years)
        if single.observations.empty:
            st.info("Området har ingen tal for dette mål i perioden.")
        else:
            label = single.observations["label"].iloc[0]
            st.subheader(f"Serie for {markdown_text(label)}")
            st.caption(markdown_text(measure["label"]))
            chart(small_multiples_figure(single.observations, single.references, unit, columns=1))
            series = series_export(single.observations, unit)
            downloads({"Serie": series}, f"serie-{measure_key}-{focus}", "focus")
        if st.button("Luk serien", icon=":material/close:"):
            del st.query_params["area"]
            st.rerun()

try:
    data = comparison(measure_key, filters, years) if view != PLANS else None
except MonitorError as exc:
    st.error(markdown_text(exc))
    st.stop()

if data is not None and data.observations.empty and view != ALERTS:
    st.info(
        "Ingen områder har tal for dette mål med de valgte filtre. Vælg flere områdetyper, "
        "en anden kommune eller ryd søgefeltet."
    )
    st.stop()

year = end_year
if data is not None and view != ALERTS:
    year = year_shown(data.observations, end_year)
    covered = well_covered_year(data.observations)
    if "years" not in st.query_params and covered is not None and covered < year:
        # Not chosen by the reader: rank the latest year most areas have figures for.
        st.caption(
            f"Kun få områder har tal for {year}; rangering og farver gælder {covered}, det seneste "
            "år hvor de fleste har. Vælg et andet slutår under *År*."
        )
        year = covered
    elif year != end_year:
        st.caption(
            f"Områderne har ingen tal for {end_year}; rangering og farver gælder {year}, "
            "det seneste år med tal."
        )

if view == RANKING:
    ranking = rank_areas(data.observations, year, direction)
    selection, omitted = top_bottom(ranking, int(top_n))
    ranked = int(ranking["rank"].notna().sum())
    if not ranked:
        st.info(f"Ingen af områderne har et tal for {year}. Vælg et tidligere slutår.")
    else:
        refs = reference_values(data.references, year)
        chart(ranking_figure(selection, refs, unit, direction, year, omitted))
        if omitted:
            st.caption(
                f"Viser de {top_n} bedste og de {top_n} dårligste af {ranked} områder; "
                f"{omitted} er udeladt i grafen, men står i tabellen. Søg for at finde et område."
            )
    missing = len(ranking) - ranked
    if missing:
        st.caption(f"{missing} områder har ikke et tal for {year} (diskretioneret eller mangler).")
    if len(ranking) <= MAX_TABLE_ROWS:  # text that wraps, drawn at once
        reading_table(ranking_display(ranking, unit), scroll=True)
    else:  # thousands of afdelinger: a data grid draws only the rows in view
        st.dataframe(
            ranking_display(ranking, unit),
            hide_index=True,
            width="stretch",
            height=table_height(ranking),
        )
    downloads(
        {"Rangering": lambda: ranking_export(ranking, unit, year)},
        f"rangering-{measure_key}",
        "rank",
    )

elif view == SMALL_MULTIPLES:
    indexed = st.toggle(
        "Indeksér: hvert områdes første år med tal = 100", key="index", bind="query-params"
    )
    ranking = rank_areas(data.observations, year, direction)
    order_ids, cut = shown_areas(
        ranking, min(int(top_n), MAX_SMALL_MULTIPLES // 2), MAX_SMALL_MULTIPLES
    )
    if cut:
        st.caption(
            f"{len(ranking)} områder er for mange til små grafer: viser de bedste og de "
            f"dårligste i {year}. Søg eller filtrér for at se andre."
        )
    shown = data.observations[data.observations["area_id"].isin(order_ids)]
    shown = shown.set_index("area_id").loc[order_ids].reset_index()
    refs = data.references
    if indexed:
        shown = index_to_first_year(shown)
        refs = index_to_first_year(refs) if len(refs) else refs
    chart(small_multiples_figure(shown, refs, unit, indexed=indexed))
    st.caption(
        "Alle grafer har samme skala. Huller i en linje er år uden tal (diskretioneret eller "
        "mangler)."
        + (
            " Indeksbasis er områdets første år med et tal, ikke et diskretioneret år."
            if indexed
            else ""
        )
    )
    downloads(
        {"Serier": lambda: series_export(data.observations, unit, indexed=indexed)},
        f"serier-{measure_key}",
        "series",
    )

elif view == HEAT:
    ranking = rank_areas(data.observations, year, direction)
    order_ids, cut = shown_areas(ranking, int(top_n), 2 * int(top_n) + 20)
    if cut:
        st.caption(
            f"Viser de {top_n} bedste og de {top_n} dårligste af {len(ranking)} områder "
            "(efter det sidste år). Hent hele tabellen nedenfor, eller søg efter et område."
        )
    shown = data.observations[data.observations["area_id"].isin(order_ids)]
    table = heat_table(shown, unit, direction, range(years[0], years[1] + 1), order=order_ids)
    st.dataframe(heat_table_styler(table.values, table.levels, unit), width="stretch")
    light, strong = heat_bands(unit)
    st.caption(
        f"Farven viser ændringen fra året før: blå er en forbedring, orange en forværring "
        f"(lys fra {format_number(light)} {change_word(unit)}, mørk fra "
        f"{format_number(strong)} {change_word(unit)}). Tallet står altid i cellen."
        + (" Målet har ingen fastlagt retning, så cellerne farves ikke." if not direction else "")
    )
    downloads(
        {
            "Varmetabel": lambda: heat_export(
                heat_table(data.observations, unit, direction, range(years[0], years[1] + 1)),
                data.observations,
            )
        },
        f"varmetabel-{measure_key}",
        "heat",
    )

elif view == ALERTS:
    st.markdown(
        "Områder, hvor tallet er gået den forkerte vej med mere end tærsklen fra året før "
        "eller over tre år, målt i periodens sidste år (ved standardvalget: hvert måls seneste "
        "år med tal). Størst udslag først."
    )
    all_measures = st.toggle("Alle mål", key="alle", bind="query-params")
    threshold_box = on_demand(
        "Tærskler",
        "thresholds_open",
        linked=any(key in st.query_params for key in THRESHOLD_KEYS),
    )
    if threshold_box is not None:
        with threshold_box:
            thresholds = chosen_thresholds()
    else:
        thresholds = Thresholds()
    st.caption(
        f"Tærskler: {points(thresholds.pct_points_1y)} på 1 år og "
        f"{points(thresholds.pct_points_3y)} på 3 år for andele; "
        f"{percent(thresholds.relative_pct_1y)} og {percent(thresholds.relative_pct_3y)} "
        "for antal og kroner."
    )
    if not direction and not all_measures:
        st.info("Målet har ingen fastlagt retning, så der kan ikke siges noget om forkert vej.")
    else:
        judged = alert_year(end_year, last_year)
        inputs = alert_inputs(filters, None if all_measures else measure_key, judged)
        found = negative_development(inputs, thresholds)
        if found.empty:
            st.success("Ingen områder er gået den forkerte vej med mere end tærsklerne.")
        else:
            st.markdown(f"**{len(found)} med negativ udvikling** (⚠ = over tærsklen)")
            if len(found) > MAX_ALERT_ROWS:
                st.caption(
                    f"Viser de {MAX_ALERT_ROWS} største udslag; hent hele listen nedenfor, eller "
                    "filtrér på kommune, helhedsplan eller mål."
                )
            shown = alerts_display(
                found.head(MAX_ALERT_ROWS), dict(by_key["label"]), keep=st.query_params.to_dict()
            )
            if not all_measures:
                shown = shown.drop(columns="Mål")
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                height=table_height(shown),
                column_config={
                    "Serie": st.column_config.LinkColumn("Serie", display_text="Vis serie"),
                    "Mål": st.column_config.TextColumn("Mål", width="large"),
                },
            )
        downloads(
            {"Negativ udvikling": lambda: alerts_export(found)},
            f"negativ-udvikling-{end_year}",
            "alerts",
        )

else:
    st.markdown(
        "Status for hver helhedsplans indikatorer i det valgte statusår, side om side, til "
        "bestyrelserne og LBF-overblik."
    )
    status_years = list(range(last_year, first_year - 1, -1))
    year_column, _ = st.columns([1, 3])
    chosen_year = year_column.selectbox(
        "Statusår", ["Seneste", *status_years], key="statusaar", bind="query-params"
    )
    progress = all_progress(None if chosen_year == "Seneste" else int(chosen_year))
    frames = plans_side_by_side(progress)
    if frames["summary"].empty:
        st.info("Der er ingen helhedsplaner i databasen endnu.")
        st.stop()
    chart(plan_status_figure(frames["summary"]))
    # Tables, not data grids: names wrap and every column (Status too) stays on the screen.
    reading_table(frames["summary"])
    if len(frames["matrix"].columns) > 1:
        st.markdown("**Fælles mål på tværs af planerne**")
        reading_table(frames["matrix"], tinted=frames["matrix"].columns)
    st.markdown("**Alle indikatorer**")
    for name, plan_year, rows in plans_detail_groups(frames["detail"]):
        st.markdown(f"**{markdown_text(name)}** · statusår {plan_year or '–'}")
        reading_table(rows, tinted=["Status"])
    downloads(
        {
            "Planer": frames["summary"],
            "Fælles mål": frames["matrix"],
            "Indikatorer": frames["detail"],
        },
        "planer-side-om-side",
        "plans",
    )

"""Helhedsplan: one plan's yearly progress, delmål by delmål, for the bestyrelse's meeting."""

import streamlit as st

from app_pages.shared import (
    card_texts,
    chart,
    comments,
    demo_banner,
    engine,
    on_demand,
    plan_charts,
    progress,
    reading_table,
    saved,
    snapshot,
    status_badge,
    url_selectbox,
    yearly_tables,
)
from app_pages.signin import actor
from monitoring.access.roles import may
from monitoring.fmt import format_date, format_percent
from monitoring.present.export import to_csv_bytes, to_excel_bytes
from monitoring.present.plaintext import markdown_text
from monitoring.present.views import (
    empty_state_text,
    plan_facts,
    unknown_plan_text,
    yearly_download,
)
from monitoring.report.comments import MAX_COMMENT_LENGTH, Comment, save_comment
from monitoring.report.content import load_content
from monitoring.report.output import MEDIA_TYPES, report_bytes, report_file_name

plans = {p["slug"]: p for p in snapshot()["plans"]}
if not plans:
    st.title("Helhedsplan")
    st.info("Der er ingen helhedsplaner i databasen endnu. Kør `python -m monitoring init`.")
    st.stop()

# Plan and year above the page, not in the sidebar: on a phone the sidebar is folded away.
plan_column, year_column = st.columns([3, 1])
with plan_column:
    slug = url_selectbox(
        "Helhedsplan",
        list(plans),
        key="plan",
        format_func=lambda s: plans[s]["name"],
        unknown=unknown_plan_text,
    )
latest = progress(slug)
with year_column:
    year = url_selectbox(
        "Statusår",
        sorted(latest["years"], reverse=True),
        key="year",
        default=latest["year"],
    )
me = actor()  # comments are signed by the logged-in user, never by typed text

plan = plans[slug]
result = progress(slug, year) if year else latest
st.title(markdown_text(plan["name"]))
demo_banner(may(actor().role, "import-lbf"))
facts = plan_facts(plan)
st.markdown(
    f"**{markdown_text(facts['Kommune'])}** · {facts['Periode']} · "
    f"Statusår **{result['year'] or '–'}**"
)
st.progress(
    min(1.0, max(0.0, result["elapsed_share"])),
    text=f"{format_percent(result['elapsed_share'])} af aftaleperioden er gået ved udgangen af "
    f"{result['year'] or '–'}",
)
verdicts = [i for judged in result["subgoals"] for i in judged["indicators"]]
if verdicts and all(v["status_code"] == "missing" for v in verdicts):
    # A new plan, or a store without this year's figures: say so once, not only card by card.
    where = (
        "Indlæs årets LBF-tal under *Upload data*, eller skriv dem under *Indtast tal* der."
        if may(me.role, "import-lbf")
        else "Projektlederen indlæser dem under *Upload data*."
    )
    st.info(
        "Ingen af planens indikatorer har tal efter baseline endnu, så der er intet at vurdere. "
        + where,
        icon=":material/hourglass_empty:",
    )
st.markdown("**Årsstatus til bestyrelsesmødet**")
for column, (kind, label) in zip(
    st.columns(2), (("pdf", "Årsstatus som PDF"), ("xlsx", "Årsstatus som Excel")), strict=True
):
    column.download_button(
        label,
        lambda kind=kind: report_bytes(
            load_content(engine(), slug, result["year"], actor=me.name), kind
        ),
        report_file_name(slug, result["year"], kind),
        MEDIA_TYPES[kind],
        icon=":material/download:",
        key=f"report-{kind}",
    )
with st.expander("Parter, aktiviteter og medarbejderressourcer"):
    for agreement in plan["agreements"]:
        st.markdown(f"**Indsatsområde:** {markdown_text(agreement['area_of_effort'])}")
        st.markdown(
            "**Parter**\n" + "\n".join(f"- {markdown_text(p)}" for p in agreement["parties"])
        )
        st.markdown(
            "**Aktiviteter**\n"
            + "\n".join(f"- {markdown_text(a)}" for a in agreement["activities"])
        )
        if agreement.get("staff_resources"):
            st.markdown(f"**Medarbejderressourcer:** {markdown_text(agreement['staff_resources'])}")
        st.markdown(f"**Områder:** {markdown_text(facts['Områder'])}")


def comment_editor(number: int, subgoal: dict, comment: Comment | None) -> None:
    """The projektleder's comment on a delmål for the status year, in an expander built only
    when opened (a rerun): the reading page stays calm and loads faster."""
    editor = on_demand(
        f"Projektlederens kommentar til delmål {number}: skriv eller ret",
        f"comment-open-{slug}-{result['year']}-{number}",
        icon=":material/edit_note:",
    )
    if editor is None:
        return
    with editor, st.form(f"comment-{number}", border=False):
        text = st.text_area(
            "Hvorfor har det bevæget sig?",
            value=comment.text if comment else "",
            max_chars=MAX_COMMENT_LENGTH,
            key=f"comment-{slug}-{result['year']}-{number}",
            help=f"Projektlederens kommentar til delmål {number} for {result['year']}; "
            "den kommer med i årsstatus (PDF og Excel). Tom tekst sletter kommentaren.",
        )
        if st.form_submit_button("Gem kommentar"):
            stored = saved(
                lambda text=text, number=number, subgoal=subgoal: save_comment(
                    engine(),
                    slug,
                    number,
                    subgoal["text"],
                    result["year"],
                    text,
                    user=me.name,
                )
            )
            if stored is not None or not text.strip():
                st.rerun()


subgoals = [s for a in plan["agreements"] for s in a["subgoals"]]
written = comments(slug, result["year"]) if result["year"] else {}
figures = plan_charts(slug, result["year"])
cards = card_texts(slug, result["year"])
tables = yearly_tables(slug, result["year"])
for number, (subgoal, judged) in enumerate(zip(subgoals, result["subgoals"], strict=True), 1):
    st.header(f"Delmål {number}: {markdown_text(subgoal['text'])}", divider="gray")
    st.markdown(f"**{judged['summary']}**")
    for indicator, verdict, figure, card_text in zip(
        subgoal["indicators"],
        judged["indicators"],
        figures[number - 1],
        cards[number - 1],
        strict=True,
    ):
        with st.container(border=True):
            st.subheader(markdown_text(indicator["name"]))
            status_badge(verdict["status"])
            facts_column, chart_column = st.columns([2, 3], gap="large")
            facts_column.markdown(card_text)
            with chart_column:
                if figure is None:
                    st.info(markdown_text(empty_state_text(indicator)))
                else:
                    chart(figure)
    values, reading = tables[number - 1]
    if len(values):
        st.markdown("**Årlige værdier**")
        reading_table(reading)
        left, right = st.columns(2)
        left.download_button(
            "Hent som CSV",
            lambda values=values: to_csv_bytes(yearly_download(values)),
            f"{slug}-delmaal-{number}.csv",
            "text/csv",
            key=f"csv-{number}",
        )
        right.download_button(
            "Hent som Excel",
            lambda values=values, number=number: to_excel_bytes(
                {f"Delmål {number}": yearly_download(values)}
            ),
            f"{slug}-delmaal-{number}.xlsx",
            key=f"xlsx-{number}",
        )
    comment = written.get(number)
    if comment:
        st.markdown(
            f"**Projektlederens kommentar ({result['year']}):** {markdown_text(comment.text)}"
        )
        st.caption(
            f"Skrevet af {markdown_text(comment.author)}, {format_date(comment.written_at.date())}"
        )
    if result["year"] and may(me.role, "comment"):
        comment_editor(number, subgoal, comment)

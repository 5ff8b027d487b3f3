"""Delaftaler: read the delaftaler as signed, edit them, import a new or revised delaftale, and see
who changed what (and restore an earlier version of an indikator).

Every write goes through monitoring.delaftale (one audited transaction each); nothing is written
before a "Gem" button is pressed.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from app_pages.shared import engine, reading_table, saved, snapshot, view_choice
from app_pages.signin import actor
from app_pages.uploader import file_uploader
from monitoring.delaftale.editing import (
    DIRECTION_LABELS,
    UNIT_LABELS,
    content_from_plan,
    indicators,
    new_plan,
    put_indicator,
)
from monitoring.delaftale.extract import read_delaftale, slugify
from monitoring.delaftale.forms import (
    apply_review,
    event_changes,
    history_rows,
    indicator_fields,
    indicator_from_fields,
    review_rows,
)
from monitoring.delaftale.history import (
    batch_figures,
    indicator_versions,
    plan_history,
    restore_indicator,
)
from monitoring.delaftale.store import matching_slug, save
from monitoring.errors import MonitorError
from monitoring.present.plaintext import markdown_text
from monitoring.present.views import indicator_count, indicator_table, plan_facts

NEW_PLAN = "➕ Ny helhedsplan"
NEW_INDICATOR = "➕ Ny indikator"
NEW_SUBGOAL = "➕ Nyt delmål"

st.title("Delaftaler")
st.caption(
    "Delmål og indikatorer som de står i de underskrevne delaftaler: baseline, anden baseline, "
    "mål og datakilde. Ret dem, importér en ny eller revideret delaftale, og se hvem der ændrede hvad."
)
for message in st.session_state.pop("delaftale_messages", []):
    st.success(markdown_text(message))

user = actor().name  # the history records who is logged in, never typed text
st.caption(f"Du gemmer som **{markdown_text(user)}**; det står i historikken.")
plans = snapshot()["plans"]
by_name = {p["name"]: p for p in plans}


def _done(message: str) -> None:
    st.session_state["delaftale_messages"] = [message]
    st.rerun()


READ, EDIT, IMPORT, HISTORY = PARTS = ["Delaftaler", "Redigér", "Importér delaftale", "Historik"]
part = view_choice(PARTS, "part")

if part == READ:
    if not plans:
        st.info(
            "Der er ingen helhedsplaner i databasen endnu. Kør `python -m monitoring init` "
            "for at indlæse delaftalerne, eller importér en delaftale."
        )
    for plan in plans:
        subgoal_count, indicator_total = indicator_count(plan)
        with st.expander(
            f"**{markdown_text(plan['name'])}** · {markdown_text(plan['kommune'])} · "
            f"{subgoal_count} delmål, "
            f"{indicator_total} indikatorer",
            expanded=len(plans) == 1,
        ):
            for label, value in plan_facts(plan).items():
                st.markdown(f"**{label}:** {markdown_text(value)}")
            for agreement in plan["agreements"]:
                st.markdown(f"#### Indsatsområde: {markdown_text(agreement['area_of_effort'])}")
                for number, subgoal in enumerate(agreement["subgoals"], start=1):
                    st.markdown(f"**Delmål {number}: {markdown_text(subgoal['text'])}**")
                    reading_table(indicator_table(subgoal))

if part == EDIT:
    choice = st.selectbox("Helhedsplan", [NEW_PLAN, *by_name], key="edit_plan")
    content = None if choice == NEW_PLAN else content_from_plan(by_name[choice])
    agreement = content["agreement"] if content else {}
    with st.form("plan_form"):
        st.markdown("**Helhedsplan og delaftale**")
        name = st.text_input("Navn", value=content["name"] if content else "")
        kommune = st.text_input(
            "Kommune", value=content["kommune"]["name"] if content else "", disabled=bool(content)
        )
        area_of_effort = st.text_input(
            "Indsatsområde", value=agreement.get("area_of_effort", "Beskæftigelse")
        )
        period = agreement.get("period") or {}
        start = st.date_input(
            "Periode fra", value=dt.date.fromisoformat(period["start"]) if period else None
        )
        end = st.date_input(
            "Periode til", value=dt.date.fromisoformat(period["end"]) if period else None
        )
        parties = st.text_area("Parter (én pr. linje)", "\n".join(agreement.get("parties", [])))
        activities = st.text_area(
            "Aktiviteter (én pr. linje)", "\n".join(agreement.get("activities", []))
        )
        staff = st.text_area("Medarbejderressourcer", agreement.get("staff_resources") or "")
        subgoal_lines = st.text_area(
            "Delmål (ét pr. linje, i rækkefølge; flyt en linje for at ændre rækkefølgen)",
            "\n".join(s["text"] for s in agreement.get("subgoals", [])),
        )
        first_indicator = st.text_input("Første indikator (ny plan)") if content is None else ""
        plan_saved = st.form_submit_button("Gem helhedsplan og delaftale")
    if plan_saved:
        lines = [line.strip() for line in subgoal_lines.splitlines() if line.strip()]
        draft = content
        if content is None:
            first = {**indicator_fields(None), "name": first_indicator}
            draft = saved(lambda: new_plan(name, kommune, (lines or [""])[0],
                                           indicator_from_fields(first, None)))  # fmt: skip
            lines = lines[:1]
    if plan_saved and draft is not None:
        old_subgoals = draft["agreement"]["subgoals"]
        if content is not None and len(lines) != len(old_subgoals):
            st.error(
                "Feltet Delmål: der skal stå lige så mange delmål som før "
                f"({len(old_subgoals)}). Tilføj et delmål sammen med dets første indikator "
                "nedenfor; et delmål forsvinder, når dets sidste indikator slettes."
            )
        else:
            moved = {s["text"]: s for s in old_subgoals}
            ordered = [
                {**moved.get(text, old_subgoals[i]), "text": text}
                for i, text in enumerate(lines[: len(old_subgoals)])
            ]
            draft["name"] = name
            draft["agreement"].update(
                area_of_effort=area_of_effort,
                period={
                    "start": start.isoformat() if start else None,
                    "end": end.isoformat() if end else None,
                },
                parties=[p.strip() for p in parties.splitlines() if p.strip()],
                activities=[a.strip() for a in activities.splitlines() if a.strip()],
                staff_resources=staff.strip() or None,
                subgoals=ordered,
            )
            result = saved(lambda: save(engine(), draft, user=user, action="edit-plan"))
            if result is not None:
                _done(result.message)

    if content is not None:
        st.divider()
        st.markdown("**Indikator**")
        entries = {f"{s + 1}.{i + 1} {ind['name']}": ind for s, i, ind in indicators(content)}
        picked = st.selectbox("Indikator", [*entries, NEW_INDICATOR], key="edit_indicator")
        old = entries.get(picked)
        fields = indicator_fields(old)
        subgoal_texts = [s["text"] for s in content["agreement"]["subgoals"]]
        current_subgoal = next(
            (s["text"] for s in content["agreement"]["subgoals"] if old in s["indicators"]),
            subgoal_texts[0] if subgoal_texts else NEW_SUBGOAL,
        )
        units, directions = list(UNIT_LABELS), list(DIRECTION_LABELS)
        with st.form("indicator_form"):
            subgoal_choice = st.selectbox(
                "Delmål",
                [*subgoal_texts, NEW_SUBGOAL],
                index=[*subgoal_texts, NEW_SUBGOAL].index(current_subgoal),
            )
            new_subgoal = st.text_input("Nyt delmål (når du har valgt ➕ Nyt delmål)")
            fields["name"] = st.text_input("Indikator", fields["name"])
            fields["unit"] = st.selectbox(
                "Enhed", units, index=units.index(fields["unit"]), format_func=UNIT_LABELS.get
            )
            fields["direction"] = str(
                st.selectbox(
                    "Retning",
                    directions,
                    index=directions.index(int(fields["direction"])),
                    format_func=DIRECTION_LABELS.get,
                )
            )
            fields["baseline_value"] = st.text_input("Baseline", fields["baseline_value"])
            fields["baseline_year"] = st.text_input("Baseline år", fields["baseline_year"])
            fields["baseline_note"] = st.text_input("Baseline note", fields["baseline_note"])
            fields["target_value"] = st.text_input("Mål", fields["target_value"])
            fields["target_year"] = st.text_input("Mål år", fields["target_year"])
            fields["target_note"] = st.text_input("Mål som skrevet", fields["target_note"])
            fields["deadline"] = st.text_input("Deadline (ÅÅÅÅ-MM-DD)", fields["deadline"])
            fields["source"] = st.text_input("Datakilde", fields["source"])
            fields["measure"] = st.text_input(
                "Følger målet (nøgle; tom: et nyt lokalt mål)", fields["measure"]
            )
            fields["comparators"] = st.text_area(
                "Anden baseline (én pr. linje: betegnelse; værdi; år; kommune/sammenligning; område)",
                fields["comparators"],
            )
            save_indicator = st.form_submit_button("Gem indikatoren")
        delete_indicator = old is not None and st.button("Slet indikatoren")
        if save_indicator or delete_indicator:
            subgoal_text = new_subgoal.strip() if subgoal_choice == NEW_SUBGOAL else subgoal_choice
            try:
                new = indicator_from_fields(fields, old) if save_indicator else None
            except MonitorError as error:
                st.error(markdown_text(error))
            else:
                draft = put_indicator(content, old["name"] if old else None, new, subgoal_text)
                result = saved(lambda: save(engine(), draft, user=user, action="edit-plan"))
                if result is not None:
                    _done(result.message)

if part == IMPORT:
    upload = file_uploader(
        "Delaftale (.docx, .txt eller .md)", ["docx", "txt", "md"], key="delaftale_file"
    )
    if upload is not None:
        data = upload.getvalue()
        try:
            extraction = read_delaftale(data, upload.name)
        except MonitorError as error:
            st.error(markdown_text(error))
            extraction = None
        if extraction is not None:
            found = extraction.content
            st.markdown(
                f"**{markdown_text(found['name'])}** · {markdown_text(found['kommune']['name'])} "
                f"Kommune · {len(review_rows(found))} indikatorer læst"
            )
            for warning in extraction.warnings:
                st.warning(markdown_text(warning))
            st.markdown("Ret det, der er læst forkert, før du gemmer:")
            edited = st.data_editor(
                pd.DataFrame(review_rows(found)),
                hide_index=True,
                width="stretch",
                disabled=["Anden baseline"],
                column_config={
                    "Enhed": st.column_config.SelectboxColumn(options=list(UNIT_LABELS.values())),
                    "Retning": st.column_config.SelectboxColumn(
                        options=list(DIRECTION_LABELS.values())
                    ),
                },
                key="delaftale_review",
            )
            found_name = st.text_input("Planens navn", found["name"])
            match = matching_slug(engine(), {**found, "name": found_name})
            targets = ["Ny helhedsplan", *(p["name"] for p in plans)]
            default = next((p["name"] for p in plans if p["slug"] == match), "Ny helhedsplan")
            target = st.selectbox("Gem som", targets, index=targets.index(default))
            if st.button("Gem delaftalen", type="primary"):
                try:
                    reviewed = apply_review(found, edited.fillna("").to_dict("records"))
                except MonitorError as error:
                    st.error(markdown_text(error))
                else:
                    reviewed["name"] = found_name
                    if target == "Ny helhedsplan":
                        reviewed["slug"] = slugify(f"{reviewed['kommune']['name']} {found_name}")
                    else:
                        reviewed["slug"] = by_name[target]["slug"]
                    result = saved(
                        lambda: save(engine(), reviewed, user=user, source=upload.name, data=data)
                    )
                    if result is not None:
                        _done(result.message)

if part == HISTORY and plans:
    chosen = st.selectbox("Helhedsplan", list(by_name), key="history_plan")
    slug = by_name[chosen]["slug"]
    events = plan_history(engine(), slug, actor=user)
    reading_table(pd.DataFrame(history_rows(events)))
    for event in events:
        changes = event_changes(event)
        if event.batch_id is not None and event.action == "import-lbf":
            changes = batch_figures(engine(), event.batch_id, slug) or changes
        if changes:
            st.markdown(
                f"**#{event.id} · {markdown_text(event.what)} · {markdown_text(event.user)}**"
            )
            reading_table(pd.DataFrame(changes))
    names = [ind["name"] for _s, _i, ind in indicators(content_from_plan(by_name[chosen]))]
    versions = {
        f"{name} – som før #{event.id} ({event.at:%d.%m.%Y %H:%M}, {event.user})": (
            event.id,
            name,
        )
        for name in names
        for event, _old in indicator_versions(engine(), slug, name, actor=user)
    }
    if versions:
        version = st.selectbox("Gendan en tidligere udgave af en indikator", list(versions))
        if st.button("Gendan udgaven"):
            event_id, name = versions[version]
            result = saved(lambda: restore_indicator(engine(), slug, event_id, name, user=user))
            if result is not None:
                _done(f"Indikatoren '{name}' er gendannet. {result.message}")

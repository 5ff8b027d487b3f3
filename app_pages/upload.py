"""Upload data: the projektleder's yearly LBF beboerdata file, from file to store in a few clicks.

Read → check the mapping → preview → save as one import batch; every import can be undone.
Nothing is written before "Gem i databasen".
"""

import streamlit as st

from app_pages.demo_removal import demo_removal
from app_pages.shared import engine, known_areas, reading_table, saved, snapshot, stamp
from app_pages.signin import actor
from app_pages.typed_save import save_typed
from app_pages.uploader import file_uploader
from monitoring import ingest
from monitoring.fmt import parse_year
from monitoring.lbf import LAYOUT_NAMES, LAYOUTS, MAX_FILE_MB, LayoutHint, sha256_of
from monitoring.manual_entry import FIXED_COLUMNS, entry_grid, entry_years
from monitoring.present.plaintext import markdown_text
from monitoring.present.upload_views import (
    areas_table,
    history_table,
    layouts_table,
    mapping_from_table,
    mapping_table,
    measure_options,
    preview_changes,
    preview_summary,
    problems_table,
    sheet_choices,
    text_choices,
)

# The preview's columns: names wide, figures narrow, so År, Før and Efter fit beside them.
PREVIEW_COLUMNS = {
    "Område": st.column_config.TextColumn("Område", width=180),
    "Mål": st.column_config.TextColumn("Mål", width=330),
    **{
        name: st.column_config.Column(name, width=90)
        for name in ("År", "Før", "Efter", "Nye", "Ændrede", "Uændrede")
    },
}

st.title("Upload data")
st.caption(
    "Indlæs årets tal fra Landsbyggefonden (LBF beboerdata eller Boligsociale Data) eller "
    "kommunens egne udtræk som Excel (.xlsx) eller CSV. Intet gemmes, før du trykker "
    "**Gem i databasen**, og en import kan altid fortrydes."
)

for message in st.session_state.pop("upload_messages", []):
    st.success(markdown_text(message))

user = actor().name  # the history records who is logged in, never typed text
st.caption(f"Du gemmer som **{markdown_text(user)}**; det står i importhistorikken.")
# The typed-figures grid is a data editor, costly for the browser to draw: it is built only when
# its tab is chosen (a rerun). The file tab is always built, so a chosen file survives a visit.
file_tab, entry_tab = st.tabs(["Upload fil", "Indtast tal"], key="upload_tab", on_change="rerun")

with file_tab:
    uploaded = file_uploader(
        f"Vælg fil (højst {MAX_FILE_MB} MB)",
        ["xlsx", "xlsm", "csv", "txt"],
        max_upload_size=MAX_FILE_MB,
        key=f"upload_file_{st.session_state.get('upload_round', 0)}",
    )
    with st.expander("Hvis filen ikke selv angiver år eller område"):
        year_text = st.text_input("År for alle tal i filen", key="upload_year")
        area_text = st.text_input(
            "Område for ark, der ikke selv nævner et område", key="upload_area"
        )

    if uploaded is not None:
        data = uploaded.getvalue()
        try:
            year = parse_year(year_text)
        except ValueError as error:
            st.error(markdown_text(error))
            year = None
        # The content's hash, not name and size: a corrected file of the same size is read again.
        state_key = (sha256_of(data), uploaded.name, year, area_text)
        if st.session_state.get("upload_key") != state_key:
            st.session_state.upload_key = state_key
            st.session_state.upload = ingest.read_upload(
                engine(), data, uploaded.name, year=year, area=area_text or None
            )
        upload: ingest.Upload = st.session_state.upload

        if upload.table.layouts:
            st.subheader("1. Filens opbygning")
            # A table, not a data grid: the long descriptions wrap and every column is on screen.
            reading_table(layouts_table(upload))

        if upload.errors:
            st.error(
                f"**Filen kan ikke importeres endnu: {len(upload.errors)} fejl.** Ret filen eller "
                "kortlægningen herunder. Intet er gemt."
            )
            st.dataframe(problems_table(upload.errors), hide_index=True, width="stretch")
        if upload.warnings:
            with st.expander(f"{len(upload.warnings)} advarsler (blokerer ikke)"):
                st.dataframe(problems_table(upload.warnings), hide_index=True, width="stretch")

        if upload.table.previews and not upload.table.layouts:
            st.subheader("Filens opbygning blev ikke genkendt – angiv den selv")
            sheet = st.selectbox("Ark", list(upload.table.previews), key="hint_sheet")
            st.dataframe(upload.table.previews[sheet], width="stretch")
            with st.form("layout_hint"):
                layout = st.selectbox(
                    "Opbygning", LAYOUTS, format_func=LAYOUT_NAMES.get, key="hint_layout"
                )
                header_row = st.number_input("Overskriftsrække (som i Excel)", 1, 500, 1)
                area_column = st.text_input("Kolonne med område (bogstav eller overskrift)")
                label_column = st.text_input("Kolonne med indikator (kun lang tabel)")
                year_column = st.text_input("Kolonne med år (kun lang tabel)")
                value_column = st.text_input("Kolonne med værdi (kun lang tabel)")
                if st.form_submit_button("Læs filen igen"):
                    hint = LayoutHint(
                        sheet=sheet,
                        layout=layout,
                        header_row=int(header_row),
                        area_column=area_column or None,
                        label_column=label_column or None,
                        year_column=year_column or None,
                        value_column=value_column or None,
                    )
                    st.session_state.upload = ingest.read_upload(
                        engine(), data, uploaded.name, year=year, area=area_text or None, hint=hint
                    )
                    st.rerun()

        if upload.mapping:
            st.subheader("2. Kortlægning til mål")
            st.caption(
                "Kun sikre match er valgt automatisk. Usikre står som forslag: vælg målet selv, "
                "eller lad rækken stå som *importér ikke*. Dine valg huskes til næste års fil."
            )
            # Widths that add up to a desk screen's page (940 px at 1400): every column is seen
            # without scrolling sideways; long texts show in full on hover.
            edited = st.data_editor(
                mapping_table(upload),
                hide_index=True,
                width="stretch",
                disabled=["Tekst i filen", "Hvorfor", "Sikkerhed", "Forslag", "Celler"],
                column_config={
                    "Tekst i filen": st.column_config.TextColumn("Tekst i filen", width=210),
                    "Mål": st.column_config.SelectboxColumn(
                        "Mål", options=measure_options(upload), required=True, width=270
                    ),
                    "Hvorfor": st.column_config.TextColumn("Hvorfor", width=120),
                    "Sikkerhed": st.column_config.ProgressColumn(
                        "Sikkerhed", min_value=0.0, max_value=1.0, format="percent", width=90
                    ),
                    "Forslag": st.column_config.TextColumn("Forslag", width=160),
                    "Celler": st.column_config.NumberColumn("Celler", width=60),
                },
                key=f"mapping_{upload.table.sha256}",
            )
            st.subheader("3. Områder")
            if upload.areas:
                reading_table(areas_table(upload))
            st.caption(
                "Ret området for et ark eller en tekst i filen, hvis det er læst forkert eller "
                "ikke kunne afgøres. Dine valg huskes til næste års fil."
            )
            area_map, sheet_areas = dict(upload.area_map), dict(upload.sheet_areas)
            for targets, choices in (
                (sheet_areas, sheet_choices(upload, known_areas())),
                (area_map, text_choices(upload, known_areas())),
            ):
                for choice in choices:
                    picked = st.selectbox(
                        markdown_text(choice.label),
                        list(choice.options),
                        key=f"area_{upload.table.sha256}_{choice.label}",
                        help=markdown_text(choice.help) if choice.help else None,
                    )
                    if choice.options[picked] is not None:
                        targets[choice.key] = choice.options[picked]
            if st.button("Opdatér kortlægningen", icon=":material/refresh:"):
                st.session_state.upload = ingest.resolve(
                    engine(),
                    upload.table,
                    mapping=mapping_from_table(edited, upload),
                    area_map=area_map,
                    sheet_areas=sheet_areas,
                )
                st.rerun()

        if upload.mapping and not upload.blocking:
            st.subheader("4. Det vil ændre sig")
            changes = ingest.preview(engine(), upload, actor=user)
            counts = changes.counts
            # A row that wraps, not five columns: a phone shows the counts three to a line
            # instead of stacking them one under another.
            with st.container(horizontal=True, gap="medium"):
                for label, key in [
                    ("Nye", "new"),
                    ("Ændrede", "changed"),
                    ("Uændrede", "unchanged"),
                    ("Diskretionerede", "suppressed"),
                    ("Ikke kortlagt", "unmapped"),
                ]:
                    st.metric(label, counts.get(key, 0), width="content")
            for warning in changes.warnings:
                st.warning(markdown_text(warning.message), icon=":material/history_edu:")
            st.dataframe(
                preview_summary(changes, upload),
                hide_index=True,
                width="stretch",
                column_config=PREVIEW_COLUMNS,
            )
            changed = preview_changes(changes)
            if len(changed):
                st.markdown("**Ændrede tal (før → efter)**")
                st.dataframe(
                    changed, hide_index=True, width="stretch", column_config=PREVIEW_COLUMNS
                )
            if st.button("Gem i databasen", type="primary", icon=":material/save:"):
                result = saved(lambda: ingest.commit(engine(), upload, user=user))
                if result is not None:
                    st.session_state.upload_messages = [result.message]
                    for key in ("upload", "upload_key"):
                        st.session_state.pop(key, None)
                    st.session_state.upload_round = st.session_state.get("upload_round", 0) + 1
                    st.rerun()


if entry_tab.open:
    with entry_tab:
        st.caption(
            "Skriv årets tal for helhedsplanens indikatorer direkte, fx lokale indikatorer som antal "
            "frivillige, eller en milepæls status (Ikke startet, I gang, Opnået). Tal skrives som i "
            "Excel (41,2 eller 364.534). Tomme felter ændrer intet. Det gemte bliver en import i "
            "historikken og kan fortrydes som alle andre."
        )
        plans = {p["slug"]: p for p in snapshot()["plans"]}
        if not plans:
            st.info("Der er ingen helhedsplaner i databasen endnu.")
        else:
            slug = st.selectbox(
                "Helhedsplan", list(plans), format_func=lambda s: plans[s]["name"], key="entry_plan"
            )
            years = entry_years(plans[slug])
            grid = entry_grid(plans[slug], years)
            # The newest years beside the names (this year's figures are the ones typed), the area
            # last: it is the plan's own area on almost every row. The widths let a phone show the
            # newest year and a desk every year of a four-year plan with its baselines.
            edited = st.data_editor(
                grid,
                hide_index=True,
                width="stretch",
                disabled=FIXED_COLUMNS,
                column_order=["Indikator", "Enhed", *[str(y) for y in reversed(years)], "Område"],
                column_config={
                    "Indikator": st.column_config.TextColumn("Indikator", width=220),
                    "Enhed": st.column_config.TextColumn("Enhed", width=50),
                    **{str(y): st.column_config.TextColumn(str(y), width=75) for y in years},
                    "Område": st.column_config.TextColumn("Område", width=140),
                },
                key=f"entry_{slug}_{stamp()}",
            )
            save_typed(grid, edited, f"Indtastning {plans[slug]['name']}.csv", user)


st.divider()
st.subheader("Importhistorik")
batches = ingest.history(engine(), actor=user)  # the imports this user may see
if not batches:
    st.info("Der er ikke importeret nogen filer endnu.")
else:
    st.dataframe(history_table(batches), hide_index=True, width="stretch")
    me = actor()  # a projektleder is offered its own imports to undo (the domain refuses others)
    undoable = [
        b
        for b in batches
        if b["can_undo"]
        and not b["demo"]
        and (me.sees_everything or b["user"].casefold() == me.name.casefold())
    ]
    if undoable:
        choice = st.selectbox(
            "Fortryd en import",
            [b["id"] for b in undoable],
            format_func=lambda i: next(
                f"Nr. {b['id']}: {b['file_name']} ({b['created_at'][:10]})"
                for b in undoable
                if b["id"] == i
            ),
            key="undo_choice",
        )
        if st.button("Fortryd importen", icon=":material/undo:"):
            undone = saved(lambda: ingest.undo(engine(), choice, user=user))
            if undone is not None:
                st.session_state.upload_messages = [undone.message]
                st.rerun()

demo_removal(batches)  # the demo has its own button in the history, not the undo list above

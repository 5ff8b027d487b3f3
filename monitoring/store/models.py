"""The store's data model: a small star schema of observations plus the delaftaler that point into it.

Everything measured is an `Observation` (one measure × one area × one year). Plans, agreements,
subgoals and indicators describe what a delaftale promises and point at a measure and an area.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from monitoring.vocabulary import ROLES, AreaKind, State, Unit

AREA_KINDS = tuple(kind.value for kind in AreaKind)
UNITS = tuple(unit.value for unit in Unit)
STATES = tuple(state.value for state in State)


def one_of(column: str, codes: tuple[str, ...], name: str) -> CheckConstraint:
    """The store refuses a code outside `codes` (migration 0001 adds these to older stores too)."""
    return CheckConstraint(f"{column} IN ({', '.join(repr(code) for code in codes)})", name=name)


# Table info: on PostgreSQL this table's foreign keys are statement-level triggers, not constraints
# (migration 0007: one set-based check per statement instead of one query per row and key, for the
# bulk tables). They keep their declarations here: the ORM, SQLite's schema and the comparison of
# models and migrations (monitoring.store.migrations.compared) read them.
KEYS_BY_TRIGGER = "keys_by_trigger_on_postgresql"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Area(Base):
    """A place a figure is about: afdeling, boligområde, kommune or benchmark."""

    __tablename__ = "area"
    __table_args__ = (
        UniqueConstraint("kind", "name", name="uq_area_kind_name"),
        one_of("kind", AREA_KINDS, "ck_area_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(20))
    match_key: Mapped[str] = mapped_column(String(200), index=True)
    # Indexed like every foreign key to area: removing areas (undo) checks each one.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("area.id", ondelete="SET NULL"), index=True
    )
    parent: Mapped[Area | None] = relationship(remote_side=[id])


class Measure(Base):
    """What is counted; LBF measures are shared across plans, local ones belong to one plan."""

    __tablename__ = "measure"
    __table_args__ = (one_of("unit", UNITS, "ck_measure_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(10))
    population: Mapped[str | None] = mapped_column(String(200))
    direction: Mapped[int] = mapped_column(Integer, default=0)
    is_lbf: Mapped[bool] = mapped_column(Boolean, default=False)


class ImportBatch(Base):
    """One write of observations (seed, upload, manual entry, demo) that can be traced and undone."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    user: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    mapping: Mapped[dict[str, Any]] = mapped_column(default=dict)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="committed")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Observation(Base):
    """One value (or a state without value) for one measure, area and year."""

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("measure_id", "area_id", "year", name="uq_observation_cell"),
        Index("ix_observation_measure_year", "measure_id", "year"),
        Index("ix_observation_area", "area_id"),
        one_of("state", STATES, "ck_observation_state"),
        {"info": {KEYS_BY_TRIGGER: True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(20), default="ok")
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )


class ObservationChange(Base):
    """What a batch replaced, so that undoing the batch restores exactly what was there before."""

    __tablename__ = "observation_change"
    __table_args__ = (
        one_of("old_state", STATES, "ck_observation_change_old_state"),
        {"info": {KEYS_BY_TRIGGER: True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    existed: Mapped[bool] = mapped_column(Boolean)
    old_value: Mapped[float | None] = mapped_column(Float)
    old_state: Mapped[str | None] = mapped_column(String(20))
    old_note: Mapped[str | None] = mapped_column(Text)
    old_source: Mapped[str | None] = mapped_column(String(200))
    old_batch_id: Mapped[int | None] = mapped_column(Integer)


class Plan(Base):
    """A helhedsplan: the programme a bestyrelse follows."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kommune_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    main_area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    seed_sha256: Mapped[str | None] = mapped_column(String(64))
    kommune: Mapped[Area] = relationship(foreign_keys=[kommune_id])
    main_area: Mapped[Area] = relationship(foreign_keys=[main_area_id])
    areas: Mapped[list[PlanArea]] = relationship(
        cascade="all, delete-orphan", order_by="PlanArea.position"
    )
    agreements: Mapped[list[Agreement]] = relationship(
        cascade="all, delete-orphan", order_by="Agreement.id"
    )


class PlanArea(Base):
    """An area a plan covers, in the order the delaftale names them."""

    __tablename__ = "plan_area"
    __table_args__ = (UniqueConstraint("plan_id", "area_id", name="uq_plan_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    area: Mapped[Area] = relationship()


class Agreement(Base):
    """A delaftale for one indsatsområde within a plan."""

    __tablename__ = "agreement"
    __table_args__ = (UniqueConstraint("plan_id", "area_of_effort", name="uq_agreement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    area_of_effort: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    parties: Mapped[list[Any]] = mapped_column(default=list)
    activities: Mapped[list[Any]] = mapped_column(default=list)
    staff_resources: Mapped[str | None] = mapped_column(Text)
    subgoals: Mapped[list[Subgoal]] = relationship(
        cascade="all, delete-orphan", order_by="Subgoal.position"
    )


class Subgoal(Base):
    """A delmål, in document order."""

    __tablename__ = "subgoal"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    indicators: Mapped[list[Indicator]] = relationship(
        cascade="all, delete-orphan", order_by="Indicator.position"
    )


class Indicator(Base):
    """An indikator: one measure for one area, plus what the delaftale fixes about it."""

    __tablename__ = "indicator"
    __table_args__ = (one_of("unit", UNITS, "ck_indicator_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subgoal_id: Mapped[int] = mapped_column(ForeignKey("subgoal.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    unit: Mapped[str] = mapped_column(String(10))
    direction: Mapped[int] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_note: Mapped[str | None] = mapped_column(Text)
    baseline_as_written: Mapped[str | None] = mapped_column(Text)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int | None] = mapped_column(Integer)
    target_note: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    measure: Mapped[Measure] = relationship()
    area: Mapped[Area] = relationship()
    comparators: Mapped[list[Comparator]] = relationship(
        cascade="all, delete-orphan", order_by="Comparator.position"
    )


class Comparator(Base):
    """An "anden baseline": a reference area whose series the indicator is compared with."""

    __tablename__ = "comparator"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    as_written: Mapped[str | None] = mapped_column(Text)
    area: Mapped[Area] = relationship()


class AuditEvent(Base):
    """Who changed what and when; its highest id is the store's change stamp."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class MappingMemory(Base):
    """A confirmed mapping from a file's row/column text to a measure, remembered for next year.

    `label_key` is `names.match_key` of the text; `measure_key` None means "do not import this".
    """

    __tablename__ = "mapping_memory"

    id: Mapped[int] = mapped_column(primary_key=True)
    label_key: Mapped[str] = mapped_column(String(300), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    measure_key: Mapped[str | None] = mapped_column(String(100))
    confirmed_by: Mapped[str] = mapped_column(String(100))
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AreaMemory(Base):
    """A confirmed tie from an area text in a file to a store area, remembered for next year.

    `text_key` is `names.match_key` of the text as the file writes it ("Løvvangen (gl. navn)").
    """

    __tablename__ = "area_memory"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_key: Mapped[str] = mapped_column(String(300), unique=True)
    text: Mapped[str] = mapped_column(String(300))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"))
    confirmed_by: Mapped[str] = mapped_column(String(100))
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SubgoalComment(Base):
    """The projektleder's note on a delmål for one status year ("Hvorfor har det bevæget sig?").

    Keyed by the plan's slug and the delmål's number in the plan (as the page and the report
    number them), not by row ids: reloading a revised delaftale recreates its subgoals, and a note
    written last year must survive that. `subgoal_text` keeps what the delmål said when written.
    """

    __tablename__ = "subgoal_comment"
    __table_args__ = (
        UniqueConstraint("plan_slug", "subgoal_number", "year", name="uq_subgoal_comment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_slug: Mapped[str] = mapped_column(String(100))
    subgoal_number: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    subgoal_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


SCOPE_KINDS = ("plan", "kommune")


class AppUser(Base):
    """A person who may log in; `name_key` (casefolded name) makes "Anna" and "anna" one user.

    No password hash: the person logs in through single sign-on only (matched by e-mail or name).
    """

    __tablename__ = "app_user"
    __table_args__ = (one_of("role", ROLES, "ck_app_user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    scopes: Mapped[list[UserScope]] = relationship(
        cascade="all, delete-orphan", order_by="UserScope.id"
    )


class UserScope(Base):
    """A plan (slug) or kommune (name) a user is given; by text, so a reloaded plan keeps it."""

    __tablename__ = "user_scope"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "value", name="uq_user_scope"),
        one_of("kind", SCOPE_KINDS, "ck_user_scope_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(200))


class LoginSession(Base):
    """A log-in that survives a page reload: the browser holds a random token in an HttpOnly
    cookie, the store only its SHA-256. `ticket_hash`: the one-time handover that lets the
    browser fetch the cookie right after the log-in (cleared once used). Ended by log-out."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

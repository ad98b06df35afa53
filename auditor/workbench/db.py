"""The workbench's tables (SQLAlchemy 2.x), its engine and sessions, and its migrations.

SQLite by default (``<data>/auditor.db``), PostgreSQL with ``--db postgresql+psycopg://…``.
The schema is created and upgraded by the Alembic migrations shipped in
``auditor/workbench/migrations`` (run at start, programmatically: no ``alembic.ini`` is looked
up in the working directory). A report's summary (unit, year, level, checklist, score, grade,
counts) lives in columns, so lists and rankings never parse the stored JSON.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Base(DeclarativeBase):
    pass


class ReportRow(Base):
    """One uploaded file (one per distinct content) and, once audited, its result."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(300))  # the uploaded file's name, made displayable
    suffix: Mapped[str] = mapped_column(String(16), default="")  # a known report suffix, or ""
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str] = mapped_column(String(16), index=True)  # queued|running|done|error
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    checklist: Mapped[str | None] = mapped_column(String(64), nullable=True)
    checklist_title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    level: Mapped[str | None] = mapped_column(String(32), nullable=True)
    unit: Mapped[str | None] = mapped_column(String(300), nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    grade: Mapped[str | None] = mapped_column(String(32), nullable=True)
    reviewed_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    reviewed_grade: Mapped[str | None] = mapped_column(String(32), nullable=True)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # status -> findings (tool's)
    statuses: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # rule id -> tool status (pass rates)
    unreviewed: Mapped[int] = mapped_column(Integer, default=0)  # needs_review findings nobody decided
    stale: Mapped[int] = mapped_column(Integer, default=0)  # decisions whose finding has changed
    family: Mapped[str | None] = mapped_column(String(420), nullable=True, index=True)  # checklist|year|unit
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), nullable=True)
    result: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # the report's JSON
    #: the comparison with last year's report (its JSON) and what it was computed from (the
    #: previous report's id); recomputed when the pairing now chooses another report (0002)
    comparison: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    comparison_key: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: what audited the stored result (``stamp.tool_stamp``); another than the running workbench's, or none
    #: (stored before 0003), is an earlier version's result, which may be audited again
    audited_with: Mapped[str | None] = mapped_column(String(16), nullable=True)

    __table_args__ = (Index("ix_reports_season", "checklist", "year", "level", "score"),)


class ReviewRow(Base):
    """A reviewer's decision on one finding (rule) of one report version."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[str] = mapped_column(String(40), default="")
    fingerprint: Mapped[str] = mapped_column(String(16), default="")
    carried_from: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the version it was made on

    __table_args__ = (UniqueConstraint("report_id", "rule_id", name="uq_reviews_report_rule"),)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(conn: Any, _record: Any) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates it in an empty database)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def sessions(engine: Engine) -> sessionmaker[Any]:
    return sessionmaker(engine, expire_on_commit=False)

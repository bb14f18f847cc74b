"""SQLModel tables for every entity of the product spec.

Natural keys from the upload contract are unique constraints; rows written by an upload carry the id of the
batch that last changed them, which is what makes an upload undoable.
"""

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Named constraints, so migrations can alter them (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Money is 万元 with up to 4 decimals: exact NUMERIC on PostgreSQL, returned as float everywhere.
MONEY = sa.Numeric(14, 4, asdecimal=False)


def _batch_fk() -> int | None:
    return Field(default=None, foreign_key="upload_batch.id", index=True, ondelete="SET NULL")


class Township(SQLModel, table=True):
    __tablename__ = "township"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)
    name: str = Field(max_length=64, index=True)
    kind: str | None = Field(default=None, max_length=8)
    population: int | None = None
    # The map's outline: a GeoJSON geometry in WGS-84, simplified and rewound for Vega. Written by
    # culture_dash.boundaries as an upload batch of kind "boundaries", so undo restores the previous one.
    boundary: str | None = Field(default=None, sa_type=sa.Text)
    batch_id: int | None = _batch_fk()


class Village(SQLModel, table=True):
    __tablename__ = "village"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)
    name: str = Field(max_length=64)
    kind: str | None = Field(default=None, max_length=8)
    township_id: int = Field(foreign_key="township.id", index=True)
    population: int | None = None
    batch_id: int | None = _batch_fk()


class Venue(SQLModel, table=True):
    __tablename__ = "venue"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=128)
    type: str = Field(max_length=16, index=True)
    parent_id: int | None = Field(default=None, foreign_key="venue.id", index=True)
    township_id: int = Field(foreign_key="township.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    lon: float | None = None  # WGS-84
    lat: float | None = None
    source_crs: str | None = Field(default=None, max_length=8)
    area_m2: float | None = None
    weekly_hours: float | None = None
    free_open: bool | None = None
    opened_on: dt.date | None = None
    batch_id: int | None = _batch_fk()


class MonthlyReport(SQLModel, table=True):
    __tablename__ = "monthly_report"
    __table_args__ = (sa.UniqueConstraint("month", "venue_id", name="uq_monthly_report_month_venue"),)
    id: int | None = Field(default=None, primary_key=True)
    # The unique (month, venue_id) index also serves month filters: a second month index cost ~25 % of insert time.
    month: dt.date  # first day of the month
    venue_id: int = Field(foreign_key="venue.id", index=True)
    visits: int | None = None
    loans: int | None = None
    new_cardholders: int | None = None
    reading_events: int | None = None
    exhibition_events: int | None = None
    education_events: int | None = None
    performance_events: int | None = None
    participants: int | None = None
    online_visits: int | None = None
    media_reports: int | None = None
    note: str | None = Field(default=None, max_length=500)
    batch_id: int | None = _batch_fk()


class ActivityPlan(SQLModel, table=True):
    __tablename__ = "activity_plan"
    __table_args__ = (sa.UniqueConstraint("year", "venue_id", "category", name="uq_activity_plan_year_venue_category"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int  # the unique key starts with year
    venue_id: int = Field(foreign_key="venue.id", index=True)
    category: str = Field(max_length=16)
    planned: int | None = None
    batch_id: int | None = _batch_fk()


class DemoSite(SQLModel, table=True):
    __tablename__ = "demo_site"
    id: int | None = Field(default=None, primary_key=True)
    venue_id: int = Field(foreign_key="venue.id", unique=True)
    batch_year: int = Field(index=True)
    level: str | None = Field(default=None, max_length=8)
    stage: str | None = Field(default=None, max_length=8)
    has_library_room: bool | None = None
    has_e_reading_room: bool | None = None
    has_multi_room: bool | None = None
    stage_date: dt.date | None = None
    batch_id: int | None = _batch_fk()


class Subsidy(SQLModel, table=True):
    __tablename__ = "subsidy"
    __table_args__ = (sa.UniqueConstraint("year", "source", "programme", "venue_id", name="uq_subsidy_key"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int  # the unique key starts with year
    source: str = Field(max_length=8)
    programme: str = Field(max_length=16)
    venue_id: int = Field(foreign_key="venue.id", index=True)
    allocated: float = Field(sa_type=MONEY)
    disbursed: float | None = Field(default=None, sa_type=MONEY)
    spent: float | None = Field(default=None, sa_type=MONEY)
    doc_no: str | None = Field(default=None, max_length=64)
    batch_id: int | None = _batch_fk()


class Task(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (sa.UniqueConstraint("year", "task_code", name="uq_task_year_code"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int  # the unique key starts with year
    task_code: str = Field(max_length=32)
    section: str = Field(max_length=64)
    title: str = Field(max_length=256)
    lead_unit: str = Field(max_length=128)
    co_units: str | None = Field(default=None, max_length=256)
    target: float | None = None
    unit: str | None = Field(default=None, max_length=16)
    actual: float | None = None
    deadline: dt.date | None = None
    status: str | None = Field(default=None, max_length=8)
    progress_note: str | None = None
    as_of: dt.date | None = None
    batch_id: int | None = _batch_fk()


class TaskProgress(SQLModel, table=True):
    """One point of a task's progress history: a task upload with a new 更新日期 adds one."""

    __tablename__ = "task_progress"
    __table_args__ = (sa.UniqueConstraint("year", "task_code", "as_of", name="uq_task_progress_key"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    task_code: str = Field(max_length=32)
    as_of: dt.date
    actual: float | None = None
    status: str | None = Field(default=None, max_length=8)
    progress_note: str | None = None
    batch_id: int | None = _batch_fk()


class Inspection(SQLModel, table=True):
    __tablename__ = "inspection"
    __table_args__ = (sa.UniqueConstraint("date", "venue_id", "issue", name="uq_inspection_key"),)
    id: int | None = Field(default=None, primary_key=True)
    date: dt.date  # the unique key starts with date
    venue_id: int = Field(foreign_key="venue.id", index=True)
    method: str | None = Field(default=None, max_length=8)
    issue: str = Field(max_length=16)
    status: str | None = Field(default=None, max_length=8)
    due: dt.date | None = None
    note: str | None = None
    batch_id: int | None = _batch_fk()


class Circulation(SQLModel, table=True):
    __tablename__ = "circulation"
    __table_args__ = (sa.UniqueConstraint("date", "from_venue_id", "to_venue_id", name="uq_circulation_key"),)
    id: int | None = Field(default=None, primary_key=True)
    date: dt.date  # the unique key starts with date
    round_no: int | None = None
    from_venue_id: int = Field(foreign_key="venue.id", index=True)
    to_venue_id: int = Field(foreign_key="venue.id", index=True)
    volumes: int
    batch_id: int | None = _batch_fk()


class ArtSchoolTerm(SQLModel, table=True):
    __tablename__ = "art_school_term"
    __table_args__ = (sa.UniqueConstraint("term", "venue_id", "subject", name="uq_art_school_key"),)
    id: int | None = Field(default=None, primary_key=True)
    term: str = Field(max_length=16)  # the unique key starts with term; normalised: 2026春 / 2026暑期 / 2026秋
    year: int = Field(index=True)
    venue_id: int = Field(foreign_key="venue.id", index=True)
    subject: str = Field(max_length=32)
    classes: int | None = None
    places: int | None = None
    applicants: int | None = None
    enrolled: int | None = None
    batch_id: int | None = _batch_fk()


class UploadBatch(SQLModel, table=True):
    __tablename__ = "upload_batch"
    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(index=True)
    username: str = Field(max_length=64)
    file_name: str = Field(max_length=256)
    sha256: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16, index=True)
    rows_inserted: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0
    warnings: int = 0
    report: str | None = None  # JSON: warnings and per-month / per-township counts
    status: str = Field(default="committed", max_length=12)  # committed / undone / undo
    undo_of: int | None = Field(default=None, foreign_key="upload_batch.id")


class BatchReplacedRow(SQLModel, table=True):
    """The previous values of a row an upload replaced, so undo can restore them exactly."""

    __tablename__ = "batch_replaced_row"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="upload_batch.id", index=True, ondelete="CASCADE")
    table_name: str = Field(max_length=32)
    row_id: int
    old_batch_id: int | None = Field(default=None, index=True)  # the batch whose version was replaced
    old_values: str  # JSON of the row's columns before the upload


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str | None = Field(default=None, max_length=64)
    role: str = Field(max_length=16)  # leader / staff / local_staff / admin
    password_hash: str = Field(max_length=256)
    # local_staff only: the township codes and venue codes whose rows they may upload (JSON lists)
    township_codes: str | None = None
    venue_codes: str | None = None
    active: bool = True
    created_at: dt.datetime
    # Login throttling (culture_dash.auth): failures since the last success, and the end of a lock-out.
    failed_logins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: dt.datetime | None = None


class AccountEvent(SQLModel, table=True):
    """Who created, changed, reset, deactivated or reactivated an account, and when an account was locked."""

    __tablename__ = "account_event"
    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime
    actor: str = Field(max_length=64)  # an administrator's username, or 命令行 / 系统 / 示例数据
    username: str = Field(max_length=64, index=True)  # whose account
    action: str = Field(max_length=16)  # created / changed / password / deactivated / reactivated / locked
    detail: str | None = Field(default=None, max_length=256)


# Tables an upload kind writes, in the order the demo loader imports them.
DATA_TABLES: tuple[type[SQLModel], ...] = (
    Township,
    Village,
    Venue,
    MonthlyReport,
    ActivityPlan,
    DemoSite,
    Subsidy,
    Task,
    TaskProgress,
    Inspection,
    Circulation,
    ArtSchoolTerm,
)

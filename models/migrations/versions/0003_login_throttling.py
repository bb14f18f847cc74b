"""login throttling: failed attempts and lock-out per account

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Both columns are added in place (a NOT NULL column with a default needs no table copy on SQLite either);
    # existing accounts start with no failures and no lock.
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # recreate="never": SQLite >= 3.35 drops the columns in place (see 0002 for why a table copy is avoided).
    with op.batch_alter_table("app_user", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")

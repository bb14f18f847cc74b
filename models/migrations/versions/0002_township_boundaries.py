"""township boundaries for the offline map

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:43:47.560091
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Adding a nullable column is an in-place ALTER TABLE on SQLite too (no table copy).
    with op.batch_alter_table("township", schema=None) as batch_op:
        batch_op.add_column(sa.Column("boundary", sa.Text(), nullable=True))


def downgrade() -> None:
    # recreate="never": SQLite >= 3.35 drops the column in place. Copying the table instead would make
    # DROP TABLE township trip the foreign keys of village and venue (PRAGMA foreign_keys is on).
    with op.batch_alter_table("township", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("boundary")

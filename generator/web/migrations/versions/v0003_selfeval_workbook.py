"""Each fund report's 自评表 workbook (.xlsx), stored with the version's other files."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("selfeval_name", sa.String(255), nullable=True))
        batch.add_column(sa.Column("selfeval_sha256", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("selfeval_sha256")
        batch.drop_column("selfeval_name")

"""Create the cases table.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Hand-written. Sizes follow noticebot.intake.cases (MAX_*); names follow the naming convention
of noticebot.intake.models. Rasa's ``events`` table is left alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``cases`` and its deadline index."""
    op.create_table(
        "cases",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("notices", sa.JSON(), nullable=False),
        sa.Column("response_deadline", sa.Date(), nullable=True),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("agrees_with_amount", sa.Boolean(), nullable=True),
        sa.Column("can_pay_in_full", sa.Boolean(), nullable=True),
        sa.Column("has_red_flags", sa.Boolean(), nullable=True),
        sa.Column("route", sa.String(16), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("contact_email", sa.String(320), nullable=True),
        sa.Column("contact_phone", sa.String(32), nullable=True),
        sa.Column("contact_time", sa.String(200), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default=sa.text("'new'")),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("conversation_id", name="uq_cases_conversation_id"),
        sa.CheckConstraint("status IN ('new', 'contacted', 'closed')", name="ck_cases_status"),
    )
    op.create_index("ix_cases_response_deadline", "cases", ["response_deadline"])


def downgrade() -> None:
    """Drop ``cases`` (and its index); nothing else."""
    op.drop_index("ix_cases_response_deadline", table_name="cases")
    op.drop_table("cases")

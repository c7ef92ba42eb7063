"""Create the reminders table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04

Hand-written, as noticebot.intake.models.ReminderRow: the reminders a conversation asked for
(Rasa's ReminderScheduled), kept until sent so they survive a restart and fire once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATUSES = ("pending", "sending", "sent", "failed", "cancelled", "missed")


def upgrade() -> None:
    """Create ``reminders`` and its two indexes."""
    op.create_table(
        "reminders",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("output", sa.JSON(), nullable=False),
        sa.Column("intent", sa.String(64), nullable=False),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.Column("kill_on_user_message", sa.Boolean(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_reminders"),
        sa.CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s}'" for s in STATUSES)),
            name="ck_reminders_status",
        ),
    )
    op.create_index("ix_reminders_status", "reminders", ["status", "send_at"])
    op.create_index("ix_reminders_conversation_id", "reminders", ["conversation_id"])


def downgrade() -> None:
    """Drop ``reminders`` (and its indexes); the cases stay."""
    op.drop_index("ix_reminders_conversation_id", table_name="reminders")
    op.drop_index("ix_reminders_status", table_name="reminders")
    op.drop_table("reminders")

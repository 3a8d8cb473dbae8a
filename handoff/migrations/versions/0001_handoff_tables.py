"""The handoff store's tables: conversations, counsellors, their sessions, notes, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counsellors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "handoff_conversations",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("user_group", sa.String(40)),
        sa.Column("topic", sa.String(60)),
        sa.Column("crisis", sa.Boolean, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("last_active", sa.DateTime, nullable=False),
        sa.Column("queued_at", sa.DateTime),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("claimed_by", sa.Integer, sa.ForeignKey("counsellors.id")),
        sa.Column("ended_at", sa.DateTime),
        sa.Column("rating", sa.Integer),
    )
    op.create_table(
        "counsellor_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("counsellor_id", sa.Integer, sa.ForeignKey("counsellors.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
    )
    op.create_table(
        "handoff_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "conversation_id",
            sa.String(128),
            sa.ForeignKey("handoff_conversations.id"),
            nullable=False,
        ),
        sa.Column("counsellor_id", sa.Integer, sa.ForeignKey("counsellors.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "handoff_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("counsellor_id", sa.Integer, sa.ForeignKey("counsellors.id")),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "handoff_audit",
        "handoff_notes",
        "counsellor_sessions",
        "handoff_conversations",
        "counsellors",
    ):
        op.drop_table(table)

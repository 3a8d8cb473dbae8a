"""Roles and disabled accounts, idle time apart from presence, whispers, audit of accounts.

counsellors.role (counsellor, supervisor, admin; existing accounts become counsellors) and
counsellors.disabled; counsellor_sessions.last_action (what the counsellor did, for the idle
expiry; last_seen stays presence, kept by socket pings); handoff_notes.whisper_to (a
supervisor's note for one counsellor); handoff_audit.account_id (the account an admin
changed), its conversation_id now optional.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN, also on SQLite: a batch copy of counsellors would
    # have to drop a table that the other tables' rows refer to.
    op.add_column(
        "counsellors", sa.Column("role", sa.String(20), nullable=False, server_default="counsellor")
    )
    op.add_column(
        "counsellors", sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false())
    )
    with op.batch_alter_table("counsellor_sessions") as batch:
        batch.add_column(sa.Column("last_action", sa.DateTime, nullable=True))
    op.execute("UPDATE counsellor_sessions SET last_action = last_seen")
    with op.batch_alter_table("counsellor_sessions") as batch:
        batch.alter_column("last_action", existing_type=sa.DateTime, nullable=False)
    with op.batch_alter_table("handoff_notes") as batch:
        batch.add_column(sa.Column("whisper_to", sa.Integer))
        batch.create_foreign_key(
            "fk_handoff_notes_whisper_to", "counsellors", ["whisper_to"], ["id"]
        )
    with op.batch_alter_table("handoff_audit") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer))
        batch.create_foreign_key(
            "fk_handoff_audit_account_id", "counsellors", ["account_id"], ["id"]
        )
        batch.alter_column("conversation_id", existing_type=sa.String(128), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("handoff_audit") as batch:
        batch.drop_constraint("fk_handoff_audit_account_id", type_="foreignkey")
        batch.drop_column("account_id")
    op.execute("DELETE FROM handoff_audit WHERE conversation_id IS NULL")
    with op.batch_alter_table("handoff_audit") as batch:
        batch.alter_column("conversation_id", existing_type=sa.String(128), nullable=False)
    with op.batch_alter_table("handoff_notes") as batch:
        batch.drop_constraint("fk_handoff_notes_whisper_to", type_="foreignkey")
        batch.drop_column("whisper_to")
    with op.batch_alter_table("counsellor_sessions") as batch:
        batch.drop_column("last_action")
    op.drop_column("counsellors", "disabled")
    op.drop_column("counsellors", "role")

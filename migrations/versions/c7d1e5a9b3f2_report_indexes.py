"""report indexes

For the reports dashboard and its engagement panel (issue 7): each figure reads its rows from an
index alone (an index-only scan) instead of the whole table. Every index leads with, or holds,
`institution_id`, because every query is scoped to one institution.

- meetings by institution and start: the period's sessions (weekly chart, session frequency,
  ratings by the session's start), with the pair, mentor, status and id.
- meetings by institution and id, with the pair: which pair each rating belongs to (last ratings).
- meetings by pair and start, with the status: a pair's recent or next session (pairs at risk).
- session_feedback by institution and meeting, with the time and the rating: ratings and last ratings.
- messages by institution and time, with the pair and the sender: the period's messages (weekly chart).
- messages by pair and time, with the id and the sender: a pair's newest message (pairs at risk).

Revision ID: c7d1e5a9b3f2
Revises: 89ecdfd37745
Create Date: 2026-11-21 09:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7d1e5a9b3f2'
down_revision = '89ecdfd37745'
branch_labels = None
depends_on = None

INDEXES = {  # name: (table, columns), as declared in portal/models/scheduling.py and messages.py
    'ix_meetings_report_period': (
        'meetings', ['institution_id', 'starts_at', 'status', 'mentorship_id', 'mentor_id', 'id']),
    'ix_meetings_report_pair': ('meetings', ['institution_id', 'id', 'mentorship_id']),
    'ix_meetings_pair_starts_status': ('meetings', ['mentorship_id', 'starts_at', 'status', 'institution_id']),
    'ix_session_feedback_report': ('session_feedback', ['institution_id', 'meeting_id', 'created_at', 'rating']),
    'ix_messages_report_period': ('messages', ['institution_id', 'created_at', 'mentorship_id', 'sender_id']),
    'ix_messages_newest': ('messages', ['mentorship_id', 'created_at', 'id', 'sender_id', 'institution_id']),
}


def upgrade():
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)

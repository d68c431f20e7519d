"""session feedback by pair

For the reports' at-risk panel (issue 7, performance): a pair's last rating was found by joining
every rating to its session to learn its pair. Each rating now carries its pair, copied from
its session when it is given (a session never changes pair, as `meetings.mentor_id` is copied
from its mentorship), and an index by institution and pair, with the time and the rating,
answers "each pair's last rating" from the index alone.

Also drops two indexes that newer ones begin with (migration c7d1e5a9b3f2):
`ix_meetings_mentorship_starts` (within `ix_meetings_pair_starts_status`) and
`ix_messages_mentorship_created` (within `ix_messages_newest`).

Revision ID: e5f9a3c7b1d2
Revises: d4e8f1a2b6c3
Create Date: 2026-11-21 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e5f9a3c7b1d2'
down_revision = 'd4e8f1a2b6c3'
branch_labels = None
depends_on = None

PAIR_INDEX = ('ix_session_feedback_pair', ['institution_id', 'mentorship_id', 'created_at', 'rating'])
PREFIXES = {  # name: (table, columns) of the dropped indexes
    'ix_meetings_mentorship_starts': ('meetings', ['mentorship_id', 'starts_at']),
    'ix_messages_mentorship_created': ('messages', ['mentorship_id', 'created_at']),
}


def upgrade():
    op.add_column('session_feedback', sa.Column('mentorship_id', sa.Integer(), nullable=True))
    op.execute("UPDATE session_feedback SET mentorship_id = "
               "(SELECT meetings.mentorship_id FROM meetings WHERE meetings.id = session_feedback.meeting_id)")
    # session_feedback has no triggers, so SQLite's copy of the table loses nothing.
    with op.batch_alter_table('session_feedback') as batch_op:
        batch_op.alter_column('mentorship_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(op.f('fk_session_feedback_mentorship_id_mentorships'), 'mentorships',
                                    ['mentorship_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(PAIR_INDEX[0], PAIR_INDEX[1], unique=False)
    for name, (table, _columns) in PREFIXES.items():
        op.drop_index(name, table_name=table)


def downgrade():
    for name, (table, columns) in PREFIXES.items():
        op.create_index(name, table, columns, unique=False)
    with op.batch_alter_table('session_feedback') as batch_op:
        batch_op.drop_index(PAIR_INDEX[0])
        batch_op.drop_constraint(op.f('fk_session_feedback_mentorship_id_mentorships'), type_='foreignkey')
        batch_op.drop_column('mentorship_id')

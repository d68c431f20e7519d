"""directory request indexes

For the directory search (issue 5, performance): the "has a free spot" filter and every card
count the places each mentor has taken (mentees in active mentorships plus pending requests).
A search works that out for each mentor it finds, so each step reads an index alone (an
index-only scan) instead of the table. Each index holds `institution_id`, because every query
is scoped to one institution.

- mentorship_participants by person, with the mentorship and role: a mentor's mentorships.
- mentorship_participants by mentorship, with the id and role: each mentorship's mentees.
- mentorships by id, with the status: whether that mentorship is active.

The second column is the one the rows of a person or of a mentorship were already read in
(the order they were added), so pages that list participants show them as before.

Revision ID: d4e8f1a2b6c3
Revises: c7d1e5a9b3f2
Create Date: 2026-11-21 11:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4e8f1a2b6c3'
down_revision = 'c7d1e5a9b3f2'
branch_labels = None
depends_on = None

INDEXES = {  # name: (table, columns), as declared in portal/models/mentorships.py
    'ix_mentorship_participants_user_mentorship': (
        'mentorship_participants', ['user_id', 'mentorship_id', 'role', 'institution_id']),
    'ix_mentorship_participants_mentorship_people': (
        'mentorship_participants', ['mentorship_id', 'id', 'role', 'institution_id']),
    'ix_mentorships_id_status': ('mentorships', ['id', 'status', 'institution_id']),
}


def upgrade():
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)

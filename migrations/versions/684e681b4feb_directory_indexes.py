"""directory indexes

For the mentor directory. On both databases: btree indexes listing a program's, and an
institution's, active mentors from the index alone. On PostgreSQL also trigram (pg_trgm) indexes
for the substring search on profile text, canonical tags, location and names, and the canonical
industry for the industry filter; SQLite has no trigram indexes, and there the search reads the
(small) tables as they are.

Revision ID: 684e681b4feb
Revises: 73e17e643465
Create Date: 2026-11-21 07:05:55.528176

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '684e681b4feb'
down_revision = '73e17e643465'
branch_labels = None
depends_on = None

INDEXES = {  # name: (table, expression), as declared in portal/models/user.py
    'ix_profiles_search_text': (
        'profiles',
        "lower((((((((((((headline || ' ') || employer) || ' ') || job_title) || ' ') || industry) || ' ')"
        " || CAST(skills AS TEXT)) || ' ') || CAST(mentoring_topics AS TEXT)) || ' ') || CAST(career_interests AS TEXT))"),
    'ix_profiles_canonical_text': ('profiles', 'CAST(canonical_tags AS TEXT)'),
    'ix_profiles_location_text': ('profiles', 'lower(location)'),
    'ix_users_name_text': ('users', "lower((first_name || ' ') || last_name)"),
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    # Both databases: the active mentors of a program and of an institution, read from the index alone.
    op.create_index('ix_enrollments_program_role_status', 'enrollments',
                    ['program_id', 'role', 'status', 'user_id', 'institution_id'], unique=False)
    op.create_index('ix_users_institution_role_status', 'users', ['institution_id', 'role', 'status', 'id'],
                    unique=False)
    if not _postgresql():
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for name, (table, expression) in INDEXES.items():
        op.create_index(name, table, [sa.literal_column(expression).label('text')], unique=False,
                        postgresql_using='gin', postgresql_ops={'text': 'gin_trgm_ops'})
    # The industry filter compares the canonical industry exactly.
    op.create_index('ix_profiles_canonical_industry', 'profiles',
                    [sa.literal_column("(canonical_tags ->> 'industry')")], unique=False)


def downgrade():
    op.drop_index('ix_users_institution_role_status', table_name='users')
    op.drop_index('ix_enrollments_program_role_status', table_name='enrollments')
    if not _postgresql():
        return
    op.drop_index('ix_profiles_canonical_industry', table_name='profiles')
    for name, (table, _expression) in INDEXES.items():
        op.drop_index(name, table_name=table)

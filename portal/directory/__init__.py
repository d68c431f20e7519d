"""The mentor directory: students find mentors of their own programs by search, filters and fit.

    viewer = viewer_for(user)                       # a student (or an admin checking what students see)
    results = search_mentors(viewer, Search(query="pyhton", industry="Technology", free_spot=True),
                             sort="recommended", page=1)
    card = mentor_card(viewer, mentor_id)           # None when this viewer may not see that mentor

The query is read through the canonical vocabulary (terms.py), the SQL is in query.py, the
match scores come from the matching engine and are kept per student in Redis (scores.py).
"""

from portal.directory.choices import industry_choices
from portal.directory.query import Search
from portal.directory.search import (
    PAGE_SIZE, RECENT, RECOMMENDED, RESPONSIVE, MentorCard, Results, mentor_card, search_mentors, sorts_for,
)
from portal.directory.terms import Term, known_tag, read_query
from portal.directory.viewer import ProgramView, Viewer, viewer_for

__all__ = [
    "PAGE_SIZE", "RECENT", "RECOMMENDED", "RESPONSIVE", "MentorCard", "ProgramView", "Results", "Search", "Term",
    "Viewer", "industry_choices", "known_tag", "mentor_card", "read_query", "search_mentors", "sorts_for",
    "viewer_for",
]

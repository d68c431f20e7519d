"""Access rules of shared notes: the pair reads, adds and edits them; admins of the institution read
them only (403 on writes); anyone else, and any other institution, gets 404."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.messaging.notes import add_note
from portal.models import User
from tests.access import SIGN_IN, Rule
from tests.access.messages import PAIR_READS, PAIR_WRITES, make_pair


def make_targets(institution):
    mentorship_id = make_pair(institution.id)
    student_id = db.session.scalar(select(User.id).where(User.institution_id == institution.id,
                                                         User.role == "student").order_by(User.id))
    note = add_note(mentorship_id, student_id, "What we agreed", "Meet every other Tuesday at 5 pm.")
    db.session.commit()
    return {"mentorship": mentorship_id, "note": note.id}


RULES = {
    "notes.list_notes": Rule("GET", "/mentorships/{mentorship}/notes", PAIR_READS),
    "notes.add_note": Rule("POST", "/mentorships/{mentorship}/notes", PAIR_WRITES,
                           data={"title": "Reading list", "body": "- Designing Your Life"}),
    "notes.edit_note": Rule("GET", "/notes/{note}/edit", {
        "anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 404, "admin": 403}),
}

"""Access rules of invitations: admins only, and only for their own institution's people."""

from portal.extensions import db
from portal.models import User, utcnow
from tests.access import Rule, admins
from tests.factories import make_user


def make_targets(institution):
    invitee = make_user(institution, "student", "Amara", "Nwosu", status="invited")
    db.session.get(User, invitee.id).invited_at = utcnow()
    db.session.commit()
    return {"invitee": invitee.id}


RULES = {
    # Another institution's admin invites their own people: nothing of Northbridge's is touched.
    "invitations.invite_not_invited": Rule("POST", "/admin/invitations/not-invited", admins(own=302, other=302),
                                           htmx_expect={"admin": 200, "other_admin": 200}),
    "invitations.invite_selected": Rule("POST", "/admin/invitations/selected", admins(own=302, other=302),
                                        htmx_expect={"admin": 200, "other_admin": 200}, data={"person": "999999"}),
    "invitations.send_invitation": Rule("POST", "/admin/invitations/{invitee}/send", admins(own=302, other=404),
                                        htmx_expect={"admin": 200}),
    # The plain request (made first) revokes the link; the htmx one answers the row with a note.
    "invitations.revoke_person_invitation": Rule("POST", "/admin/invitations/{invitee}/revoke",
                                                 admins(own=302, other=404), htmx_expect={"admin": 200}),
}

"""Access rules of the mail outbox: an institution's admins read their own institution's copies."""

from portal.extensions import db
from portal.models import OutboxMail
from tests.access import Rule, admins


def make_targets(institution):
    mail = OutboxMail(institution_id=institution.id, to="amara.nwosu@northbridge.example.edu",
                      subject="You're invited to Northbridge University's mentoring program",
                      text_body="Accept: http://localhost/invitation/abc", html_body="<p>Northbridge</p>")
    db.session.add(mail)
    db.session.commit()
    return {"mail": mail.id}


RULES = {
    "outbox.list_mail": Rule("GET", "/admin/outbox", admins(own=200, other=200)),
    "outbox.show_mail": Rule("GET", "/admin/outbox/{mail}", admins(own=200, other=404)),
    "outbox.show_mail_html": Rule("GET", "/admin/outbox/{mail}/html", admins(own=200, other=404)),
}

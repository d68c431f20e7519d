"""Access rules of notifications: every signed-in person has their own list and bell; a notification
is opened or marked read only by the person it is for (anyone else: 404)."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Role, User
from portal.notifications import notify
from tests.access import SIGN_IN, Rule, signed_in


def make_targets(institution):
    admin = db.session.scalar(select(User).where(User.institution_id == institution.id, User.role == Role.ADMIN))
    [notification] = notify(admin.id, "request_expired", "A request expired", link="/admin/requests",
                            institution_id=institution.id, email=False)
    db.session.commit()
    return {"notification": notification.id}


def only_the_admin(own: int) -> dict[str, int | str]:
    return {"anonymous": SIGN_IN, "student": 404, "mentor": 404, "other_admin": 404, "admin": own}


RULES = {
    "notifications.list_notifications": Rule("GET", "/notifications", signed_in(200)),
    "notifications.show_bell": Rule("GET", "/notifications/bell", signed_in(200)),
    "notifications.open_notification": Rule("POST", "/notifications/{notification}/open", only_the_admin(302)),
    "notifications.mark_notification_read": Rule("POST", "/notifications/{notification}/read", only_the_admin(302),
                                                 htmx_expect={"admin": 200}),
    "notifications.read_all": Rule("POST", "/notifications/read-all", signed_in(302),
                                   htmx_expect={role: 200 for role in ("student", "mentor", "other_admin", "admin")}),
}

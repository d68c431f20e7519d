"""Access rules of resources: admins write them; signed-in people read what is meant for them."""

from portal.extensions import db
from portal.models import ResourceAudience, ResourceKind
from portal.resources.editing import save_resource
from tests.access import SIGN_IN, Rule, admins, signed_in


def make_targets(institution):
    resource = save_resource(institution.id, title="Questions for your first meeting", body_markdown="- Why mentor?",
                             kind=ResourceKind.FIRST_MEETING_QUESTIONS, audience=ResourceAudience.EVERYONE,
                             published=True)
    db.session.commit()
    return {"resource": resource.id}


RULES = {
    "resources.list_resources": Rule("GET", "/admin/resources", admins(own=200, other=200)),
    "resources.new_resource": Rule("GET", "/admin/resources/new", admins(own=200, other=200)),
    "resources.edit_resource": Rule("GET", "/admin/resources/{resource}/edit", admins(own=200, other=404)),
    "resources.preview_markdown": Rule("POST", "/admin/resources/preview", admins(own=200, other=200),
                                       data={"body_markdown": "## Welcome"}),
    "resources.publish_resource": Rule("POST", "/admin/resources/{resource}/publish", admins(own=302, other=404),
                                       htmx_expect={"admin": 200}),
    "resources.unpublish_resource": Rule("POST", "/admin/resources/{resource}/unpublish",
                                         admins(own=302, other=404), htmx_expect={"admin": 200}),
    # The plain request (made first) deletes the resource, so the htmx one finds nothing.
    "resources.delete_resource": Rule("POST", "/admin/resources/{resource}/delete", admins(own=302, other=404),
                                      htmx_expect={"admin": 404}),
    "resources.library": Rule("GET", "/resources", signed_in(200)),
    "resources.show_resource": Rule("GET", "/resources/{resource}", {
        "anonymous": SIGN_IN, "student": 200, "mentor": 200, "other_admin": 404, "admin": 200}),
}

"""Access rules of the people import: admins of the institution only; another's imports are 404."""

from portal.extensions import db
from portal.imports.operations import start_import
from portal.tenancy import tenant_scope
from tests.access import Rule, admins

CSV = "email,first_name,last_name,role\nnoor.haidari@alumni.example.edu,Noor,Haidari,mentor\n"


def make_targets(institution):
    with tenant_scope(institution.id):
        record = start_import(institution.id, None, "alumni.csv", CSV.encode())
        db.session.commit()
        return {"import": record.id}


RULES = {
    "imports.new_import": Rule("GET", "/admin/import", admins(own=200, other=200)),
    "imports.download_template": Rule("GET", "/admin/import/template.csv", admins(own=200, other=200)),
    "imports.list_imports": Rule("GET", "/admin/imports", admins(own=200, other=200)),
    "imports.show_import": Rule("GET", "/admin/import/{import}", admins(own=200, other=404)),
    # Without htmx the fragment's URL sends the browser to the page; with htmx a checked import
    # answers the final fragment and asks the page to reload.
    "imports.import_progress": Rule("GET", "/admin/import/{import}/progress", admins(own=302, other=404),
                                    htmx_expect={"admin": 200}),
    # The first confirmation writes the file; the second is told it is done already: both redirect.
    "imports.confirm_import": Rule("POST", "/admin/import/{import}/confirm", admins(own=302, other=404)),
    # Discarding deletes the import, so the htmx request that follows finds nothing.
    "imports.discard_import": Rule("POST", "/admin/import/{import}/discard", admins(own=302, other=404),
                                   htmx_expect={"admin": 404}),
    "imports.download_errors": Rule("GET", "/admin/import/{import}/errors.csv", admins(own=200, other=404)),
}

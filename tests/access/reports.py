"""Access rules of reports: only admins, inside their own institution; another institution's program is
not found, and the institution-wide pages show the other admin only their own institution."""

from portal.extensions import db
from portal.models import Program, ProgramStatus
from tests.access import Rule, admins


def make_targets(institution):
    program = Program(institution_id=institution.id, name="Career Launch", status=ProgramStatus.OPEN,
                      key_result_target=100, key_result_unit="final-year students guided")
    db.session.add(program)
    db.session.commit()
    return {"program": program.id}


RULES = {
    "reports.show_dashboard": Rule("GET", "/reports?program={program}", admins(own=200, other=404)),
    "reports.print_report": Rule("GET", "/reports/print?program={program}", admins(own=200, other=404)),
    "reports.export_csv": Rule("GET", "/reports/export/pairs.csv?program={program}", admins(own=200, other=404)),
}

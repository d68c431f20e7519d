"""Access rules of matching: the admins of the institution only; another's runs, suggestions and rules are 404."""

from sqlalchemy import select

from portal.accounts.people import create_user
from portal.extensions import db
from portal.match_runs import decide_suggestion, default_parameters, start_match_run
from portal.match_runs.jobs import run_match
from portal.models import (
    EnrollmentSource, Institution, MatchSuggestion, PairRule, PairRuleKind, ProgramStatus, Role, User, UserStatus,
)
from portal.programs import create_program, enroll_many, set_program_status
from portal.tenancy import tenant_scope
from tests.access import Rule, admins


def make_targets(institution):
    with tenant_scope(institution.id):
        tenant = db.session.get(Institution, institution.id)
        second = create_user(tenant, "marcus.okafor@northbridge.example.edu", "Marcus", "Okafor", Role.MENTOR)
        second.status = UserStatus.ACTIVE
        program = create_program(institution.id, {"name": "Career Pathways"})
        set_program_status(program, ProgramStatus.OPEN)
        enroll_many(program, db.session.scalars(select(User).where(User.role.in_([Role.MENTOR, Role.STUDENT]))),
                    EnrollmentSource.ADMIN)
        run = start_match_run(program, None, default_parameters(program))
        db.session.commit()
        program_id, run_id, second_id = program.id, run.id, second.id
    run_match(institution.id, run_id)
    with tenant_scope(institution.id):
        suggestion = db.session.scalar(select(MatchSuggestion).where(MatchSuggestion.run_id == run_id))
        decide_suggestion(suggestion, "approved", None)
        rule = PairRule(institution_id=institution.id, program_id=program_id, mentee_id=suggestion.mentee_id,
                        mentor_id=suggestion.mentor_id, kind=PairRuleKind.PIN)
        db.session.add(rule)
        db.session.commit()
        return {"program": program_id, "run": run_id, "suggestion": suggestion.id, "rule": rule.id,
                "mentor": second_id}


RUN = "/admin/matching/runs/{run}"
SUGGESTION = "/admin/matching/suggestions/{suggestion}"

RULES = {
    "matching.show_matching": Rule("GET", "/admin/programs/{program}/matching", admins(own=200, other=404)),
    # The first start queues a run; the htmx one that follows is told that run is still in progress.
    "matching.start_run": Rule("POST", "/admin/programs/{program}/matching/runs", admins(own=302, other=404),
                               htmx_expect={"admin": 422}, data={"weight_skills": "50", "objective": "total_score"}),
    "matching.show_run": Rule("GET", RUN, admins(own=200, other=404)),
    # Without htmx the fragment's URL sends the browser to the page; a finished run answers the final
    # fragment and asks the page to reload.
    "matching.run_progress": Rule("GET", RUN + "/progress", admins(own=302, other=404), htmx_expect={"admin": 200}),
    "matching.retry_run": Rule("POST", RUN + "/retry", admins(own=302, other=404)),
    "matching.rerun_run": Rule("POST", RUN + "/rerun", admins(own=302, other=404)),
    # htmx is sent on to the run's page with HX-Redirect.
    "matching.publish_run": Rule("POST", RUN + "/publish", admins(own=302, other=404), htmx_expect={"admin": 200}),
    "matching.export_run": Rule("GET", RUN + "/export.csv", admins(own=200, other=404)),
    "matching.approve_pairs": Rule("POST", RUN + "/approve", admins(own=302, other=404), data={"min_score": "0"}),
    # Row actions answer htmx with the row, a plain form post with a redirect to the run.
    "matching.decide": Rule("POST", SUGGESTION + "/decision", admins(own=302, other=404),
                            htmx_expect={"admin": 200}, data={"decision": "rejected"}),
    "matching.show_swap": Rule("GET", SUGGESTION + "/swap", admins(own=200, other=404)),
    "matching.swap": Rule("POST", SUGGESTION + "/swap", admins(own=302, other=404), htmx_expect={"admin": 200},
                          data={"mentor_id": "0"}),
    "matching.pin": Rule("POST", SUGGESTION + "/pin", admins(own=302, other=404), htmx_expect={"admin": 200}),
    "matching.ban": Rule("POST", SUGGESTION + "/ban", admins(own=302, other=404), htmx_expect={"admin": 200}),
    # The plain post lifts the rule, so the htmx one that follows finds nothing.
    "matching.delete_rule": Rule("POST", "/admin/matching/rules/{rule}/delete", admins(own=302, other=404),
                                 htmx_expect={"admin": 404}),
}

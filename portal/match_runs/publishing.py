"""Publishing a run: its approved pairs become mentorships in one go, and both people hear of it."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.jobs import enqueue_after_commit
from portal.match_runs import MatchRunError
from portal.match_runs.review import audit
from portal.matching import explain
from portal.mentorships import MentorshipError, create_mentorships
from portal.models import (
    MatchRun, MatchRunStatus, MatchSuggestion, Mentorship, MentorshipOrigin, MentorshipParticipant,
    MentorshipStatus, ParticipantRole, Program, ProgramFormat, SuggestionDecision, utcnow,
)
from portal.notifications import notify
from portal.requests import withdraw_pending_requests
from portal.tenancy import tenant_scope

MAIL_BATCH = 25  # mentorships per mail job


def _refusal(run: MatchRun) -> MatchRunError:
    if run.status == MatchRunStatus.PUBLISHED:
        return MatchRunError(f"Run #{run.id} is published already; nothing was published twice.")
    return MatchRunError(f"Run #{run.id} isn't finished, so there is nothing to publish yet.")


def publish_match_run(run: MatchRun, actor_id: int | None) -> list[Mentorship]:
    """Make the run's approved pairs mentorships, all or none; mail both people once it commits."""
    claimed = db.session.execute(
        update(MatchRun).where(MatchRun.id == run.id, MatchRun.status == MatchRunStatus.FINISHED)
        .values(status=MatchRunStatus.PUBLISHED, published_at=utcnow(), published_by_id=actor_id)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.refresh(run)
        raise _refusal(run)
    approved = list(db.session.scalars(select(MatchSuggestion).where(
        MatchSuggestion.run_id == run.id, MatchSuggestion.decision == SuggestionDecision.APPROVED)
        .order_by(MatchSuggestion.id)))
    if not approved:
        raise MatchRunError("Approve at least one pair before publishing; nothing was published.")
    program = db.session.get(Program, run.program_id)
    if program.format == ProgramFormat.GROUP:  # one circle per mentor
        circles = defaultdict(list)
        for suggestion in approved:
            circles[suggestion.mentor_id].append(suggestion.mentee_id)
        groups = list(circles.items())
    else:
        groups = [(suggestion.mentor_id, [suggestion.mentee_id]) for suggestion in approved]
    if program.format == ProgramFormat.ONE_TO_ONE:
        # Matched mentees need their other requests no more; withdrawing them frees the places they held.
        withdraw_pending_requests(program, [mentee_id for _, mentees in groups for mentee_id in mentees])
    try:
        made = create_mentorships(program, groups, MentorshipOrigin.ADMIN_MATCH, actor_id, match_run_id=run.id,
                                  note=f"Matched in run #{run.id}")
    except MentorshipError as error:
        raise MatchRunError("Nothing was published: some approved pairs can't be made any more. Reject or swap "
                            "them, then publish again.", error.problems) from None
    counts = dict(db.session.execute(select(MatchSuggestion.decision, func.count())
                                     .where(MatchSuggestion.run_id == run.id)
                                     .group_by(MatchSuggestion.decision)).all())
    audit(actor_id, "match.publish", "match_run", run.id, run.institution_id, program_id=program.id,
          mentorships=len(made), **{decision.value: counts.get(decision, 0) for decision in SuggestionDecision})
    for mentorship in made:  # the mail with the reasons is sent below; this puts it in the in-app list
        notify([participant.user_id for participant in mentorship.participants], "mentorship_started",
               f"A new mentorship in {program.name}", "Your program team has matched you. Open the mentorship to "
               "say hello and book a first session.", f"/mentorships/{mentorship.id}",
               institution_id=run.institution_id, email=False)
    ids = [mentorship.id for mentorship in made]
    for start in range(0, len(ids), MAIL_BATCH):
        enqueue_after_commit("mail", send_new_mentorship_mails, run.institution_id, ids[start:start + MAIL_BATCH])
    db.session.refresh(run)
    return made


def _reasons(mentorship: Mentorship, mentee_id: int, mentor_id: int, viewer: str) -> list[str]:
    if mentorship.match_run_id is None:
        return []
    breakdown = db.session.scalar(select(MatchSuggestion.breakdown).where(
        MatchSuggestion.run_id == mentorship.match_run_id, MatchSuggestion.mentee_id == mentee_id,
        MatchSuggestion.mentor_id == mentor_id))
    return explain(breakdown, viewer=viewer)[:4] if breakdown else []


def send_new_mentorship_mails(institution_id: int, mentorship_ids: list[int]) -> int:
    """Tell each mentor and mentee of these new mentorships who they were matched with, and why."""
    from portal.extensions import mail
    from portal.mail import send_templated_mail

    sent = 0
    with tenant_scope(institution_id), mail.get_connection() as connection:
        mentorships = db.session.scalars(
            select(Mentorship).where(Mentorship.id.in_(mentorship_ids), Mentorship.status == MentorshipStatus.ACTIVE)
            .options(selectinload(Mentorship.participants).selectinload(MentorshipParticipant.user)))
        for mentorship in mentorships:
            program = db.session.get(Program, mentorship.program_id)
            mentor = next(p.user for p in mentorship.participants if p.role == ParticipantRole.MENTOR)
            mentees = [p.user for p in mentorship.participants if p.role == ParticipantRole.MENTEE]
            for mentee in mentees:
                send_templated_mail(
                    mentee.email, f"Meet your mentor, {mentor.name}", "new_mentorship", user=mentee,
                    program=program, others=[mentor], as_mentor=False, connection=connection,
                    reasons=_reasons(mentorship, mentee.id, mentor.id, "mentee"))
                sent += 1
            names = " and ".join(mentee.name for mentee in mentees)
            send_templated_mail(
                mentor.email, f"Meet your new mentee, {names}", "new_mentorship", user=mentor, program=program,
                others=mentees, as_mentor=True, connection=connection,
                reasons=_reasons(mentorship, mentees[0].id, mentor.id, "admin") if len(mentees) == 1 else [])
            sent += 1
    return sent

"""The closing survey of an ended mentorship: each participant answers once; admins read the answers."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.blueprints.access import mentorship_or_404
from portal.blueprints.feedback import bp
from portal.blueprints.feedback.forms import ClosingSurveyForm
from portal.blueprints.meetings.routes import workspace_url
from portal.extensions import db
from portal.meetings import AlreadyAnswered, MeetingError, closing_survey_of, closing_survey_pending, submit_closing_survey
from portal.meetings.after import participants_of
from portal.models import ClosingSurvey, Mentorship, MentorshipStatus, ParticipantRole


def closing_survey_due(mentorship: Mentorship, viewer_role: ParticipantRole | None) -> bool:
    """Tell whether the signed-in participant still owes this ended mentorship its closing survey."""
    return viewer_role is not None and closing_survey_pending(mentorship, current_user.id)


@bp.route("/mentorships/<int:mentorship_id>/closing-survey", methods=["GET", "POST"])
@login_required
def closing_survey(mentorship_id: int):
    """Answer the closing survey of an ended mentorship (participants); read the answers (admins)."""
    mentorship, viewer_role = mentorship_or_404(mentorship_id, change=request.method == "POST")
    form = ClosingSurveyForm()
    problem = None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                submit_closing_survey(mentorship.id, current_user.id, form.recommend.data, form.comment.data)
                db.session.commit()
                flash("Thank you! Your answer helps the program team make mentoring better for the next pairs.",
                      "success")
                return redirect(url_for("feedback.closing_survey", mentorship_id=mentorship.id))
            except AlreadyAnswered as error:
                db.session.rollback()
                flash(str(error), "info")
                return redirect(url_for("feedback.closing_survey", mentorship_id=mentorship.id))
            except MeetingError as error:
                db.session.rollback()
                problem = str(error)
        else:
            problem = "Please check the form: " + next(iter(e for errors in form.errors.values() for e in errors))
    people = participants_of(mentorship.id)
    answers = []
    if viewer_role is None:
        answers = list(db.session.scalars(select(ClosingSurvey).where(ClosingSurvey.mentorship_id == mentorship.id)
                                          .order_by(ClosingSurvey.created_at)))
    mine = closing_survey_of(mentorship.id, current_user.id) if viewer_role is not None else None
    status = 200 if problem is None else 422
    return render_template("feedback/closing_survey.html", mentorship=mentorship, viewer_role=viewer_role, form=form,
                           problem=problem, mine=mine, answers=answers, people=people,
                           ended=mentorship.status != MentorshipStatus.ACTIVE,
                           workspace_url=workspace_url(mentorship.id)), status

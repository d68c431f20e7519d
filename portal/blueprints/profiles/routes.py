"""Edit your own profile; tag suggestions as you type (htmx), and a form that works without it."""

from __future__ import annotations


from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.blueprints.access import safe_next
from portal.blueprints.profiles import bp
from portal.blueprints.profiles.forms import AFFINITY_FIELD_NAMES, affinity_answers, profile_form
from portal.extensions import db
from portal.models import Role
from portal.profiles import ProfileError
from portal.profiles.completeness import profile_completeness
from portal.profiles.editing import AFFINITY_QUESTIONS, update_profile
from portal.profiles.tags import TAG_FIELDS, clean_tags, split_tags, suggest_tags as find_suggestions

EDITABLE = ("headline", "bio", "location", "languages", "degree", "major", "graduation_year", "employer",
            "job_title", "industry", "skills", "career_interests", "mentoring_topics", "capacity",
            "accepting_requests", "meeting_preferences")


def _tag_fields_for(role: Role) -> list[str]:
    return [name for name in TAG_FIELDS if name != "mentoring_topics" or role == Role.MENTOR]


@bp.route("", methods=["GET", "POST"])
@login_required
def edit_profile():
    """Show and save the signed-in person's own profile."""
    user = current_user._get_current_object()
    profile = user.profile
    affinity = dict(profile.affinity or {}) if profile else {}
    initial = {f"affinity_{key}": affinity.get(key) for key, *_ in AFFINITY_QUESTIONS}
    form = profile_form(user.role, obj=profile, data={**initial, "affinity_consent": bool(affinity)},
                        next=request.args.get("next", ""))
    if form.validate_on_submit():
        changes = {name: form[name].data for name in EDITABLE if name in form}
        changes["affinity"] = affinity_answers(form)
        changes["affinity_consent"] = form.affinity_consent.data
        try:
            update_profile(user, changes)
        except ProfileError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            completeness = profile_completeness(user)
            if completeness.complete:
                flash("Your profile is saved.", "success")
            else:
                still = ", ".join(label.lower() for label, _ in completeness.missing)
                flash(f"Your profile is saved. To be matched well, add your {still} too.", "success")
            return redirect(safe_next(form.next.data) or url_for("profiles.edit_profile"))
    elif form.errors:
        flash("Some fields need another look; they are marked below. Nothing was saved yet.", "danger")
    return render_template("profiles/edit.html", form=form, completeness=profile_completeness(user),
                           tag_fields=_tag_fields_for(user.role), affinity_fields=AFFINITY_FIELD_NAMES,
                           onboarding=safe_next(form.next.data) is not None)


def _field_or_404() -> str:
    field = request.args.get("field", "")
    if field not in _tag_fields_for(current_user.role):
        abort(404)
    return field


def _typed_and_chosen(field: str) -> tuple[list[str], list[str]]:
    """Split the tag box's request: what is typed in the box (its first value), and the ticked chips."""
    values = request.args.getlist(field)
    return split_tags(values[:1]), values[1:]


@bp.route("/tags")
@login_required
def suggest_tags():
    """Answer a small list of tag suggestions for what the person is typing."""
    field = _field_or_404()
    typed, chips = _typed_and_chosen(field)
    prefix = request.args.get("q")
    if prefix is None:  # the tag box sends its own text: suggest for the tag being typed, the last one
        prefix = typed[-1] if typed else ""
        typed = typed[:-1]
    chosen = {" ".join(tag.split()).casefold() for tag in split_tags(chips) + typed}
    suggestions = [tag for tag in find_suggestions(field, prefix, limit=8 + len(chosen))
                   if tag.casefold() not in chosen][:8]
    return render_template("profiles/_tag_suggestions.html", field=field, suggestions=suggestions,
                           prefix=" ".join(prefix.split()))


@bp.route("/tags/add")
@login_required
def add_tag():
    """Answer the tag box again with the picked suggestion added (the form is saved as usual)."""
    field = _field_or_404()
    typed, chips = _typed_and_chosen(field)
    values = chips + typed[:-1] + [request.args.get("tag", "")]  # the half-typed tag gives way to the pick
    form = profile_form(current_user.role, formdata=None)
    tag_field = getattr(form, field)
    try:
        tag_field.data = clean_tags(values, tag_field.label.text)
    except ProfileError as error:
        tag_field.data = [" ".join(tag.split()) for tag in split_tags(values) if tag.strip()]
        tag_field.errors = [str(error)]
    return render_template("profiles/_tag_field.html", field=tag_field, focus=True)

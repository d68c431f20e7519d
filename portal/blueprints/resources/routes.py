"""Admins write and publish resources; participants read the ones meant for them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_htmx import make_response as htmx_response
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.blueprints.access import admin_required, get_or_404
from portal.blueprints.resources import bp
from portal.blueprints.resources.forms import AUDIENCE_LABELS, PreviewForm, ResourceForm
from portal.extensions import db, htmx
from portal.models import Program, Resource
from portal.resources import ResourceError
from portal.resources.content import (
    excerpt, group_by_kind, readable_resource, render_markdown, resources_for, resources_of_institution,
)
from portal.resources.editing import BODY_MAX, delete_resource as delete_resource_record, save_resource, set_published


def _program_names() -> dict[int, str]:
    return dict(db.session.execute(select(Program.id, Program.name)).all())


def _editor_form(resource: Resource | None = None) -> ResourceForm:
    form = ResourceForm(obj=resource)
    form.set_programs(db.session.scalars(select(Program).order_by(Program.name)), current_user.institution.name)
    return form


def _render_editor(form: ResourceForm, resource: Resource | None = None):
    preview = render_markdown(form.body_markdown.data or "")
    return render_template("resources/edit.html", form=form, resource=resource, preview=preview, body_max=BODY_MAX)


def _save_from(form: ResourceForm, resource_id: int | None = None) -> Resource | None:
    """Save the form's resource, or put the domain's complaint on the form and return None."""
    try:
        resource = save_resource(
            current_user.institution_id, resource_id=resource_id, title=form.title.data,
            body_markdown=form.body_markdown.data, kind=form.kind.data, audience=form.audience.data,
            program_id=form.program_id.data, published=form.published.data, position=form.position.data)
    except ResourceError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return None
    db.session.commit()
    return resource


def _saved_message(resource: Resource, created: bool) -> str:
    verb = "is published" if resource.published else "is saved as a draft; publish it when it's ready"
    return f"“{resource.title}” {verb}." if created else f"Your changes to “{resource.title}” are saved."


@bp.route("/admin/resources")
@admin_required
def list_resources():
    """List the institution's resources, drafts included."""
    return render_template("resources/index.html", resources=resources_of_institution(current_user.institution_id),
                           program_names=_program_names(), audience_labels=AUDIENCE_LABELS)


@bp.route("/admin/resources/new", methods=["GET", "POST"])
@admin_required
def new_resource():
    """Write a new resource."""
    form = _editor_form()
    if form.validate_on_submit() and (resource := _save_from(form)):
        flash(_saved_message(resource, created=True), "success")
        return redirect(url_for("resources.list_resources"))
    return _render_editor(form)


@bp.route("/admin/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_resource(resource_id: int):
    """Edit a resource, with a live preview of its text."""
    resource = get_or_404(Resource, resource_id)
    form = _editor_form(resource)
    if form.validate_on_submit() and _save_from(form, resource.id):
        flash(_saved_message(resource, created=False), "success")
        return redirect(url_for("resources.list_resources"))
    return _render_editor(form, resource)


@bp.route("/admin/resources/preview", methods=["POST"])
@admin_required
def preview_markdown():
    """Return the text as people will see it, sanitised, as the admin types."""
    form = PreviewForm()
    body = form.body_markdown.data or ""
    too_long = len(body) > BODY_MAX
    return render_template("resources/_preview.html", preview=render_markdown(body[:BODY_MAX]),
                           too_long=too_long, length=len(body), body_max=BODY_MAX)


def _row_or_list(resource: Resource, message: str):
    if htmx:
        return render_template("resources/_row.html", resource=resource, program_names=_program_names(),
                               audience_labels=AUDIENCE_LABELS, notice=message)
    flash(message, "success")
    return redirect(url_for("resources.list_resources"))


@bp.route("/admin/resources/<int:resource_id>/publish", methods=["POST"])
@admin_required
def publish_resource(resource_id: int):
    """Publish a resource: the people it is meant for can read it."""
    return _set_publication(resource_id, True, "“{title}” is published.")


@bp.route("/admin/resources/<int:resource_id>/unpublish", methods=["POST"])
@admin_required
def unpublish_resource(resource_id: int):
    """Take a resource back to draft: only admins can see it."""
    return _set_publication(resource_id, False, "“{title}” is back to draft; only admins can see it.")


def _set_publication(resource_id: int, published: bool, message: str):
    resource = get_or_404(Resource, resource_id)
    set_published(current_user.institution_id, resource.id, published)
    db.session.commit()
    return _row_or_list(resource, message.format(title=resource.title))


@bp.route("/admin/resources/<int:resource_id>/delete", methods=["POST"])
@admin_required
def delete_resource(resource_id: int):
    """Delete a resource for good."""
    resource = get_or_404(Resource, resource_id)
    title = delete_resource_record(current_user.institution_id, resource.id)
    db.session.commit()
    flash(f"“{title}” is deleted.", "success")
    if htmx:
        return htmx_response("", redirect=url_for("resources.list_resources"))
    return redirect(url_for("resources.list_resources"))


@bp.route("/resources")
@login_required
def library():
    """List the handbooks, guides and questions meant for the signed-in person."""
    groups = group_by_kind(resources_for(current_user))
    return render_template("resources/library.html", groups=groups, excerpt=excerpt)


@bp.route("/resources/<int:resource_id>")
@login_required
def show_resource(resource_id: int):
    """Show one resource as an article."""
    resource = readable_resource(current_user, resource_id)
    if resource is None:
        abort(404)
    program_name = _program_names().get(resource.program_id) if resource.program_id else None
    return render_template("resources/show.html", resource=resource, body=render_markdown(resource.body_markdown),
                           program_name=program_name, audience_labels=AUDIENCE_LABELS)

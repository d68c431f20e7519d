"""Write, publish, unpublish and delete resources (admins)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Program, Resource, ResourceAudience, ResourceKind
from portal.resources import ResourceError

TITLE_MAX = 200
BODY_MAX = 50_000
POSITION_MAX = 999


def find_resource(institution_id: int, resource_id: int) -> Resource:
    """Return the institution's resource, or raise when there is none."""
    resource = db.session.scalar(
        select(Resource).where(Resource.id == resource_id, Resource.institution_id == institution_id))
    if resource is None:
        raise ResourceError("That resource no longer exists.")
    return resource


def _check_program(institution_id: int, program_id: int | None) -> int | None:
    if not program_id:
        return None
    found = db.session.scalar(
        select(Program.id).where(Program.id == program_id, Program.institution_id == institution_id))
    if found is None:
        raise ResourceError("That program no longer exists. Choose another, or everyone in the institution.")
    return found


def _next_position(institution_id: int, kind: ResourceKind) -> int:
    highest = db.session.scalar(select(func.max(Resource.position)).where(
        Resource.institution_id == institution_id, Resource.kind == kind))
    return 0 if highest is None else min(highest + 1, POSITION_MAX)


def save_resource(institution_id: int, *, title: str, body_markdown: str, kind: str | ResourceKind,
                  audience: str | ResourceAudience, program_id: int | None = None, published: bool = False,
                  position: int | None = None, resource_id: int | None = None) -> Resource:
    """Create a resource, or update `resource_id`; check every field and flush."""
    title = (title or "").strip()
    body = (body_markdown or "").strip()
    if not title:
        raise ResourceError("Give the resource a title, e.g. “Mentor handbook”.")
    if len(title) > TITLE_MAX:
        raise ResourceError(f"Keep the title under {TITLE_MAX} characters (it has {len(title)}).")
    if not body:
        raise ResourceError("Write the text of the resource: people will read it as a page.")
    if len(body) > BODY_MAX:
        raise ResourceError(f"The text is too long: keep it under {BODY_MAX:,} characters (it has {len(body):,}). "
                            "Split it into two resources.")
    try:
        kind, audience = ResourceKind(kind), ResourceAudience(audience)
    except ValueError:
        raise ResourceError("Choose what kind of resource this is and who it is for.") from None
    if position is not None and not 0 <= position <= POSITION_MAX:
        raise ResourceError(f"The position is a number from 0 to {POSITION_MAX}.")
    program_id = _check_program(institution_id, program_id)

    if resource_id is None:
        if position is None:
            position = _next_position(institution_id, kind)
        resource = Resource(institution_id=institution_id)
        db.session.add(resource)
    else:
        resource = find_resource(institution_id, resource_id)
    resource.title, resource.body_markdown = title, body
    resource.kind, resource.audience, resource.program_id = kind, audience, program_id
    resource.published = bool(published)
    if position is not None:
        resource.position = position
    db.session.flush()
    return resource


def set_published(institution_id: int, resource_id: int, published: bool) -> Resource:
    """Publish a resource (people can read it) or take it back to draft."""
    resource = find_resource(institution_id, resource_id)
    resource.published = published
    db.session.flush()
    return resource


def delete_resource(institution_id: int, resource_id: int) -> str:
    """Delete a resource for good; return its title for the confirmation message."""
    resource = find_resource(institution_id, resource_id)
    title = resource.title
    db.session.delete(resource)
    db.session.flush()
    return title

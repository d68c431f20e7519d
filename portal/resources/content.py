"""Turn an admin's Markdown into safe HTML, and find the resources a person may read."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import Select, case, select

from portal.extensions import db
from portal.models import Enrollment, EnrollmentStatus, Resource, ResourceAudience, ResourceKind, Role, User

# Raw HTML in the Markdown is parsed, then everything outside this list is dropped by nh3:
# no scripts, frames, forms, styles, event handlers or hx-* attributes can reach a page.
ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li",
    "a", "strong", "em", "code", "pre", "blockquote", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
# Removed together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template",
                        "textarea", "select", "svg", "math"}
LINK_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark").enable("table")
_HEADING = re.compile(r"<h[1-6]>.*?</h[1-6]>", re.DOTALL)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)

# Kinds in the order a newcomer should read them.
KIND_ORDER = list(ResourceKind)
AUDIENCES_OF_ROLE = {
    Role.MENTOR: (ResourceAudience.MENTORS, ResourceAudience.EVERYONE),
    Role.STUDENT: (ResourceAudience.MENTEES, ResourceAudience.EVERYONE),
}


def _is_relative(url: str) -> bool:
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Pictures only over https or from the portal itself: never data: or plain http.
        return value if value.strip().lower().startswith("https://") or _is_relative(value) else None
    return value


def sanitise_html(html: str) -> Markup:
    """Keep only the allowed tags and attributes of `html`; links get rel=noopener noreferrer."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return Markup(cleaned)


def render_markdown(text: str) -> Markup:
    """Render CommonMark (with tables) to sanitised HTML that is safe to put in a page."""
    return sanitise_html(_markdown.render(text or ""))


def excerpt(text: str, limit: int = 180) -> str:
    """Return the first lines of a resource as plain text (its paragraphs first), cut at a word."""
    html = str(render_markdown(text))
    paragraphs = _PARAGRAPH.findall(html)
    source = " ".join(paragraphs) if paragraphs else _HEADING.sub(" ", html)
    plain = Markup(source).striptags()
    if len(plain) <= limit:
        return plain
    cut = plain[:limit].rsplit(" ", 1)[0].rstrip(",.;:-–—")
    return cut + "…"


def _enrolled_program_ids(user_id: int) -> Select:
    return select(Enrollment.program_id).where(
        Enrollment.user_id == user_id, Enrollment.status == EnrollmentStatus.ACTIVE)


def _readable(user: User) -> Select:
    """Select what `user` may read: admins everything of their institution, others what fits them."""
    query = select(Resource).where(Resource.institution_id == user.institution_id)
    if user.role == Role.ADMIN:
        return query
    return query.where(
        Resource.published.is_(True),
        Resource.audience.in_(AUDIENCES_OF_ROLE.get(user.role, (ResourceAudience.EVERYONE,))),
        Resource.program_id.is_(None) | Resource.program_id.in_(_enrolled_program_ids(user.id)),
    )


def _in_reading_order(query: Select) -> Select:
    kind_rank = case({kind: rank for rank, kind in enumerate(KIND_ORDER)}, value=Resource.kind, else_=99)
    return query.order_by(kind_rank, Resource.position, Resource.title, Resource.id)


def resources_for(user: User) -> list[Resource]:
    """Return the published resources `user` should see, by kind, then position, then title."""
    query = _readable(user).where(Resource.published.is_(True))
    return list(db.session.scalars(_in_reading_order(query)))


def readable_resource(user: User, resource_id: int) -> Resource | None:
    """Return the resource if `user` may open it (admins: drafts too), else None."""
    return db.session.scalar(_readable(user).where(Resource.id == resource_id))


def resources_of_institution(institution_id: int) -> list[Resource]:
    """Return every resource of an institution, drafts included, in reading order."""
    query = select(Resource).where(Resource.institution_id == institution_id)
    return list(db.session.scalars(_in_reading_order(query)))


def group_by_kind(resources: list[Resource]) -> list[tuple[ResourceKind, list[Resource]]]:
    """Group resources already in reading order under their kind."""
    groups: dict[ResourceKind, list[Resource]] = {}
    for resource in resources:
        groups.setdefault(resource.kind, []).append(resource)
    return list(groups.items())

"""iCalendar files: one session to download, and a person's subscription feed.

Times are written in UTC, so calendars show them in each reader's own timezone. A session
keeps its UID for life; every change raises SEQUENCE, so calendars replace the old copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from portal.models import Meeting, MeetingStatus, User
from portal.scheduling.notices import session_path

PRODID = "-//Mentor Portal//Sessions//EN"
ICS_STATUS = {
    MeetingStatus.PROPOSED: "TENTATIVE",
    MeetingStatus.CONFIRMED: "CONFIRMED",
    MeetingStatus.COMPLETED: "CONFIRMED",
    MeetingStatus.NO_SHOW: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _address(person: User, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    address.params["role"] = vText("CHAIR" if role == "mentor" else "REQ-PARTICIPANT")
    return address


def session_event(meeting: Meeting, people: list[tuple[User, str]], base_url: str) -> Event:
    """Return the VEVENT of one session; `people` are (person, role value), the mentor first."""
    names = " and ".join(person.name for person, _ in people)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    prefix = "Cancelled: " if cancelled else ("Proposed: " if meeting.status == MeetingStatus.PROPOSED else "")
    event.add("summary", f"{prefix}Mentoring session: {names}")
    event.add("status", ICS_STATUS[meeting.status])
    if meeting.location:
        event.add("location", meeting.location)
    url = f"{base_url}{session_path(meeting.id)}"
    description = [f"{meeting.mode.label}" + (f": {meeting.location}" if meeting.location else "")]
    if meeting.agenda:
        description.append(f"Agenda:\n{meeting.agenda}")
    if cancelled and meeting.status_reason:
        description.append(f"Cancelled: {meeting.status_reason}")
    description.append(f"Details and changes: {url}")
    event.add("description", "\n\n".join(description))
    event.add("url", url)
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    for person, role in people:
        if role == "mentor":
            event.add("organizer", _address(person, role))
        event.add("attendee", _address(person, role))
    return event


def session_calendar(meeting: Meeting, people: list[tuple[User, str]], base_url: str) -> bytes:
    """Return the .ics file of one session; a cancelled one is a CANCEL that removes it from calendars."""
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "PUBLISH"
    calendar = _calendar(method)
    calendar.add_component(session_event(meeting, people, base_url))
    return calendar.to_ical()


def feed_calendar(meetings: Iterable[tuple[Meeting, list[tuple[User, str]]]], base_url: str,
                  institution_name: str) -> bytes:
    """Return a person's subscription feed: their sessions, cancelled ones marked CANCELLED."""
    calendar = _calendar("PUBLISH", f"Mentoring sessions · {institution_name}")
    calendar.add("x-published-ttl", "PT1H")  # ask subscribers to refresh hourly
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for meeting, people in meetings:
        calendar.add_component(session_event(meeting, people, base_url))
    return calendar.to_ical()

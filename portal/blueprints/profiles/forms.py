"""The profile form: built per role (mentors also set capacity, topics and availability)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from portal.blueprints.fields import WholeNumberField
from portal.models import Role
from portal.profiles import ProfileError
from portal.profiles.editing import (
    AFFINITY_QUESTIONS, EARLIEST_GRADUATION_YEAR, MAX_CAPACITY, MIN_CAPACITY, TEXT_FIELDS, latest_graduation_year,
)
from portal.profiles.tags import MAX_TAGS, clean_tags, split_tags


class TagField(Field):
    """Tags as ticked chips plus a text box for more; several may be typed, separated by ';' or ','."""

    def process_formdata(self, valuelist):
        # The tag box comes first in the page (see profiles/_tag_field.html), the ticked chips after
        # it: keep the chips' order and add what was typed at the end.
        valuelist = list(valuelist[1:]) + list(valuelist[:1])
        self.data = [" ".join(tag.split()) for tag in split_tags(valuelist) if tag.strip()]
        try:
            self.data = clean_tags(valuelist, self.label.text)
        except ProfileError as error:
            raise ValueError(str(error)) from None

    def process_data(self, value):
        self.data = list(value or [])

    def _value(self):
        return "; ".join(self.data or [])


def _text(label: str, attribute: str, description: str = "", area: bool = False):
    limit = TEXT_FIELDS[attribute]
    kind = TextAreaField if area else StringField
    return kind(label, validators=[Length(max=limit, message=f"Use at most {limit} characters.")],
                description=description, render_kw={"rows": 4} if area else None)


class ProfileForm(FlaskForm):
    headline = _text("Headline", "headline", "One line, e.g. “Data scientist in healthcare, happy to talk "
                                             "about grad school”.")
    bio = _text("About you", "bio", "A few sentences: your path so far and what you'd like to get from the "
                                   "program.", area=True)
    location = _text("Location", "location", "City and country, e.g. Boston, USA.")
    languages = TagField("Languages", description="The languages you're happy to meet in.")
    degree = _text("Degree", "degree", "e.g. BSc, BA, MBA.")
    major = _text("Major or field of study", "major")
    graduation_year = WholeNumberField(
        "Graduation year", unreadable="Enter the year as four digits, e.g. 2027.", validators=[Optional(), NumberRange(
            EARLIEST_GRADUATION_YEAR, latest_graduation_year(),
            message=f"Enter a year between {EARLIEST_GRADUATION_YEAR} and {latest_graduation_year()}.")],
        description="The year you graduated, or expect to.")
    employer = _text("Employer", "employer")
    job_title = _text("Job title", "job_title")
    industry = _text("Industry", "industry", "e.g. Healthcare, Software, Finance.")
    skills = TagField("Skills", description=f"What you're good at or learning; up to {MAX_TAGS}.")
    career_interests = TagField("Career interests", description="Careers you'd like to explore or grow in.")
    mentoring_topics = TagField("Mentoring topics", description="What students can ask you about.")
    capacity = WholeNumberField(
        "Mentees at a time", validators=[Optional(), NumberRange(
            MIN_CAPACITY, MAX_CAPACITY, message=f"Choose between {MIN_CAPACITY} and {MAX_CAPACITY} mentees.")],
        description=f"Between {MIN_CAPACITY} and {MAX_CAPACITY}. We never match you with more.")
    accepting_requests = BooleanField("I'm accepting new mentee requests")
    meeting_preferences = _text("Meeting preferences", "meeting_preferences",
                                "e.g. Video calls on weekday evenings; coffee in Boston now and then.")
    affinity_consent = BooleanField(
        "I agree that programs which ask for it may use the details above to suggest matches. "
        "I can remove them at any time.")
    next = HiddenField()

    def validate_affinity_consent(self, field):
        if not field.data and any(affinity_answers(self).values()):
            raise ValidationError("Tick this box to share the details above, or clear them: without your "
                                  "consent we store none of them.")


for _key, _label, _kind in AFFINITY_QUESTIONS:
    setattr(ProfileForm, f"affinity_{_key}", BooleanField(_label) if _kind == "yes" else StringField(
        _label, validators=[Length(max=60, message="Use at most 60 characters.")]))

MENTOR_ONLY = ("mentoring_topics", "capacity", "accepting_requests")
STUDENT_ONLY = ()
AFFINITY_FIELD_NAMES = [f"affinity_{key}" for key, *_ in AFFINITY_QUESTIONS]


def profile_form(role: Role, **kwargs) -> ProfileForm:
    """Return the profile form with the fields that apply to `role`."""
    form = ProfileForm(**kwargs)
    if role != Role.MENTOR:
        for name in MENTOR_ONLY:
            delattr(form, name)
    return form


def affinity_answers(form: ProfileForm) -> dict:
    """Return the opt-in answers given in the form, by key."""
    return {key: getattr(form, f"affinity_{key}").data for key, *_ in AFFINITY_QUESTIONS}

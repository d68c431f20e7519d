"""How complete a profile is, judged by what matching and people browsing profiles rely on."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.models import Profile, Role, User

# (attribute, label, why it matters); the essentials differ by role, in order of importance.
ESSENTIALS = {
    Role.MENTOR: [
        ("skills", "Skills", "we match mentors and students on shared skills"),
        ("mentoring_topics", "Mentoring topics", "students pick a mentor by what they can help with"),
        ("industry", "Industry", "students looking at your industry find you first"),
        ("job_title", "Job title", "students want to know the role you can speak about"),
        ("employer", "Employer", "students search for mentors at organisations they admire"),
        ("capacity", "Capacity", "we never send you more mentees than you can take"),
    ],
    Role.STUDENT: [
        ("career_interests", "Career interests", "we match you with mentors working in those careers"),
        ("skills", "Skills", "we match mentors and students on shared skills"),
        ("major", "Major", "mentors who studied the same subject know your path"),
        ("graduation_year", "Graduation year", "it tells mentors where you are in your studies"),
    ],
    Role.ADMIN: [
        ("job_title", "Job title", "people know who runs their program"),
        ("headline", "Headline", "it is the line people see next to your name"),
    ],
}

# Not needed for matching, but they help people choose and start a conversation.
EXTRAS = [
    ("headline", "Headline", "it is the first line people read about you"),
    ("bio", "Bio", "a few sentences make the first conversation easier"),
    ("languages", "Languages", "some people prefer to meet in their first language"),
    ("location", "Location", "it helps people who would like to meet in person"),
]


@dataclass
class Completeness:
    percent: int  # share of the essentials filled in, 0-100
    missing: list[tuple[str, str]] = field(default_factory=list)  # (label, why it matters), essentials only
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # optional fields still empty
    filled: int = 0
    total: int = 0
    missing_fields: list[str] = field(default_factory=list)  # the profile attributes behind `missing`

    @property
    def complete(self) -> bool:
        return not self.missing


def _filled(profile: Profile | None, attribute: str) -> bool:
    value = getattr(profile, attribute, None) if profile is not None else None
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None


def profile_completeness(user: User) -> Completeness:
    """Return how complete `user`'s profile is, and what is missing and why it matters."""
    profile = user.profile
    essentials = ESSENTIALS[user.role]
    absent = [(attribute, label, why) for attribute, label, why in essentials if not _filled(profile, attribute)]
    missing = [(label, why) for _, label, why in absent]
    essential_attributes = {attribute for attribute, *_ in essentials}
    suggestions = [(label, why) for attribute, label, why in EXTRAS
                   if attribute not in essential_attributes and not _filled(profile, attribute)]
    filled = len(essentials) - len(missing)
    return Completeness(percent=round(100 * filled / len(essentials)), missing=missing, suggestions=suggestions,
                        filled=filled, total=len(essentials), missing_fields=[attribute for attribute, *_ in absent])

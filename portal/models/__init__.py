"""Every model, imported here so Alembic and the app see the whole schema."""

from portal.models.base import Base, TenantOwned, utcnow
from portal.models.institution import Institution
from portal.models.imports import ImportStatus, PeopleImport
from portal.models.mail import OutboxMail
from portal.models.matching import (
    AuditEvent, MatchRun, MatchRunStatus, MatchSuggestion, PairRule, PairRuleKind, SuggestionDecision,
)
from portal.models.mentorships import (
    Mentorship, MentorshipEvent, MentorshipOrigin, MentorshipParticipant, MentorshipStatus, ParticipantRole,
)
from portal.models.programs import (
    DEFAULT_MATCHING_WEIGHTS, Audience, Enrollment, EnrollmentRole, EnrollmentSource, EnrollmentStatus, MatchMode,
    MatchRule, Program, ProgramFormat, ProgramStatus, Question, QuestionKind,
)
from portal.models.goals import Goal, GoalKind, GoalStatus, GoalUpdate, Milestone
from portal.models.messages import Message, MessageRead, SharedNote
from portal.models.reports import DigestSent, Nudge
from portal.models.requests import DeclineReason, MentorRequest, Notification, RequestStatus
from portal.models.scheduling import (
    ActionItem, AvailabilityWindow, CalendarFeed, ClosingSurvey, DateOff, Meeting, MeetingMode, MeetingStatus,
    SessionFeedback,
)
from portal.models.resources import Resource, ResourceAudience, ResourceKind
from portal.models.user import AuthToken, LoginSession, Profile, Role, TokenPurpose, User, UserStatus

__all__ = [
    "ActionItem", "AvailabilityWindow", "CalendarFeed", "ClosingSurvey", "DateOff", "DeclineReason", "DigestSent",
    "Goal", "GoalKind", "GoalStatus", "GoalUpdate", "Meeting", "MeetingMode", "MeetingStatus", "MentorRequest",
    "Message", "MessageRead", "Milestone", "Notification", "Nudge", "RequestStatus", "SessionFeedback", "SharedNote",
    "AuditEvent", "MatchRun", "MatchRunStatus", "MatchSuggestion", "Mentorship", "MentorshipEvent",
    "MentorshipOrigin", "MentorshipParticipant", "MentorshipStatus", "PairRule", "PairRuleKind",
    "ParticipantRole", "SuggestionDecision",
    "DEFAULT_MATCHING_WEIGHTS", "Audience", "AuthToken", "Base", "Enrollment", "EnrollmentRole",
    "EnrollmentSource", "EnrollmentStatus", "ImportStatus", "Institution", "LoginSession", "MatchMode",
    "MatchRule", "OutboxMail", "PeopleImport", "Profile", "Program", "ProgramFormat", "ProgramStatus",
    "Question", "QuestionKind", "Resource", "ResourceAudience", "ResourceKind", "Role", "TenantOwned",
    "TokenPurpose", "User", "UserStatus", "utcnow",
]

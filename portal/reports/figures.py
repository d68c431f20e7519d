"""The shapes a report's figures come in: plain values the pages, charts and tests read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Ratio:
    """`part` of `whole`, e.g. 12 of 40 mentees matched."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        """The share in percent, one decimal; None when there is nothing to divide by."""
        return round(100 * self.part / self.whole, 1) if self.whole else None


@dataclass(frozen=True)
class SessionFrequency:
    active_pairs: int  # active pairs that were active in the period
    sessions: int  # their completed sessions in the period
    pair_days: float  # the days those pairs were active in the period, added up
    keeping_cadence: Ratio  # active pairs meeting the program's expected cadence

    @property
    def per_30_days(self) -> float | None:
        """Completed sessions per active mentorship per 30 days, one decimal."""
        return round(30 * self.sessions / self.pair_days, 1) if self.pair_days > 0 else None


@dataclass(frozen=True)
class Satisfaction:
    ratings: dict[int, int]  # session rating 1-5 -> how many
    surveys: int
    promoters: int  # closing surveys scoring 9-10
    detractors: int  # closing surveys scoring 0-6

    @property
    def rating_count(self) -> int:
        return sum(self.ratings.values())

    @property
    def mean_rating(self) -> float | None:
        """The mean session rating (1-5), two decimals."""
        count = self.rating_count
        return round(sum(rating * n for rating, n in self.ratings.items()) / count, 2) if count else None

    @property
    def passives(self) -> int:
        return self.surveys - self.promoters - self.detractors

    @property
    def nps(self) -> int | None:
        """% promoters (9-10) minus % detractors (0-6), rounded to a whole number (-100 to 100)."""
        return round(100 * (self.promoters - self.detractors) / self.surveys) if self.surveys else None


@dataclass(frozen=True)
class GoalProgress:
    by_status: dict[str, int]  # GoalStatus value -> how many
    open_goals: int  # not started or in progress
    open_progress_total: int  # their progress percentages added up

    @property
    def goals(self) -> int:
        return sum(self.by_status.values())

    @property
    def achieved(self) -> Ratio:
        return Ratio(self.by_status.get("achieved", 0), self.goals)

    @property
    def mean_open_progress(self) -> float | None:
        return round(self.open_progress_total / self.open_goals, 1) if self.open_goals else None


@dataclass(frozen=True)
class Week:
    starts_on: date  # the Monday
    sessions: int  # completed sessions
    messages: int
    pairs: int  # pairs active at some time in the week
    active_participants: int  # people who met in a completed session or sent a message

    @property
    def per_pair(self) -> float | None:
        """Sessions + messages per pair in the week, two decimals."""
        return round((self.sessions + self.messages) / self.pairs, 2) if self.pairs else None


@dataclass(frozen=True)
class KeyResult:
    program_id: int
    program_name: str
    objective: str
    target: int
    unit: str
    deadline: date | None
    starts_on: date | None
    measured: int  # guided students: mentees with an active or completed mentorship in the program

    @property
    def percent(self) -> float:
        return round(100 * self.measured / self.target, 1) if self.target else 0.0

    @property
    def remaining(self) -> int:
        return max(self.target - self.measured, 0)

    def days_left(self, today: date) -> int | None:
        return (self.deadline - today).days if self.deadline else None

    def expected_by(self, today: date) -> int | None:
        """How many a steady pace from the program's start to the deadline would have reached by `today`."""
        if not (self.deadline and self.starts_on) or self.deadline <= self.starts_on:
            return None
        share = min(max((today - self.starts_on).days / (self.deadline - self.starts_on).days, 0.0), 1.0)
        return round(self.target * share)

    def status(self, today: date) -> str:
        """One of achieved, missed, on_track, behind, open (no pace to compare with)."""
        if self.measured >= self.target:
            return "achieved"
        if self.deadline and today > self.deadline:
            return "missed"
        expected = self.expected_by(today)
        if expected is None:
            return "open"
        return "on_track" if self.measured >= expected else "behind"


@dataclass(frozen=True)
class ProgramRow:
    """One program's line in the institution's comparison table."""

    program_id: int
    name: str
    status: str
    mentees: int = 0
    matched: int = 0
    active_pairs: int = 0

    @property
    def match_rate(self) -> Ratio:
        return Ratio(self.matched, self.mentees)


@dataclass
class Dashboard:
    participation: Ratio
    match: Ratio
    days_to_match: float | None  # the median
    matched_with_dates: int  # how many mentees the median is taken over
    active_pairs: int
    frequency: SessionFrequency
    satisfaction: Satisfaction
    goals: GoalProgress
    weeks: list[Week]
    key_results: list[KeyResult]
    programs: list[ProgramRow] = field(default_factory=list)

"""Demo data: an institution with realistic people, so every page has something to show."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.passwords import hash_password
from portal.accounts.people import create_institution, create_user
from portal.extensions import db
from portal.models import Institution, Role, User, UserStatus, utcnow

DEMO_SLUG = "northbridge"
DEMO_PASSWORD = "mentoring-demo-2026"
DEMO_LOGINS = {
    Role.ADMIN: "admin@northbridge.example.edu",
    Role.MENTOR: "priya.raman@alumni.northbridge.example.edu",
    Role.STUDENT: "jordan.lee@students.northbridge.example.edu",
}


@dataclass
class Person:
    first: str
    last: str
    headline: str = ""
    employer: str = ""
    job_title: str = ""
    industry: str = ""
    location: str = ""
    grad_year: int | None = None
    degree: str = ""
    major: str = ""
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("English",)
    capacity: int | None = None


MENTORS = [
    Person("Priya", "Raman", "Engineering manager who loves helping first-time developers", "Stripe",
           "Engineering Manager", "Fintech", "San Francisco, CA", 2011, "BSc", "Computer Science",
           ("Python", "System design", "People management"), (), ("Career switching", "Technical interviews"),
           ("English", "Tamil"), 3),
    Person("Marcus", "Okafor", "Product lead; ask me about moving from engineering to product", "Spotify",
           "Senior Product Manager", "Media & entertainment", "New York, NY", 2013, "BA", "Economics",
           ("Product management", "Roadmapping", "User research"), (), ("Product careers", "Negotiation"),
           ("English",), 2),
    Person("Elena", "Novak", "Data scientist in healthcare analytics", "Mayo Clinic", "Lead Data Scientist",
           "Healthcare", "Rochester, MN", 2014, "MSc", "Statistics",
           ("Machine learning", "R", "SQL", "Biostatistics"), (), ("Graduate school", "Data careers"),
           ("English", "Czech"), 3),
    Person("Daniel", "Kim", "UX designer; portfolio reviews welcome", "Figma", "Staff Product Designer",
           "Software", "Seattle, WA", 2012, "BFA", "Graphic Design",
           ("UX design", "Prototyping", "Design systems"), (), ("Portfolios", "Design careers"),
           ("English", "Korean"), 2),
    Person("Aisha", "Bello", "Investment banking to venture capital", "Sequoia Capital", "Principal",
           "Venture capital", "Menlo Park, CA", 2010, "MBA", "Finance",
           ("Financial modelling", "Due diligence", "Pitching"), (), ("Finance careers", "MBA applications"),
           ("English", "Yoruba", "French"), 2),
    Person("Tom", "Gallagher", "Civil engineer working on public transit", "Arup", "Associate Director",
           "Engineering & construction", "Boston, MA", 2008, "MEng", "Civil Engineering",
           ("Project management", "AutoCAD", "Structural analysis"), (), ("Licensure", "Work-life balance"),
           ("English",), 3),
    Person("Sofia", "Martínez", "Public-interest lawyer and former clerk", "ACLU", "Staff Attorney",
           "Legal services", "Washington, DC", 2012, "JD", "Political Science",
           ("Legal research", "Public speaking", "Advocacy"), (), ("Law school", "Public service careers"),
           ("English", "Spanish"), 2),
    Person("Wei", "Zhang", "Cloud infrastructure and DevOps", "Amazon Web Services", "Principal Engineer",
           "Cloud computing", "Seattle, WA", 2009, "MSc", "Computer Engineering",
           ("DevOps", "Kubernetes", "Go", "AWS"), (), ("Technical interviews", "Staff engineer path"),
           ("English", "Mandarin"), 4),
    Person("Hannah", "Schultz", "Marketing leader in consumer brands", "Unilever", "Brand Director",
           "Consumer goods", "Chicago, IL", 2011, "BA", "Communications",
           ("Brand strategy", "Digital marketing", "Market research"), (), ("Marketing careers", "Leadership"),
           ("English", "German"), 2),
    Person("Kwame", "Mensah", "Biotech researcher turned startup founder", "Helix Bio", "Co-founder & CSO",
           "Biotechnology", "Cambridge, MA", 2007, "PhD", "Molecular Biology",
           ("Lab research", "Grant writing", "Fundraising"), (), ("PhD decisions", "Entrepreneurship"),
           ("English", "Twi"), 2),
    Person("Grace", "O'Neill", "HR business partner; résumé and interview coaching", "Deloitte",
           "Senior HR Business Partner", "Professional services", "Philadelphia, PA", 2013, "BA", "Psychology",
           ("Recruiting", "Interview coaching", "Organisational development"), (), ("Job search", "Résumés"),
           ("English",), 3),
    Person("Rafael", "Costa", "Quant developer in trading", "Jane Street", "Software Engineer",
           "Financial services", "New York, NY", 2016, "BSc", "Mathematics",
           ("C++", "Python", "Statistics"), (), ("Quant careers", "Technical interviews"),
           ("English", "Portuguese"), 2),
]

STUDENTS = [
    Person("Jordan", "Lee", "Junior exploring software engineering", major="Computer Science", grad_year=2027,
           degree="BSc", skills=("Python", "Java"), interests=("Software engineering", "Fintech")),
    Person("Amara", "Nwosu", "Aspiring product manager", major="Economics", grad_year=2026, degree="BA",
           skills=("Excel", "User research"), interests=("Product management", "Media")),
    Person("Lucas", "Ferreira", "Curious about data science in health", major="Statistics", grad_year=2027,
           degree="BSc", skills=("R", "SQL"), interests=("Data science", "Healthcare"),
           languages=("English", "Portuguese")),
    Person("Mia", "Johansson", "Design student building a UX portfolio", major="Graphic Design",
           grad_year=2026, degree="BFA", skills=("Figma", "Illustration"), interests=("UX design",)),
    Person("Ethan", "Brooks", "Finance major interested in venture capital", major="Finance", grad_year=2026,
           degree="BBA", skills=("Financial modelling",), interests=("Venture capital", "Startups")),
    Person("Zara", "Ahmed", "Pre-law, interested in civil rights", major="Political Science", grad_year=2027,
           degree="BA", skills=("Debate", "Research"), interests=("Law", "Public policy"),
           languages=("English", "Urdu")),
    Person("Noah", "Williams", "Civil engineering senior", major="Civil Engineering", grad_year=2026,
           degree="BEng", skills=("AutoCAD",), interests=("Infrastructure", "Project management")),
    Person("Chloe", "Dubois", "Marketing and brand strategy", major="Communications", grad_year=2028,
           degree="BA", skills=("Social media", "Copywriting"), interests=("Marketing",),
           languages=("English", "French")),
    Person("Samuel", "Osei", "Biology student weighing a PhD", major="Molecular Biology", grad_year=2026,
           degree="BSc", skills=("Lab techniques",), interests=("Biotech", "Research")),
    Person("Isabella", "Rossi", "Psychology major interested in HR", major="Psychology", grad_year=2027,
           degree="BA", skills=("Interviewing",), interests=("Human resources", "Consulting"),
           languages=("English", "Italian")),
    Person("Aarav", "Patel", "Math major drawn to quantitative finance", major="Mathematics", grad_year=2026,
           degree="BSc", skills=("C++", "Probability"), interests=("Quantitative finance",)),
    Person("Emily", "Chen", "Computer engineering, cloud and DevOps", major="Computer Engineering",
           grad_year=2027, degree="BSc", skills=("Linux", "Docker"), interests=("Cloud computing",),
           languages=("English", "Mandarin")),
]


def _email(person: Person, domain: str) -> str:
    local = f"{person.first}.{person.last}".lower().replace("'", "").replace("í", "i").replace(" ", "")
    return f"{local}@{domain}"


def _add_person(institution: Institution, person: Person, role: Role, domain: str, password_hash: str,
                status: UserStatus = UserStatus.ACTIVE) -> User:
    user = create_user(institution, _email(person, domain), person.first, person.last, role)
    user.status = status
    user.password_hash = password_hash if status != UserStatus.INVITED else None
    if status == UserStatus.ACTIVE:
        # They joined over the autumn and have signed in since, so the reports have participation to show.
        user.onboarded_at = user.orientation_read_at = utcnow() - timedelta(days=40 + len(person.last) % 7)
        user.last_login_at = utcnow() - timedelta(days=len(person.first) % 9, hours=len(person.last))
    profile = user.profile
    profile.headline = person.headline
    profile.employer = person.employer
    profile.job_title = person.job_title
    profile.industry = person.industry
    profile.location = person.location
    profile.graduation_year = person.grad_year
    profile.degree = person.degree
    profile.major = person.major
    profile.skills = list(person.skills)
    profile.career_interests = list(person.interests)
    profile.mentoring_topics = list(person.topics)
    profile.languages = list(person.languages)
    profile.capacity = person.capacity
    return user


def seed_demo() -> Institution | None:
    """Create the demo institution and its people; return None when it already exists."""
    if db.session.scalar(select(Institution).where(Institution.slug == DEMO_SLUG)):
        return None
    institution = create_institution("Northbridge University", DEMO_SLUG, "America/New_York")
    password_hash = hash_password(DEMO_PASSWORD)
    admin = create_user(institution, DEMO_LOGINS[Role.ADMIN], "Dana", "Whitfield", Role.ADMIN)
    admin.status, admin.password_hash = UserStatus.ACTIVE, password_hash
    for index, person in enumerate(MENTORS):
        status = UserStatus.INVITED if index >= len(MENTORS) - 2 else UserStatus.ACTIVE
        _add_person(institution, person, Role.MENTOR, "alumni.northbridge.example.edu", password_hash, status)
    for index, person in enumerate(STUDENTS):
        status = UserStatus.INVITED if index >= len(STUDENTS) - 3 else UserStatus.ACTIVE
        _add_person(institution, person, Role.STUDENT, "students.northbridge.example.edu", password_hash, status)
    db.session.flush()
    from portal.demo.matching import seed_matching
    from portal.demo.programs import seed_programs
    from portal.demo.resources import seed_resources

    seed_programs(institution)
    seed_resources(institution)
    seed_matching(institution)
    # Each later feature seeds its own records, in this order (each builds on the ones before).
    for feature in ("requests", "history", "goals", "scheduling", "meetings", "messages", "reports"):
        if importlib.util.find_spec(f"portal.demo.{feature}") is not None:
            importlib.import_module(f"portal.demo.{feature}").seed(institution)
    return institution

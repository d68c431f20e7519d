"""Realistic people CSVs for demos, browser tests and the benchmark.

`sample_people_csv(2000, errors=True)` gives a file with a few deliberate mistakes (a bad
email, an unknown role, a capacity "three", an email repeated); the same call with
errors=False gives the corrected file: the same people, mistakes fixed.
"""

from __future__ import annotations

import csv
import io
import random

from portal.imports.reading import COLUMNS

FIRST_NAMES = ("Amara", "Ben", "Chloe", "Diego", "Elif", "Farah", "Gabriel", "Hana", "Ibrahim", "Jade", "Kenji",
               "Lucia", "Mateo", "Nadia", "Oscar", "Priya", "Quinn", "Rosa", "Samir", "Tara", "Uma", "Victor",
               "Wen", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Dmitri", "Esther", "Felix", "Grace",
               "Hugo", "Isla", "Jonas", "Kavya", "Liam", "Maya", "Noah", "Olivia", "Pedro", "Renée", "Sofia",
               "Theo", "Valentina", "William", "Yara", "Zainab", "Chidi")
LAST_NAMES = ("Okafor", "Schmidt", "Nguyen", "García", "Yılmaz", "Haddad", "Moreau", "Sato", "Rahman", "Kowalski",
              "Tanaka", "Rossi", "Fernández", "Ivanova", "Lindqvist", "Raman", "O'Brien", "Silva", "Khan", "Mensah",
              "Patel", "Dubois", "Chen", "Morales", "Demir", "Adeyemi", "Novak", "Costa", "Petrov", "Abara",
              "Müller", "Kim", "Hughes", "Bianchi", "Singh", "Park", "Walsh", "Ortiz", "Eriksen", "Achebe")
DEGREES = ("BA", "BSc", "BEng", "MA", "MSc", "MBA", "PhD")
MAJORS = ("Computer Science", "Economics", "Mechanical Engineering", "Biology", "Psychology", "History",
          "Business Administration", "Mathematics", "Political Science", "Nursing", "Chemistry", "English",
          "Data Science", "Architecture", "Public Health")
EMPLOYERS = ("Northwind Health", "Contoso Bank", "Fabrikam Robotics", "Tailspin Energy", "Lumen Analytics",
             "City Hospital", "State Department of Education", "Blue Harbor Consulting", "Greenfield Foods",
             "Atlas Aerospace", "Riverbend Law LLP", "Brightpath Nonprofit")
JOBS = {
    "Technology": ("Software Engineer", "Data Scientist", "Product Manager", "UX Researcher", "Engineering Manager"),
    "Finance": ("Financial Analyst", "Investment Associate", "Risk Manager", "Controller"),
    "Healthcare": ("Nurse Practitioner", "Clinical Researcher", "Hospital Administrator", "Epidemiologist"),
    "Consulting": ("Management Consultant", "Strategy Analyst", "Partner"),
    "Education": ("High School Teacher", "Curriculum Designer", "Policy Advisor"),
    "Energy": ("Project Engineer", "Sustainability Lead", "Operations Manager"),
    "Law": ("Associate Attorney", "Paralegal", "Compliance Officer"),
    "Nonprofit": ("Program Director", "Grant Writer", "Community Organizer"),
}
SKILLS = ("Python", "SQL", "Public speaking", "Negotiation", "Financial modelling", "Project management",
          "Leadership", "Data visualisation", "Machine learning", "Grant writing", "Clinical research",
          "Stakeholder management", "Marketing", "Excel", "Statistics", "Writing", "Design thinking", "Sales")
INTERESTS = ("Career change", "Graduate school", "Entrepreneurship", "Leadership", "Work-life balance",
             "Interview preparation", "Networking", "Salary negotiation", "Working abroad", "Public service",
             "Research careers", "Tech industry", "Social impact")
LANGUAGES = ("English", "Spanish", "French", "Mandarin", "Arabic", "German", "Portuguese", "Hindi", "Turkish",
             "Japanese", "Swahili")
CITIES = ("Boston, MA", "Chicago, IL", "Seattle, WA", "Austin, TX", "New York, NY", "Toronto, ON", "London, UK",
          "Berlin, Germany", "Remote", "Denver, CO", "Atlanta, GA", "San Francisco, CA")
BIOS = ("Happy to talk about first jobs, switching fields and finding your footing.",
        "I changed careers twice; ask me how.",
        "Looking for advice on internships and which electives matter.",
        "First-generation graduate, glad to help the next ones through.",
        "Curious about research careers, and about \"industry vs. academia\", honestly.",
        "")


def sample_people(rows: int, seed: int = 0) -> list[dict[str, str]]:
    """Return `rows` realistic people as CSV rows (about a third mentors)."""
    rng = random.Random(seed)
    people = []
    for number in range(rows):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        mentor = rng.random() < 0.35
        industry = rng.choice(tuple(JOBS))
        handle = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        handle = handle.translate(str.maketrans("áéíóúüçğışöñ", "aeiouucgisoN".lower()))
        person = {column: "" for column in COLUMNS}
        person.update(
            email=f"{handle}.{number + 1}@{'alumni' if mentor else 'students'}.example.edu",
            first_name=first, last_name=last, role="mentor" if mentor else "student",
            degree=rng.choice(DEGREES), major=rng.choice(MAJORS),
            skills=";".join(rng.sample(SKILLS, rng.randint(1, 4))),
            interests=";".join(rng.sample(INTERESTS, rng.randint(1, 3))),
            languages=";".join(["English"] + rng.sample(LANGUAGES[1:], rng.randint(0, 2))),
            location=rng.choice(CITIES), bio=rng.choice(BIOS),
        )
        if mentor:
            person.update(graduation_year=str(rng.randint(1985, 2021)), employer=rng.choice(EMPLOYERS),
                          job_title=rng.choice(JOBS[industry]), industry=industry,
                          capacity=rng.choice(("", "1", "2", "2", "3")))
        else:
            person.update(graduation_year=str(rng.randint(2026, 2029)))
        people.append(person)
    return people


def _with_errors(people: list[dict[str, str]]) -> None:
    """Spoil four rows the way real files go wrong (needs at least 5 rows)."""
    size = len(people)
    bad_email, bad_role, bad_capacity, duplicate = size // 5, (2 * size) // 5, (3 * size) // 5, (4 * size) // 5
    people[bad_email]["email"] = people[bad_email]["email"].replace("@", " at ", 1)
    people[bad_role]["role"] = "teacher"
    people[bad_capacity].update(role="mentor", capacity="three")
    people[duplicate]["email"] = people[1]["email"]


def sample_people_csv(rows: int, errors: bool = False, seed: int = 0) -> str:
    """Return a people CSV of `rows` people; with errors=True a few rows carry typical mistakes."""
    people = sample_people(rows, seed)
    if errors:
        _with_errors(people)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(people)
    return buffer.getvalue()

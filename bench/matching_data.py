"""Synthetic but realistic institutions for the matching benchmark (see bench/matching.py).

People follow career tracks (software, data, finance, health, law, policy...), so tags cluster
as they do in a real alumni network; every tag is typed as people type it (case, punctuation,
abbreviations, British spellings, typos) and goes through canonicalisation as a saved profile
would. For a share of mentees a "planted" mentor shares two niche skills, the city,
the major and the interests, so it is that mentee's best match; the benchmark reports
how many of these the engine recovers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from portal.matching import Person, Question, canonical_profile, get_vocabulary
from portal.matching.noise import noisy_variant

TRACKS = {  # name: (industries, job fields, skills, interests, majors)
    "software": (["Technology", "Software", "SaaS", "Video games"], ["Software engineering", "DevOps"],
                 ["Python", "Java", "JavaScript", "Go", "SQL", "Git", "Docker", "Kubernetes", "AWS", "React",
                  "System design", "Algorithms", "C++", "TypeScript", "Linux"],
                 ["Software engineering", "Technology", "Breaking into tech", "Technical interviews"],
                 ["Computer science", "Computer engineering", "Mathematics"]),
    "data": (["Technology", "Fintech", "Healthcare", "Retail"], ["Data science", "Machine learning"],
             ["Python", "SQL", "Machine learning", "Statistics", "R", "Pandas", "Data visualization",
              "Deep learning", "Tableau", "A/B testing", "Apache Spark", "Data analysis"],
             ["Data science", "Machine learning", "Artificial intelligence", "Technology"],
             ["Statistics", "Computer science", "Mathematics", "Economics", "Physics"]),
    "product": (["Technology", "SaaS", "E-commerce"], ["Product management", "UX design"],
                ["Product management", "User research", "Agile", "Stakeholder management", "Figma", "SQL",
                 "A/B testing", "Strategy", "Communication skills", "Prototyping"],
                ["Product management", "UX design", "Technology", "Breaking into tech"],
                ["Business administration", "Computer science", "Psychology", "Economics"]),
    "finance": (["Investment banking", "Asset management", "Banking", "Private equity", "Fintech"],
                ["Investment banking", "Equity research", "Trading", "Corporate finance"],
                ["Financial modeling", "Excel", "Valuation", "Accounting", "Financial analysis",
                 "Mergers and acquisitions", "PowerPoint", "Negotiation", "Risk management"],
                ["Investment banking", "Private equity", "Finance", "Breaking into finance", "Venture capital"],
                ["Economics", "Finance", "Business administration", "Mathematics"]),
    "consulting": (["Management consulting", "IT consulting", "Healthcare consulting"], ["Consulting"],
                   ["Strategy", "PowerPoint", "Excel", "Stakeholder management", "Public speaking",
                    "Problem solving", "Business analysis", "Project management"],
                   ["Consulting", "Management consulting", "Case interviews", "Breaking into consulting"],
                   ["Economics", "Business administration", "Engineering", "Political science"]),
    "health": (["Healthcare", "Hospitals", "Biotechnology", "Pharmaceuticals", "Digital health"],
               ["Medicine", "Nursing", "Public health", "Healthcare management"],
               ["Clinical research", "Patient care", "Epidemiology", "Biostatistics", "Health informatics",
                "Laboratory techniques", "Research", "Communication skills"],
               ["Medicine", "Public health", "Healthcare", "Medical school applications"],
               ["Biology", "Nursing", "Public health", "Biochemistry", "Pre-med", "Neuroscience"]),
    "law": (["Law", "Government"], ["Law", "Corporate law", "Intellectual property law"],
            ["Legal research", "Legal writing", "Litigation", "Negotiation", "Compliance", "Public speaking"],
            ["Law", "Law school applications", "Public interest law", "Corporate law"],
            ["Political science", "History", "Philosophy", "Pre-law", "English literature"]),
    "policy": (["Government", "Nonprofit", "International organizations", "Think tanks"],
               ["Public policy", "International development", "Diplomacy"],
               ["Policy analysis", "Writing", "Research", "Grant writing", "Stakeholder management", "Statistics"],
               ["Public policy", "Government", "Social impact", "International relations", "Nonprofit"],
               ["Political science", "Economics", "International relations", "Sociology", "History"]),
    "marketing": (["Advertising and marketing agencies", "Consumer goods", "E-commerce", "Media and entertainment"],
                  ["Marketing", "Brand management", "Public relations"],
                  ["Digital marketing", "Search engine optimization", "Social media marketing", "Copywriting",
                   "Content marketing", "Marketing analytics", "Brand management", "Google Analytics"],
                  ["Marketing", "Brand management", "Advertising", "Content creation"],
                  ["Marketing", "Communications", "Business administration", "Psychology", "Journalism"]),
    "design": (["Technology", "Advertising and marketing agencies", "Media and entertainment"],
               ["UX design", "Product design", "Graphic design"],
               ["UX design", "UI design", "Figma", "User research", "Prototyping", "Adobe Photoshop", "Typography",
                "Design thinking", "Accessibility"],
               ["Design", "UX design", "Portfolio review", "Creative careers"],
               ["Fine arts", "Psychology", "Computer science", "Architecture"]),
    "engineering": (["Manufacturing", "Aerospace", "Automotive", "Energy", "Renewable energy"],
                    ["Mechanical engineering", "Electrical engineering", "Civil engineering", "Aerospace engineering"],
                    ["CAD", "MATLAB", "SolidWorks", "Finite element analysis", "Project management",
                     "Lean Six Sigma", "Python", "Control systems", "Simulation"],
                    ["Mechanical engineering", "Renewable energy", "Aerospace", "Robotics", "Sustainability"],
                    ["Mechanical engineering", "Electrical engineering", "Civil engineering", "Physics"]),
    "education": (["Education", "Higher education", "Edtech", "Nonprofit"], ["Education", "Higher education"],
                  ["Teaching", "Curriculum design", "Instructional design", "Public speaking", "Coaching",
                   "Writing", "Research"],
                  ["Education", "Higher education", "Academic research", "Graduate school"],
                  ["Education", "English literature", "History", "Psychology", "Mathematics"]),
    "hr": (["Technology", "Consulting", "Staffing and recruiting"], ["Human resources", "Recruiting"],
           ["Recruiting", "Human resources", "Employee relations", "Learning and development",
            "Diversity, equity and inclusion", "Coaching", "People analytics"],
           ["Human resources", "Recruiting", "Organizational development"],
           ["Psychology", "Business administration", "Sociology"]),
}
GENERIC_SKILLS = ["Leadership", "Communication skills", "Teamwork", "Excel", "Public speaking", "Writing",
                  "Problem solving", "Time management", "Project management", "Research"]
TOPICS = ["Career switching", "Job search", "Resume review", "Interview preparation", "Networking",
          "Salary negotiation", "Graduate school", "Work-life balance", "Internships", "First job",
          "Working abroad", "Getting promoted", "Imposter syndrome", "Starting a business"]
NICHE_SKILLS = ["Haskell", "Erlang", "Elixir", "Julia", "Fortran", "COBOL", "Quantum computing", "FPGA",
                "Computational fluid dynamics", "Bioinformatics", "Genomics", "Cryptography", "Penetration testing",
                "Solidity", "Unreal Engine", "Motion graphics", "Typography", "Econometrics", "Actuarial science",
                "Anti-money laundering", "Medical writing", "Regulatory affairs", "PCB design", "Signal processing",
                "GIS", "Energy modeling", "Surveying", "Clojure", "F#", "Scala", "Kotlin", "Rust", "Microscopy",
                "Cell culture", "PCR", "Legal research", "Grant writing", "Lua", "Dart", "Perl", "Svelte",
                "Airflow", "dbt", "Kafka", "Terraform", "Ansible", "3D modeling", "Animation", "Illustration",
                "Interior design", "Fashion design", "Industrial design", "Service design", "Operations research",
                "Time series analysis", "Reinforcement learning", "Computer vision", "Natural language processing",
                "Robotics", "Embedded systems", "Blockchain", "Incident response", "Medical coding",
                "Construction management", "Real estate development", "Project finance", "Crisis management"]
LANGUAGES = [("Spanish", 0.12), ("Mandarin", 0.06), ("French", 0.05), ("Hindi", 0.04), ("Arabic", 0.03),
             ("Portuguese", 0.03), ("German", 0.03), ("Korean", 0.02), ("Japanese", 0.02), ("Vietnamese", 0.02),
             ("Swahili", 0.01), ("Turkish", 0.01), ("Tagalog", 0.01), ("Russian", 0.01)]
CITIES = [("Boston, MA", "America/New_York"), ("New York, NY", "America/New_York"), ("Chicago, IL", "America/Chicago"),
          ("Austin, TX", "America/Chicago"), ("Denver, CO", "America/Denver"), ("Seattle, WA", "America/Los_Angeles"),
          ("San Francisco, CA", "America/Los_Angeles"), ("Atlanta, GA", "America/New_York"),
          ("Toronto, ON", "America/Toronto"), ("London, UK", "Europe/London"), ("Berlin, Germany", "Europe/Berlin"),
          ("Paris, France", "Europe/Paris"), ("Bangalore, India", "Asia/Kolkata"), ("Singapore", "Asia/Singapore"),
          ("Lagos, Nigeria", "Africa/Lagos"), ("Sydney, Australia", "Australia/Sydney"), ("Remote", "")]
DEGREES = ["BA", "B.Sc.", "BSc", "BEng", "MSc", "MA", "MBA", "PhD", "Bachelor of Science"]
QUESTIONS = [
    Question(1, "single_choice", "same", 2.0, ("Video calls", "In person", "Chat"), "How do you like to meet?"),
    Question(2, "scale", "same", 1.0, (), "How structured should sessions be?"),
    Question(3, "multiple_choice", "same", 1.5, ("Career advice", "Skills", "Network", "Confidence"),
             "What do you want from mentoring?"),
    Question(4, "single_choice", "complementary", 0.5, ("Talker", "Listener"), "In conversations you are more of a"),
]


@dataclass
class Institution:
    mentees: list[Person]
    mentors: list[Person]
    raw_mentees: list[dict]
    raw_mentors: list[dict]
    planted: dict[int, int] = field(default_factory=dict)  # mentee id -> planted mentor id
    canonical_seconds: float = 0.0


def _typed(label: str, rng: random.Random, noise: float) -> str:
    """Return a tag as someone might type it: sometimes an alias, often with noise."""
    tag = get_vocabulary().by_label.get(label)
    text = label
    if tag and tag.aliases and rng.random() < 0.3:
        text = rng.choice(tag.aliases)
    return noisy_variant(text, rng) if rng.random() < noise else text


def _raw_person(rng: random.Random, track: str, mentor: bool, noise: float) -> dict:
    industries, jobs, skills, interests, majors = TRACKS[track]
    chosen = rng.sample(skills, rng.randint(3, 6)) + rng.sample(GENERIC_SKILLS, rng.randint(0, 2))
    if rng.random() < 0.25:
        chosen.append(rng.choice(NICHE_SKILLS))
    languages = ["English"] + [name for name, share in LANGUAGES if rng.random() < share]
    city, tz = rng.choice(CITIES) if rng.random() < 0.7 else CITIES[rng.randrange(3)]
    other_tracks = [name for name in TRACKS if name != track]
    person = {
        "skills": [_typed(s, rng, noise) for s in chosen],
        "career_interests": [_typed(s, rng, noise) for s in rng.sample(interests, rng.randint(1, 3))]
        + ([_typed(rng.choice(TRACKS[rng.choice(other_tracks)][3]), rng, noise)] if rng.random() < 0.3 else []),
        "mentoring_topics": [_typed(s, rng, noise) for s in rng.sample(TOPICS, rng.randint(2, 4))] if mentor else [],
        "languages": [_typed(s, rng, noise / 2) for s in languages],
        "industry": _typed(rng.choice(industries), rng, noise) if mentor or rng.random() < 0.2 else "",
        "job_title": (rng.choice(["Senior ", "", "Lead ", "Associate "]) + _typed(rng.choice(jobs), rng, noise))
        if mentor else "",
        "major": _typed(rng.choice(majors), rng, noise),
        "degree": rng.choice(DEGREES),
        "location": city, "timezone": tz,
        "answers": {"1": rng.choice(QUESTIONS[0].options), "2": rng.randint(1, 5),
                    "3": rng.sample(QUESTIONS[2].options, rng.randint(1, 2)),
                    "4": rng.choice(("Talker", "Listener"))},
    }
    return person


def _plant(rng: random.Random, mentee: dict, mentor: dict, noise: float) -> None:
    """Make `mentor` the mentee's best match: two rare shared skills, same city, major, interests, answers."""
    niche = rng.sample(NICHE_SKILLS, 2)
    mentor["skills"] = mentor["skills"][:3] + [_typed(s, rng, noise) for s in niche]
    mentee["skills"] = mentee["skills"][:2] + [_typed(s, rng, noise) for s in niche]
    mentee["location"], mentee["timezone"] = mentor["location"], mentor["timezone"]
    mentee["major"] = mentor["major"]
    mentee["career_interests"] = [mentor["job_title"].split(" ", 1)[-1], *mentor["mentoring_topics"][:2]]
    mentee["answers"] = dict(mentor["answers"])


def generate(mentees: int, mentors: int, capacity: int = 5, planted_share: float = 0.2, noise: float = 0.35,
             seed: int = 0) -> Institution:
    """Return a synthetic institution; each planted mentor gets one planted mentee."""
    import time

    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.6 for rank in range(len(TRACKS))]
    tracks = list(TRACKS)
    raw_mentors = [_raw_person(rng, rng.choices(tracks, weights)[0], True, noise) for _ in range(mentors)]
    raw_mentees = [_raw_person(rng, rng.choices(tracks, weights)[0], False, noise) for _ in range(mentees)]
    planted = {}
    planted_mentors = rng.sample(range(mentors), min(mentors, int(mentees * planted_share)))
    for mentee_row, mentor_row in zip(rng.sample(range(mentees), len(planted_mentors)), planted_mentors):
        _plant(rng, raw_mentees[mentee_row], raw_mentors[mentor_row], noise)
        planted[100_000_000 + mentee_row] = mentor_row + 1
    start = time.perf_counter()
    # Profiles are canonicalised when saved; warm the cache in bulk as a batch re-canonicalisation would.
    typed = {tag for raw in (*raw_mentees, *raw_mentors) for key in ("skills", "career_interests", "mentoring_topics",
                                                                      "languages") for tag in raw[key]}
    typed |= {raw[key] for raw in (*raw_mentees, *raw_mentors) for key in ("industry", "major")}
    get_vocabulary().canonicalise_many(sorted(typed))
    people = []
    for side, raws in enumerate((raw_mentees, raw_mentors)):
        group = []
        for row, raw in enumerate(raws):
            canonical = canonical_profile(**{key: raw[key] for key in (
                "skills", "career_interests", "mentoring_topics", "languages", "industry", "job_title", "major",
                "degree")})
            person_id = 100_000_000 + row if side == 0 else row + 1
            group.append(Person.from_profile(person_id, canonical, location=raw["location"], timezone=raw["timezone"],
                                             answers=raw["answers"], capacity=capacity if side else 0))
        people.append(group)
    seconds = time.perf_counter() - start
    return Institution(people[0], people[1], raw_mentees, raw_mentors, planted, seconds)

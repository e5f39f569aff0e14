"""The hand-written parts of the demo: invented organisations and the three demo logins.

The organisations fill the parts of an ICS that the NHS reference data does not list:
voluntary groups, a hospice, a university and social care providers. Their names are
invented; any likeness to a real organisation is an accident. ``{place0}`` to ``{place2}``
are the ICB's places, reused in turn when it has fewer than three.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "openhours-demo"  # noqa: S105 - printed for testers on purpose
COORDINATOR_EMAIL = "coordinator@openhours.test"
MEMBER_EMAIL = "member@openhours.test"
LEADER_EMAIL = "leader@openhours.test"


@dataclass(frozen=True)
class InventedOrganisation:
    name: str  # may use {place0}, {place1}, {place2}
    kind: str
    place: int  # which of the ICB's places it sits in
    domain_suffix: str  # for members' email addresses


INVENTED_ORGANISATIONS: tuple[InventedOrganisation, ...] = (
    InventedOrganisation("{place0} Carers Hub", "voluntary", 0, "org.uk"),
    InventedOrganisation("Neighbours Together {place1}", "voluntary", 1, "org.uk"),
    InventedOrganisation("Open Door Community Wellbeing", "voluntary", 0, "org.uk"),
    InventedOrganisation("{place2} Food and Health Collective", "voluntary", 2, "org.uk"),
    InventedOrganisation("Kingfisher House Hospice", "hospice", 0, "org.uk"),
    InventedOrganisation("Brackenridge University", "university", 0, "ac.uk"),
    InventedOrganisation("Meadowbank Care Homes", "social_care", 1, "co.uk"),
    InventedOrganisation("Kindred Home Care", "social_care", 2, "co.uk"),
)


@dataclass(frozen=True)
class ShowcasePost:
    kind: str
    title: str
    description: str  # may use {place}
    category: str
    skills: tuple[str, ...]
    minutes: int
    mode: str
    days_ago: int


@dataclass(frozen=True)
class ShowcaseMember:
    email: str
    full_name: str
    profession: str
    job_title: str
    organisation_kinds: tuple[str, ...]  # first organisation of each kind, in this order
    band: str
    skills: tuple[str, ...]
    can_help_with: str
    want_to_learn: str
    bio: str  # may use {icb}
    availability: str
    mode_in_person: bool
    posts: tuple[ShowcasePost, ...] = ()


COORDINATOR = ShowcaseMember(
    email=COORDINATOR_EMAIL,
    full_name="Sam Okafor",
    profession="Project and programme manager",
    job_title="OpenHours Coordinator, System Workforce Team",
    organisation_kinds=("icb",),
    band="8a",
    skills=(
        "Stakeholder engagement",
        "Project management",
        "Coaching and mentoring",
        "Community and voluntary partnerships",
    ),
    can_help_with=(
        "- Getting started on OpenHours: writing a request people will answer, and "
        "recording your hours\n"
        "- Introductions across the system: if I don't know who can help, I usually know "
        "who knows"
    ),
    want_to_learn="Power BI, so I can build better reports on how the time bank is doing.",
    bio=(
        "I run the OpenHours time bank for {icb}. Before that I spent eight years in "
        "workforce development, mostly in primary care. Ask me anything about how the time "
        "bank works, or tell me what's getting in your way."
    ),
    availability="Weekdays 9 to 5; I answer messages within a day",
    mode_in_person=True,
)

MEMBER = ShowcaseMember(
    email=MEMBER_EMAIL,
    full_name="Alex Morgan",
    profession="Physiotherapist",
    job_title="First Contact Physiotherapist",
    organisation_kinds=("pcn", "gp_practice"),
    band="7",
    skills=(
        "Long-term conditions",
        "Teaching and facilitation",
        "Model for improvement (PDSA)",
        "Excel and spreadsheets",
        "Co-production with patients",
    ),
    can_help_with=(
        "- Back pain and MSK self-management: happy to teach care navigators and HCAs what "
        "to look out for\n"
        "- Running a first PDSA cycle (I'm half way through my QI training, so I remember "
        "what's confusing)\n"
        "- Spreadsheets for tracking clinic activity"
    ),
    want_to_learn=(
        "Power BI and demand and capacity modelling: our MSK waiting list needs both. Also "
        "how business cases actually get approved."
    ),
    bio=(
        "Physio for eleven years, the last two as a first contact practitioner in general "
        "practice. I split my week between two practices in the PCN. Most interested in "
        "helping people manage long-term pain without needing a referral. Outside work: "
        "cycling, and a very old Labrador."
    ),
    availability="Wednesday afternoons, and Friday lunchtimes on Teams",
    mode_in_person=True,
    posts=(
        ShowcasePost(
            kind="request",
            title="Help building a simple Power BI dashboard for our MSK waiting list",
            description=(
                "Our PCN's first contact physio service has grown from one practice to six, "
                "and I track the waiting list in a spreadsheet that takes most of Monday "
                "morning to update.\n\n"
                "I'd love an hour or two with someone who knows Power BI to help me set up "
                "something that refreshes from our weekly extract. Happy to share a version "
                "with no patient details. In return I can run a session on back pain "
                "self-management for any team."
            ),
            category="data",
            skills=("Power BI dashboards", "Data analysis"),
            minutes=120,
            mode="video",
            days_ago=3,
        ),
        ShowcasePost(
            kind="request",
            title="Someone to sense-check a business case for a PCN falls service",
            description=(
                "We've run a small falls prevention group in two practices for a year: "
                "strength and balance classes, medication reviews with our pharmacist and a "
                "home hazards checklist. Falls-related A&E attendances in the group are "
                "down, and we want to extend it across the PCN.\n\n"
                "I've written a first draft of the business case, but I've never done one "
                "before. Could someone who has read or written a few give me honest "
                "feedback on the structure and the costings? Before the end of the month "
                "would be ideal."
            ),
            category="finance",
            skills=("Business cases", "Options appraisal"),
            minutes=90,
            mode="any",
            days_ago=6,
        ),
        ShowcasePost(
            kind="offer",
            title="Back pain self-management: a teaching session for care navigators and HCAs",
            description=(
                "I'm a first contact physio and I'd be glad to run a 45-minute session for "
                "reception, care navigation or HCA teams on back pain: what's normal, the "
                "red flags that need a same-day call, and the self-management advice that "
                "actually helps.\n\n"
                "In person anywhere in {place}, or on Teams. Bring your questions and the "
                "calls you find hardest."
            ),
            category="education",
            skills=("Long-term conditions", "Teaching and facilitation"),
            minutes=60,
            mode="any",
            days_ago=12,
        ),
    ),
)

# A system leader reads the insight dashboard (figures resting on fewer than 5 people
# hidden, no names). A profile like anyone's, but no posts and no history.
LEADER = ShowcaseMember(
    email=LEADER_EMAIL,
    full_name="Jo Whitfield",
    profession="Project and programme manager",
    job_title="Director of Workforce and Organisational Development",
    organisation_kinds=("icb",),
    band="9",
    skills=("Stakeholder engagement", "Coaching and mentoring"),
    can_help_with="Seeing how the system's workforce plans fit together.",
    want_to_learn="Where knowledge moves across the system, and where it gets stuck.",
    bio="I lead workforce and organisational development for {icb}.",
    availability="Fortnightly, Thursday afternoons",
    mode_in_person=False,
)

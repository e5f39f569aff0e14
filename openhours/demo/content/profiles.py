"""How demo members describe themselves: the pieces profiles are built from.

Skill names match ``openhours.members.reference.SKILLS``; a test holds them to that.
``{A}`` in a form is ``{a}`` with a capital first letter.
"""

from __future__ import annotations

# "I can help with" fragments per skill: (can help with, want to learn).
SKILL_PHRASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "QI coaching": (
        (
            "coaching a team through its first improvement project",
            "helping you write an aim statement you can actually measure",
        ),
        ("how to coach a team rather than just run the project for them",),
    ),
    "Model for improvement (PDSA)": (
        (
            "planning small PDSA cycles",
            "turning a big idea into something you can test next Tuesday",
        ),
        ("running proper PDSA cycles instead of one big change",),
    ),
    "Process mapping": (
        (
            "facilitating a process mapping session",
            "mapping a patient pathway end to end with sticky notes",
        ),
        ("how to run a process mapping workshop",),
    ),
    "Lean and flow": (
        ("spotting waste in a clinic or ward process", "flow and bottlenecks in outpatients"),
        ("lean methods and how they fit the NHS",),
    ),
    "Statistical process control": (
        ("building and reading SPC charts", "telling real change from noise in monthly figures"),
        ("SPC charts, so I stop over-reacting to one bad month",),
    ),
    "Data analysis": (
        ("making sense of a messy dataset", "turning numbers into a story for a board paper"),
        ("data analysis beyond the basics",),
    ),
    "Excel and spreadsheets": (
        (
            "Excel: pivot tables, lookups and tidying up spreadsheets",
            "building a simple tracker that doesn't fall over",
        ),
        ("Excel beyond copy and paste (pivot tables, XLOOKUP)",),
    ),
    "Power BI dashboards": (
        (
            "building Power BI dashboards people actually open",
            "reviewing a dashboard before it goes live",
        ),
        ("Power BI, starting from the very beginning",),
    ),
    "SQL": (
        ("writing SQL against the data warehouse", "checking and speeding up a query"),
        ("enough SQL to pull my own data",),
    ),
    "R or Python": (
        ("R or Python for analysis and automating reports", "reproducible analysis in R"),
        ("R or Python for analysis",),
    ),
    "Population health analytics": (
        (
            "population health analysis: segmentation, deprivation, linked data",
            "finding the people a service is missing",
        ),
        ("population health management and risk stratification",),
    ),
    "Demand and capacity modelling": (
        (
            "demand and capacity modelling for a clinic or service",
            "working out how many slots you really need",
        ),
        ("demand and capacity modelling",),
    ),
    "Digital tools and apps": (
        ("choosing and rolling out digital tools", "getting a team comfortable with a new app"),
        ("what digital tools are out there and how to judge them",),
    ),
    "Electronic patient records": (
        ("EPR templates, searches and reports", "getting the most out of SystmOne or EMIS"),
        ("how to build good EPR templates and searches",),
    ),
    "Virtual wards and remote monitoring": (
        (
            "setting up a virtual ward or remote monitoring",
            "the practical side of remote monitoring kit",
        ),
        ("how virtual wards actually run day to day",),
    ),
    "Information governance": (
        ("information governance and DPIAs", "data sharing agreements between organisations"),
        ("information governance, so I stop being scared of DPIAs",),
    ),
    "Business cases": (
        ("writing a business case that gets through committee", "the five case model"),
        ("how to write a business case",),
    ),
    "Options appraisal": (
        ("options appraisals and scoring", "setting out options fairly for decision makers"),
        ("how to run a fair options appraisal",),
    ),
    "Budgeting and financial planning": (
        ("budget setting and reading a budget statement", "costing a small service change"),
        ("budgets and NHS finance basics",),
    ),
    "Procurement and commissioning": (
        (
            "commissioning and writing service specifications",
            "procurement rules and the Provider Selection Regime",
        ),
        ("how commissioning and procurement actually work",),
    ),
    "Clinical audit": (
        ("designing a clinical audit and a re-audit", "audit against NICE guidance"),
        ("how to design a clinical audit properly",),
    ),
    "Clinical guidelines": (
        ("turning NICE guidance into a local pathway", "writing and reviewing clinical guidelines"),
        ("how local clinical guidelines get written and approved",),
    ),
    "Medicines optimisation": (
        ("structured medication reviews and deprescribing", "polypharmacy in older people"),
        ("medicines optimisation for people on lots of medicines",),
    ),
    "Patient safety": (
        (
            "patient safety investigations under PSIRF",
            "after-action reviews and learning from incidents",
        ),
        ("PSIRF and how to run a good learning response",),
    ),
    "Frailty and older people's care": (
        ("frailty: assessment, care planning and falls", "comprehensive geriatric assessment"),
        ("frailty and how to spot it early",),
    ),
    "Long-term conditions": (
        (
            "long-term conditions such as diabetes, COPD and heart failure",
            "supported self-management",
        ),
        ("long-term condition management in primary care",),
    ),
    "Mental health": (
        ("mental health: conversations, risk and signposting", "supporting people in crisis"),
        ("mental health first aid and what to say",),
    ),
    "Patient experience": (
        ("patient experience feedback and what to do with it", "Friends and Family Test comments"),
        ("how to use patient feedback for improvement",),
    ),
    "Co-production with patients": (
        (
            "co-production: involving patients from the start",
            "recruiting and supporting experts by experience",
        ),
        ("co-production done properly, not as a tick box",),
    ),
    "Surveys and focus groups": (
        (
            "designing surveys and running focus groups",
            "writing questions people can answer honestly",
        ),
        ("how to write a good survey",),
    ),
    "Health inequalities": (
        ("health inequalities and Core20PLUS5", "reaching communities services usually miss"),
        ("how to act on health inequalities, not just describe them",),
    ),
    "Research methods": (
        ("research design and methods", "getting a study through HRA approval"),
        ("research methods and how to get started in research",),
    ),
    "Evaluation": (
        ("evaluation plans and logic models", "working out whether a pilot actually worked"),
        ("how to evaluate a pilot properly",),
    ),
    "Literature searching": (
        ("literature searches and rapid evidence reviews", "finding the evidence quickly"),
        ("how to search the literature efficiently",),
    ),
    "Grant writing": (
        ("grant and funding applications", "NIHR and charitable funding bids"),
        ("how to write a successful funding bid",),
    ),
    "Teaching and facilitation": (
        ("planning and delivering teaching sessions", "facilitating workshops and away days"),
        ("facilitation skills for bigger groups",),
    ),
    "Simulation training": (
        ("in-situ simulation and debriefing", "designing simulation scenarios"),
        ("how to run and debrief a simulation",),
    ),
    "Coaching and mentoring": (
        (
            "coaching and mentoring conversations",
            "career conversations for people thinking about their next step",
        ),
        ("coaching skills for managers",),
    ),
    "Leadership development": (
        ("leadership development for new team leaders", "the step up from clinician to manager"),
        ("leadership: running a team for the first time",),
    ),
    "Project management": (
        (
            "project plans, risk logs and keeping things on track",
            "getting a project off the ground",
        ),
        ("project management basics",),
    ),
    "Change management": (
        (
            "leading change when people are tired of change",
            "stakeholder mapping for a service change",
        ),
        ("how to lead change without losing the team",),
    ),
    "Writing and communications": (
        (
            "plain English: patient letters, leaflets and board papers",
            "editing a report so people read it",
        ),
        ("writing clearly for boards and for the public",),
    ),
    "Stakeholder engagement": (
        ("stakeholder engagement across organisations", "running an engagement event"),
        ("engaging stakeholders across the system",),
    ),
    "Recruitment and retention": (
        (
            "recruitment: adverts, job descriptions and interviews",
            "keeping staff in their first year",
        ),
        ("what actually works for retention",),
    ),
    "Rota and workforce planning": (
        ("rotas and workforce planning", "e-rostering and fair rota rules"),
        ("workforce planning",),
    ),
    "Staff wellbeing": (
        ("staff wellbeing sessions and wellbeing conversations", "setting up a wellbeing space"),
        ("supporting staff wellbeing as a manager",),
    ),
    "Equality, diversity and inclusion": (
        ("inclusive recruitment and EDI", "setting up a staff network"),
        ("practical equality, diversity and inclusion",),
    ),
    "Estates and space planning": (
        ("space planning and room utilisation", "estates bids and making better use of rooms"),
        ("how estates planning works",),
    ),
    "Sustainability and net zero": (
        ("green plans and net zero projects", "cutting waste and carbon in clinical areas"),
        ("sustainability in healthcare and greener clinical practice",),
    ),
    "Safeguarding": (
        ("safeguarding adults and children: when and how to refer", "safeguarding supervision"),
        ("safeguarding adults in practice",),
    ),
    "Care Act assessments": (
        ("Care Act assessments and eligibility", "how adult social care assessments work"),
        ("how Care Act assessments work",),
    ),
    "Discharge and hospital flow": (
        ("discharge planning and hospital flow", "discharge to assess and the pathways 0 to 3"),
        ("how discharge really works across health and social care",),
    ),
    "Community and voluntary partnerships": (
        ("linking with community and voluntary groups", "what is on offer locally outside the NHS"),
        ("working with the voluntary sector",),
    ),
    "Peer support": (
        ("peer support and a listening ear", "setting up a peer support group"),
        ("how to set up peer support",),
    ),
    "Mindfulness and resilience": (
        (
            "short mindfulness and resilience sessions for teams",
            "practical ways to switch off after a shift",
        ),
        ("mindfulness and resilience techniques",),
    ),
}

CAN_HELP_FORMS: tuple[str, ...] = (
    "- {A}\n- {B}\n- {C}",
    "- {A}\n- {B}\n- {C}\n\n{extra}",
    "Happy to help with {a}, or {b}. {extra}",
    "Mostly {a}. Also {b}. {extra}",
    "{A}. {extra}",
    "{A}. Also {b}.",
    "Anything around {a}. I can also help with {b}, and {c}.",
    "{A}; {b}; {c}.",
)
CAN_HELP_EXTRAS: tuple[str, ...] = (
    "I'm not an expert, but I've done it enough times to save you some pain.",
    "Can also just be a sounding board.",
    "Send me something to look at first and I'll come back with thoughts.",
    "Happy to do this with a whole team, not just one person.",
    "Good at the first conversation, when you're not sure what you need.",
    "",
)

WANT_TO_LEARN_FORMS: tuple[str, ...] = (
    "I'd like to get better at {a}.",
    "Keen to learn {a}, and {b} if anyone's willing.",
    "Honestly? {A}. I've avoided it for too long.",
    "{A}. Also {b}.",
    "Would love an hour with someone on {a}.",
    "Learning {a} at the moment, slowly.",
)

BIO_ORIGINS: tuple[str, ...] = (
    "I've been {noun} for {years} years.",
    "I qualified in {qualified} and have worked locally ever since.",
    "Came into health and care {years} years ago after working in {previous}.",
    "I've been {noun} for {years} years, most of them in {place}.",
    "Trained in {city} and moved here in {moved}.",
    "{Years} years in, and still learning something most weeks.",
)
BIO_NOW: tuple[str, ...] = (
    "Currently {job_title} at {organisation}.",
    "I work at {organisation} as {a_job_title}.",
    "Now {job_title} at {organisation}.",
    "My current role: {job_title}, {organisation}.",
)
BIO_INTERESTS: tuple[str, ...] = (
    "I'm especially interested in {interest}.",
    "Most of my spare headspace goes on {interest}.",
    "What gets me going: {interest}.",
    "Keen on anything that helps with {interest}.",
)
INTERESTS: tuple[str, ...] = (
    "keeping frail older people well at home",
    "making data something frontline teams actually use",
    "getting patients' voices into service design",
    "health inequalities in our most deprived neighbourhoods",
    "smoother journeys between hospital and home",
    "joining up primary care and the voluntary sector",
    "staff wellbeing and keeping good people",
    "digital tools that save time rather than add clicks",
    "prevention, before people ever need us",
    "learning from what goes wrong without blaming people",
    "children and young people's mental health",
    "greener, lower-waste ways of working",
    "research that changes practice, not just papers",
    "carers, who hold the whole system up",
)
BIO_REASONS: tuple[str, ...] = (
    "Joined OpenHours because I keep meeting people who've already solved the problem "
    "I'm stuck on.",
    "Here to share what I know and borrow a few brains.",
    "Happy to give an hour back for all the help I've had over the years.",
    "I'd rather ask a colleague two buildings away than pay for consultancy.",
    "Curious about how other organisations do things.",
    "Trying to build a network outside my own team.",
    "",
)
BIO_PERSONAL: tuple[str, ...] = (
    "Outside work: allotment, two kids and a very loud dog.",
    "I run (slowly) and bake (better).",
    "Weekend sea swimmer, whatever the weather.",
    "Choir on Tuesday nights, so not then!",
    "Currently learning Spanish, badly.",
    "Parkrun most Saturdays.",
    "Proud owner of far too many houseplants.",
    "Cricket in summer, cooking all year round.",
)
PREVIOUS_SECTORS: tuple[str, ...] = (
    "retail",
    "banking",
    "the army",
    "hospitality",
    "teaching",
    "the civil service",
    "a software company",
    "local newspapers",
)
TRAINING_CITIES: tuple[str, ...] = (
    "Manchester",
    "Glasgow",
    "Lagos",
    "Kerala",
    "Manila",
    "Cardiff",
    "Leeds",
    "Dublin",
    "London",
    "Warsaw",
    "Nottingham",
    "Birmingham",
)

AVAILABILITY: tuple[str, ...] = (
    "Tuesday afternoons",
    "A couple of hours a month, usually Thursdays",
    "Flexible, but not during month-end",
    "Lunchtimes (12 to 1) most weeks",
    "Evenings after 6 on video",
    "School hours only, Monday to Wednesday",
    "Friday mornings",
    "Most weeks, with a week's notice",
    "Around clinics: best to message first",
    "Wednesday mornings before 10",
    "An hour a fortnight",
    "Non-clinical day is Thursday",
    "Early mornings (7.30 to 8.30) on Teams",
    "Late shifts mean mornings work best",
    "Any weekday afternoon, given notice",
    "Half a day a month, protected by my manager",
)

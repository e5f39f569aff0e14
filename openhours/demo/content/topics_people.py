"""Post topics: education, leadership, workforce, estates, social care and wellbeing."""

from __future__ import annotations

from .topic import Topic

TOPICS: tuple[Topic, ...] = (
    Topic(
        key="teaching",
        category="education",
        skills=("Teaching and facilitation", "Simulation training"),
        minutes=(60, 90, 120, 180),
        slots={
            "session": (
                "sepsis recognition",
                "difficult conversations",
                "the deteriorating patient",
                "safeguarding for reception teams",
                "using the new EPR",
                "falls prevention",
                "end of life care conversations",
                "quality improvement for beginners",
            ),
        },
        request_titles=(
            "Teaching session on {session} for our team",
            "Could someone run a session on {session}?",
            "Simulation session: {session}",
        ),
        request_openings=(
            "{Team} has asked for a session on {session}.",
            "We run a monthly lunchtime learning slot and would love someone to cover {session}.",
            "Our new starters need practical teaching on {session}.",
        ),
        request_asks=(
            "Could someone run a 45-minute session, in person or on Teams?",
            "Looking for someone who can make it interactive rather than death by PowerPoint.",
            "Happy to work around your availability.",
        ),
        offer_titles=(
            "Teaching on {session}",
            "I'll run a session for your team on {session}",
            "Simulation training for small teams",
        ),
        offer_bodies=(
            "I teach {session} regularly and I'm happy to run a session for your team, in "
            "person or online.",
            "Happy to run an interactive session on {session}. I can tailor it for clinical "
            "or non-clinical staff.",
        ),
    ),
    Topic(
        key="mentoring",
        category="education",
        skills=("Coaching and mentoring", "Leadership development"),
        minutes=(60, 90, 180, 360),
        slots={
            "stage": (
                "a new band 7",
                "a first-time manager",
                "a clinician thinking about leadership",
                "someone returning from long-term leave",
                "an internationally educated nurse",
                "a new practice manager",
            ),
        },
        request_titles=(
            "Looking for a mentor: I'm {stage}",
            "Coaching conversations for {stage}",
            "Mentor wanted outside my own organisation",
        ),
        request_openings=(
            "I'm {stage} and feeling a bit out of my depth.",
            "I'd like a mentor from outside my organisation: someone who isn't my manager.",
            "After {years} years in similar roles I'm thinking about what's next.",
        ),
        request_asks=(
            "I'm looking for a few conversations over the next couple of months.",
            "Ideally someone who has made a similar move.",
            "An hour a month on Teams would be perfect.",
        ),
        offer_titles=(
            "Coaching and mentoring, across organisations",
            "Mentoring for {stage}",
            "Career conversations: an hour of coaching",
        ),
        offer_bodies=(
            "I'm a qualified coach and happy to offer a few sessions to anyone in the system, "
            "particularly {stage}.",
            "I've mentored lots of colleagues and find it one of the most rewarding things I "
            "do. Happy to meet for an hour a month.",
        ),
    ),
    Topic(
        key="writing",
        category="leadership",
        skills=("Writing and communications",),
        minutes=(30, 60, 90, 120),
        written=True,
        slots={
            "document": (
                "a patient leaflet",
                "a board paper",
                "a newsletter article about our service",
                "an appointment letter",
                "a staff briefing about a service change",
                "a conference poster",
            ),
        },
        request_titles=(
            "Plain English help: {document}",
            "Could someone edit {document}?",
            "Help making {document} clearer",
        ),
        request_openings=(
            "I've written {document} and I know it's too long and too full of jargon.",
            "Patients keep telling us they don't understand {document}.",
            "I need to finish {document} {deadline}.",
        ),
        request_asks=(
            "Could someone with a good editing eye have a look?",
            "Looking for someone to help me cut it by half without losing the point.",
            "Happy to send it over by email.",
        ),
        offer_titles=(
            "Plain English editing",
            "I'll edit your board paper or patient leaflet",
        ),
        offer_bodies=(
            "I edit a lot of documents at work and can help you make {document} clear, short "
            "and readable.",
            "I'm a stickler for plain English. Send me {document} and I'll send it back "
            "shorter and clearer.",
        ),
    ),
    Topic(
        key="projects",
        category="leadership",
        skills=("Project management", "Stakeholder engagement"),
        minutes=(60, 90, 120, 180),
        slots={
            "project": (
                "moving a clinic to a new building",
                "merging two teams",
                "a system-wide winter plan",
                "launching a new referral route",
                "a PCN-wide vaccination campaign",
            ),
        },
        request_titles=(
            "Project management help: {project}",
            "Help setting up {project}",
            "Looking for a project manager's advice on {project}",
        ),
        request_openings=(
            "I've been asked to lead {project} on top of my day job.",
            "{Project} has lots of stakeholders and no plan yet.",
            "We're three months into {project} and it's slipping.",
        ),
        request_asks=(
            "Could someone help me set up a simple plan, risk log and governance?",
            "I'd like an hour with an experienced project manager.",
            "Looking for a critical friend to help me stay on track.",
        ),
        offer_titles=(
            "Project management mentoring",
            "Help getting your project off the ground",
        ),
        offer_bodies=(
            "I've run enough projects to know where they go wrong. I can help you set up a "
            "plan, a risk log and governance that's proportionate.",
            "Happy to help with {project} or anything similar: plans, stakeholders and "
            "keeping things moving.",
        ),
    ),
    Topic(
        key="recruitment",
        category="workforce",
        skills=("Recruitment and retention", "Equality, diversity and inclusion"),
        minutes=(45, 60, 90, 120),
        slots={
            "role": (
                "healthcare assistants",
                "band 5 nurses",
                "care workers",
                "receptionists",
                "pharmacy technicians",
                "social workers",
            ),
        },
        request_titles=(
            "Help recruiting {role}",
            "Retention ideas for {role}",
            "Advice on inclusive recruitment for {role}",
        ),
        request_openings=(
            "We've had the same vacancies for {role} open for six months.",
            "We're losing {role} in their first year.",
            "Our adverts for {role} aren't reaching the people we want.",
        ),
        request_asks=(
            "Could someone from HR or recruitment look at our advert and job description?",
            "I'd like to talk to someone who's improved retention.",
            "Looking for ideas on recruiting from the local community.",
        ),
        offer_titles=(
            "Recruitment and retention advice",
            "Job adverts and interview panels: help",
        ),
        offer_bodies=(
            "I've rewritten plenty of adverts and sat on lots of interview panels. I can help "
            "with job descriptions, values-based interviews and widening your reach.",
            "Happy to share what helped us keep {role} beyond their first year.",
        ),
    ),
    Topic(
        key="rotas",
        category="workforce",
        asked_in=(
            "acute",
            "mental_health",
            "community",
            "ambulance",
            "gp_practice",
            "pcn",
            "social_care",
            "hospice",
        ),
        skills=("Rota and workforce planning",),
        minutes=(60, 90, 120),
        slots={
            "rota": (
                "our ward rota",
                "the practice's clinical rota",
                "a seven-day therapy service",
                "our on-call rota",
                "the home care schedule",
            ),
        },
        request_titles=(
            "Help redesigning {rota}",
            "Workforce planning advice for {rota}",
        ),
        request_openings=(
            "{Rota} relies on goodwill and overtime.",
            "We're moving to seven-day working and need to rethink {rota}.",
        ),
        request_asks=(
            "Could someone help us model a fairer pattern?",
            "An hour with someone who knows e-rostering would help.",
        ),
        offer_titles=(
            "Rota design and workforce planning",
            "E-rostering help",
        ),
        offer_bodies=(
            "I've designed rotas for wards and community teams. Happy to help you find a "
            "pattern that's fair and safe.",
            "I can help with workforce planning, skill mix and e-rostering rules.",
        ),
    ),
    Topic(
        key="estates",
        category="estates",
        asked_in=(
            "acute",
            "mental_health",
            "community",
            "gp_practice",
            "pcn",
            "hospice",
            "icb",
            "university",
        ),
        skills=("Estates and space planning",),
        minutes=(60, 90, 120, 180),
        slots={
            "space": (
                "the clinic rooms in our health centre",
                "a shared outpatient floor",
                "the practice's meeting room",
                "a new community hub",
                "our old day unit",
            ),
        },
        request_titles=(
            "Advice on making better use of {space}",
            "Space planning help: {space}",
        ),
        request_openings=(
            "We think {space} could be used much better than it is.",
            "We're bidding for money to refurbish {space}.",
            "We're short of rooms and {space} might be the answer.",
        ),
        request_asks=(
            "Could someone from estates talk us through a room utilisation survey?",
            "I'd like advice on what to include in an estates bid.",
            "Happy for you to come and have a look.",
        ),
        offer_titles=(
            "Estates and space planning advice",
            "Room utilisation: I'll help you find the space you already have",
        ),
        offer_bodies=(
            "I've done room utilisation surveys and estates bids, and can help you work out "
            "what space you really need and how to ask for it.",
            "Happy to help you get more out of {space} or somewhere similar.",
        ),
    ),
    Topic(
        key="sustainability",
        category="estates",
        skills=("Sustainability and net zero",),
        minutes=(45, 60, 90, 120),
        slots={
            "green": (
                "anaesthetic gases",
                "clinical waste",
                "reusable equipment",
                "lower-carbon inhalers",
                "staff travel",
                "energy use in our building",
            ),
        },
        request_titles=(
            "Green team advice: {green}",
            "Sustainability project on {green}",
        ),
        request_openings=(
            "Our new green team wants to start with {green}.",
            "We're keen to do something about {green}, but don't know how to measure the impact.",
        ),
        request_asks=(
            "Could someone share how they did it and what the savings were?",
            "An hour with a sustainability lead would help us plan.",
        ),
        offer_titles=(
            "Sustainability and net zero: practical advice",
            "Help starting a green team",
        ),
        offer_bodies=(
            "I lead our green team and can help with {green}, measuring carbon and getting a "
            "green team going.",
            "Happy to share what worked for us on {green}.",
        ),
    ),
    Topic(
        key="social_care",
        category="social_care",
        asked_in=(
            "acute",
            "community",
            "gp_practice",
            "pcn",
            "mental_health",
            "ambulance",
            "hospice",
            "voluntary",
        ),
        skills=("Care Act assessments", "Discharge and hospital flow", "Safeguarding"),
        minutes=(45, 60, 90, 120),
        slots={
            "practice": (
                "how Care Act assessments work",
                "the difference between reablement and home care",
                "when to make a safeguarding referral",
                "mental capacity assessments",
                "discharge to assess pathways",
                "continuing healthcare checklists",
            ),
        },
        request_titles=(
            "Could a social worker explain {practice} to our team?",
            "Social care advice: {practice}",
            "Help understanding {practice}",
        ),
        request_openings=(
            "{Team} often gets confused about {practice}, and patients wait longer as a result.",
            "I'm new to working with adult social care and want to understand {practice}.",
            "Colleagues keep asking me about {practice} and I'd like to give them a proper answer.",
        ),
        request_asks=(
            "Could someone run a short session, or spend an hour with a few of us?",
            "Looking for someone who can explain it in plain English with real examples.",
        ),
        offer_titles=(
            "Social care explained: {practice}",
            "Social care explained for health teams",
        ),
        offer_bodies=(
            "I work closely with adult social care and I'm happy to explain {practice} to "
            "health colleagues. Understanding each other's world makes discharge and "
            "referrals so much smoother.",
            "I can run a short session on {practice} for a ward, practice or community team.",
        ),
    ),
    Topic(
        key="community",
        category="social_care",
        skills=("Community and voluntary partnerships", "Health inequalities"),
        minutes=(45, 60, 90),
        slots={
            "people": (
                "carers",
                "refugees and asylum seekers",
                "older people living alone",
                "young people leaving care",
                "people experiencing homelessness",
                "people with learning disabilities",
            ),
        },
        request_titles=(
            "Working with local groups supporting {people}",
            "What support is there in {place} for {people}?",
            "Partnership with the voluntary sector: {people}",
        ),
        request_openings=(
            "We see a lot of {people} and don't know what's available outside the NHS.",
            "Our social prescribing team wants to build links with groups working with {people}.",
            "We're a small team supporting {people} and want to work more closely with "
            "primary care.",
        ),
        request_asks=(
            "Could someone give us an overview and a few names to contact?",
            "I'd like an hour with someone who knows the local voluntary sector.",
        ),
        offer_titles=(
            "Local knowledge: support for {people}",
            "Connecting health teams with community groups",
        ),
        offer_bodies=(
            "I know the groups working with {people} in {place} and can help health teams "
            "understand what's on offer and how to refer.",
            "Happy to introduce you to the local groups supporting {people}.",
        ),
    ),
    Topic(
        key="wellbeing",
        category="wellbeing",
        skills=("Staff wellbeing", "Peer support", "Mindfulness and resilience"),
        minutes=(30, 45, 60, 90),
        slots={
            "group": (
                "a team that's had a very hard winter",
                "new starters who feel isolated",
                "night staff",
                "staff after a serious incident",
                "managers supporting burnt-out teams",
            ),
        },
        request_titles=(
            "Wellbeing session for {group}",
            "Peer support ideas for {group}",
            "Looking for help supporting {group}",
        ),
        request_openings=(
            "I'm responsible for {group} and I'm worried about them.",
            "We want to set something up for {group}.",
        ),
        request_asks=(
            "Could someone run a short wellbeing session or a reflective space?",
            "I'd like advice on setting up peer support that people will actually use.",
        ),
        offer_titles=(
            "Wellbeing sessions for teams",
            "Reflective practice and peer support",
            "Short mindfulness sessions for busy teams",
        ),
        offer_bodies=(
            "I'm trained in facilitating reflective spaces and wellbeing sessions and I'm "
            "happy to run one for {group} or any team.",
            "I run short, practical mindfulness sessions that fit into a handover or a lunch "
            "break.",
        ),
    ),
)

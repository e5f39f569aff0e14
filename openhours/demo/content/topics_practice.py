"""Post topics: finance, clinical practice, patient experience and research."""

from __future__ import annotations

from .topic import Topic

TOPICS: tuple[Topic, ...] = (
    Topic(
        key="business_case",
        category="finance",
        skills=("Business cases", "Options appraisal"),
        minutes=(60, 120, 180, 240, 360),
        slots={
            "case": (
                "a frailty virtual ward",
                "an extra physio post",
                "a PCN falls service",
                "a community diabetes clinic",
                "discharge-to-assess beds",
                "a health and wellbeing coach for the practice",
                "a new endoscopy room",
                "extending a social prescribing pilot",
            ),
        },
        request_titles=(
            "Help with a business case for {case}",
            "Someone to sense-check a business case for {case}?",
            "Business case writing: {case}",
            "First business case! Help with {case}",
        ),
        request_openings=(
            "I've been asked to write a business case for {case}, and I've never written one.",
            "We have a strong clinical argument for {case}, but our first draft of the "
            "business case got sent back.",
            "Our business case for {case} goes to committee {deadline}.",
            "The pilot of {case} has gone well and we need a business case to keep it going.",
        ),
        request_asks=(
            "Could someone who has written business cases read our draft and help us make "
            "the financial and economic case stronger?",
            "I need help with the structure (the five case model) and with putting numbers "
            "on the benefits.",
            "An hour with someone from finance would help us get the costings right.",
            "Looking for a critical friend to read it through before it goes in.",
        ),
        offer_titles=(
            "Business case writing: I'll read your draft",
            "Help with business cases and the five case model",
            "Critical friend for your business case",
        ),
        offer_bodies=(
            "I've written and reviewed business cases for {years} years, from single posts to "
            "capital schemes. I can help with structure, the financial case and making the "
            "benefits convincing.",
            "Happy to read a draft business case and give honest feedback before it goes to "
            "committee. Particularly good on options appraisal and costings.",
            "I've seen a lot of business cases go to committee, so I know what gets sent back "
            "and why. Happy to help you get yours through first time.",
        ),
    ),
    Topic(
        key="costing",
        category="finance",
        skills=("Budgeting and financial planning", "Excel and spreadsheets"),
        minutes=(45, 60, 90, 120),
        slots={
            "costed": (
                "a nurse-led clinic",
                "a six-month pilot",
                "a new rota",
                "a group education session",
                "a hospital at home bed",
                "a community outreach day",
            ),
        },
        request_titles=(
            "How much does {costed} cost? Help with costings",
            "Costing help: {costed}",
            "Finance help with a budget for {costed}",
        ),
        request_openings=(
            "I need to cost {costed} for a funding bid and don't know where to start.",
            "We've been given a budget for {costed} and I've never managed one.",
            "Finance want a full costing of {costed}, including on-costs and overheads.",
        ),
        request_asks=(
            "Could someone from finance spend an hour with me on the numbers?",
            "I'd like to understand on-costs, overheads and what finance will ask.",
            "Looking for someone to check my spreadsheet.",
        ),
        offer_titles=(
            "Costing a service or pilot: finance help",
            "NHS budgets explained, for non-finance people",
        ),
        offer_bodies=(
            "I've costed plenty of services and pilots and I'm happy to help clinicians and "
            "managers cost a service, set a budget or understand their monthly statements.",
            "Finance doesn't have to be a black box. I'll walk you through costing "
            "{costed} or something similar, including on-costs and overheads.",
        ),
    ),
    Topic(
        key="commissioning",
        category="finance",
        asked_in=("icb", "local_authority", "pcn", "voluntary"),
        skills=("Procurement and commissioning", "Writing and communications"),
        minutes=(60, 120, 180),
        slots={
            "spec": (
                "a community falls service",
                "a carers' support service",
                "a home care framework",
                "a social prescribing service",
                "an interpreting service",
            ),
        },
        request_titles=(
            "Help writing a service specification for {spec}",
            "Commissioning advice: {spec}",
            "Procurement question about {spec}",
        ),
        request_openings=(
            "We're commissioning {spec} for the first time.",
            "Our contract for {spec} ends next year and we want to do it better this time.",
            "I've been handed the service specification for {spec} and a deadline.",
        ),
        request_asks=(
            "Could someone with commissioning experience review our outcomes and KPIs?",
            "I need to understand what the Provider Selection Regime means for us.",
            "An hour with someone who's written a good specification would help a lot.",
        ),
        offer_titles=(
            "Commissioning and service specifications: advice",
            "Help with procurement and the Provider Selection Regime",
        ),
        offer_bodies=(
            "I've been on both sides of commissioning over {years} years. I can help you write "
            "outcomes that mean something, and explain the procurement route.",
            "Happy to review a service specification, particularly outcomes and KPIs, and "
            "talk through procurement options.",
        ),
    ),
    Topic(
        key="clinical_audit",
        category="clinical",
        asked_in=(
            "acute",
            "mental_health",
            "community",
            "ambulance",
            "gp_practice",
            "pcn",
            "hospice",
        ),
        skills=("Clinical audit", "Clinical guidelines"),
        minutes=(60, 90, 120, 180, 240),
        slots={
            "standard": (
                "anticoagulation in atrial fibrillation",
                "sepsis screening in ED",
                "VTE risk assessment",
                "antibiotic prescribing for sore throat",
                "documentation of DNACPR discussions",
                "blood pressure control in diabetes",
                "falls risk assessment on admission",
                "lithium monitoring",
            ),
        },
        request_titles=(
            "Help designing a clinical audit on {standard}",
            "Clinical audit support: {standard}",
            "Re-audit of {standard}: looking for advice",
        ),
        request_openings=(
            "I need to complete an audit on {standard} for my portfolio this year.",
            "We audited {standard} last year and need to close the loop.",
            "We think practice on {standard} varies a lot between teams, but we have no data.",
        ),
        request_asks=(
            "Could someone help me write the standards and a proforma that's quick to complete?",
            "I'd like help with the sample size and presenting the results.",
            "Looking for someone who's done this before to check the design before I start "
            "collecting data.",
        ),
        offer_titles=(
            "Clinical audit: design, data collection and closing the loop",
            "Help turning NICE guidance into audit standards",
            "Audit supervision for trainees and new starters",
        ),
        offer_bodies=(
            "I've led a lot of clinical audits and love helping people design ones that "
            "actually change practice. Happy to help with standards, proformas and presenting "
            "results.",
            "I've supervised lots of trainee audits, including on {standard}. I can help you "
            "design one that's small enough to finish and useful enough to matter.",
        ),
    ),
    Topic(
        key="medicines",
        category="clinical",
        asked_in=("gp_practice", "pcn", "social_care", "acute", "community", "icb", "hospice"),
        skills=("Medicines optimisation", "Long-term conditions"),
        minutes=(45, 60, 90, 120),
        slots={
            "medicines": (
                "deprescribing in care homes",
                "structured medication reviews for people with frailty",
                "switching to lower-carbon inhalers",
                "opioid reduction in chronic pain",
                "anticholinergic burden",
                "antimicrobial stewardship",
            ),
        },
        request_titles=(
            "Pharmacist advice on {medicines}",
            "Help setting up a project on {medicines}",
            "Learning from others: {medicines}",
        ),
        request_openings=(
            "We want to start a project on {medicines} across the PCN.",
            "Our care home team keeps asking about {medicines}.",
            "I'm new to primary care and {medicines} is my first project.",
        ),
        request_asks=(
            "Could someone share their approach, searches and patient materials?",
            "I'd like to talk to someone who's already made this work.",
            "An hour of advice would be really helpful.",
        ),
        offer_titles=(
            "Medicines optimisation advice: {medicines}",
            "Pharmacist offering support with {medicines}",
        ),
        offer_bodies=(
            "{Medicines} is a special interest of mine. Happy to share our searches, "
            "templates and what we learned.",
            "I can help teams plan medication reviews, prioritise patients and talk to "
            "patients about stopping medicines.",
        ),
    ),
    Topic(
        key="patient_safety",
        category="clinical",
        skills=("Patient safety", "Clinical audit"),
        minutes=(60, 90, 120, 180),
        slots={
            "incident": (
                "a missed deterioration",
                "a delayed referral",
                "medication errors at handover",
                "a fall with harm",
                "a wrong-patient blood sample",
            ),
        },
        request_titles=(
            "Help running an after-action review on {incident}",
            "PSIRF learning response: looking for a facilitator",
            "Patient safety advice after {incident}",
        ),
        request_openings=(
            "We've had {incident} and want to learn from it properly, without blame.",
            "Our team is new to PSIRF and we're not sure which learning response to use for "
            "{incident}.",
            "We keep seeing {incident} in our incident reports.",
        ),
        request_asks=(
            "Could someone experienced facilitate an after-action review for us?",
            "Looking for advice on running a learning response that involves the family.",
            "I'd like someone to help us look at themes across incidents.",
        ),
        offer_titles=(
            "After-action review facilitation",
            "PSIRF: help choosing and running a learning response",
        ),
        offer_bodies=(
            "I'm trained in PSIRF learning responses and happy to facilitate after-action "
            "reviews or help you plan the right response for your incident.",
            "I can help teams look at incidents such as {incident} with a systems lens rather "
            "than a blame lens.",
        ),
    ),
    Topic(
        key="conditions",
        category="clinical",
        asked_in=(
            "gp_practice",
            "pcn",
            "social_care",
            "community",
            "hospice",
            "voluntary",
            "acute",
        ),
        skills=("Frailty and older people's care", "Long-term conditions"),
        minutes=(60, 90, 120),
        slots={
            "condition": (
                "frailty",
                "COPD",
                "heart failure",
                "type 2 diabetes",
                "dementia",
                "Parkinson's",
            ),
        },
        request_titles=(
            "Teaching on {condition} for our care home staff",
            "Specialist advice on our {condition} pathway",
            "Clinical input wanted for our {condition} project",
        ),
        request_openings=(
            "The care homes we work with have asked for practical teaching on {condition}.",
            "We're redesigning the {condition} pathway across the neighbourhood.",
            "We want to set up a proactive clinic for people with {condition}.",
        ),
        request_asks=(
            "Could a specialist spend an hour with us, or run a short session?",
            "Looking for someone to review the pathway and tell us what we're missing.",
            "Happy to come to you.",
        ),
        offer_titles=(
            "Teaching sessions on {condition}",
            "Specialist advice on {condition} for primary and community teams",
        ),
        offer_bodies=(
            "I see a lot of people with {condition} and I'm happy to run short teaching "
            "sessions for care homes, practices or community teams.",
            "Happy to give advice on {condition} pathways, proactive care and what good "
            "looks like.",
        ),
    ),
    Topic(
        key="patient_experience",
        category="patient_experience",
        skills=("Patient experience", "Surveys and focus groups"),
        minutes=(60, 90, 120, 180),
        slots={
            "feedback": (
                "our Friends and Family Test comments",
                "feedback from a patient survey",
                "complaints about appointment access",
                "feedback from carers",
                "comments from our online reviews",
            ),
        },
        request_titles=(
            "Help analysing {feedback}",
            "Patient experience: making use of {feedback}",
            "Help designing a patient survey",
        ),
        request_openings=(
            "We get hundreds of {feedback} every month and nobody has time to read them.",
            "We want to hear from patients who don't usually give feedback.",
            "I've been asked to report on {feedback} to our board.",
        ),
        request_asks=(
            "Could someone help us code themes and turn them into actions?",
            "Looking for help designing questions and reaching seldom-heard groups.",
            "An hour with someone from a patient experience team would help.",
        ),
        offer_titles=(
            "Patient experience: turning feedback into action",
            "Survey design and focus group facilitation",
        ),
        offer_bodies=(
            "I've analysed a lot of patient feedback and can help you code free-text "
            "comments, design surveys and run focus groups.",
            "Happy to help teams make sense of {feedback} and show patients what changed as "
            "a result.",
        ),
    ),
    Topic(
        key="coproduction",
        category="patient_experience",
        skills=("Co-production with patients", "Health inequalities"),
        minutes=(60, 90, 120, 180),
        slots={
            "work": (
                "a new diabetes education programme",
                "our mental health crisis pathway",
                "the redesign of the falls service",
                "a carers' strategy",
                "information for people newly diagnosed with dementia",
            ),
        },
        request_titles=(
            "Advice on co-producing {work} with patients",
            "Looking for help involving patients in {work}",
            "Co-production: how did you recruit experts by experience?",
        ),
        request_openings=(
            "We want {work} to be designed with patients, not for them.",
            "We tried to involve patients in {work}, but the same three people came to everything.",
            "Our funder expects co-production on {work} and we're starting from scratch.",
        ),
        request_asks=(
            "Could someone share how they recruited, paid and supported experts by experience?",
            "I'd like advice on running sessions that are genuinely accessible.",
            "Would love to speak to someone from a voluntary organisation about reaching "
            "communities we don't hear from.",
        ),
        offer_titles=(
            "Co-production advice from someone who's done it",
            "Involving patients and carers: practical help",
        ),
        offer_bodies=(
            "I've supported co-production on {work} and other projects. Happy to share how we "
            "recruited and paid people, and what we'd do differently.",
            "Happy to help you plan involvement that isn't tokenistic: who to invite, how to "
            "pay people, and how to show them what changed.",
        ),
    ),
    Topic(
        key="literature",
        category="research",
        skills=("Literature searching", "Research methods"),
        minutes=(60, 120, 180, 240),
        written=True,
        slots={
            "question": (
                "group consultations for long-term conditions",
                "social prescribing and GP attendance",
                "virtual wards for older people",
                "reducing missed appointments",
                "peer support for newly qualified nurses",
                "remote monitoring for heart failure",
            ),
        },
        request_titles=(
            "Rapid evidence review: {question}",
            "What does the evidence say about {question}?",
            "Literature search help: {question}",
        ),
        request_openings=(
            "We're planning a service change and need a quick summary of the evidence on "
            "{question}.",
            "My manager has asked what the evidence says on {question} and I don't know where "
            "to look.",
            "I'm writing a bid and need to cite the evidence on {question}.",
        ),
        request_asks=(
            "Could someone help me plan a search and pick out the key papers?",
            "Looking for someone who can do a rapid review, or show me how to.",
            "Even a list of the five best papers would help.",
        ),
        offer_titles=(
            "Rapid evidence reviews and literature searches",
            "Help finding the evidence for your service change",
        ),
        offer_bodies=(
            "I'm quick at literature searches and can run one, write a rapid evidence "
            "summary, or teach you how to do it yourself.",
            "Happy to help you find and appraise the evidence on a question such as {question}.",
        ),
    ),
    Topic(
        key="evaluation",
        category="research",
        skills=("Evaluation", "Research methods"),
        minutes=(90, 120, 180, 240, 360),
        slots={
            "pilot": (
                "our social prescribing pilot",
                "a new frailty clinic",
                "a staff wellbeing programme",
                "a community diagnostic hub",
                "a digital weight management service",
                "a hospital discharge pilot",
            ),
        },
        request_titles=(
            "Help planning an evaluation of {pilot}",
            "How do we know if {pilot} worked?",
            "Evaluation support wanted: {pilot}",
        ),
        request_openings=(
            "We've been running {pilot} for six months and the funder wants an evaluation.",
            "We're about to start {pilot} and want to build the evaluation in from day one.",
            "{Pilot} seems to be working, but all we have is anecdotes.",
        ),
        request_asks=(
            "Could someone help us with a logic model and a small set of measures?",
            "I'd like help choosing methods that are realistic for a small team.",
            "Looking for an academic or analyst to be a critical friend.",
        ),
        offer_titles=(
            "Evaluation planning: logic models and measures",
            "Critical friend for your evaluation",
        ),
        offer_bodies=(
            "I've evaluated lots of pilots across health and care. Happy to help you build a "
            "logic model, choose measures and plan something proportionate.",
            "I like real-world evaluation that a small team can actually do. I can help you "
            "work out whether {pilot} is making a difference.",
        ),
    ),
    Topic(
        key="grant",
        category="research",
        asked_in=(
            "university",
            "acute",
            "mental_health",
            "community",
            "voluntary",
            "icb",
            "local_authority",
            "hospice",
            "pcn",
        ),
        skills=("Grant writing", "Research methods"),
        minutes=(60, 120, 180, 240),
        slots={
            "bid": (
                "an NIHR Research for Patient Benefit application",
                "a charity grant for a carers' project",
                "a small innovation fund bid",
                "a clinical academic fellowship application",
                "a health inequalities funding bid",
            ),
        },
        request_titles=(
            "Feedback wanted on {bid}",
            "Help writing {bid}",
            "Looking for someone to read my draft: {bid}",
        ),
        request_openings=(
            "I'm putting together {bid} and the deadline is {deadline}.",
            "This is my first attempt at {bid}.",
            "We were turned down last round and are resubmitting {bid}.",
        ),
        request_asks=(
            "Could someone who's been successful read my draft and tell me honestly what's weak?",
            "I need help with the lay summary and the patient involvement section.",
            "An hour on the structure would help a lot.",
        ),
        offer_titles=(
            "Grant writing: I'll read your draft",
            "Help with funding bids and lay summaries",
        ),
        offer_bodies=(
            "I've written and reviewed lots of applications, including {bid}. Happy to read "
            "a draft and give honest, specific feedback.",
            "Happy to help with funding bids, especially lay summaries and patient "
            "involvement sections.",
        ),
    ),
)

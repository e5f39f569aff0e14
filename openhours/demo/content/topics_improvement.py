"""Post topics: quality improvement, data and digital."""

from __future__ import annotations

from .topic import Topic

TOPICS: tuple[Topic, ...] = (
    Topic(
        key="qi_coaching",
        category="improvement",
        skills=("QI coaching", "Model for improvement (PDSA)"),
        minutes=(60, 90, 120, 180, 240, 360),
        slots={
            "aim": (
                "reducing missed appointments",
                "cutting the wait from referral to first contact",
                "getting discharge summaries out within 24 hours",
                "reducing falls on the ward",
                "improving uptake of learning disability health checks",
                "reducing repeat calls to reception",
                "getting more patients home before midday",
                "improving the quality of handover",
            ),
            "count": ("a dozen", "twenty or so", "lots of", "a handful of"),
        },
        request_titles=(
            "Looking for a QI coach for our project on {aim}",
            "QI coaching needed: {aim}",
            "Could someone help us plan our first PDSA cycles?",
            "Help turning an idea about {aim} into a proper improvement project",
        ),
        request_openings=(
            "We've been asked to work on {aim} and, honestly, we're not sure where to start.",
            "{Team} has a lot of energy for {aim} but none of us has run a QI project before.",
            "We tried to tackle {aim} last year and it fizzled out after a couple of months.",
            "Our project on {aim} has an aim statement and a driver diagram, and that's about "
            "as far as we've got.",
        ),
        request_asks=(
            "We'd love a couple of sessions with someone who has coached a team through the "
            "model for improvement: help with the aim, the measures and our first tests of "
            "change.",
            "Ideally someone could join a team meeting, listen, and help us pick two or three "
            "small changes to test.",
            "What we need most is someone to challenge our measures, so we know whether "
            "anything is actually changing.",
            "An hour to sense-check our plan, then maybe a follow-up once we've run a few cycles.",
        ),
        offer_titles=(
            "QI coaching for teams starting their first project",
            "An hour of PDSA coaching: bring your aim statement",
            "Experienced QI coach offering support with improvement projects",
            "Help setting measures for your improvement project",
        ),
        offer_bodies=(
            "I'm a trained QI coach and have supported {count} projects, from {aim} to "
            "theatre start times. I can help you sharpen your aim, choose measures that "
            "aren't a burden to collect and plan small tests of change.",
            "I did the QI practitioner programme a couple of years ago and still love helping "
            "teams get going. Bring whatever you've got, even if it's just a frustration, and "
            "we'll turn it into an aim and a first PDSA.",
            "Happy to coach a team through the model for improvement. I'm most useful at the "
            "start, when you're choosing what to test and how you'll know if it worked.",
        ),
    ),
    Topic(
        key="process_mapping",
        category="improvement",
        skills=("Process mapping", "Lean and flow"),
        minutes=(90, 120, 180, 240),
        slots={
            "pathway": (
                "our falls referral pathway",
                "the two-week-wait referral process",
                "how patients get booked into the diabetes clinic",
                "our discharge process",
                "the journey from 999 call to community response",
                "how repeat prescriptions move through the practice",
                "safeguarding referrals from first concern to outcome",
                "new patient registration",
            ),
            "count": ("a dozen", "twenty or so", "lots of", "a handful of"),
        },
        request_titles=(
            "Facilitator needed for a process mapping session on {pathway}",
            "Help mapping {pathway}",
            "Can anyone run a half-day mapping workshop for us?",
        ),
        request_openings=(
            "Everyone agrees {pathway} is too slow, but everyone has a different view of "
            "where it gets stuck.",
            "We're redesigning {pathway} and want to see the whole thing on one wall before "
            "we change anything.",
            "{Team} is about to change {pathway} and we want patients and staff in the room "
            "when we map it.",
        ),
        request_asks=(
            "We're looking for a neutral facilitator who can run the session, so that we can "
            "take part rather than lead.",
            "Could someone who has done this before help us plan the session and then run it "
            "on the day?",
            "We need help with the session itself and with writing up the current state "
            "afterwards.",
        ),
        offer_titles=(
            "I'll facilitate your process mapping session",
            "Process mapping: planning, running and writing up",
            "Neutral facilitator for pathway mapping workshops",
        ),
        offer_bodies=(
            "I've facilitated {count} process mapping workshops, most recently on {pathway}. "
            "I can help you decide who to invite, run the session and turn the wall of "
            "sticky notes into something you can act on.",
            "Brown paper, sticky notes and a neutral face: I'm happy to facilitate a mapping "
            "session for your team and help you spot the delays and handoffs.",
        ),
    ),
    Topic(
        key="spc",
        category="improvement",
        skills=("Statistical process control", "Data analysis"),
        minutes=(45, 60, 90, 120),
        slots={
            "measure": (
                "monthly falls rate",
                "four-hour A&E performance",
                "DNA rates",
                "pressure ulcer incidents",
                "length of stay for over-75s",
                "time to first appointment",
                "sickness absence",
                "medication incidents",
            ),
        },
        request_titles=(
            "Help building an SPC chart for our {measure}",
            "Is this real improvement or just noise? SPC help wanted",
            "Making sense of our {measure} data",
        ),
        request_openings=(
            "Our {measure} went down for three months and everyone's celebrating, but I'm "
            "not convinced.",
            "We report our {measure} every month as a RAG-rated table and I'd like to move to SPC.",
            "I've got two years of {measure} data in a spreadsheet and a board paper due "
            "{deadline}.",
        ),
        request_asks=(
            "Could someone show me how to build an SPC chart and, more importantly, how to "
            "read it?",
            "I'd like someone to look over the data with me and help me explain it without "
            "overclaiming.",
            "An hour on video with someone who knows the Making Data Count approach would be "
            "brilliant.",
        ),
        offer_titles=(
            "SPC charts made simple: an hour on your own data",
            "Help reading and building SPC charts",
            "Making Data Count: I'll help you move from RAG ratings to SPC",
        ),
        offer_bodies=(
            "I teach the Making Data Count approach and I'm happy to sit with you and your "
            "own data. We'll build an SPC chart in Excel and talk through what it does and "
            "doesn't tell you.",
            "If you're reporting {measure} or anything similar as a red-amber-green table, I "
            "can help you chart it properly and spot genuine change.",
        ),
    ),
    Topic(
        key="data_analysis",
        category="data",
        skills=("Data analysis", "Excel and spreadsheets"),
        minutes=(60, 120, 180, 240, 360, 480),
        slots={
            "dataset": (
                "three years of referral data",
                "our waiting list extract",
                "Friends and Family Test results",
                "a staff survey export",
                "discharge delay data",
                "our appointment booking data",
                "audit results from six practices",
                "community caseload data",
            ),
        },
        request_titles=(
            "Help making sense of {dataset}",
            "Analyst needed for a few hours: {dataset}",
            "Looking for someone to help analyse {dataset}",
        ),
        request_openings=(
            "I've been given {dataset} and asked what it tells us. I can do basic Excel, but "
            "this is beyond me.",
            "We need to understand {dataset} before we can make the case for change.",
            "{Team} has {dataset} sitting in a spreadsheet and no analyst time until next year.",
        ),
        request_asks=(
            "Could someone spend a few hours helping me clean it up and pull out the main "
            "patterns?",
            "I'm looking for help choosing the right charts and checking I'm not drawing the "
            "wrong conclusions.",
            "Ideally you'd show me how, not just do it, so we can repeat it every quarter.",
        ),
        offer_titles=(
            "A few hours of data analysis for a team without an analyst",
            "Data analysis help: messy spreadsheets welcome",
            "I'll help you turn your data into a clear story",
        ),
        offer_bodies=(
            "I've done a lot of analysis in {years} years in health and care. If you have data "
            "and a question but no analyst, I can help you clean it, analyse it and present "
            "it clearly.",
            "Happy to give a few hours to a team that needs some analysis doing, for example "
            "{dataset}. I'll explain what I did so you can repeat it.",
        ),
    ),
    Topic(
        key="power_bi",
        category="data",
        skills=("Power BI dashboards", "Data analysis"),
        minutes=(60, 120, 240, 360, 480),
        slots={
            "dashboard": (
                "our waiting list",
                "ward staffing and sickness",
                "referrals into the service",
                "virtual ward activity",
                "long-term condition registers",
                "discharge delays",
                "patient feedback themes",
            ),
        },
        request_titles=(
            "Help building a simple Power BI dashboard for {dashboard}",
            "Power BI help wanted: {dashboard}",
            "Can someone review our Power BI dashboard before it goes live?",
        ),
        request_openings=(
            "We currently track {dashboard} in a spreadsheet that takes half a day a week to "
            "update.",
            "I've made a start on a Power BI dashboard for {dashboard}, but it's slow and "
            "nobody can find anything.",
            "Our team needs a live view of {dashboard} and I've been nominated because I'm "
            "'good with computers'.",
        ),
        request_asks=(
            "Could someone help me set up the data model and a couple of sensible visuals?",
            "I'd love an hour with someone who builds dashboards for a living, to look at "
            "mine and tell me what to fix.",
            "We need help getting from a spreadsheet to something that refreshes itself.",
        ),
        offer_titles=(
            "Power BI: I'll help you build or fix a dashboard",
            "Dashboard reviews and Power BI help",
            "From spreadsheet to Power BI: a few hours of help",
        ),
        offer_bodies=(
            "I've built Power BI reports for several teams and I'm happy to help teams who "
            "don't have that support: data models, DAX, and making a report people actually "
            "use.",
            "Give me an hour and a dashboard and I'll tell you what works, what doesn't, and "
            "how to make it faster.",
        ),
    ),
    Topic(
        key="excel",
        category="data",
        skills=("Excel and spreadsheets",),
        minutes=(30, 45, 60, 90),
        slots={
            "sheet": (
                "a rota tracker",
                "our training compliance spreadsheet",
                "a referral log",
                "a budget tracker",
                "an audit data collection sheet",
                "a bed state spreadsheet",
            ),
        },
        request_titles=(
            "Excel help with {sheet}",
            "Quick Excel question: pivot tables and lookups",
            "Someone good at Excel to tidy up {sheet}?",
        ),
        request_openings=(
            "We use {sheet} every day and it breaks every time someone adds a row.",
            "I spend every Monday morning copying and pasting into {sheet}.",
            "I've inherited {sheet} and I don't understand half the formulas in it.",
        ),
        request_asks=(
            "Half an hour with someone who knows lookups and pivot tables would save me hours "
            "every week.",
            "Could someone help me rebuild it so it's simpler and harder to break?",
            "Happy to share a copy with the personal data taken out first.",
        ),
        offer_titles=(
            "Excel surgery: bring your spreadsheet",
            "Pivot tables, XLOOKUP and tidy spreadsheets",
            "Half an hour of Excel help, any level",
        ),
        offer_bodies=(
            "I'm the person everyone in my office asks about Excel. Pivot tables, lookups, "
            "conditional formatting, or just untangling a spreadsheet someone else built: "
            "bring it along.",
            "Happy to help anyone who's fighting a spreadsheet. No question too basic, and "
            "I'll show you how rather than just fix it.",
        ),
    ),
    Topic(
        key="code",
        category="data",
        skills=("SQL", "R or Python"),
        minutes=(60, 90, 120, 240),
        slots={
            "job": (
                "automating a monthly report",
                "pulling activity data from the warehouse",
                "linking two datasets by NHS number",
                "a repeatable analysis of waiting times",
                "cleaning free-text referral reasons",
            ),
        },
        request_titles=(
            "Help with SQL or R for {job}",
            "R or Python mentor wanted for {job}",
            "Stuck on a SQL query: {job}",
        ),
        request_openings=(
            "I'm part way through {job} and I've hit the limits of what I can work out on my own.",
            "Our team spends two days a month on {job} by hand.",
            "I'm learning R and want to use it on a real problem: {job}.",
        ),
        request_asks=(
            "Could someone pair with me for an hour or two on video?",
            "I'd like someone to review my code and suggest a better way of doing it.",
            "Looking for a bit of mentoring as much as a fix.",
        ),
        offer_titles=(
            "R, Python or SQL: pairing sessions for NHS analysts",
            "Help automating reports in R",
            "I'll review your SQL and help speed it up",
        ),
        offer_bodies=(
            "I moved from Excel to R a few years ago and haven't looked back. Happy to pair "
            "with anyone who's learning, or help automate something you do by hand every "
            "month.",
            "Happy to review SQL or R code, help with {job}, or point you at the NHS-R "
            "community resources that helped me.",
        ),
    ),
    Topic(
        key="population_health",
        category="data",
        skills=("Population health analytics", "Health inequalities"),
        minutes=(120, 180, 240, 360),
        slots={
            "cohort": (
                "people with three or more long-term conditions",
                "frequent attenders at A&E",
                "people living with frailty",
                "children with asthma in our most deprived areas",
                "people who miss their annual diabetes review",
                "people with severe mental illness who haven't had a health check",
            ),
        },
        request_titles=(
            "Population health analysis: finding {cohort}",
            "Help profiling {cohort} across {place}",
            "Who are we missing? Analysis help on {cohort}",
        ),
        request_openings=(
            "We want to design a proactive offer for {cohort}, but we don't know how many "
            "there are or where they live.",
            "{Team} is bidding for health inequalities funding to reach {cohort}.",
            "Our neighbourhood team wants to understand {cohort} by deprivation and "
            "ethnicity before we plan anything.",
        ),
        request_asks=(
            "Could an analyst help us scope what's possible with the linked dataset?",
            "We need help with the numbers and with explaining them to a mixed audience.",
            "Even an hour to talk through the right approach would help.",
        ),
        offer_titles=(
            "Population health analysis for neighbourhood teams",
            "Help finding the people your service is missing",
            "Segmentation and deprivation analysis on request",
        ),
        offer_bodies=(
            "I've done population health analysis for neighbourhood teams and can help you "
            "understand {cohort} or any similar group, using linked data and deprivation "
            "scores.",
            "Happy to help teams who want to target their work: who is the service reaching, "
            "who is it missing, and what does that look like by deprivation?",
        ),
    ),
    Topic(
        key="demand_capacity",
        category="data",
        skills=("Demand and capacity modelling",),
        minutes=(120, 180, 240, 360),
        slots={
            "service": (
                "our MSK physiotherapy service",
                "the memory assessment service",
                "our phlebotomy clinics",
                "same-day access at the practice",
                "the community nursing service",
                "our new virtual ward",
                "the falls clinic",
            ),
        },
        request_titles=(
            "Demand and capacity modelling for {service}",
            "How many clinics do we really need? Help with {service}",
            "Help modelling demand for {service}",
        ),
        request_openings=(
            "The waiting list for {service} keeps growing and we can't tell whether it's "
            "demand, capacity or both.",
            "We're asking for more staff for {service} and the finance team wants the numbers.",
            "I've been asked to work out how many slots {service} needs each week.",
        ),
        request_asks=(
            "Could someone with demand and capacity experience help us build a simple model?",
            "I've got the data; I need someone to check the approach.",
            "Looking for a couple of sessions with someone who's used the NHS demand and "
            "capacity tools.",
        ),
        offer_titles=(
            "Demand and capacity modelling for services under pressure",
            "I'll help you work out how much capacity you really need",
        ),
        offer_bodies=(
            "I've done demand and capacity work for outpatients, community services and "
            "primary care. I can help you build a model that fits your service and explain "
            "it to finance.",
            "If your waiting list keeps growing and nobody can say why, I can help you "
            "separate demand, capacity and backlog.",
        ),
    ),
    Topic(
        key="digital_rollout",
        category="digital",
        skills=("Digital tools and apps", "Change management"),
        minutes=(60, 90, 120, 180),
        slots={
            "tool": (
                "online consultation",
                "patient-initiated follow-up",
                "digital appointment reminders",
                "a shared care record",
                "e-rostering",
                "digital dictation",
                "self check-in screens",
                "video consultations",
            ),
        },
        request_titles=(
            "Has anyone rolled out {tool}? Would love to learn from you",
            "Advice wanted on introducing {tool}",
            "Help getting staff on board with {tool}",
        ),
        request_openings=(
            "We're introducing {tool} in the next few months and I'm leading it.",
            "We launched {tool} six weeks ago and uptake is disappointing.",
            "{Team} is about to go live with {tool}.",
        ),
        request_asks=(
            "I'd love an hour with someone who's done it before: what went wrong and what "
            "you'd do differently.",
            "Could someone help us plan training and support for staff who aren't confident "
            "with technology?",
            "Looking for practical tips on getting patients to use it too.",
        ),
        offer_titles=(
            "Lessons from rolling out {tool}: happy to share",
            "Advice on introducing digital tools to busy teams",
            "Digital change: what we learned the hard way",
        ),
        offer_bodies=(
            "We rolled out {tool} last year. I'm happy to share what we learned, our "
            "training materials and the mistakes we'd avoid next time.",
            "I've led several digital rollouts and can help you plan training, engagement and "
            "the bit everyone forgets: what happens after go-live.",
        ),
    ),
    Topic(
        key="epr",
        category="digital",
        asked_in=(
            "gp_practice",
            "pcn",
            "acute",
            "community",
            "mental_health",
            "hospice",
            "ambulance",
        ),
        skills=("Electronic patient records",),
        minutes=(30, 60, 90, 120),
        slots={
            "build": (
                "an annual review template",
                "searches for our long-term condition registers",
                "a frailty care plan template",
                "a discharge letter template",
                "recall lists for overdue reviews",
                "a clinical dashboard in the EPR",
            ),
        },
        request_titles=(
            "Help building {build} in SystmOne",
            "EMIS or SystmOne expert wanted: {build}",
            "Help with {build}",
        ),
        request_openings=(
            "Our clinicians are writing free text because nobody has built {build}.",
            "I've started on {build}, but the clinical codes are defeating me.",
            "We want {build} that's the same across all the practices in the PCN.",
        ),
        request_asks=(
            "Could someone who's built templates before spend an hour with me?",
            "Looking for someone to check our codes and searches.",
            "Happy to share what we've got so far.",
        ),
        offer_titles=(
            "SystmOne and EMIS templates and searches",
            "EPR help: templates, searches and reports",
        ),
        offer_bodies=(
            "I've built templates and searches in SystmOne and EMIS for years. I can help "
            "with {build} or anything similar, and explain how it works so you can maintain "
            "it.",
            "Happy to help teams get more out of the EPR: templates, searches, reports and "
            "the shortcuts nobody tells you about.",
        ),
    ),
    Topic(
        key="virtual_ward",
        category="digital",
        asked_in=("acute", "community", "icb", "pcn", "ambulance", "gp_practice"),
        skills=("Virtual wards and remote monitoring", "Frailty and older people's care"),
        minutes=(60, 90, 120, 180),
        slots={"ward": ("frailty", "respiratory", "heart failure", "paediatric")},
        request_titles=(
            "Talk to someone who's run a {ward} virtual ward?",
            "Setting up a {ward} virtual ward: looking for advice",
            "Remote monitoring: what worked for your {ward} virtual ward?",
        ),
        request_openings=(
            "We've got funding to set up a {ward} virtual ward and a very tight timeline.",
            "Our {ward} virtual ward is running at about half its capacity.",
            "I'm joining a new {ward} virtual ward and want to learn from people who've done it.",
        ),
        request_asks=(
            "I'd like to talk to someone about referral criteria, staffing and the kit.",
            "Could someone share how they built referrals from ED and the ambulance service?",
            "An hour on video would be great, and a copy of any SOPs you're willing to share.",
        ),
        offer_titles=(
            "What we learned setting up a {ward} virtual ward",
            "Virtual ward advice: referrals, staffing and remote monitoring",
        ),
        offer_bodies=(
            "I helped set up our {ward} virtual ward. Happy to talk through referral "
            "criteria, staffing models, remote monitoring kit and how we won over the "
            "doubters.",
            "If you're setting up a virtual ward, I'm happy to share our SOPs and talk "
            "honestly about what worked and what didn't.",
        ),
    ),
    Topic(
        key="information_governance",
        category="digital",
        skills=("Information governance",),
        minutes=(45, 60, 90, 120),
        written=True,
        slots={
            "paperwork": (
                "a data protection impact assessment",
                "a data sharing agreement with the council",
                "a privacy notice for a new service",
                "using patient data in an evaluation",
                "sharing information with a voluntary sector partner",
            ),
        },
        request_titles=(
            "IG advice: {paperwork}",
            "Could someone review {paperwork}?",
            "Help with {paperwork}",
        ),
        request_openings=(
            "We want to start a joint service with a local charity and need to sort out "
            "{paperwork}.",
            "I've drafted {paperwork} and I'm not confident it's right.",
            "Our project is on hold until we sort out {paperwork}.",
        ),
        request_asks=(
            "Could someone with IG experience read it through and tell me what's missing?",
            "An hour with someone who knows the rules would unblock us.",
            "Happy to send the draft over first.",
        ),
        offer_titles=(
            "Information governance: DPIAs and data sharing reviewed",
            "Stuck on IG? I'll read your DPIA",
        ),
        offer_bodies=(
            "I've written and reviewed plenty of DPIAs, data sharing agreements and privacy "
            "notices. Happy to read yours, or just talk through what you need before you "
            "start.",
            "IG doesn't have to be the thing that stops a project. I can help you work out "
            "what you need and get it right first time.",
        ),
    ),
)

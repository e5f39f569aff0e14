"""The words of the demo's history: messages, thanks, feedback, reasons and sessions.

Written to fit any post title, in the language of people doing health and care
improvement work. ``history`` picks from these with its seeded random, so the same seed
always says the same things.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- exchanges ---------------------------------------------------------------------------

# The proposer's first message, when answering a request (the proposer gives).
OFFERING_HELP = (
    "I can help with this. I did something very similar for our ward last year and still "
    "have the templates.",
    "Happy to help. I've got Wednesday afternoons free for the next few weeks.",
    "This is right up my street. Shall we start with a half-hour call so I understand "
    "where you've got to?",
    "I can give you an hour on Teams. Send me whatever you've drafted so far and I'll "
    "read it beforehand.",
    "We went through exactly this in our PCN. I'd be glad to share what worked and what didn't.",
    "I'm not an expert but I've done a few of these now, and I remember what's confusing "
    "the first time.",
)

# The proposer's first message, when asking for help (the proposer receives).
ASKING_FOR_HELP = (
    "Your offer is exactly what our team needs. Could we find an hour in the next fortnight?",
    "I'd love some help with this. We've got a project group meeting on the 20th, if "
    "you could join us.",
    "Could you spare an hour? Our board paper is due at the end of the month and I'm "
    "stuck on the measures.",
    "I saw your post and wondered if you could help our practice team with this. We're "
    "flexible on timing.",
    "This would really help with our improvement project. Happy to come to you or do it on Teams.",
)

# Replies and arrangements, from either side, before the time is given.
ARRANGING = (
    "Tuesday at 2 on Teams works for me; I'll send a link.",
    "Thanks, that would be brilliant. Thursday lunchtime?",
    "I've shared our data in a spreadsheet with no patient details; have a look before we meet.",
    "Could we make it 45 minutes? Clinic runs over on Fridays.",
    "Great. I'll bring the driver diagram and last month's figures.",
    "Sorry for the slow reply, it's been a busy week on the ward. Next Monday?",
    "I've booked the seminar room at the practice for 12:30. Sandwiches provided.",
    "Would it help if I sent a few questions in advance?",
)

DELIVERY_NOTES = (
    "We covered the aim statement and agreed three measures.",
    "An hour on Teams, then half an hour tidying up the spreadsheet afterwards.",
    "Walked the team through the first two PDSA cycles.",
    "Went through the draft section by section; comments are in the shared document.",
    "Built the first version of the chart together and they're taking it from here.",
    "",
    "",
)

THANKS = (
    "Thanks — the run chart made the case at the board.",
    "Thank you! The team finally understands the difference between common and special "
    "cause variation.",
    "Really grateful. Our business case went to the finance committee on Tuesday and was approved.",
    "Thanks so much. We've started our first PDSA cycle on Monday's clinic list.",
    "Thank you for your patience with all our questions. The new rota starts next month.",
    "That session was exactly what we needed. Three of the team have asked for more.",
    "Thanks — the audit tool is already saving us a morning a week.",
    "Brilliant help, thank you. The patient panel said it was the clearest leaflet we've written.",
    "Thank you for giving up your lunch break for us.",
    "Such a useful hour. I've shared your template with the whole PCN.",
)

THANKS_TO_RECEIVER = (
    "Thanks for being so well prepared; it made the hour easy.",
    "I learned a lot from your team's questions. Good luck with the project!",
    "Lovely to meet you. Let me know how the next cycle goes.",
)

FEEDBACK_COMMENTS = (
    "Practical and well prepared.",
    "We'd have struggled for weeks without this.",
    "Useful, though we ran out of time for the data part.",
    "Good start; we'll need a follow-up.",
    "",
    "",
)

DECLINE_REASONS = (
    "Sorry, I'm on leave for the next three weeks.",
    "I don't think I'm the right person for this one; try the ICB's BI team.",
    "Winter pressures: I can't commit to anything extra until February.",
    "",
)

CANCEL_REASONS = (
    "We've found someone in our own trust who can help. Thank you anyway!",
    "The project has been paused while the service is reviewed.",
    "I've been redeployed for the next month, sorry.",
    "Our team meeting was cancelled because of staffing; I'll post again when things settle.",
)

CORRECTION_REASONS = (
    "We finished early: it was an hour, not an hour and a half.",
    "It was a bit longer than planned because we went through the second dataset too.",
    "The call dropped after forty-five minutes, so I think three quarters of an hour is fair.",
)

CORRECTION_REJECTIONS = (
    "I also spent an hour preparing the analysis beforehand, which we agreed would count.",
    "The time includes the follow-up email with the revised chart.",
)

DISPUTE_REASONS = (
    "We agreed an hour on Teams but the call lasted twenty minutes before it dropped, and "
    "we couldn't rearrange.",
    "The session was recorded twice: we met once, on the Tuesday.",
    "This was for my colleague, not me; I didn't receive the help.",
    "The time recorded includes a meeting I wasn't part of.",
)

RESOLVE_CONFIRMING = (
    "I spoke to both of you: the help was given, and the time recorded matches the notes "
    "you shared.",
    "Both of you agree the work happened; I've confirmed the time the preparation and the "
    "call took together.",
    "Confirmed at the corrected time, which both of you told me is closest to what happened.",
)

RESOLVE_CANCELLING = (
    "This was recorded twice by mistake; the other exchange stands, so this one is cancelled.",
    "The session didn't go ahead as planned; cancelled with both members' agreement.",
)

OFFLINE_REASONS = (
    "Recorded for the Carers Hub volunteers, who don't use OpenHours yet.",
    "Both members are on the care home's night team without work email; the manager "
    "sent me the sign-in sheet.",
    "Recorded from the paper log kept at the community wellbeing drop-in.",
)

# -- the ledger ---------------------------------------------------------------------------

DONATION_MEMOS = (
    "Paying it forward: our team got so much help this year.",
    "For someone who needs help with their first project.",
    "I've more hours than I'll use. Pass them on!",
    "",
)

MEMBER_DONATION_MEMOS = (
    "For your team's first QI project.",
    "Thank you for all the help with our audit; buy the team an hour of coaching.",
)

POOL_LAUNCH = "Launch of OpenHours in {icb}: a starting pool for members' first requests."
POOL_WINTER = "Winter pressures: funding grants for care home and domiciliary care teams."

GRANT_REASONS = (
    "New starter in a care home team: credit for their first request.",
    "Newly qualified nurse on the preceptorship programme, funding coaching for their "
    "first QI project.",
    "Voluntary sector partner without a time bank balance yet, so they can ask for help "
    "with their grant bid.",
    "Student on placement: credit for a mentoring conversation.",
)

WRONG_GRANT = "Funding help with a clinical audit for the falls prevention project."
WRONG_GRANT_REVERSAL = (
    "Granted to the wrong member (two people with similar names); the grant has been "
    "made again to the right person."
)

# -- group sessions --------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionIdea:
    title: str
    description: str
    minutes: int
    capacity: int
    online: bool
    location: str = ""


SESSIONS: tuple[SessionIdea, ...] = (
    SessionIdea(
        "SPC charts in an hour: making sense of variation",
        "A practical introduction to statistical process control for anyone who presents "
        "data at a board or team meeting. Bring a measure you track; we'll plot it together "
        "and talk about what the chart is telling you.",
        60,
        20,
        True,
    ),
    SessionIdea(
        "Writing a business case that gets approved",
        "What finance and investment committees look for, how to set out options, and the "
        "mistakes I made on my first three business cases. For clinicians and managers "
        "writing their first one.",
        90,
        15,
        True,
    ),
    SessionIdea(
        "Your first PDSA cycle: a workshop for practice teams",
        "Bring a problem from your practice: we'll write an aim statement, choose a measure "
        "and plan a first small test of change, in ninety minutes.",
        90,
        12,
        False,
        "Seminar room, Kingfisher House Hospice",
    ),
    SessionIdea(
        "Co-production in practice: working with patient partners",
        "How to involve patients and carers from the start of an improvement project, not "
        "just at the end. With two of our patient partners, who will tell you what works "
        "for them.",
        60,
        25,
        True,
    ),
    SessionIdea(
        "Excel for audits: pivot tables and charts",
        "Turn an audit spreadsheet into a summary your team will read. Hands-on, so bring "
        "a laptop; practice data provided.",
        120,
        10,
        False,
        "Training room 2, Brackenridge University",
    ),
    SessionIdea(
        "PSIRF and learning responses: an introduction",
        "What the Patient Safety Incident Response Framework changes, how an after-action "
        "review runs, and how to involve the people affected.",
        60,
        30,
        True,
    ),
    SessionIdea(
        "Demand and capacity basics for outpatient teams",
        "Why waiting lists grow even when capacity looks sufficient, and a simple model you "
        "can build in a spreadsheet next week.",
        90,
        15,
        True,
    ),
)

SESSION_DISPUTE = "I signed up but was called back to the ward and couldn't join, sorry."

# -- the demo member's own stories (Alex Morgan, a first contact physiotherapist) -------------

ALEX_GAVE = (
    # (title, minutes, thanks from the receiver)
    (
        "Back pain and MSK self-management for our care navigators",
        60,
        "Thanks — the team now knows which back pain calls need a same-day slot.",
    ),
    (
        "Planning our first PDSA cycle on missed appointments",
        90,
        "Thanks so much. We've started our first PDSA cycle on Monday's clinic list.",
    ),
    (
        "A spreadsheet to track clinic activity across two sites",
        120,
        "Thanks — the audit tool is already saving us a morning a week.",
    ),
)
ALEX_RECEIVED = (
    (
        "Coaching on an aim statement and measures for our MSK project",
        90,
        "Thanks — the run chart made the case at the board.",
    ),
    (
        "An introduction to SPC charts for our waiting list data",
        75,
        "Really useful. I finally understand why one bad week isn't a trend.",
    ),
)
ALEX_CORRECTION = "We finished early: it was an hour, not an hour and a quarter."
ALEX_AWAITING = "Demand and capacity modelling for the MSK waiting list"
ALEX_AWAITING_NOTE = (
    "Built the model together from the last six months' referrals; the spreadsheet is in "
    "your inbox."
)
ALEX_POWER_BI_REPLY = (
    "I build Power BI reports for the ICB's elective recovery team. Happy to help you set "
    "up a dashboard that refreshes from your weekly extract."
)
ALEX_OFFERING = "Back pain self-management session for your reception team"
ALEX_OFFERING_MESSAGE = (
    "I saw your practice is reviewing how reception handles MSK calls. I could run a "
    "45-minute session for the team; any Wednesday afternoon suits me."
)
ALEX_DONATION = "Paying it forward: the practice got so much help with our falls audit."
ALEX_SESSION = SessionIdea(
    "Back pain self-management for care navigators and HCAs",
    "What's normal, the red flags that need a same-day call, and the self-management advice "
    "that actually helps. Bring the calls you find hardest.",
    60,
    16,
    True,
)

OPEN_DISPUTE_TITLE = "Clinical audit of falls risk assessments"
OPEN_DISPUTE_REASON = DISPUTE_REASONS[0]

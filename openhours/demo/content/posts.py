"""Offers and requests in the language of health and care improvement work.

Each topic has several titles, openings, asks and offers, and slots filled from short
lists, so that a hundred thousand posts are not all the same while the first few hundred
still read as if colleagues wrote them. ``{Name}`` in a template is ``{name}`` with its
first letter in capitals. Besides a topic's own slots, every template may use
``organisation``, ``place``, ``team``, ``deadline``, ``years``, ``my_help`` and
``availability``, which come from the author.
"""

from __future__ import annotations

from .topic import Topic
from .topics_improvement import TOPICS as IMPROVEMENT_TOPICS
from .topics_people import TOPICS as PEOPLE_TOPICS
from .topics_practice import TOPICS as PRACTICE_TOPICS

TOPICS: tuple[Topic, ...] = IMPROVEMENT_TOPICS + PRACTICE_TOPICS + PEOPLE_TOPICS

# Second paragraphs, shared by all topics. Blank strings make "nothing more" likely.
REQUEST_CLOSINGS: tuple[str, ...] = (
    "No rush, but {deadline} would be ideal.",
    "In return I'm happy to help with {my_help}.",
    "Thank you in advance. Even a pointer to the right person would help.",
    "Video is fine, or come and see us at {organisation}.",
    "Happy to give an hour back: I can help with {my_help}.",
    "We can share anonymised data in advance.",
    "It isn't urgent, but it matters to us.",
    "",
    "",
)
OFFER_CLOSINGS: tuple[str, ...] = (
    "Best times for me: {availability}.",
    "Message me with a line about what you're working on and we'll find a time.",
    "Happy to do this as a group session too.",
    "No question too basic.",
    "I'm based at {organisation}, but happy to do it on Teams.",
    "",
    "",
)
DEADLINES: tuple[str, ...] = (
    "before our next programme board",
    "by the end of the month",
    "before the end of the quarter",
    "in the next few weeks",
    "before the next committee meeting",
    "within six weeks",
)

# "{team}" for a member's setting.
TEAMS: dict[str, tuple[str, ...]] = {
    "acute": (
        "our ward team",
        "the acute frailty team",
        "our outpatient team",
        "the discharge team",
        "the emergency department",
    ),
    "mental_health": (
        "our community mental health team",
        "the crisis team",
        "our inpatient ward",
        "the early intervention team",
    ),
    "community": (
        "our district nursing team",
        "the community rehab team",
        "our children's therapy team",
    ),
    "ambulance": ("our clinical hub", "the station team", "our urgent care team"),
    "gp_practice": ("the practice", "our practice team", "our reception team"),
    "pcn": ("our PCN", "the PCN's additional roles team", "our social prescribing team"),
    "icb": ("our programme team", "the primary care team", "our place team"),
    "local_authority": (
        "our adult social care team",
        "the public health team",
        "our hospital discharge team",
    ),
    "voluntary": ("our small charity", "our volunteer team", "the carers' service"),
    "hospice": ("our hospice team", "the community palliative care team"),
    "university": ("our research group", "the nursing faculty"),
    "social_care": ("our care home", "our home care team"),
}

"""Plans for demo members and posts, made from the content modules and a seeded random.

Nothing here touches the database: ``seeding`` writes the plans. Keeping the two apart
means the same seed always gives the same people and posts whichever way they are
written (through the services, or in bulk for very large runs), and the text can be
tested without a database.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .content.names import FIRST_NAMES, SURNAMES
from .content.posts import DEADLINES, OFFER_CLOSINGS, REQUEST_CLOSINGS, TEAMS, TOPICS
from .content.professions import CROSS_CUTTING_SKILLS, PROFESSION_CONTENT
from .content.profiles import (
    AVAILABILITY,
    BIO_INTERESTS,
    BIO_NOW,
    BIO_ORIGINS,
    BIO_PERSONAL,
    BIO_REASONS,
    CAN_HELP_EXTRAS,
    CAN_HELP_FORMS,
    INTERESTS,
    PREVIOUS_SECTORS,
    SKILL_PHRASES,
    TRAINING_CITIES,
    WANT_TO_LEARN_FORMS,
)
from .content.topic import Topic
from .content.workplaces import SETTING_PROFESSIONS, SETTING_WEIGHTS

# Posts are spread over this many days before "now", so that they expire on different
# days rather than all at once.
POST_WINDOW_DAYS = 50

_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """``{name}`` becomes the value; ``{Name}`` the value with a capital first letter.

    A missing value raises KeyError: a template naming a slot nobody fills is a bug.
    """

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in values:
            return values[key]
        lowered = key[0].lower() + key[1:]
        text = values[lowered]
        return text[:1].upper() + text[1:]

    return _SLOT.sub(value, template)


def with_article(title: str) -> str:
    """'a Practice Nurse', 'an Occupational Therapist', 'an HR Business Partner'."""
    first = title.split(" ", 1)[0]
    vowel_sound = first[:1] in "AEIOU" or (
        len(first) > 1 and first[1].isupper() and first[0] in "FHLMNRSX"
    )
    return ("an " if vowel_sound else "a ") + title


@dataclass(frozen=True)
class OrgChoice:
    """An organisation members can work for, with what the text needs to know about it."""

    id: int
    name: str
    kind: str
    setting: str
    place_id: int | None
    place_name: str
    email_domain: str


@dataclass(frozen=True)
class World:
    icb_name: str
    organisations: tuple[OrgChoice, ...]
    places: tuple[tuple[int, str], ...]  # (id, name)
    now: datetime


@dataclass(frozen=True)
class Author:
    """What a post needs to know about the member who writes it."""

    index: int
    organisation: OrgChoice
    skills: tuple[str, ...]
    wants: tuple[str, ...]
    years: int
    availability: str
    weight: float  # how active: most posts come from a few members


@dataclass(frozen=True)
class MemberPlan:
    email: str
    full_name: str
    profession: str
    job_title: str
    band: str
    organisations: tuple[OrgChoice, ...]
    skills: tuple[str, ...]
    can_help_with: str
    want_to_learn: str
    bio: str
    availability: str
    mode_video: bool
    mode_phone: bool
    mode_in_person: bool
    mode_written: bool
    visibility: str
    joined_at: datetime
    author: Author


@dataclass(frozen=True)
class PostPlan:
    author: int  # index into the members, in the order they were planned
    kind: str
    title: str
    description: str
    category: str
    skills: tuple[str, ...]
    estimated_minutes: int
    mode: str
    online: bool
    location: str
    place_id: int | None
    created_at: datetime


def email_domain(kind: str, name: str, place_name: str) -> str:
    """Where a member of this organisation would have their email address.

    NHS bodies use nhs.net; councils their area's gov.uk; others a made-up domain from
    their name.
    """
    if kind in {"nhs_trust", "gp_practice", "pcn", "icb"}:
        return "nhs.net"
    if kind == "local_authority":
        return _slug(place_name or name) + ".gov.uk"
    suffix = {"university": "ac.uk", "social_care": "co.uk"}.get(kind, "org.uk")
    return _slug(name) + "." + suffix


def setting_of(kind: str, name: str) -> str:
    """The kind of workplace, finer than the organisation kind for NHS trusts."""
    if kind != "nhs_trust":
        return kind
    lowered = name.lower()
    if "ambulance" in lowered:
        return "ambulance"
    if "mental health" in lowered or "partnership" in lowered:
        return "mental_health"
    if "community" in lowered or "care services" in lowered:
        return "community"
    return "acute"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


class DemoGenerator:
    """Makes member and post plans, one at a time, from a seeded random generator."""

    def __init__(self, world: World, *, seed: int, taken_emails: set[str] | None = None) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self._taken = set(taken_emails or ())
        self._email_counts: dict[str, int] = defaultdict(int)
        self._by_setting: dict[str, list[OrgChoice]] = defaultdict(list)
        for org in world.organisations:
            self._by_setting[org.setting].append(org)
        self._settings = [s for s in SETTING_WEIGHTS if self._by_setting.get(s)]
        self._setting_weights = [SETTING_WEIGHTS[s] for s in self._settings]
        self._all_skills = sorted(SKILL_PHRASES)
        self._posted: set[tuple[int, str, str]] = set()
        self._topics_by_skill: dict[str, list[Topic]] = defaultdict(list)
        for topic in TOPICS:
            for skill in topic.skills:
                self._topics_by_skill[skill].append(topic)

    # -- members --------------------------------------------------------------------

    def member(self, index: int) -> MemberPlan:
        rng = self.rng
        setting = rng.choices(self._settings, self._setting_weights)[0]
        organisation = rng.choice(self._by_setting[setting])
        weights = SETTING_PROFESSIONS[setting]
        profession = rng.choices(list(weights), list(weights.values()))[0]
        content = PROFESSION_CONTENT[profession]
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        job_title = rng.choice(content.titles_for(setting))
        skills = self._skills_for(content.skills)
        wants = tuple(rng.sample([s for s in self._all_skills if s not in skills], 2))
        years = rng.randint(1, 3) if profession == "Student" else rng.randint(2, 30)
        availability = rng.choice(AVAILABILITY)
        quiet = rng.random() < 0.3
        weight = 0.0 if quiet else (6.0 if rng.random() < 0.3 else 1.0)
        days_ago = (
            rng.randint(0, POST_WINDOW_DAYS)
            if quiet and rng.random() < 0.5
            else rng.randint(POST_WINDOW_DAYS + 5, 400)
        )
        modes = [rng.random() < p for p in (0.85, 0.6, 0.35, 0.5)]
        if not any(modes):
            modes[0] = True
        organisations = (organisation, *self._second_organisation(setting, organisation))
        return MemberPlan(
            email=self._email(first, last, organisation.email_domain),
            full_name=f"{first} {last}",
            profession=profession,
            job_title=job_title,
            band=rng.choice(content.bands) if content.bands and rng.random() < 0.65 else "",
            organisations=organisations,
            skills=skills,
            can_help_with=self._can_help_with(skills),
            want_to_learn=self._want_to_learn(wants),
            bio=self._bio(content.noun, job_title, organisation, years),
            availability=availability,
            mode_video=modes[0],
            mode_phone=modes[1],
            mode_in_person=modes[2],
            mode_written=modes[3],
            visibility="hidden" if rng.random() < 0.1 else "members",
            joined_at=self.world.now - timedelta(days=days_ago, minutes=rng.randint(0, 1439)),
            author=Author(
                index=index,
                organisation=organisation,
                skills=skills,
                wants=wants,
                years=years,
                availability=availability,
                weight=weight,
            ),
        )

    def _skills_for(self, typical: Sequence[str]) -> tuple[str, ...]:
        """Two to six skills: mostly the profession's own, now and then a general one."""
        rng = self.rng
        count = min(rng.choice((2, 3, 3, 4, 4, 5, 6)), len(typical) + 1)
        chosen = [typical[0]] if rng.random() < 0.7 else []
        pool = [s for s in typical if s not in chosen]
        chosen += rng.sample(pool, min(len(pool), count - len(chosen)))
        if rng.random() < 0.3:
            extra = rng.choice(CROSS_CUTTING_SKILLS)
            if extra not in chosen:
                chosen.append(extra)
        return tuple(chosen[:6])

    def _second_organisation(self, setting: str, first: OrgChoice) -> tuple[OrgChoice, ...]:
        """Some people work for two: a GP in their PCN, an academic with an honorary contract."""
        partner = {"gp_practice": "pcn", "university": "acute", "pcn": "gp_practice"}.get(setting)
        if partner and self._by_setting.get(partner) and self.rng.random() < 0.25:
            second = self.rng.choice(self._by_setting[partner])
            return (second,) if second != first else ()
        return ()

    def _email(self, first: str, last: str, domain: str) -> str:
        """first.last@domain, then first.last2@domain and so on, as NHSmail does."""
        base = f"{_slug(first)}.{_slug(last)}"
        while True:
            self._email_counts[f"{base}@{domain}"] += 1
            count = self._email_counts[f"{base}@{domain}"]
            email = f"{base}{count if count > 1 else ''}@{domain}"
            if email not in self._taken:
                self._taken.add(email)
                return email

    def _can_help_with(self, skills: Sequence[str]) -> str:
        rng = self.rng
        # Every skill has two phrases, and a member at least two skills: always three.
        phrases = [rng.choice(SKILL_PHRASES[s][0]) for s in skills[:3]]
        phrases += [p for s in skills for p in SKILL_PHRASES[s][0] if p not in phrases]
        form = rng.choice(CAN_HELP_FORMS)
        values = {"a": phrases[0], "b": phrases[1], "c": phrases[2]}
        values["extra"] = rng.choice(CAN_HELP_EXTRAS)
        return _tidy(fill(form, values))

    def _want_to_learn(self, wants: Sequence[str]) -> str:
        learn = [self.rng.choice(SKILL_PHRASES[s][1]) for s in wants]
        form = self.rng.choice(WANT_TO_LEARN_FORMS)
        return _tidy(fill(form, {"a": learn[0], "b": learn[-1]}))

    def _bio(self, noun: str, job_title: str, organisation: OrgChoice, years: int) -> str:
        rng = self.rng
        now_year = self.world.now.year
        values = {
            "noun": noun,
            "years": str(years),
            "qualified": str(now_year - years),
            "moved": str(now_year - rng.randint(1, years)),
            "previous": rng.choice(PREVIOUS_SECTORS),
            "city": rng.choice(TRAINING_CITIES),
            "place": organisation.place_name or self._any_place_name(),
            "job_title": job_title,
            "a_job_title": with_article(job_title),
            "organisation": organisation.name,
            "interest": rng.choice(INTERESTS),
        }
        parts = [rng.choice(BIO_ORIGINS), rng.choice(BIO_NOW)]
        if rng.random() < 0.7:
            parts.append(rng.choice(BIO_INTERESTS))
        if rng.random() < 0.6:
            parts.append(rng.choice(BIO_REASONS))
        if rng.random() < 0.3:
            parts.append(rng.choice(BIO_PERSONAL))
        return _tidy(fill(" ".join(parts), values))

    def _any_place_name(self) -> str:
        return self.rng.choice(self.world.places)[1] if self.world.places else "the area"

    # -- posts ----------------------------------------------------------------------

    def post(
        self, authors: Sequence[Author], cum_weights: Sequence[float], n: int, total: int
    ) -> PostPlan:
        """The n-th of ``total`` posts, spread evenly (with jitter) over the post window."""
        rng = self.rng
        author = rng.choices(authors, cum_weights=cum_weights)[0]
        kind, topic = self._choose_topic(author)
        values = self._post_values(topic, author)
        if kind == "offer":
            title = fill(rng.choice(topic.offer_titles), values)
            body = fill(rng.choice(topic.offer_bodies), values)
            closing = fill(rng.choice(OFFER_CLOSINGS), values)
        else:
            title = fill(rng.choice(topic.request_titles), values)
            body = fill(
                rng.choice(topic.request_openings) + " " + rng.choice(topic.request_asks), values
            )
            closing = fill(rng.choice(REQUEST_CLOSINGS), values)
        mode = rng.choices(
            ("any", "video", "phone", "written", "in_person"),
            (35, 30, 8, 35 if topic.written else 12, 0 if topic.written else 15),
        )[0]
        organisation = author.organisation
        place_id = organisation.place_id
        if place_id is None and self.world.places and (mode == "in_person" or rng.random() < 0.4):
            place_id = rng.choice(self.world.places)[0]
        start = self.world.now - timedelta(days=POST_WINDOW_DAYS)
        step = timedelta(days=POST_WINDOW_DAYS) / max(total, 1)
        return PostPlan(
            author=author.index,
            kind=kind,
            title=title,
            description=body + ("\n\n" + closing if closing else ""),
            category=topic.category,
            skills=topic.skills,
            estimated_minutes=rng.choice(topic.minutes),
            mode=mode,
            online=mode != "in_person",
            location=_location(organisation) if mode == "in_person" else "",
            place_id=place_id,
            created_at=start + step * (n + rng.random()),
        )

    def _choose_topic(self, author: Author) -> tuple[str, Topic]:
        """Offer what you know, ask for what you want to learn or lack; rarely the same twice.

        Very active members write many posts, so a few tries steer them away from
        repeating a topic they have already posted about in the same direction.
        """
        rng = self.rng
        setting = author.organisation.setting
        offers = [t for s in author.skills for t in self._topics_by_skill.get(s, [])]
        askable = [t for t in TOPICS if not t.asked_in or setting in t.asked_in]
        wanted = [t for s in author.wants for t in self._topics_by_skill.get(s, []) if t in askable]
        others = [t for t in askable if t not in offers] or askable
        for _attempt in range(4):
            kind = "offer" if offers and rng.random() < 0.5 else "request"
            if kind == "offer":
                topic = rng.choice(offers)
            else:
                topic = rng.choice(wanted if wanted and rng.random() < 0.4 else others)
            key = (author.index, kind, topic.key)
            if key not in self._posted:
                break
        self._posted.add(key)
        return kind, topic

    def _post_values(self, topic: Topic, author: Author) -> dict[str, str]:
        rng = self.rng
        organisation = author.organisation
        helps = SKILL_PHRASES[rng.choice(author.skills)][0]
        values = {name: rng.choice(options) for name, options in topic.slots.items()}
        values.update(
            organisation=organisation.name,
            place=organisation.place_name or self._any_place_name(),
            team=rng.choice(TEAMS.get(organisation.setting, ("our team",))),
            deadline=rng.choice(DEADLINES),
            years=str(author.years),
            my_help=rng.choice(helps),
            availability=_lower_first(author.availability),
        )
        return values


def _location(organisation: OrgChoice) -> str:
    if organisation.place_name and organisation.place_name not in organisation.name:
        return f"{organisation.name}, {organisation.place_name}"[:200]
    return organisation.name[:200]


_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _lower_first(text: str) -> str:
    """For use mid-sentence: 'Tuesday afternoons' stays, 'Early mornings' becomes 'early'."""
    if text.split(" ", 1)[0] in _DAYS:
        return text
    return text[:1].lower() + text[1:]


def _tidy(text: str) -> str:
    """Drop the gaps an empty optional part leaves behind."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(lines).strip()

"""Pages for group sessions: thin layers over services.py. Permission checks live here
(via permissions.py); the services check again and explain any refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.models import User
from openhours.accounts.permissions import View, coordinator_required, member_required
from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error

from . import selectors, services
from .forms import DeliveryForm, ReasonForm, ResolveForm, SessionForm
from .models import AttendanceStatus, GroupSession
from .permissions import can_resolve, can_see_attendees, is_coordinator, is_giver

PAGE_SIZE = 20
TABS = {"upcoming": "Upcoming", "mine": "My sessions", "all": "All sessions"}

# What a form page's service step gives back: the session to go to, and the message to show.
Done = tuple[GroupSession, str]


@member_required
def session_list(request: MemberRequest) -> HttpResponse:
    tab = request.GET.get("show", "upcoming")
    if tab not in TABS or (tab == "all" and not request.user.is_coordinator):
        tab = "upcoming"
    if tab == "mine":
        sessions = selectors.sessions_for_member(request.user)
    elif tab == "all":
        sessions = selectors.all_sessions()
    else:
        sessions = selectors.upcoming_sessions(now=timezone.now())
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    coordinator = is_coordinator(request.user)
    tabs = {key: label for key, label in TABS.items() if key != "all" or coordinator}
    return render(
        request,
        "group_sessions/list.html",
        {"page": page, "tab": tab, "tabs": tabs, "nav": "sessions"},
    )


@member_required
def session_create(request: MemberRequest) -> HttpResponse:
    form = SessionForm(
        request.POST or None,
        giver=request.user,
        initial={"online": True, "capacity": 12, "planned_hours": 1},
    )

    def create() -> Done:
        session = services.create_session(giver=request.user, details=form.details())
        return session, "Your session is open for sign-ups."

    return _form_page(request, form, create, "group_sessions/form.html")


@member_required
def session_detail(request: MemberRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_viewer(session_id, request.user)
    user = request.user
    attendance = selectors.attendance_of(session, user)
    mine = attendance.status if attendance else None
    giver = is_giver(user, session)
    now = timezone.now()
    seats_left = session.capacity - getattr(session, "seats_taken", 0)
    sees_attendees = can_see_attendees(user, session, mine)
    actions = {
        "sign_up": session.is_open
        and not giver
        and session.starts_at > now
        and mine in (None, AttendanceStatus.WITHDRAWN)
        and seats_left > 0,
        "withdraw": session.is_open and mine == AttendanceStatus.SIGNED_UP,
        "cancel": giver and session.is_open,
        "record_delivery": giver and session.is_open and session.starts_at <= now,
        "respond": session.is_delivered and mine == AttendanceStatus.ATTENDED,
        "resolve": can_resolve(user, session) and not giver,
    }
    context = {
        "session": session,
        "attendance": attendance,
        "is_giver": giver,
        "seats_left": seats_left,
        "attendances": selectors.attendances(session) if sees_attendees else None,
        "events": selectors.events(session) if giver or is_coordinator(user) else None,
        "actions": actions,
        "full": session.is_open and seats_left <= 0,
        "nav": "sessions",
    }
    return render(request, "group_sessions/detail.html", context)


class _MemberStep(Protocol):
    def __call__(self, *, session: GroupSession, member: User) -> object: ...


def _one_click(step: _MemberStep, success: str) -> View:
    """A button on the session page that runs ``step`` for the member who pressed it: a
    refusal or ``success`` shows as a message back on the session page."""

    @member_required
    @require_POST
    def view(request: MemberRequest, session_id: int) -> HttpResponse:
        session = selectors.get_session_for_viewer(session_id, request.user)
        try:
            step(session=session, member=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
        return redirect("group_sessions:detail", session_id=session.pk)

    return view


session_sign_up = _one_click(
    services.sign_up, "You're signed up. We'll let you know if anything changes."
)
session_withdraw = _one_click(
    services.withdraw, "You've withdrawn. Your place is free for someone else."
)
session_confirm = _one_click(services.confirm_attendance, "Thank you for confirming.")


@member_required
def session_cancel(request: MemberRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_viewer(session_id, request.user)
    giver = is_giver(request.user, session)
    if not giver and not can_resolve(request.user, session):
        raise PermissionDenied("Only the person running this session can cancel it.")
    form = ReasonForm(
        request.POST or None,
        label="Message to attendees" if giver else "Reason",
        help_text="Optional. Everyone who signed up is told the session is cancelled."
        if giver
        else "Kept in the session's history and shown to the people affected.",
        required=not giver,
    )

    def cancel() -> Done:
        reason = form.cleaned_data["reason"]
        services.cancel_session(session=session, actor=request.user, reason=reason)
        return session, "The session is cancelled and attendees have been told."

    return _confirm_page(request, form, cancel, session, "cancel")


@member_required
def session_dispute(request: MemberRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_viewer(session_id, request.user)
    attendance = selectors.attendance_of(session, request.user)
    if attendance is None or attendance.status not in (
        AttendanceStatus.ATTENDED,
        AttendanceStatus.CONFIRMED,
        AttendanceStatus.DISPUTED,
    ):
        raise PermissionDenied(services.NOT_AN_ATTENDEE)
    form = ReasonForm(
        request.POST or None,
        label="What happened?",
        help_text="For example: I signed up but couldn't come. The organiser will see this.",
        required=True,
    )

    def dispute() -> Done:
        reason = form.cleaned_data["reason"]
        services.dispute_attendance(session=session, member=request.user, reason=reason)
        return session, "Thank you. You won't be charged for this session."

    return _confirm_page(request, form, dispute, session, "dispute")


# confirm.html's texts for the steps that ask first: the heading ("{title}" is the
# session's), the explanation and the button, which is red: both steps can't be undone.
_CONFIRM = {
    "cancel": (
        "Cancel “{title}”?",
        "Nobody will be charged. This can't be undone.",
        "Yes, cancel the session",
    ),
    "dispute": (
        "I wasn't there",
        "You won't be charged, and the organiser and a coordinator can see your reason.",
        "Tell them I wasn't there",
    ),
}


def _confirm_page(
    request: MemberRequest, form: Form, step: Callable[[], Done], session: GroupSession, page: str
) -> HttpResponse:
    heading, explanation, button = _CONFIRM[page]
    return _form_page(
        request,
        form,
        step,
        "group_sessions/confirm.html",
        session=session,
        heading=heading.format(title=session.title),
        explanation=explanation,
        button=button,
        danger=True,
    )


@member_required
def session_record_delivery(request: MemberRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_viewer(session_id, request.user)
    if not is_giver(request.user, session):
        raise PermissionDenied(services.ONLY_GIVER)
    form = DeliveryForm(
        request.POST or None,
        signed_up=selectors.signed_up_members(session),
        initial={"delivered_hours": session.planned_minutes / 60, "preparation_hours": 0},
    )

    def record() -> Done:
        services.record_delivery(
            session=session,
            giver=request.user,
            delivered_minutes=form.delivered_minutes,
            preparation_minutes=form.preparation_minutes,
            attendees=list(form.cleaned_data["attendees"]),
        )
        return session, "Recorded. Each attendee has been asked to confirm."

    return _form_page(request, form, record, "group_sessions/delivery.html", session=session)


@coordinator_required
def session_resolve(request: MemberRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_viewer(session_id, request.user)
    if not can_resolve(request.user, session):
        messages.error(request, services.FINISHED_ALREADY)
        return redirect("group_sessions:detail", session_id=session.pk)
    form = ResolveForm(request.POST or None, members=selectors.attendees_to_remove(session))

    def resolve() -> Done:
        data = form.cleaned_data
        if data["action"] == ResolveForm.REMOVE:
            services.remove_attendee(
                session=session,
                coordinator=request.user,
                member=data["member"],
                reason=data["reason"],
            )
            return session, f"{data['member'].full_name} has been removed."
        services.cancel_session(session=session, actor=request.user, reason=data["reason"])
        return session, "The session is cancelled."

    return _form_page(request, form, resolve, "group_sessions/resolve.html", session=session)


def _form_page(
    request: MemberRequest,
    form: Form,
    step: Callable[[], Done],
    template: str,
    **context: Any,
) -> HttpResponse:
    """Every form page's one shape: a valid POST runs ``step`` (the service call); a
    refusal shows beside the form with a 400, success goes to the session with its message.
    Anything else (a GET, an invalid form) renders ``template`` with ``context``."""
    if request.method == "POST" and form.is_valid():
        try:
            session, success = step()
        except DomainError as exc:
            add_domain_error(form, exc, renamed=_FORM_FIELDS)
        else:
            messages.success(request, success)
            return redirect("group_sessions:detail", session_id=session.pk)
    return render(
        request, template, {**context, "form": form, "nav": "sessions"}, status=_status(form)
    )


# Service fields that the forms show under another name (None: above the form).
_FORM_FIELDS: dict[str, str | None] = {
    "starts_at": "date",
    "receivers": "attendees",
    "minutes": None,
}


def _status(form: Form) -> int:
    return 400 if form.is_bound and form.errors else 200

"""The ledger's pages: a member's statement and CSV, donations, and the coordinators' pool.

Thin over ``selectors`` (reads) and ``services`` (every credit that moves). A refusal from a
service (a ``DomainError``) is shown beside the field it names and nothing has moved.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.permissions import coordinator_required, member_required
from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error
from openhours.core.minutes import minutes_as_decimal_hours, minutes_in_words

from . import limits, selectors, services
from .forms import (
    COLLEAGUE,
    AdjustForm,
    DonateForm,
    FindTransferForm,
    GrantForm,
    KeyedForm,
    ReverseForm,
    TopUpForm,
)
from .models import Entry, TransferKind

STATEMENT_PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50
RECENT_POOL_ENTRIES = 20
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a service's DomainError.field is shown when the form names the field differently.
AMOUNT_FIELD: dict[str, str | None] = {"minutes": "hours"}
# The forms on the pool page, each posted to its own view.
PoolForm = GrantForm | TopUpForm | AdjustForm


# A member's own credits -------------------------------------------------------------------


@member_required
def statement(request: MemberRequest) -> HttpResponse:
    entries = selectors.statement(request.user)
    page = Paginator(entries, STATEMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "contribution": selectors.contribution(request.user),
        "limit_warning": selectors.limit_warning(request.user),
        "page": page,
        "joining_grant_minutes": limits.joining_grant(),
        "nav": "credits",
    }
    return render(request, "ledger/statement.html", context)


@member_required
@require_GET
def statement_csv(request: MemberRequest) -> HttpResponseBase:
    """Every entry, oldest first, streamed row by row so a long history isn't held in memory."""
    entries = selectors.statement(request.user).order_by("pk")
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(CSV_HEADER)
        # chunk_size keeps the prefetch of each chunk's other legs (one query per chunk).
        for entry in entries.iterator(chunk_size=500):
            yield writer.writerow(_csv_row(entry))

    filename = f"openhours-statement-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


CSV_HEADER = [
    "date",
    "time",
    "transfer",
    "kind",
    "memo",
    "counterpart",
    "reference",
    "minutes",
    "hours",
    "balance_after_minutes",
    "balance_after_hours",
]


def _csv_row(entry: Entry) -> list[str]:
    posted = timezone.localtime(entry.transfer.created_at)
    balance_after = int(entry.balance_after)  # type: ignore[attr-defined]
    return [
        posted.date().isoformat(),
        posted.time().isoformat(timespec="seconds"),
        str(entry.transfer_id),
        _safe_cell(entry.transfer.get_kind_display()),
        _safe_cell(entry.transfer.memo),
        _safe_cell("; ".join(entry.counterparty_names())),
        _safe_cell(entry.transfer.reference),
        str(entry.amount),
        minutes_as_decimal_hours(entry.amount),
        str(balance_after),
        minutes_as_decimal_hours(balance_after),
    ]


def _safe_cell(text: str) -> str:
    """Text a member or colleague typed, made inert for spreadsheets (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a generator."""

    def write(self, value: str) -> str:
        return value


@member_required
def donate(request: MemberRequest) -> HttpResponse:
    """Pay it forward: a summary to check first, then the donation, posted once per form."""
    initial: dict[str, Any] = {}
    if request.method == "GET" and str(request.GET.get("to", "")).isdigit():
        initial.update(recipient=COLLEAGUE, to_user=int(request.GET["to"]))
    form = DonateForm(request.POST or None, donor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        if "confirm" not in request.POST:
            current = selectors.balance(request.user)
            context = {
                "form": form,
                "balance": current,
                "balance_after": current - form.amount(),
                "nav": "credits",
            }
            return render(request, "ledger/donate_confirm.html", context)

        def give() -> str:
            services.donate(
                donor=request.user,
                to_user=form.cleaned_data["to_user"],
                minutes=form.amount(),
                memo=form.cleaned_data["memo"],
                idempotency_key=form.ledger_key(action="donate", user=request.user),
            )
            return (
                f"You gave {minutes_in_words(form.amount())} to {form.recipient_name()}. "
                "Thank you for paying it forward."
            )

        done = _post(request, form, give, AMOUNT_FIELD, then="ledger:statement")
        if done is not None:
            return done
    return render(
        request, "ledger/donate.html", {"form": form, "nav": "credits"}, status=_status(form)
    )


# The community pool, for coordinators ---------------------------------------------------


@coordinator_required
@require_GET
def pool(request: MemberRequest) -> HttpResponse:
    return _render_pool(request, None)


@coordinator_required
@require_POST
def pool_grant(request: MemberRequest) -> HttpResponse:
    form = GrantForm(request.POST, prefix="grant", coordinator=request.user)

    def grant() -> str:
        member = form.cleaned_data["to_user"]
        services.coordinator_grant(
            coordinator=request.user,
            to_user=member,
            minutes=form.amount(),
            reason=form.cleaned_data["reason"],
            idempotency_key=form.ledger_key(action="grant", user=request.user),
        )
        return f"Granted {minutes_in_words(form.amount())} from the pool to {member}."

    return _pool_step(request, form, grant, AMOUNT_FIELD)


@coordinator_required
@require_POST
def pool_adjust(request: MemberRequest) -> HttpResponse:
    form = AdjustForm(request.POST, prefix="adjust", coordinator=request.user)

    def adjust() -> str:
        member, minutes = form.cleaned_data["user"], form.cleaned_data["minutes"]
        services.coordinator_adjustment(
            coordinator=request.user,
            user=member,
            minutes=minutes,
            reason=form.cleaned_data["reason"],
            idempotency_key=form.ledger_key(action="adjust", user=request.user),
            override_lower_limit=form.cleaned_data["override_lower_limit"],
        )
        change = "Added" if minutes > 0 else "Took away"
        return f"{change} {minutes_in_words(abs(minutes))} for {member}. It's in the audit log."

    return _pool_step(request, form, adjust, {})


@coordinator_required
@require_POST
def pool_top_up(request: MemberRequest) -> HttpResponse:
    form = TopUpForm(request.POST, prefix="topup")

    def top_up() -> str:
        services.top_up_pool(
            coordinator=request.user,
            minutes=form.amount(),
            reason=form.cleaned_data["reason"],
            idempotency_key=form.ledger_key(action="top-up", user=request.user),
        )
        return f"Added {minutes_in_words(form.amount())} to the community pool."

    return _pool_step(request, form, top_up, AMOUNT_FIELD)


def _by_label(minutes_by_kind: dict[str, int]) -> list[tuple[str, int]]:
    labels = dict(TransferKind.choices)
    return [(str(labels.get(kind, kind)), minutes) for kind, minutes in minutes_by_kind.items()]


def _pool_step(
    request: MemberRequest,
    form: PoolForm,
    step: Callable[[], str],
    field_map: Mapping[str, str | None],
) -> HttpResponse:
    """One of the pool page's forms posted: run ``step`` when it is valid, and show the pool
    page again with the form in its place if it wasn't, or the service refused."""
    if form.is_valid():
        done = _post(request, form, step, field_map, then="ledger:pool")
        if done is not None:
            return done
    return _render_pool(request, form)


def _render_pool(request: MemberRequest, bound: PoolForm | None) -> HttpResponse:
    """The pool page; ``bound`` (the form just posted, if any) stands in place of its empty
    form, and the page is a 400 when it has errors."""
    grant_form = bound if isinstance(bound, GrantForm) else None
    top_up_form = bound if isinstance(bound, TopUpForm) else None
    adjust_form = bound if isinstance(bound, AdjustForm) else None
    summary = selectors.pool_summary()
    context = {
        "summary": summary,
        "inflow": _by_label(summary.inflow_by_kind),
        "outflow": _by_label(summary.outflow_by_kind),
        "recent": selectors.pool_statement()[:RECENT_POOL_ENTRIES],
        "grant_form": grant_form or GrantForm(prefix="grant", coordinator=request.user),
        "top_up_form": top_up_form or TopUpForm(prefix="topup"),
        "adjust_form": adjust_form or AdjustForm(prefix="adjust", coordinator=request.user),
        "find_form": FindTransferForm(),
        "nav": "coordinate",
    }
    status = 400 if bound is not None and bound.errors else 200
    return render(request, "ledger/pool.html", context, status=status)


@coordinator_required
@require_GET
def find_transfer(request: MemberRequest) -> HttpResponse:
    form = FindTransferForm(request.GET)
    if form.is_valid():
        return redirect("ledger:reverse", transfer_id=form.cleaned_data["transfer"])
    messages.error(request, "Enter a transfer number, for example 42.")
    return redirect("ledger:pool")


@coordinator_required
def reverse_transfer(request: MemberRequest, transfer_id: int) -> HttpResponse:
    """Shows what a reversal will post (every leg negated) before the coordinator confirms."""
    transfer = selectors.get_transfer_for_coordinator(transfer_id, request.user)
    form = ReverseForm(request.POST or None)

    def reverse() -> str:
        reversal = services.reverse_transfer(
            transfer=transfer,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            idempotency_key=form.ledger_key(action="reverse", user=request.user),
            override_lower_limit=form.cleaned_data["override_lower_limit"],
        )
        return f"Transfer #{transfer.pk} is reversed by #{reversal.pk}."

    if request.method == "POST" and form.is_valid():
        done = _post(request, form, reverse, {}, then="ledger:pool")
        if done is not None:
            return done
    context = {
        "transfer": transfer,
        "entries": list(transfer.entries.all()),
        "reversed_by": next(iter(transfer.reversals.all()), None),
        "form": form,
        "nav": "coordinate",
    }
    return render(request, "ledger/reverse.html", context, status=_status(form))


@coordinator_required
@require_GET
def audit(request: MemberRequest) -> HttpResponse:
    page = Paginator(selectors.audit_log(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page.object_list)
    names = selectors.holder_names(
        holder for event in events for holder in (event.data.get("legs") or {})
    )
    for event in events:
        legs = event.data.get("legs") or {}
        event.named_legs = [(names.get(h, h), m) for h, m in legs.items()]  # type: ignore[attr-defined]
    page.object_list = events
    return render(request, "ledger/audit.html", {"page": page, "nav": "coordinate"})


# Helpers ---------------------------------------------------------------------------------


def _post(
    request: MemberRequest,
    form: KeyedForm,
    step: Callable[[], str],
    field_map: Mapping[str, str | None],
    *,
    then: str,
) -> HttpResponse | None:
    """Run ``step`` (a valid form's service call, which returns the message to show) and go
    to ``then``. A refusal goes beside its field (``field_map`` renames the service's field
    to the form's; unnamed, above the form), the form gets a new key so the corrected
    form posts afresh, and None is returned: the caller shows the form again."""
    try:
        success = step()
    except DomainError as exc:
        add_domain_error(form, exc, renamed=field_map)
        form.renew_key()
        return None
    messages.success(request, success)
    return redirect(then)


def _status(form: forms.Form) -> int:
    return 400 if form.is_bound and form.errors else 200

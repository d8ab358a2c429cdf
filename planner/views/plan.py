"""The year's plan: list (grouped by month with ISO weeks), month grid and week view, all
sharing the filter in the URL; the bin (papirkurv) and roll forward (rull fram)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from planner.domain.dates import monday_of_iso_week, now_oslo, public_holidays, weeks_in_iso_year
from planner.domain.filters import PlanFilter
from planner.models import Post, Role, Wheel
from planner.services.posts.bin import binned_posts, empty_bin
from planner.services.posts.operations import Catalog, load_catalog, restore_from_bin
from planner.services.posts.plan_rows import PlanEntry, gc_paused
from planner.services.posts.queries import plan_entries
from planner.services.posts.roll_forward import roll_forward
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.services.staffing import duty_for_week, warnings_for_week
from planner.services.staffing.periods import month_marks
from planner.views.access import role_required
from planner.views.nav import current_working_year
from planner.views.post_forms import RollForwardForm

bp = Blueprint("plan", __name__)


def _filter_context(org_id: int) -> dict[str, Any]:
    """What the shared filter form needs: the current filter and the catalog choices."""
    catalog = load_catalog(org_id)
    return {
        "plan_filter": PlanFilter.from_args(request.args),
        "catalog": catalog,
    }


def _entries(org_id: int, year: int, context: dict[str, Any], **kw: Any) -> list[PlanEntry]:
    """The page's occurrences (``plan_query.plan_entries``) with the catalog it has loaded."""
    catalog: Catalog = context["catalog"]
    return plan_entries(
        org_id,
        year,
        plan_filter=context["plan_filter"],
        channels=catalog.channels.values(),
        audiences=catalog.audiences.values(),
        areas=catalog.areas.values(),
        **kw,
    )


def _post_href() -> Callable[[int], str]:
    """The address of a post page from its id, without a ``url_for`` per row (a year's
    list has thousands of rows): built once around a marker id."""
    marker = "987654321"
    head, _sep, tail = url_for("plan.post_detail", post_id=int(marker)).partition(marker)
    return lambda post_id: f"{head}{post_id}{tail}"


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        abort(404)


@bp.get("/plan")
@bp.get("/")  # registered first, so url_for("plan.index") is "/"
def index() -> Any:
    """Go to the plan of the year being worked on: the year last looked at, else the nearest
    year with a plan (``views/nav.py::current_working_year``)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    return redirect(url_for("plan.year_list", year=current_working_year(), **args))


@bp.get("/plan/<int:year>")
@gc_paused()
def year_list(year: int) -> Any:
    """All posts of a year, month by month, each with its date and ISO week (filterable).

    A constant number of queries whatever the size of the plan; thousands of rows render
    from light rows (``plan_query.plan_entries``) with the garbage collector paused.
    """
    _check_year(year)
    org_id = current_org_id()
    context = _filter_context(org_id)
    wheel_id = request.args.get("wheel", type=int)
    wheel = get_scoped_or_404(Wheel, wheel_id) if wheel_id else None
    items = _entries(org_id, year, context, wheel_id=wheel.id if wheel else None)
    months = {m: list(g) for m, g in groupby(items, key=lambda i: i.occurrence.start.month)}
    catalog: Catalog = context["catalog"]
    return render_template(
        "plan/list.html",
        year=year,
        wheels=[w for w in catalog.wheels.values() if w.year == year],
        wheel=wheel,
        months=months,
        total=len(items),
        post_href=_post_href(),
        view="list",
        **context,
    )


def _by_day(items: list[PlanEntry]) -> dict[date, list[PlanEntry]]:
    """Items on each day they cover (a multi-day post shows on every day)."""
    days: dict[date, list[PlanEntry]] = {}
    for item in items:
        day = item.occurrence.start.date()
        last = item.occurrence.end.date()
        while day <= last:
            days.setdefault(day, []).append(item)
            day += timedelta(days=1)
    return days


@bp.get("/plan/<int:year>/maned/<int:month>")
@gc_paused()
def month_view(year: int, month: int) -> Any:
    """A month grid: ISO weeks as rows, Monday–Sunday as columns, with the peak and
    holiday periods as labelled bands and public holidays named on their days."""
    _check_year(year)
    if not 1 <= month <= 12:
        abort(404)
    org_id = current_org_id()
    context = _filter_context(org_id)
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    items = _entries(org_id, year, context, first=first, last=last)
    by_day = _by_day(items)
    weeks = [
        [d for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    holidays = {**public_holidays(weeks[0][0].year), **public_holidays(weeks[-1][-1].year)}
    marks = month_marks(org_id, weeks)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = last + timedelta(days=1)
    return render_template(
        "plan/month.html",
        year=year,
        month=month,
        weeks=weeks,
        by_day=by_day,
        holidays=holidays,
        marks=marks,
        prev_month=prev_month,
        next_month=next_month,
        today=now_oslo().date(),
        view="month",
        **context,
    )


@bp.get("/plan/uke/<int:iso_year>/<int:week>")
@gc_paused()
def week_view(iso_year: int, week: int) -> Any:
    """One ISO week day by day, with who is on duty (hovedansvarlig and backup)."""
    _check_year(iso_year)
    if not 1 <= week <= weeks_in_iso_year(iso_year):
        abort(404)
    org_id = current_org_id()
    context = _filter_context(org_id)
    monday = monday_of_iso_week(iso_year, week)
    sunday = monday + timedelta(days=6)
    last_start = datetime.combine(sunday, time(23, 59))
    items: list[PlanEntry] = []
    for year in sorted({monday.year, sunday.year}):
        # The week's occurrences of each year's wheels (the window applied in SQL).
        items += [
            i
            for i in _entries(org_id, year, context, first=monday, last=sunday)
            if i.occurrence.start <= last_start
        ]
    by_day = _by_day(items)
    days = [monday + timedelta(days=n) for n in range(7)]
    holidays = {**public_holidays(monday.year), **public_holidays(sunday.year)}
    prev_monday, next_monday = monday - timedelta(days=7), monday + timedelta(days=7)
    return render_template(
        "plan/week.html",
        iso_year=iso_year,
        week=week,
        year=monday.year,
        days=days,
        by_day=by_day,
        holidays=holidays,
        duty=duty_for_week(org_id, monday),
        warnings=warnings_for_week(org_id, monday),
        prev_week=prev_monday.isocalendar(),
        next_week=next_monday.isocalendar(),
        today=now_oslo().date(),
        view="week",
        **context,
    )


@bp.get("/plan/denne-uka")
def this_week() -> Any:
    """The current ISO week."""
    iso = now_oslo().date().isocalendar()
    return redirect(url_for("plan.week_view", iso_year=iso[0], week=iso[1]))


@bp.get("/papirkurv")
def bin_list() -> Any:
    """Deleted posts (papirkurv): editors can restore them."""
    return render_template("plan/bin.html", posts=binned_posts(current_org_id()))


@bp.post("/papirkurv/<int:post_id>/gjenopprett")
@role_required(Role.EDITOR)
def bin_restore(post_id: int) -> Any:
    """Restore a post from the bin."""
    post = get_scoped_or_404(Post, post_id)
    if post.deleted_at is None:
        abort(404)
    restore_from_bin(post)
    flash(_("«%(title)s» er gjenopprettet.", title=post.title), "success")
    return redirect(url_for("plan.bin_list"))


@bp.post("/papirkurv/tom")
@role_required(Role.ADMIN)
def bin_empty() -> Any:
    """Empty the bin for good (administrators only; the history keeps the record)."""
    count = empty_bin(current_org_id())
    flash(
        ngettext(
            "%(num)s innlegg er slettet for godt.",
            "%(num)s innlegg er slettet for godt.",
            count,
        ),
        "success",
    )
    return redirect(url_for("plan.bin_list"))


@bp.route("/plan/<int:year>/rull-fram", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def roll_forward_view(year: int) -> Any:
    """Create the next year's wheels from this year's (rule-based dates recomputed)."""
    _check_year(year)
    form = RollForwardForm()
    if not form.is_submitted():
        form.target_year.data = year + 1
    if form.validate_on_submit():
        target = int(form.target_year.data or year + 1)
        if target <= year:
            form.target_year.errors = [_("Velg et år etter %(year)s.", year=year)]
        else:
            result = roll_forward(current_org_id(), year, target)
            flash(
                _(
                    "Årshjulet for %(to)s er laget fra %(from)s: %(posts)s innlegg og %(peaks)s toppbelastninger.",
                    to=target,
                    **{"from": year},
                    posts=result.posts,
                    peaks=result.peaks,
                ),
                "success",
            )
            return redirect(url_for("plan.year_list", year=target))
    status = 422 if form.errors else 200
    return render_template("plan/roll_forward.html", form=form, year=year), status

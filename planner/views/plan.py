"""The year's plan as a readable list grouped by month with ISO weeks, and post details."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from ..domain.dates import now_oslo
from ..models import Post, Wheel
from ..services.plan_query import items_for_year, plan_years, wheels_for_year
from ..services.scope import current_org_id, get_scoped_or_404

bp = Blueprint("plan", __name__)


@bp.get("/")
def index() -> Any:
    """Go to this year's plan, or the nearest year the municipality has planned."""
    years = plan_years(current_org_id())
    this_year = now_oslo().year
    year = (
        this_year
        if this_year in years or not years
        else min(years, key=lambda y: abs(y - this_year))
    )
    return redirect(url_for("plan.year_list", year=year))


@bp.get("/plan/<int:year>")
def year_list(year: int) -> Any:
    """All posts of a year, month by month, each with its date and ISO week."""
    if not 2000 <= year <= 2100:
        abort(404)
    org_id = current_org_id()
    wheels = wheels_for_year(org_id, year)
    wheel_id = request.args.get("wheel", type=int)
    wheel = get_scoped_or_404(Wheel, wheel_id) if wheel_id else None
    items = items_for_year(org_id, year, wheel.id if wheel else None)
    months = {
        month: list(group)
        for month, group in groupby(items, key=lambda i: i.occurrence.start.month)
    }
    return render_template(
        "plan/list.html",
        year=year,
        wheels=wheels,
        wheel=wheel,
        months=months,
        total=len(items),
        years=plan_years(org_id),
    )


@bp.get("/posts/<int:post_id>")
def post_detail(post_id: int) -> Any:
    """One post with all its fields (read-only)."""
    post = get_scoped_or_404(Post, post_id)
    return render_template("plan/post.html", post=post)

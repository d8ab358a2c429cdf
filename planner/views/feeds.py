"""Calendar feeds (kalenderfeeder) and the external calendars an .ics import made.

* ``feeds.index`` (/kalenderfeeder): the user's feeds with copy buttons for the https and
  webcal links, how to subscribe in Outlook, Google and Apple, and a form for a new feed
  (prefilled from the plan's filter arguments, so «lag feed av dette utvalget» works);
* ``feeds.serve`` (/feeds/<token>.ics): the feed itself — public, no login, no session,
  conditional GET, gzip; an unknown or revoked token is a plain 404 (in
  :mod:`planner.views.feeds_serving`, with the fast path in front of it);
* ``feeds.import_upload`` / ``feeds.import_preview``: upload an .ics file, see what is in
  it, choose per event «innlegg» or «ytre ring» (external calendar), import all or nothing.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length

from planner.domain.feeds.values import FeedData
from planner.domain.filters import PlanFilter
from planner.domain.posts.rules import KINDS, STATUSES
from planner.models import (
    ExternalCalendar,
    Feed,
    Role,
)
from planner.services.feeds import management
from planner.services.imports import external
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.views.access import role_required
from planner.views.post_forms import MultiCheckboxField

bp = Blueprint("feeds", __name__)

KIND_LABELS = {
    "plan": _l("Innlegg i planen"),
    "peaks": _l("Toppbelastningsperioder"),
    "duty": _l("Vaktlisten (hovedansvarlig og backup)"),
}
REMINDER_CHOICES = [
    SelectChoice("", _l("Ingen påminnelse")),
    SelectChoice("1", _l("1 virkedag før")),
    SelectChoice("2", _l("2 virkedager før")),
    SelectChoice("3", _l("3 virkedager før")),
    SelectChoice("5", _l("5 virkedager før")),
    SelectChoice("10", _l("10 virkedager før")),
]


class FeedForm(FlaskForm):
    """A new calendar feed."""

    name = StringField(
        _l("Navn på kalenderen"),
        validators=[
            DataRequired(_l("Gi feeden et navn (det blir kalenderens navn hos mottakeren).")),
            Length(max=200, message=_l("Navnet kan ha høyst 200 tegn.")),
        ],
    )
    kind = RadioField(
        _l("Hva skal feeden vise?"),
        choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
        default="plan",
    )
    channels = MultiCheckboxField(_l("Kanaler"), coerce=int)
    audiences = MultiCheckboxField(_l("Målgrupper"), coerce=int)
    service_areas = MultiCheckboxField(_l("Virksomhetsområder"), coerce=int)
    statuses = MultiCheckboxField(
        _l("Status"), choices=[SelectChoice(s, s.capitalize()) for s in STATUSES]
    )
    kinds = MultiCheckboxField(_l("Type"), choices=[SelectChoice(k, k.capitalize()) for k in KINDS])
    q = StringField(_l("Søkeord i tittel eller beskrivelse"), validators=[Length(max=200)])
    include_drafts = BooleanField(_l("Ta med ideer (innlegg med status «idé»)"))
    staff_member = SelectField(_l("Hvem sine vakter?"), coerce=int, default=0)
    reminder_days = SelectField(_l("Påminnelse"), choices=REMINDER_CHOICES, default="")
    public = BooleanField(_l("Offentlig: alle brukere i kommunen kan se og dele adressen"))

    def feed_data(self) -> FeedData:
        """The submitted feed as plain values for the writer."""
        return FeedData(
            name=self.name.data or "",
            kind=self.kind.data or "plan",
            plan_filter=PlanFilter(
                channels=tuple(sorted(self.channels.data or [])),
                audiences=tuple(sorted(self.audiences.data or [])),
                service_areas=tuple(sorted(self.service_areas.data or [])),
                statuses=tuple(s for s in STATUSES if s in (self.statuses.data or [])),
                kinds=tuple(k for k in KINDS if k in (self.kinds.data or [])),
                q=(self.q.data or "").strip(),
            ),
            staff_member_id=self.staff_member.data or None,
            include_drafts=bool(self.include_drafts.data),
            reminder_days=int(self.reminder_days.data) if self.reminder_days.data else None,
            public=bool(self.public.data),
        )


# --------------------------------------------------------------------------- helpers


def _select(pairs: list[tuple[int, str]]) -> list[SelectChoice]:
    return [SelectChoice(row_id, name) for row_id, name in pairs]


def _feed_form(org_id: int) -> FeedForm:
    form = FeedForm()
    choices = management.feed_choices(org_id)
    form.channels.choices = _select(choices.channels)
    form.audiences.choices = _select(choices.audiences)
    form.service_areas.choices = _select(choices.service_areas)
    form.staff_member.choices = [SelectChoice(0, _("Hele vaktlisten"))] + _select(choices.staff)
    if request.method == "GET":
        # A filtered view of the plan links here with its filter in the URL.
        prefill = PlanFilter.from_args(request.args)
        form.channels.data = list(prefill.channels)
        form.audiences.data = list(prefill.audiences)
        form.service_areas.data = list(prefill.service_areas)
        form.statuses.data = list(prefill.statuses)
        form.kinds.data = list(prefill.kinds)
        form.q.data = prefill.q
        if request.args.get("visning") in KIND_LABELS:
            form.kind.data = request.args["visning"]
    return form


def feed_links(feed: Feed) -> dict[str, str]:
    """The https and webcal addresses of a feed."""
    https = url_for("feeds.serve", token=feed.token, _external=True)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _managed_feed(feed_id: int) -> Feed:
    feed = get_scoped_or_404(Feed, feed_id)
    if not management.can_manage(current_user, feed):
        abort(403 if feed.public else 404)
    return feed


def _index_page(form: FeedForm, status: int = 200) -> Any:
    rows = [
        {
            "feed": listing.feed,
            "links": feed_links(listing.feed),
            "description": listing.description,
            "can_manage": listing.can_manage,
        }
        for listing in management.feed_listings(current_user)
    ]
    return render_template(
        "feeds/index.html",
        form=form,
        rows=rows,
        kind_labels=KIND_LABELS,
        can_edit=current_user.has_role(Role.EDITOR),
    ), status


# --------------------------------------------------------------------------- feeds


@bp.route("/kalenderfeeder", methods=["GET", "POST"])
def index() -> Any:
    """The feeds the user can see, how to subscribe, and a form for a new feed."""
    org_id = current_org_id()
    form = _feed_form(org_id)
    if form.validate_on_submit():
        try:
            feed = management.save_feed(org_id, form.feed_data(), user=current_user)
        except management.FeedError as exc:
            for name, message in exc.errors.items():
                field = getattr(form, name, None) or form.name
                field.errors = [*field.errors, message]
        else:
            flash(
                _("Feeden «%(name)s» er opprettet. Kopier adressen under.", name=feed.name),
                "success",
            )
            return redirect(url_for("feeds.index", _anchor=f"feed-{feed.id}"))
    return _index_page(form, 422 if form.errors else 200)


@bp.post("/kalenderfeeder/<int:feed_id>/ny-adresse")
def rotate(feed_id: int) -> Any:
    """Give a feed a new secret address; subscribers of the old one must subscribe again."""
    feed = _managed_feed(feed_id)
    management.rotate_feed(feed)
    flash(
        _("«%(name)s» har fått ny adresse. Den gamle virker ikke lenger.", name=feed.name),
        "success",
    )
    return redirect(url_for("feeds.index", _anchor=f"feed-{feed.id}"))


@bp.post("/kalenderfeeder/<int:feed_id>/trekk-tilbake")
def revoke(feed_id: int) -> Any:
    """Stop a feed: its address answers «finnes ikke» from now on."""
    feed = _managed_feed(feed_id)
    management.revoke_feed(feed)
    flash(_("«%(name)s» er trukket tilbake.", name=feed.name), "success")
    return redirect(url_for("feeds.index"))


@bp.post("/kalenderfeeder/<int:feed_id>/slett")
def delete(feed_id: int) -> Any:
    """Remove a revoked feed from the list."""
    feed = _managed_feed(feed_id)
    if feed.revoked_at is None:
        abort(409)
    name = feed.name
    management.delete_feed(feed)
    flash(_("«%(name)s» er slettet.", name=name), "success")
    return redirect(url_for("feeds.index"))


# --------------------------------------------------------------------------- external calendars


@bp.post("/kalenderfeeder/eksterne/<int:calendar_id>/slett")
@role_required(Role.EDITOR)
def delete_external(calendar_id: int) -> Any:
    """Remove an external calendar (and its ring on the wheel)."""
    calendar = get_scoped_or_404(ExternalCalendar, calendar_id)
    name = calendar.name
    external.delete_external_calendar(calendar)
    flash(_("Den eksterne kalenderen «%(name)s» er slettet.", name=name), "success")
    return redirect(url_for("imports.calendar_upload"))

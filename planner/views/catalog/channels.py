"""The channels page (kanaler): social and traditional channels with their response
times, profile texts and colours – adding, inline editing and deleting."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _

from planner.models import Channel, Role
from planner.services.catalog import catalog, reads
from planner.services.catalog.texts import default_profile_text
from planner.services.scope import current_org_id, get_scoped_or_404
from planner.views.access import role_required
from planner.views.catalog import (
    DeletePage,
    add_or_list,
    bp,
    delete_or_confirm,
    done,
    require_editor,
    row_or_list,
    save_or_show,
)
from planner.views.catalog.forms import ChannelForm


def _channel_form(channel: Channel | None = None) -> ChannelForm:
    data = (
        {
            "name": channel.name,
            "type": channel.type,
            "response_hours": channel.response_hours,
            "colour": channel.colour,
            "profile_text": channel.profile_text,
        }
        if channel
        else None
    )
    return ChannelForm(data=data, prefix=f"channel-{channel.id}" if channel else "")


def _channel_values(form: ChannelForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "type": form.type.data,
        "response_hours": form.response_hours.data,
        "colour": form.colour.data,
        "profile_text": form.profile_text.data,
    }


def _suggest(form: ChannelForm) -> str:
    """Fill in the default profile text from the response time entered (nothing is saved)."""
    hours = form.response_hours.data
    if isinstance(hours, int) and hours > 0:
        form.profile_text.data = default_profile_text(hours)
        form.profile_text.render_kw = {"autofocus": True}
        return _("Standardteksten er fylt inn. Se over den og lagre.")
    return _("Skriv inn en svartid over 0 først. Kanaler uten dialog trenger ingen profiltekst.")


def _channel_row_html(channel: Channel, focus_edit: bool = False) -> str:
    count = reads.channel_post_counts(channel.organisation_id).get(channel.id, 0)
    return render_template(
        "catalog/_channel_row.html", c=channel, count=count, focus_edit=focus_edit
    )


def _at_row(channel: Channel) -> str:
    """The channel list, scrolled to the channel's row."""
    return url_for(".channels", _anchor=f"channel-{channel.id}")


@bp.route("/kanaler", methods=["GET", "POST"])
def channels() -> Any:
    """The channels (kanaler), social and traditional, and a form to add one."""
    org_id = current_org_id()
    form = _channel_form()
    note = None
    if request.method == "POST" and request.form.get("suggest"):
        require_editor()
        note = _suggest(form)

    def page() -> str:
        counts = reads.channel_post_counts(org_id)
        rows = [(c, counts.get(c.id, 0)) for c in reads.channels(org_id)]
        return render_template("catalog/channels.html", form=form, rows=rows, suggestion_note=note)

    return add_or_list(
        form,
        lambda: catalog.create_channel(org_id, _channel_values(form)),
        lambda channel: done(
            _("Kanalen «%(name)s» er lagt til.", name=channel.name), _at_row(channel)
        ),
        page,
        skip_save=note is not None,
    )


@bp.get("/kanaler/<int:channel_id>")
def channel_row(channel_id: int) -> Any:
    """One channel's row (htmx); without htmx, the list at the row."""
    channel = get_scoped_or_404(Channel, channel_id)
    return row_or_list(_at_row(channel), lambda: _channel_row_html(channel, focus_edit=True))


@bp.route("/kanaler/<int:channel_id>/endre", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def channel_edit(channel_id: int) -> Any:
    """Edit a channel: inline in its row with htmx, or on a page of its own."""
    channel = get_scoped_or_404(Channel, channel_id)
    form = _channel_form(channel)
    note = None
    if request.method == "POST" and request.form.get("suggest"):
        note = _suggest(form)
    return save_or_show(
        form,
        lambda: catalog.update_channel(channel, _channel_values(form)),
        lambda: done(
            _("Kanalen «%(name)s» er lagret.", name=channel.name),
            _at_row(channel),
            _channel_row_html(channel, focus_edit=True),
        ),
        ("catalog/_channel_edit_row.html", "catalog/channel_edit.html"),
        {"c": channel, "suggestion_note": note},
        skip_save=note is not None,
    )


@bp.route("/kanaler/<int:channel_id>/slett", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def channel_delete(channel_id: int) -> Any:
    """Delete a channel; when posts use it, a confirmation page says how many first."""
    channel = get_scoped_or_404(Channel, channel_id)
    used = reads.channel_post_counts(channel.organisation_id).get(channel.id, 0)
    name = channel.name
    page = DeletePage(
        heading=_("Slette kanalen «%(name)s»?", name=name),
        lines=[
            _(
                "Kanalen «%(name)s» brukes av %(n)s innlegg. Sletter du den, fjernes den fra "
                "innleggene. Innleggene blir stående.",
                name=name,
                n=used,
            )
            if used
            else _("Kanalen «%(name)s» brukes ikke av noen innlegg.", name=name),
            _("Rekkevidden til kanalen slettes også. Dette kan ikke angres."),
        ],
        button=_("Ja, slett kanalen"),
        deleted=_("Kanalen «%(name)s» er slettet.", name=name),
        action=url_for(".channel_delete", channel_id=channel.id),
        list_url=url_for(".channels"),
        cancel=_at_row(channel),
    )
    return delete_or_confirm(bool(used), lambda: catalog.delete_channel(channel), page)

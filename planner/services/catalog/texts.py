"""The catalog's texts: response times as people say them, the default profile-page
text of a channel, and colour contrast the Norwegian way."""

from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from planner.domain.colour import WHITE, contrast_ratio
from planner.models import Channel


def response_time_label(hours: int) -> str:
    """The response time as people say it: "8 timer", "én virkedag", "2 virkedager"."""
    if hours <= 0:
        return _("ingen dialog")
    if hours % 24 == 0:
        days = hours // 24
        return _("én virkedag") if days == 1 else _("%(n)s virkedager", n=days)
    return ngettext("%(num)s time", "%(num)s timer", hours)


def default_profile_text(response_hours: int) -> str:
    """A good profile-page text for a channel with this response time (svartid): the
    response time, no case handling, no personal data, what gets deleted (KS and Difi
    guidance). Empty for channels without dialogue (response time 0)."""
    if response_hours <= 0:
        return ""
    if response_hours % 24:
        when = _("Vi svarer normalt innen %(time)s på hverdager (kl. 08.00–15.30).")
    else:
        when = _("Vi svarer normalt innen %(time)s.")
    return " ".join(
        [
            _("Her deler kommunen nyheter, frister og tilbud, og vi svarer gjerne på spørsmål."),
            when % {"time": response_time_label(response_hours)},
            _(
                "Vi behandler ikke saker her: søknader, klager og spørsmål om din egen sak "
                "sender du via kommunens nettside eller til postmottaket."
            ),
            _(
                "Ikke del personopplysninger, helseopplysninger eller fødselsnummer – verken "
                "om deg selv eller andre."
            ),
            _(
                "Innlegg som er klart usaklige, inneholder personangrep, navngir "
                "tredjepersoner eller er i strid med norsk lov, slettes."
            ),
            _("Arkivverdige henvendelser blir journalført."),
        ]
    )


def effective_profile_text(channel: Channel) -> str:
    """The channel's own profile text, or the default generated from its response time."""
    return channel.profile_text or default_profile_text(channel.response_hours)


def colour_contrast(colour: str) -> float:
    """The colour's contrast ratio against white (the page background)."""
    return contrast_ratio(colour, WHITE)


def format_ratio(ratio: float) -> str:
    """A contrast ratio the Norwegian way: "4,5:1"."""
    return format_decimal(int(ratio * 10) / 10, format="0.0") + ":1"

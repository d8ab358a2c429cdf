"""Accounts: the first-run setup, user creation and finding the municipality a command
means, shared by the pages, the command line and the file formats."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from planner.extensions import db
from planner.forms import MIN_PASSWORD_LENGTH
from planner.models import Organisation, Role, User


class AccountError(ValueError):
    """A user-facing, Norwegian explanation of why an account could not be created."""


def normalise_email(email: str) -> str:
    """Validate the email's syntax and return it lower-cased (the login name)."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError(_("Ugyldig e-postadresse: «%(email)s».", email=email)) from exc
    return result.normalized.lower()


def check_password_policy(password: str) -> None:
    """Enforce the password policy (length) with a Norwegian message."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Passordet må ha minst %(n)s tegn.", n=MIN_PASSWORD_LENGTH))


def get_or_create_organisation(name: str) -> Organisation:
    """Find the organisation by name, or add a new one to the session (not committed)."""
    name = name.strip()
    if not name:
        raise AccountError(_("Kommunen må ha et navn."))
    org = db.session.execute(select(Organisation).where(Organisation.name == name)).scalar()
    if org is None:
        org = Organisation(name=name)
        db.session.add(org)
        db.session.flush()
    return org


def create_user(
    organisation: Organisation, email: str, password: str, role: str, name: str = ""
) -> User:
    """Add a user to the session (caller commits). Raises AccountError on bad input."""
    try:
        role_value = Role(role).value
    except ValueError as exc:
        raise AccountError(_("Ukjent rolle: «%(role)s».", role=role)) from exc
    address = normalise_email(email)
    check_password_policy(password)
    taken = db.session.execute(select(User.id).where(func.lower(User.email) == address)).first()
    if taken:
        raise AccountError(_("Det finnes allerede en bruker med e-postadressen %(e)s.", e=address))
    user = User(organisation_id=organisation.id, email=address, role=role_value, name=name.strip())
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def resolve_organisation(name: str | None, create: bool = False) -> Organisation:
    """The organisation named ``name``; without a name, the only one there is.

    With ``create`` a missing named organisation is created (not committed). Raises
    :class:`AccountError` (Norwegian) when there is no such organisation, none at all, or
    several to choose from.
    """
    if name:
        org = db.session.execute(select(Organisation).where(Organisation.name == name)).scalar()
        if org is None:
            if not create:
                raise AccountError(_("Fant ingen kommune med navnet «%(name)s».", name=name))
            org = get_or_create_organisation(name)
        return org
    orgs = list(
        db.session.execute(select(Organisation).order_by(Organisation.id).limit(2)).scalars()
    )
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise AccountError(
            _(
                "Det finnes ingen kommune ennå. Oppgi --municipality NAVN eller kjør oppsettet "
                "i nettleseren."
            )
        )
    raise AccountError(_("Det finnes flere kommuner: oppgi --municipality NAVN."))

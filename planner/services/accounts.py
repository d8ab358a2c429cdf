"""Accounts: the municipality (organisation), its users, their roles and passwords.

The first-run setup, user creation, login, the administrator's changes and finding the
municipality a command means; shared by the pages, the CLI and the file formats.
``create_user`` and ``get_or_create_organisation`` leave the commit to the caller (the CLI
combines them); the other mutations commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Organisation, Role, User
from planner.services.login_throttle import clear_failures
from planner.services.posts.seeding import seed_year

#: The password policy: at least this many characters (the forms check it too).
MIN_PASSWORD_LENGTH = 10


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


def any_user_exists() -> bool:
    """Whether the first user exists (the first-run setup is then done and closed)."""
    return db.session.execute(select(User.id).limit(1)).first() is not None


def load_user(user_id: str) -> User | None:
    """The user with the id Flask-Login keeps in the session; None for a bad or old id."""
    try:
        return db.session.get(User, int(user_id))
    except ValueError:
        return None


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email (in any case) and password; None otherwise, without
    saying which part was wrong."""
    address = email.strip().lower()
    user = db.session.execute(select(User).where(func.lower(User.email) == address)).scalar()
    if user is not None and user.active and user.check_password(password):
        return user
    return None


def get_organisation(org_id: int) -> Organisation:
    """The organisation with this id (the logged-in user's: it exists)."""
    return db.session.get_one(Organisation, org_id)


def organisation_users(org_id: int) -> list[User]:
    """The organisation's users, ordered by email."""
    stmt = select(User).where(User.organisation_id == org_id).order_by(User.email)
    return list(db.session.execute(stmt).scalars())


def set_up_organisation(
    municipality: str, email: str, password: str, name: str, seed_for_year: int | None
) -> User:
    """First run: the municipality and its first administrator, with the recommended
    årshjul for ``seed_for_year`` when given, in one transaction (committed).

    Raises AccountError (nothing saved) on bad input.
    """
    try:
        org = get_or_create_organisation(municipality)
        user = create_user(org, email, password, Role.ADMIN.value, name)
        if seed_for_year is not None:
            seed_year(org, seed_for_year)
        db.session.commit()
    except AccountError:
        db.session.rollback()
        raise
    return user


def add_user(org_id: int, email: str, password: str, role: str, name: str = "") -> User:
    """An administrator adds a user to the organisation (committed).

    Raises AccountError (nothing saved) on bad input or a taken email.
    """
    organisation = get_organisation(org_id)
    try:
        user = create_user(organisation, email, password, role, name)
        db.session.commit()
    except AccountError:
        db.session.rollback()
        raise
    return user


def update_user(user: User, role: str, active: bool, acting_user_id: int) -> None:
    """Change a user's role and whether they may log in (committed); their history stays
    attributed. An administrator cannot take away their own admin access (AccountError)."""
    if user.id == acting_user_id and (role != Role.ADMIN.value or not active):
        raise AccountError(_("Du kan ikke fjerne din egen administratortilgang."))
    user.role = role
    user.active = active
    db.session.commit()


def reset_password(user: User, password: str) -> None:
    """Give a user a new temporary password (committed) and lift any login lock on them."""
    user.set_password(password)
    db.session.commit()
    clear_failures(user.email, "")


def update_settings(organisation: Organisation, name: str, embed_origins: Iterable[str]) -> None:
    """Rename the organisation and set the sites allowed to show the wheel in a frame
    (committed). Raises AccountError when another organisation has the name."""
    taken = db.session.execute(
        select(Organisation.id).where(Organisation.name == name, Organisation.id != organisation.id)
    ).first()
    if taken:
        raise AccountError(_("Navnet er allerede i bruk."))
    organisation.name = name
    origins = sorted({o.strip().lower() for o in embed_origins})
    organisation.settings = {**organisation.settings, "embed_origins": origins}
    db.session.commit()


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

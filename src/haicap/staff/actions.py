"""Changes to staff accounts, role assignments and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import cast

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit, role_targets
from haicap.core.actors import Actor
from haicap.core.errors import Invalid, NotFound
from haicap.staff.access import forget_scope
from haicap.staff.models import ApiToken, Role, RoleAssignment
from haicap.units.models import AdminUnit, Tier
from haicap.units.queries import unit_by_code

TOKEN_PREFIX = "hc_"  # noqa: S105 - a marker, not a secret
_USERNAME = re.compile(r"^[\w.@+-]{3,150}$")


@dataclass(frozen=True)
class StaffResult:
    user: AbstractUser
    created: bool
    password: str | None
    roles_added: list[str]


def _unit_for_roles(code: str) -> AdminUnit:
    unit = unit_by_code(code)
    if unit.tier not in {Tier.PROVINCE, Tier.COMMUNE}:
        raise Invalid(
            _("%(name)s is not a province or commune in force today.") % {"name": unit.name},
            field="unit",
        )
    return unit


# Roles an officer may hold in an agency other than the People's Committee (documents).
AGENCY_ROLES = (Role.CLERK, Role.LEADER, Role.SPECIALIST)


def do_add_staff_member(
    username: str,
    *,
    unit_code: str = "",
    roles: list[str],
    actor: Actor,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    agency_code: str = "",
) -> StaffResult:
    """Create the account if needed and give it ``roles`` in the unit, or with
    ``agency_code`` in that agency of the political system; idempotent."""
    if not _USERNAME.match(username):
        raise Invalid(
            _("A username has 3 to 150 letters, digits or . @ + - _ characters."), field="username"
        )
    if not roles:
        raise Invalid(_("Give at least one role."), field="role")
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise Invalid(
            _("Unknown role %(role)s; roles are %(roles)s.")
            % {"role": unknown[0], "roles": ", ".join(Role.values)},
            field="role",
        )
    if agency_code:
        return _add_agency_member(
            username,
            agency_code=agency_code,
            roles=roles,
            actor=actor,
            password=password,
            full_name=full_name,
            email=email,
        )
    if not unit_code:
        raise Invalid(_("Name the unit (or the agency) of the roles."), field="unit")
    unit = _unit_for_roles(unit_code)
    if Role.PROVINCE_ADMIN in roles and unit.tier != Tier.PROVINCE:
        raise Invalid(_("A provincial administrator is assigned to a province."), field="role")
    with transaction.atomic():
        user, created, generated = _account(username, password, full_name, email)
        added = []
        for role in roles:
            _assignment, made = RoleAssignment.objects.update_or_create(
                user=user, unit=unit, role=role, defaults={"is_active": True}
            )
            if made:
                added.append(role)
        audit.record(
            "staff.add",
            actor=actor,
            subject_type="user",
            subject_id=user.pk,
            unit_id=unit.pk,
            after={"username": username, "roles": roles, "unit": unit.code, "created": created},
        )
    forget_scope(user)
    return StaffResult(user=user, created=created, password=generated, roles_added=added)


def check_password_strength(password: str, user: AbstractUser) -> None:
    """Django's password validators (AUTH_PASSWORD_VALIDATORS) for every officer's password,
    whichever path sets it: pages, commands, imports."""
    try:
        password_validation.validate_password(password, cast("User", user))
    except ValidationError as exc:
        raise Invalid(
            _("This password is refused: %(reasons)s") % {"reasons": " ".join(exc.messages)},
            field="password",
            code="weak_password",
        ) from None


def _account(
    username: str, password: str | None, full_name: str, email: str
) -> tuple[AbstractUser, bool, str | None]:
    """The account, created if new: (user, created, the generated password or None)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if password:
        check_password_strength(password, user or user_model(username=username, email=email))
    created = user is None
    generated = None
    if user is None:
        generated = password or secrets.token_urlsafe(9)
        user = user_model.objects.create_user(username=username, password=generated, email=email)
        if password:
            generated = None
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    if full_name:
        first, _space, last = full_name.strip().rpartition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.save(update_fields=["first_name", "last_name"])
    return user, created, generated


def _add_agency_member(
    username: str,
    *,
    agency_code: str,
    roles: list[str],
    actor: Actor,
    password: str | None,
    full_name: str,
    email: str,
) -> StaffResult:
    grant = role_targets.granter("agency")
    if grant is None:
        raise Invalid(_("No installed app keeps agencies."), field="agency")
    refused = [role for role in roles if role not in AGENCY_ROLES]
    if refused:
        raise Invalid(
            _("In an agency an officer is clerk, leader or specialist, not %(role)s.")
            % {"role": refused[0]},
            field="role",
        )
    with transaction.atomic():
        user, created, generated = _account(username, password, full_name, email)
        added = grant(user, agency_code, roles, actor=actor)
        audit.record(
            "staff.add",
            actor=actor,
            subject_type="user",
            subject_id=user.pk,
            after={"username": username, "roles": roles, "agency": agency_code, "created": created},
        )
    forget_scope(user)
    return StaffResult(user=user, created=created, password=generated, roles_added=added)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_create_api_token(username: str, *, name: str = "", actor: Actor) -> tuple[ApiToken, str]:
    """A new bearer token for ``username``; the token itself is returned once, never stored."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("No user %(username)s.") % {"username": username})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, name=name[:100], prefix=token[:12], key_hash=token_hash(token)
        )
        audit.record(
            "token.create",
            actor=actor,
            subject_type="user",
            subject_id=user.pk,
            after={"token": record.prefix, "name": record.name},
        )
    return record, token


def do_revoke_api_token(prefix: str, *, actor: Actor) -> ApiToken:
    with transaction.atomic():
        record = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
        if record is None:
            raise NotFound(_("No active token starts with %(prefix)s.") % {"prefix": prefix})
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
        audit.record(
            "token.revoke",
            actor=actor,
            subject_type="user",
            subject_id=record.user_id,
            after={"token": record.prefix},
        )
    return record


ADMIN_NAME = "Quản trị hệ thống"  # shown in the header until someone names the account


def do_create_administrator(
    username: str, *, password: str | None, actor: Actor, full_name: str = ""
) -> tuple[AbstractUser, str | None]:
    """The national administrator account (a superuser), created if missing, or given a new
    password; returns it with the password set now (None when nothing was set). Pages show
    people's full names: a new account gets ``full_name``, or "Quản trị hệ thống"."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(username=username).first()
        if user is not None and not password:
            return user, None
        if password:
            check_password_strength(password, user or user_model(username=username))
        chosen = password or secrets.token_urlsafe(12)
        if user is None:
            # As for every account: first_name the family and middle names, last_name the
            # given name, so get_full_name() reads "Nguyễn Văn An".
            first, _space, last = (full_name.strip() or ADMIN_NAME).rpartition(" ")
            user = user_model.objects.create_superuser(
                username=username, password=chosen, first_name=first[:150], last_name=last[:150]
            )
            audit.record("user.create", actor=actor, subject_type="user", subject_id=user.pk)
        else:
            user.set_password(chosen)
            user.save(update_fields=["password"])
            audit.record("user.password", actor=actor, subject_type="user", subject_id=user.pk)
    return user, chosen


def do_unlock_sign_in(username: str, *, actor: Actor) -> bool:
    """Lift an account's sign-in lockout and forget its failures; True if it was locked."""
    from haicap.staff import signin

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("No account %(username)s.") % {"username": username})
    with transaction.atomic():
        was_locked = signin.lift(username)
        audit.record(
            "user.signin_unlock",
            actor=actor,
            subject_type="user",
            subject_id=user.pk,
            after={"was_locked": was_locked},
        )
    return was_locked

"""Citizens' changes: drafts, submitting a draft, ratings, accounts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import SYSTEM, Actor
from haicap.core.errors import Conflict, Invalid
from haicap.dossiers import actions as dossier_actions
from haicap.dossiers.eform import Declaration
from haicap.dossiers.models import Dossier
from haicap.dossiers.papers import Upload
from haicap.portal import signup_mail
from haicap.portal.models import CitizenProfile, Draft, DraftPaper, PendingUpload
from haicap.portal.uploads import move_to_draft
from haicap.procedures.models import Procedure
from haicap.units.models import ServiceCenter

APPLICANT_FIELDS = (
    "full_name",
    "id_number",
    "birth_date",
    "phone",
    "email",
    "address",
    "unit_code",
)


def do_save_draft(
    *,
    draft: Draft | None,
    procedure: Procedure,
    centre: ServiceCenter,
    applicant: dossier_actions.Applicant,
    uploads: list[Upload],
    user: Actor,
    session_key: str,
    form_values: dict[str, Any] | None = None,
    at_desk: Iterable[int] = (),
    pending: Iterable[PendingUpload] = (),
    paper_uploads: Iterable[tuple[int | None, Upload]] = (),
) -> Draft:
    """Keep what the citizen entered (checked), the e-form values, the papers they uploaded
    (``pending``: files kept from earlier tries) and those to be shown at the desk."""
    checked = applicant.checked()
    data: dict[str, Any] = {
        name: getattr(checked, name) for name in APPLICANT_FIELDS if name != "birth_date"
    }
    data["birth_date"] = checked.birth_date.isoformat() if checked.birth_date else ""
    data["form"] = dict(form_values or {})
    data["at_desk"] = sorted(set(at_desk))
    owner = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        if draft is None:
            draft = Draft(procedure=procedure)
        draft.user_id = owner.pk if owner is not None else None
        draft.session_key = "" if owner is not None else session_key
        draft.procedure = procedure
        draft.centre = centre
        draft.data = data
        draft.updated_at = timezone.now()
        draft.save()
        given = [(None, upload) for upload in uploads] + list(paper_uploads)
        for required_paper, upload in given:
            paper = DraftPaper(
                draft=draft,
                required_paper_id=required_paper,
                name=upload.name,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=len(upload.content),
            )
            paper.file.save(
                f"{draft.token}{upload.extension}", ContentFile(upload.content), save=False
            )
            paper.save()
        move_to_draft(list(pending), draft)
    return draft


def applicant_of(draft: Draft) -> dossier_actions.Applicant:
    return dossier_actions.Applicant.from_input(draft.data)


def do_submit_draft(draft: Draft, *, actor: Actor) -> Dossier:
    """File the draft as an online dossier; submitting it again returns the same dossier."""
    if draft.centre is None:
        raise Invalid(_("Choose where to file the dossier."), field="centre")
    uploads: list[tuple[int | None, Upload]] = []
    for paper in draft.papers.all():
        with paper.file.open("rb") as handle:
            content = handle.read()
        extension = "." + paper.file.name.rsplit(".", 1)[-1]
        uploads.append(
            (
                paper.required_paper_id,
                Upload(paper.name, paper.original_name, content, paper.content_type, extension),
            )
        )
    dossier, _created = dossier_actions.do_submit_dossier(
        procedure=draft.procedure,
        centre=ServiceCenter.objects.select_related("unit", "unit__province").get(
            pk=draft.centre.pk
        ),
        applicant=applicant_of(draft),
        actor=actor,
        declaration=Declaration(
            values=draft.data.get("form", {}),
            uploads=uploads,
            at_desk=frozenset(draft.data.get("at_desk", [])),
        ),
        idempotency_key=f"draft:{draft.token}",
    )
    for paper in draft.papers.all():
        paper.file.delete(save=False)
    draft.delete()
    return dossier


_NAME = re.compile(r"\S")


def _checked_signup(email: str, password: str, full_name: str) -> str:
    """The normalised e-mail; refuses bad input the same way for new and known addresses."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid(_("The e-mail address is not valid."), field="email") from None
    if not _NAME.search(full_name):
        raise Invalid(_("The applicant's full name is required."), field="full_name")
    try:
        validate_password(password, get_user_model()(username=email, email=email))
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None
    return email


def _create_citizen(email: str, password: str, full_name: str, phone: str, *, active: bool) -> User:
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=email, email=email, password=password, is_active=active
        )
        CitizenProfile.objects.create(
            user=user, full_name=" ".join(full_name.split()), phone=phone.strip()
        )
        audit.record("citizen.register", actor=SYSTEM, subject_type="user", subject_id=user.pk)
    return user


def do_register_citizen(*, email: str, password: str, full_name: str, phone: str = "") -> User:
    """A local citizen account, active at once: the e-mail address is the username."""
    email = _checked_signup(email, password, full_name)
    if get_user_model().objects.filter(username=email).exists():
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    return _create_citizen(email, password, full_name, phone, active=True)


def do_request_signup(
    *, email: str, password: str, full_name: str, phone: str, activation_url: Callable[[User], str]
) -> None:
    """Sign-up from the page: the answer is the same whether the address has an account.

    A new address gets an inactive account and a link that activates it; an account never
    activated gets a new link; an active one gets a message saying it already has an
    account. Only the mailbox's owner learns which.
    """
    email = _checked_signup(email, password, full_name)
    existing = get_user_model().objects.filter(username=email).first()
    if existing is not None and not existing.is_active and existing.last_login is None:
        # Never activated (the link was lost, or a stranger signed up with this address):
        # signing up again sends a new link, and the account takes what was entered now,
        # so whoever can read the mailbox is the one who ends up with it.
        with transaction.atomic():
            existing.set_password(password)
            existing.save(update_fields=["password"])
            CitizenProfile.objects.filter(user=existing).update(
                full_name=" ".join(full_name.split()), phone=phone.strip()
            )
            audit.record(
                "citizen.signup_again", actor=SYSTEM, subject_type="user", subject_id=existing.pk
            )
        link = activation_url(existing)
        transaction.on_commit(lambda: signup_mail.send_activation(email, link))
        return
    if existing is not None:
        make_password(password)  # the same work as a new account: timing tells nothing
        audit.record(
            "citizen.signup_existing", actor=SYSTEM, subject_type="user", subject_id=existing.pk
        )
        transaction.on_commit(lambda: signup_mail.send_existing(email))
        return
    user = _create_citizen(email, password, full_name, phone, active=False)
    link = activation_url(user)
    transaction.on_commit(lambda: signup_mail.send_activation(email, link))


def do_activate_citizen(user: User) -> User:
    """The citizen followed the link sent at sign-up: the account works from now on."""
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit.record("citizen.activate", actor=user, subject_type="user", subject_id=user.pk)
    return user


def do_sign_in_with_oidc(*, issuer: str, claims: dict[str, Any]) -> User:
    """The account linked to this identity at the provider, created on first sign-in."""
    subject = str(claims.get("sub", ""))
    if not subject:
        raise Invalid(_("The identity provider did not say who you are."), field="sub")
    profile = (
        CitizenProfile.objects.select_related("user")
        .filter(oidc_issuer=issuer, oidc_subject=subject)
        .first()
    )
    if profile is not None:
        return profile.user
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=f"oidc:{subject}"[:150], email=str(claims.get("email", ""))
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        CitizenProfile.objects.create(
            user=user,
            full_name=str(claims.get("name") or claims.get("preferred_username") or subject)[:200],
            phone=str(claims.get("phone_number", ""))[:20],
            oidc_issuer=issuer,
            oidc_subject=subject,
        )
        audit.record(
            "citizen.register",
            actor=SYSTEM,
            subject_type="user",
            subject_id=user.pk,
            after={"via": "oidc"},
        )
    return user

"""Official documents (Decree 30/2020/NĐ-CP): agencies, their registers, documents with their
files, routing and history, deliveries between agencies, and officers' signing certificates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.units.models import AdminUnit


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "committee", _("People's Committee")
    PEOPLES_COUNCIL = "council", _("People's Council")
    PARTY = "party", _("Party committee")
    FRONT = "front", _("Fatherland Front committee")
    DEPARTMENT = "department", _("Department")
    OTHER = "other", _("Other agency")


class Agency(models.Model):
    """An agency that issues and receives documents: one of a unit's agencies of the
    political system, or a provincial department. Its period follows its unit's."""

    unit = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="agencies", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AgencyKind.choices)
    # Identifier code in the Decision 20/2020/QĐ-TTg style (edXML OrganId).
    code = models.CharField(_("identifier code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    # Where documents sent here go once the agency is abolished (set by a reorganisation).
    successor = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="predecessors"
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="agency_code_open"
            ),
            models.UniqueConstraint(fields=["code", "valid_from"], name="agency_code_period"),
        ]
        indexes = [models.Index(fields=["unit", "kind"], name="agency_unit_kind_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party(self) -> bool:
        """Party committees number their documents the Party's way (``Số 05-NQ/ĐU``)."""
        return self.kind == AgencyKind.PARTY

    def in_force_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class AgencyRole(models.Model):
    """An officer's role in an agency other than the unit's People's Committee."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="agency_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role} @ {self.agency_id}"


class Direction(models.TextChoices):
    OUT = "out", _("Outgoing")
    IN = "in", _("Incoming")


class Register(models.Model):
    """One agency's register for one direction and year: numbers from 01, no gaps.

    ``last_number`` is the counter, locked (SELECT … FOR UPDATE) by whoever takes the next
    number, in the transaction that writes it on the document.
    """

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="registers")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    year = models.PositiveSmallIntegerField()
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "direction", "year"], name="register_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency.abbreviation} {self.direction} {self.year}"


class Urgency(models.IntegerChoices):
    """Decree 30 Art. 4.2c; the values are edXML's Priority."""

    NORMAL = 0, _("Normal")
    URGENT = 1, _("Urgent (khẩn)")
    VERY_URGENT = 2, _("Very urgent (thượng khẩn)")
    FLASH = 3, _("Flash (hỏa tốc)")


class Status(models.TextChoices):
    # Outgoing
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved")
    NUMBERED = "numbered", _("Numbered")
    ISSUED = "issued", _("Issued")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Number cancelled")
    # Incoming
    ARRIVED = "arrived", _("Arrived, not registered")
    REGISTERED = "registered", _("Registered")
    ROUTED = "routed", _("Routed")
    COMPLETED = "completed", _("Completed and filed")
    RETURNED = "returned", _("Returned to the sender")


OPEN_INCOMING = (Status.ARRIVED, Status.REGISTERED, Status.ROUTED)


class Source(models.TextChoices):
    DRAFTED = "drafted", _("Drafted here")
    HAICAP = "haicap", _("From another agency on haicap")
    PACKAGE = "package", _("Exchange package (edXML)")
    PAPER = "paper", _("Scanned paper document")
    EMAIL = "email", _("E-mail forwarded to the clerk")


class Document(models.Model):
    """An outgoing document of its agency, or an incoming one as its agency received it.

    Sender and receiver each keep their own copy (``origin`` links a received copy to the
    sender's document); changes go through ``documents.actions``.
    """

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="documents")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    type_code = models.CharField(_("document type"), max_length=8)
    subject = models.CharField(_("subject"), max_length=500)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    # Outgoing: this agency's number in its register. Incoming: the sender's number.
    register = models.ForeignKey(
        Register, models.PROTECT, null=True, blank=True, related_name="documents"
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    notation = models.CharField(_("notation"), max_length=60, blank=True)
    number_text = models.CharField(_("number and notation"), max_length=80, blank=True)
    issued_on = models.DateField(_("date of the document"), null=True, blank=True)
    drafting_unit = models.CharField(_("drafting unit (abbreviation)"), max_length=20, blank=True)
    # Incoming: the arrival number in this agency's incoming register.
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    sender_agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="+"
    )
    sender_code = models.CharField(_("sender's identifier code"), max_length=40, blank=True)
    sender_name = models.CharField(_("sender"), max_length=200, blank=True)
    origin = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="received_copies"
    )
    # edXML DocumentId: "OrganId,yyyy/mm/dd,number/notation"; unique per issuer.
    document_id = models.CharField(max_length=200, blank=True)
    signer_name = models.CharField(_("signer"), max_length=50, blank=True)
    signer_title = models.CharField(_("signer's position"), max_length=100, blank=True)
    page_count = models.PositiveSmallIntegerField(_("pages"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies issued"), default=1)
    reply_due_on = models.DateField(_("reply due"), null=True, blank=True)
    # Outgoing: who it is for, [{"code", "name"}] (a code for agencies on haicap or known to
    # the exchange); shown and searched as ``recipients_text`` (edXML ToPlaces).
    recipients = models.JSONField(default=list, blank=True)
    recipients_text = models.CharField(_("recipients"), max_length=1000, blank=True)
    restricted = models.BooleanField(_("restricted"), default=False)
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Incoming, once routed: the lead handler (a person, or a unit named in words).
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_label = models.CharField(_("lead handler"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("handling deadline"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Subject, numbers, sender and the text of the PDFs, without diacritics (core.text).
    search_text = models.TextField(default="", editable=False)
    # Its tsvector, stored: a match is checked against the row without parsing the text again.
    search_vector = models.GeneratedField(
        expression=SearchVector("search_text", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            # No two outgoing documents share a number in a register …
            models.UniqueConstraint(
                fields=["register", "number"],
                condition=Q(direction="out", number__isnull=False),
                name="document_number_unique",
            ),
            # … nor two incoming ones an arrival number.
            models.UniqueConstraint(
                fields=["register", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="document_arrival_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "direction", "-urgency", "-created_at"], name="document_queue_idx"
            ),
            models.Index(fields=["sender_code", "number", "notation"], name="document_dup_idx"),
            models.Index(
                fields=["due_at"], condition=Q(status__in=OPEN_INCOMING), name="document_due_idx"
            ),
            GinIndex(fields=["search_vector"], name="document_search_idx"),
        ]

    def __str__(self) -> str:
        return self.number_text or self.subject[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_INCOMING

    def is_overdue(self, at: dt.datetime | None = None) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < (at or timezone.now()))


class Attachment(models.Model):
    """A file of a document: the main text (versions kept while drafting) or an appendix."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(upload_to="documents/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    is_main = models.BooleanField(default=True)
    version = models.PositiveSmallIntegerField(default=1)
    signed = models.BooleanField(default=False)
    text = models.TextField(default="", editable=False)
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_main", "-version", "id"]

    def __str__(self) -> str:
        return self.name


class DocumentEvent(models.Model):
    """The document's timeline (edXML's TraceHeaderList): each action, who, when and why."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    note = models.CharField(max_length=1000, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["document", "at"], name="document_event_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class Handler(models.Model):
    """Who handles a routed incoming document: the lead and those cooperating."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="handlers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200, blank=True)
    is_lead = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label or str(self.user_id)


class Delivery(models.Model):
    """One recipient of a sent document, and what the recipient reported back."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+")
    recipient_code = models.CharField(max_length=40)
    recipient_name = models.CharField(max_length=200)
    # The agency it reached when the one addressed had been abolished.
    forwarded_to = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="+"
    )
    copy = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="+")
    by_package = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)
    # edXML status codes (01 arrived, 02 refused, 03 registered, 04 assigned, 05 in progress,
    # 06 completed) and the recipient's words.
    status_code = models.CharField(max_length=2, blank=True)
    status_text = models.CharField(max_length=500, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "recipient_code"], name="delivery_one_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"→ {self.recipient_code}"


class ExchangeMessage(models.Model):
    """An edXML message in or out: a document package or a status message, as bytes."""

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Document package")
        STATUS = "status", _("Status message")

    outgoing = models.BooleanField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="+")
    peer_code = models.CharField(max_length=40)
    document = models.ForeignKey(
        Document, models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    xml = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} {self.peer_code}"


class SigningCertificate(models.Model):
    """An officer's (or an agency's) signing certificate and encrypted PKCS#8 key.

    An officer types the passphrase when signing; an agency's key is opened with a passphrase
    derived from the site's secret key, so packages are signed without a person.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="+")
    certificate_pem = models.BinaryField()
    key_pem = models.BinaryField()
    chain_pem = models.BinaryField()
    serial = models.CharField(max_length=60)
    fingerprint = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    not_after = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(agency__isnull=False),
                name="certificate_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.subject

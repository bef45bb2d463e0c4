"""The federation's endpoints: the hub's integration API (/api/v1/federation/), the national
lookup (/api/v1/national/), and the province's published list (/api/v1/province/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from haicap.federation import catalogue, lookup

hub_router = Router(tags=["federation (hub)"])
national = Router(tags=["national lookup (hub)"])
province = Router(tags=["federation (province)"])
hub = hub_router  # the name the AppConfig mounts


@hub_router.post("/auth", summary="Log in: dstcode header, username, password → session")
def auth(request: HttpRequest) -> HttpResponse:
    from haicap.federation.hub import authenticate

    return authenticate(request)


@hub_router.post("/integration", summary="One service call: session, madonvi, service, data")
def integration(request: HttpRequest) -> HttpResponse:
    from haicap.federation.hub import integrate

    return integrate(request)


class NamedCode(Schema):
    code: str
    name: str


class Step(Schema):
    at: dt.datetime
    text: str
    status: int


class NationalDossier(Schema):
    code: str
    procedure: NamedCode
    applicant: str
    status: int
    status_label: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    province: NamedCode
    unit: NamedCode
    version: int
    timeline: list[Step]


@national.get("/dossiers/{code}", response=NationalDossier, summary="Any dossier (code, secret)")
def national_lookup(request: HttpRequest, code: str, secret: str) -> NationalDossier:
    # lookup.py builds the dict; validated here, once, as ninja did.
    found = lookup.national_dossier(request, code, secret)
    return NationalDossier.model_validate(lookup.national_view(found))


@province.get("/non-boundary", summary="Procedures fileable anywhere in the province")
def non_boundary(request: HttpRequest) -> list[dict[str, Any]]:
    # The hub protocol's entries as catalogue.py builds them (MaTTHC, …), served without a
    # response schema; declaring one would change the OpenAPI document.
    return catalogue.non_boundary()

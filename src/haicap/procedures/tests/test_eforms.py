"""E-form definitions as data: the shipped forms, versions with audit, and the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.conftest import BIRTH, MARITAL
from haicap.core.actors import SYSTEM
from haicap.core.errors import Conflict, Invalid
from haicap.core.models import AuditEvent
from haicap.procedures.actions import do_load_shipped_forms, do_save_form
from haicap.procedures.forms_data import current_form, shipped_forms
from haicap.procedures.forms_schema import FormDefinition, check_values, example_values, shown
from haicap.procedures.models import Procedure

COMMUNE_FORMS = {
    "1.001193.000.00.00.H01": "Tờ khai đăng ký khai sinh",
    "HCP.HT.002": "Tờ khai đăng ký kết hôn",
    "HCP.HT.003": "Tờ khai đăng ký khai tử",
    "HCP.HT.004": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    "HCP.CTR.001": "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
    "HCP.CTR.002": "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)",
}


def birth() -> FormDefinition:
    return FormDefinition.model_validate(shipped("birth"))


def shipped(name: str) -> dict[str, Any]:
    return next(f.definition for f in shipped_forms() if f.name == name)


def test_every_shipped_form_is_valid_and_its_example_passes() -> None:
    for form in shipped_forms():
        definition = FormDefinition.model_validate(form.definition)
        checked = check_values(definition, example_values(definition))
        assert checked.errors == {}, form.name


@pytest.mark.django_db
def test_setup_loaded_the_commune_forms_once() -> None:
    for code, title in COMMUNE_FORMS.items():
        form = current_form(Procedure.objects.get(code=code))
        assert form is not None
        assert form.definition["title"] == title
    assert do_load_shipped_forms(actor=SYSTEM) == 0  # a second setup changes nothing
    papers = {p.name: p for p in Procedure.objects.get(code=BIRTH).papers.all()}
    assert papers["Tờ khai đăng ký khai sinh"].is_declaration
    assert papers["Giấy chứng sinh (hoặc văn bản của người làm chứng)"].digitise
    assert papers["Giấy tờ tùy thân của người đi đăng ký"].desk_allowed


@pytest.mark.django_db
def test_a_new_version_is_audited_and_an_old_number_refused() -> None:
    procedure = Procedure.objects.get(code=MARITAL)
    before = current_form(procedure)
    assert before is not None
    changed = {**before.definition, "title": "Tờ khai (sửa đổi)"}
    form = do_save_form(procedure, changed, actor=SYSTEM)
    assert form.version == before.version + 1
    assert current_form(procedure) == form
    event = AuditEvent.objects.filter(verb="procedures.form", subject_id=MARITAL).latest("id")
    assert event.after is not None
    assert event.after["version"] == form.version
    with pytest.raises(Conflict):
        do_save_form(procedure, changed, actor=SYSTEM, version=1)


@pytest.mark.django_db
def test_a_definition_that_is_not_one_is_refused_and_nothing_written() -> None:
    procedure = Procedure.objects.get(code=MARITAL)
    count = procedure.forms.count()
    broken: dict[str, Any] = {"title": "x", "sections": [{"key": "a", "title": "A", "fields": [
        {"key": "b", "label": "B", "type": "choice"}]}]}  # fmt: skip
    with pytest.raises(Invalid):
        do_save_form(procedure, broken, actor=SYSTEM)
    conditional = {"title": "x", "sections": [{"key": "a", "title": "A", "when": {
        "field": "later", "equals": True}, "fields": [{"key": "later", "label": "L",
        "type": "checkbox"}]}]}  # fmt: skip
    with pytest.raises(Invalid):
        do_save_form(procedure, conditional, actor=SYSTEM)
    taken = {"title": "x", "sections": [{"key": "a", "title": "A", "fields": [
        {"key": "full_name", "label": "B", "type": "text"}]}]}  # fmt: skip
    with pytest.raises(Invalid):
        do_save_form(procedure, taken, actor=SYSTEM)
    assert procedure.forms.count() == count


def test_each_rule_says_what_is_wrong_on_its_field() -> None:
    definition = birth()
    values = example_values(definition) | {
        "child_full_name": "",
        "mother_id_number": "12345",
        "child_sex": "khac",
        "mother_birth_date": "2026-11-21",  # after the child's birth
        "extract_copies": "99",
        "birth_place": "Hà\x00Nội",
        "no_such_field": "x",
    }
    errors = check_values(definition, values).errors
    assert set(errors) == {
        "child_full_name",
        "mother_id_number",
        "child_sex",
        "mother_birth_date",
        "extract_copies",
        "birth_place",
        "no_such_field",
    }
    assert "12" in errors["mother_id_number"]
    # A bound on another field is named by that field.
    assert "ngày, tháng, năm sinh" in errors["mother_birth_date"].lower()


def test_dates_are_bounded() -> None:
    definition = birth()
    base = example_values(definition)
    for bad in ("1899-12-31", "9999-12-31", "31/12/2020", "2026-02-30"):
        assert "child_born_on" in check_values(definition, base | {"child_born_on": bad}).errors
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "child_born_on" in check_values(definition, base | {"child_born_on": future}).errors


def test_marriage_age() -> None:
    definition = FormDefinition.model_validate(shipped("marriage"))
    base = example_values(definition)
    today = timezone.localdate()
    seventeen = today.replace(year=today.year - 17).isoformat()
    assert (
        "bride_birth_date"
        in check_values(definition, base | {"bride_birth_date": seventeen}).errors
    )
    nineteen = today.replace(year=today.year - 19).isoformat()
    assert check_values(definition, base | {"bride_birth_date": nineteen}).errors == {}
    assert (
        "groom_birth_date" in check_values(definition, base | {"groom_birth_date": nineteen}).errors
    )


def test_api_values_may_be_typed() -> None:
    definition = birth()
    values = example_values(definition) | {"father_known": True, "extract_copies": 2}
    assert check_values(definition, values).values["extract_copies"] == 2
    bad = check_values(definition, example_values(definition) | {"extract_copies": [1]})
    assert "extract_copies" in bad.errors


FATHER = [f.key for f in birth().sections[4].fields]


@settings(max_examples=60, deadline=None)
@given(
    known=st.one_of(st.booleans(), st.sampled_from(["on", "", "off", "true"])),
    father=st.dictionaries(st.sampled_from(FATHER), st.text(max_size=30), max_size=6),
    kind=st.sampled_from(["co_so_y_te", "noi_khac", "", "x"]),
)
def test_conditional_sections(known: Any, father: dict[str, str], kind: str) -> None:
    """A section not shown is neither stored nor checked; one shown is checked in full."""
    definition = birth()
    base = {k: v for k, v in example_values(definition).items() if k not in FATHER}
    base.pop("father_known")
    values = base | father | {"father_known": known, "birth_place_kind": kind}
    checked = check_values(definition, values)
    father_shown = known is True or known in {"on", "true"}
    visible = {field.key for _s, field in shown(definition, checked.values)}
    assert set(checked.values) <= visible
    for key in FATHER:
        if not father_shown:
            assert key not in checked.values
            assert key not in checked.errors
        elif key in {"father_full_name", "father_birth_date", "father_residence_address"}:
            assert (key in checked.values) != (key in checked.errors)
    if kind != "co_so_y_te":
        assert "birth_facility" not in checked.values
        assert "birth_facility" not in checked.errors
    elif "birth_facility" not in checked.values:
        assert "birth_facility" in checked.errors

"""CPR masking: every typed and spoken form of a plausible date + 4 digits is masked; other numbers are left alone.
Phone numbers and e-mail addresses are masked only when the options say so."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.masking import MaskingOptions, contains_cpr, mask_contact_details, mask_personal_data


def test_masks_both_formats_keeping_the_date():
    assert mask_personal_data("cpr 010190-1234 tak") == "cpr 010190-XXXX tak"
    assert mask_personal_data("mit nummer er 0101901234.") == "mit nummer er 010190-XXXX."
    assert mask_personal_data("311299 4321") == "311299-XXXX"
    assert mask_personal_data("290200-1234") == "290200-XXXX"  # 29 February 2000 exists


def test_leaves_other_numbers_alone():
    for text in ["ring 12345678", "beløbet er 1.234.567 kr", "sag 2026-000123", "320190-1234", "011390-1234",
                 "310490-1234", "01019012345", "12 34 56 78"]:
        assert mask_personal_data(text) == text, text


def test_masking_is_idempotent_and_detectable():
    once = mask_personal_data("a 010190-1234 b 0202021111")
    assert mask_personal_data(once) == once
    assert not contains_cpr(once)
    assert contains_cpr("a 010190-1234")


@given(day=st.integers(1, 28), month=st.integers(1, 12), year=st.integers(0, 99), serial=st.integers(0, 9999),
       dash=st.booleans())
def test_any_plausible_cpr_is_masked(day, month, year, serial, dash):
    cpr = f"{day:02d}{month:02d}{year:02d}{'-' if dash else ''}{serial:04d}"
    masked = mask_personal_data(f"oplyst {cpr} i samtalen")
    assert f"{serial:04d}" not in masked.replace(f"{day:02d}{month:02d}{year:02d}", "")
    assert f"{day:02d}{month:02d}{year:02d}-XXXX" in masked


# Every form a caseworker types or a recogniser writes for the (made-up) CPR 010203-1234.
SPOKEN_AND_TYPED_FORMS = [
    "0102031234", "010203-1234", "010203 1234", "01 02 03-1234", "01.02.03-1234", "010203 - 1234",
    "010203/1234", "01-02-03-1234", "01/02/03 1234", "01 02 03 12 34", "010203 12 34", "01 02 03 - 12 34",
    "0 1 0 2 0 3 1 2 3 4", "01 02.03-1234",
    "010203\u20111234",  # non-breaking hyphen
    "010203\u22121234",  # minus sign
    "010203\u20131234",  # en dash
    "010203\u20101234",  # hyphen
    "010203\u00a01234",  # no-break space
    "01\u202f02\u202f03\u202f12\u202f34",  # narrow no-break spaces
    "nul et nul to nul tre tolv fireogtredive",  # read aloud, written as words
    "nul en, nul to, nul tre - tolv fireogtredive", "nul et nul to nul tre 12 34",  # words and digits mixed
]

# Numbers that are no CPR and must stay as they are.
NOT_CPR = [
    "beløbet er 12.500 kr", "1.234.567,89 kr", "3 500 kroner", "kr. 250.000", "12.345.678,90 kr",
    "ring 12345678", "ring 12 34 56 78", "+45 20 30 40 50", "0045 2030 4050",
    "sag 2024-1234", "sag 2026-000123", "sag 2010-901234", "j.nr. 27.12.08-A00-1-23",
    "mødet 01.02.2003 kl. 12.30", "den 1. februar 2003",
    "320103-1234", "011303-1234", "01 13 03 12 34", "300203 1234",  # no such date
    "01019012345", "010203-1234-5",  # part of a longer number
    "jeg har to børn og en hund", "en to tre fire fem seks syv otte ni ti", "klokken ti til tolv",
    "nul et nul to nul tre tolv fireogtredive fem",  # eleven digits: no CPR number
]


@pytest.mark.parametrize("form", SPOKEN_AND_TYPED_FORMS)
def test_every_form_of_a_cpr_number_is_masked(form):
    masked = mask_personal_data(f"mit cpr-nummer er {form}, tak")
    assert masked == "mit cpr-nummer er 010203-XXXX, tak"
    assert not contains_cpr(masked) and contains_cpr(form)


@pytest.mark.parametrize("text", NOT_CPR)
def test_amounts_phone_and_case_numbers_are_not_masked(text):
    assert mask_personal_data(text) == text


def test_a_cpr_number_inside_a_run_of_other_numbers_is_still_masked():
    # A run that is no date ("20 30 …") must not swallow the CPR number after it.
    masked = mask_personal_data("nummeret er 45 010203 1234")
    assert masked == "nummeret er 45 010203-XXXX"


def test_contact_details_are_masked_only_when_configured():
    text = "Ring på 20 30 40 50 eller +45 32345678, skriv til anna.b@kommune.dk. Beløbet er 12.500 kr, sag 2024-1234."
    assert mask_contact_details(text, MaskingOptions()) == text
    masked = mask_contact_details(text, MaskingOptions(phone_numbers=True, emails=True))
    assert masked == ("Ring på XX XX XX XX eller XX XX XX XX, skriv til …@kommune.dk. Beløbet er 12.500 kr, "
                      "sag 2024-1234.")

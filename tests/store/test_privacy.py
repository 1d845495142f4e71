"""CPR masking: both formats with plausible dates are masked; other numbers are left alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.store.privacy import contains_cpr, mask_personal_data


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

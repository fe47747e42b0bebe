"""User text on screen: control characters made visible, cells clipped by width."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from desk_tui.domain.worktime import days, hours, weeks
from desk_tui.ui.formats import work_time_amount
from desk_tui.ui.text import ELLIPSIS, clip, fit, visible

BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def test_escape_and_c0_controls_become_control_pictures():
    assert visible("Tom\x1b]0;pwned\x07") == "Tom\u241b]0;pwned\u2407"
    assert visible("a\tb\nc\x00") == "a\u2409b\u240ac\u2400"
    assert visible("\x7f") == "\u2421"


def test_c1_controls_and_bidi_overrides_are_spelled_out():
    assert visible("\x9b31m") == "\\x9b31m"
    assert visible("abc\u202edcba") == "abc\\u202edcba"


def test_markup_looking_text_is_left_alone():
    for text in ("[bold]x[/]", "[/", "[0]", "[/tmp/x]", "Gemeente 's-Hertogenbosch", "日本語"):
        assert visible(text) == text


@given(st.text())
def test_visible_output_has_no_control_characters(text):
    shown = visible(text)
    assert not any(unicodedata.category(char) == "Cc" for char in shown)
    assert not BIDI_CONTROLS & set(shown)


@given(st.text().filter(str.isprintable))
def test_printable_text_is_unchanged(text):
    assert visible(text) == text


def test_clip_adds_an_ellipsis_only_when_text_is_cut():
    assert clip("Gemeente Aadorp", 20) == "Gemeente Aadorp"
    assert clip("Gemeente Aadorp", 8) == "Gemeent" + ELLIPSIS
    assert clip("Gemeente", 1) == ELLIPSIS
    assert clip("Gemeente", 0) == ""


def test_clip_never_splits_a_wide_character():
    assert clip("日本語テキスト", 6) == "日本" + ELLIPSIS  # 5 cells: the third glyph won't fit
    assert cell_len(clip("日本語テキスト", 6)) == 5


@given(st.text(), st.integers(min_value=0, max_value=40))
def test_clip_fits_the_width(text, width):
    clipped = clip(visible(text), width)
    assert cell_len(clipped) <= width
    if cell_len(visible(text)) <= width:
        assert clipped == visible(text)


ALIGNS = st.sampled_from(["left", "center", "right"])


@given(st.text(), st.integers(min_value=0, max_value=40), ALIGNS)
def test_fit_fills_the_width_exactly(text, width, align):
    assert cell_len(fit(visible(text), width, align)) == width


def test_fit_aligns():
    assert fit("P1", 6) == "P1    "
    assert fit("P1", 6, "center") == "  P1  "
    assert fit("P1", 6, "right") == "    P1"
    assert fit("日本", 5, "center") == "日本 "


@pytest.mark.parametrize(("amount", "shown"), [
    (hours(0.25), "15 min"), (hours(4), "4 uur"), (days(1), "1 werkdag"),
    (days(3), "3 werkdagen"), (weeks(2), "2 werkweken"),
])
def test_lead_times_read_as_the_sla_states_them(amount, shown):
    assert work_time_amount(amount) == shown

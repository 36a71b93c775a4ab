import pytest
from django.core.exceptions import ValidationError

from members import idcard


def test_a_known_valid_number_parses_with_birth_date_and_gender():
    info = idcard.parse("11010519491231002X")
    assert info.number == "11010519491231002X"
    assert info.birth_date.isoformat() == "1949-12-31"
    assert info.gender == "female"


def test_lower_case_x_full_width_digits_and_spaces_are_folded():
    assert idcard.parse(" １１０１０５１９４９１２３１００２x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "check"),
        ("11010519491231002", "length"),
        ("1101051949123100AX", "chars"),
        ("110105194913310025", "birth"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as exc:
        idcard.parse(raw)
    assert exc.value.code == code


def test_wrong_check_digit_message_names_the_expected_character():
    with pytest.raises(ValidationError) as exc:
        idcard.parse("110105194912310021")
    assert "X" in exc.value.messages[0]


def test_mask_keeps_region_and_last_four():
    assert idcard.mask("11010519491231002X") == "1101**********002X"

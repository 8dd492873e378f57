"""How computed figures are written: exact Decimal arithmetic shown as the answer prints it (one home for the
answerers that compute: figures from table cells and figures from the text)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PERCENT = Decimal("0.1")


def fmt(d: Decimal) -> str:
    """A number as written: no exponent, no trailing zeros (21, 352.4, 219062.78)."""
    text = format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def signed(d: Decimal) -> str:
    return ("+" if d > 0 else "") + fmt(d)


def percent(part: Decimal, whole: Decimal) -> str:
    return f"{(part / whole * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)}%"


def change_formula(earlier: Decimal, later: Decimal) -> str:
    """95 − 21 = +74；+74 ÷ 21 = +352.4% (the rate only where the earlier figure is not 0)."""
    diff = later - earlier
    formula = f"{fmt(later)} − {fmt(earlier)} = {signed(diff)}"
    if earlier != 0:
        formula += f"；{signed(diff)} ÷ {fmt(earlier)} = {'+' if diff > 0 else ''}{percent(diff, earlier)}"
    return formula

"""Table column widths: long columns are capped only when the table would not fit."""

import pandas as pd

from ui.tables import AVAILABLE_WIDTH, CAPPED_WIDTH, column_widths

COMMITTEE = "Lenkungsausschuss E-Government Mecklenburg-Vorpommern"


def test_a_table_that_fits_keeps_its_natural_widths() -> None:
    shown = pd.DataFrame({"Nr.": [1, 2], "Gremium": ["LA E-Gov M-V", "KOMM24"]})
    assert column_widths(shown) == {}


def test_the_widest_columns_are_capped_until_the_table_fits() -> None:
    shown = pd.DataFrame(
        {
            "Gremium": [COMMITTEE],
            "Beschlusstext": ["Der Lenkungsausschuss empfiehlt den Landkreisen " * 3],
            "Beschluss-Nr.": ["LA-2019/05"],
            "Frist": ["31.01.2020"],
            "Umsetzungsstand": ["in Umsetzung"],
        }
    )
    widths = column_widths(shown)
    assert set(widths) == {"Beschlusstext", "Gremium"}
    assert all(config["width"] == CAPPED_WIDTH for config in widths.values())
    # The short columns keep their size: Frist and Umsetzungsstand stay on screen.
    assert "Frist" not in widths


def test_capping_stops_as_soon_as_the_table_fits() -> None:
    shown = pd.DataFrame({"Titel": ["x" * 200], "Gremium": [COMMITTEE], "Nr.": [1]})
    assert set(column_widths(shown)) == {"Titel"}
    assert AVAILABLE_WIDTH > CAPPED_WIDTH

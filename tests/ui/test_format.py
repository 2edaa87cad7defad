"""ui.format.plain: user text shown literally in Markdown, alerts and labels."""

import pytest

from ui.format import plain


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Bauen & Wohnen", r"Bauen \& Wohnen"),
        ("**fett** <b>x</b>", r"\*\*fett\*\* \<b\>x\</b\>"),
        ("[Link](https://example.org)", r"\[Link\](https\://example.org)"),
        ("1. Punkt", r"1\. Punkt"),
        ("- Liste", r"\- Liste"),
        ("Titel\n===", "Titel\n\\=\\=\\="),
        (":smile: und :red[x]", r"\:smile: und \:red\[x\]"),
        ("Sitzung um 10:00 Uhr: Beginn", r"Sitzung um 10\:00 Uhr: Beginn"),
        ("    eingerückt", "\u00a0\u00a0\u00a0\u00a0eingerückt"),
        ("Mecklenburg-Vorpommern (MV).", "Mecklenburg-Vorpommern (MV)."),
        ("$x$ ~y~ #z |t|", r"\$x\$ \~y\~ \#z \|t\|"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_escapes_only_what_would_become_markup(text: str | None, shown: str) -> None:
    assert plain(text) == shown

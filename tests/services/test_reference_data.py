"""The official keys in the demo data exist in the shipped Gemeindeverzeichnis."""

import csv

import yaml

from models.db import DATA_DIR


def official_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    with (DATA_DIR / "gemeindeverzeichnis" / "AuszugGV4QAktuell.csv").open(
        encoding="utf-8-sig"
    ) as handle:
        for row in csv.DictReader(handle):
            if row["satzart"] == "10":
                keys[row["land"]] = row["gemeindename"]
            elif row["satzart"] == "40":
                keys[row["land"] + row["rb"] + row["kreis"]] = row["gemeindename"]
            elif row["satzart"] == "60":
                keys[row["land"] + row["rb"] + row["kreis"] + row["gemeinde"]] = row["gemeindename"]
    return keys


def test_every_seeded_ags_is_an_official_key() -> None:
    keys = official_keys()
    with (DATA_DIR / "seed" / "organizations.yaml").open(encoding="utf-8") as handle:
        organizations = yaml.safe_load(handle)
    seeded = {str(org["ags"]): org["name"] for org in organizations if org.get("ags")}
    assert seeded, "the demo data should carry official keys"
    unknown = {ags: name for ags, name in seeded.items() if ags not in keys}
    assert unknown == {}
    assert "Leipzig" in keys["14713000"]

"""The time-zone list people choose from (pwa/forms/time_zones.py): cities by region, the
person's own zone first, no aliases or oddities, and every option a real zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

import pytest

from pwa.forms.time_zones import zone_choices, zone_label

ODDITIES = {"Factory", "localtime", "Etc/GMT+5", "US/Eastern", "GB", "EST5EDT", "posixrules"}


def flat(choices) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for value, label in choices:
        out.extend(label if isinstance(label, list) else [(value, label)])
    return out


@pytest.mark.parametrize("current", ["Europe/Oslo", "America/New_York", "UTC", "Etc/GMT+5"])
def test_the_persons_zone_comes_first_and_only_once(current: str) -> None:
    choices = zone_choices(current)
    assert choices[0] == (current, zone_label(current))
    assert [value for value, _ in flat(choices)].count(current) == 1


def test_every_option_is_a_real_zone_and_none_is_an_oddity() -> None:
    options = flat(zone_choices("Europe/Oslo"))
    values = [value for value, _ in options]
    assert len(values) == len(set(values))
    real = available_timezones()  # (it reads the zone database's files on every call)
    for value in values:
        ZoneInfo(value)
        assert value in real
    assert not ODDITIES & set(values)
    assert 300 < len(values) < 500  # one a country or region, not ~600 raw names
    for city in ("Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"):
        assert city in values


def test_groups_are_regions_in_order_and_cities_in_order() -> None:
    groups = [(name, items) for name, items in zone_choices("UTC")[1:] if isinstance(items, list)]
    names = [name for name, _ in groups]
    assert "Europe" in names and "Americas" in names
    assert names[:-1] == sorted(names[:-1])  # "Other" (UTC) last
    for _, items in groups:
        labels = [label for _, label in items]
        assert labels == sorted(labels)
        assert all("_" not in label and "/" not in label for label in labels)


def test_labels_read_as_places() -> None:
    assert zone_label("America/Argentina/Buenos_Aires") == "Buenos Aires, Argentina"
    assert zone_label("Europe/Oslo") == "Oslo"
    assert zone_label("UTC") == "UTC"

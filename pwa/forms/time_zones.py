"""The time-zone choice as people know them (docs/words.md): cities grouped by region,
the person's own zone first, and none of the database's aliases and oddities ("Factory",
"localtime", "Etc/GMT+5", "US/Eastern" beside "America/New_York").

The cities are the system tz database's own list of one zone per country and region
(zone.tab); a person whose stored zone is not on it still gets it offered, first.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections import defaultdict
from pathlib import Path

REGIONS = {
    "Africa": "Africa",
    "America": "Americas",
    "Antarctica": "Antarctica",
    "Arctic": "Arctic",
    "Asia": "Asia",
    "Atlantic": "Atlantic Ocean",
    "Australia": "Australia",
    "Europe": "Europe",
    "Indian": "Indian Ocean",
    "Pacific": "Pacific Ocean",
}
type Choice = tuple[str, str]
type Choices = list[tuple[str, str | list[Choice]]]


@functools.cache
def city_zones() -> frozenset[str]:
    known = zoneinfo.available_timezones()
    for folder in zoneinfo.TZPATH:
        table = Path(folder) / "zone.tab"
        if table.is_file():
            rows = (line.split("\t") for line in table.read_text().splitlines())
            return frozenset(r[2] for r in rows if len(r) >= 3 and not r[0].startswith("#")) & known
    # No table on this machine: the region/city names, which leave out the oddities.
    return frozenset(name for name in known if name.split("/")[0] in REGIONS and "/" in name)


def zone_label(name: str) -> str:
    """'America/Argentina/Buenos_Aires' -> 'Buenos Aires, Argentina'; 'UTC' stays."""
    parts = [part.replace("_", " ") for part in name.split("/")]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 3:
        return f"{parts[2]}, {parts[1]}"
    return parts[1]


def zone_choices(current: str) -> Choices:
    groups: dict[str, list[Choice]] = defaultdict(list)
    for name in city_zones() - {current}:
        groups[REGIONS.get(name.split("/")[0], "Other")].append((name, zone_label(name)))
    choices: Choices = [(current, zone_label(current))] if current else []
    for region in sorted(groups):
        choices.append((region, sorted(groups[region], key=lambda choice: choice[1])))
    if current != "UTC":
        choices.append(("Other", [("UTC", "UTC (no local time)")]))
    return choices

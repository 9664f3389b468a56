"""Distances: stored in kilometres, shown and typed in the runner's own unit.

The one home of the conversion; the check-in's JavaScript gets the same factor from the
page (journal.selectors.checkin_client_data), never its own copy.
"""

from __future__ import annotations

from decimal import Decimal

KM_PER_MILE = Decimal("1.609344")  # exact, by definition of the international mile
MILES = "mi"


def km_from(distance: Decimal, *, unit: str) -> Decimal:
    """A distance the runner typed, in kilometres to the hundredth (as stored)."""
    km = distance * KM_PER_MILE if unit == MILES else distance
    return km.quantize(Decimal("0.01"))


def distance_in(distance_km: Decimal | None, *, unit: str) -> Decimal | None:
    """A stored distance (km) in the runner's own unit, to one decimal."""
    if distance_km is None:
        return None
    return (distance_km / KM_PER_MILE if unit == MILES else distance_km).quantize(Decimal("0.1"))

"""The date words of footing/dates.py as template filters, built into every template
(settings TEMPLATES builtins): {{ log.started_at|moment }}, {{ checkin.date|day }}."""

from __future__ import annotations

from django import template

from footing import dates

register = template.Library()

for name in ("day_month", "day", "clock", "moment", "dated"):
    register.filter(name, getattr(dates, name))

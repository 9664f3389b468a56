"""The reads written as SQL (footing/sql.py) answer exactly what the ORM answers.

Each is compared with the ORM expression it replaces, over many generated rows: the
session every logged-in request reads, the person with their profile, and the mornings a
check-in's advice reads. Runs on SQLite and on PostgreSQL (`make test-postgres`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connection
from django.db.models import Model
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.backends import ProfileBackend, person_with_profile
from accounts.models import DistanceUnit, Profile
from footing.sessions import SessionStore
from footing.sql import CompiledQueries, run_sql
from journal.advice import RED_FLAG_FIELDS
from journal.models import CheckIn, any_red_flag
from journal.selectors import _newest_mornings

pytestmark = pytest.mark.django_db
examples = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def fields_of(instance: Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


# ---- the session ------------------------------------------------------------------------

session_data = st.dictionaries(
    st.text(min_size=1, max_size=12).filter(lambda key: "\x00" not in key),
    st.one_of(st.integers(), st.text(max_size=20).filter(lambda t: "\x00" not in t), st.none()),
    max_size=5,
)


@examples
@given(data=session_data, expires_in=st.integers(min_value=-3600, max_value=3600))
def test_a_session_loads_as_djangos_database_session_does(data, expires_in) -> None:
    Session.objects.all().delete()
    made = DjangoSessionStore()
    made.update(data)
    made.create()
    key = made.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(seconds=expires_in)
    )

    ours, djangos = SessionStore(key), DjangoSessionStore(key)
    loaded = ours.load()
    assert loaded == djangos.load()
    if abs(expires_in) > 5:  # (clear of the moment the test runs)
        assert loaded == (data if expires_in > 0 else {})
    # A key naming no live session is forgotten by both, so the next save makes a new one.
    assert ours.session_key == djangos.session_key


def test_an_unknown_or_expired_session_is_empty_and_its_key_dropped() -> None:
    assert SessionStore("x" * 32).load() == {}
    expired = DjangoSessionStore()
    expired["_auth_user_id"] = "1"
    expired.create()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(expired.session_key)
    assert store.load() == {}
    assert store.session_key is None


def test_a_session_saved_by_ours_is_read_by_djangos_and_back() -> None:
    ours = SessionStore()
    ours["time_zone"] = "Pacific/Auckland"
    ours.create()
    assert DjangoSessionStore(ours.session_key).load() == {"time_zone": "Pacific/Auckland"}


session_values = st.dictionaries(
    st.text(min_size=1, max_size=12),
    st.one_of(
        st.integers(),
        st.text(max_size=20),
        st.none(),
        st.booleans(),
        st.lists(st.integers(), max_size=3),  # mutable: decoded afresh each time
    ),
    max_size=5,
)


@examples
@given(
    data=session_values,
    signer=st.sampled_from(["ours", "another key", "another salt"]),
    tamper=st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
)
def test_a_session_text_decodes_as_djangos_and_the_same_the_second_time(
    data, signer, tamper
) -> None:
    """Kept decodings (footing/sessions.py) change nothing: any text, signed right or
    wrong, tampered or not, decodes as Django's decode does, cold and warm; and each
    decoding is the caller's own dict (changing it changes no later one)."""
    djangos = DjangoSessionStore()
    if signer == "another key":
        text = signing.dumps(
            data,
            key="not-the-secret-key-" * 3,
            salt=djangos.key_salt,
            serializer=djangos.serializer,
            compress=True,
        )
    elif signer == "another salt":
        text = signing.dumps(data, salt="elsewhere", serializer=djangos.serializer, compress=True)
    else:
        text = djangos.encode(data)
    if tamper is not None:
        at = tamper % len(text)
        text = text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]
    expected = djangos.decode(text)
    first = SessionStore().decode(text)
    assert first == expected
    first["changed"] = "by the caller"
    assert SessionStore().decode(text) == expected


def test_a_kept_decoding_is_not_accepted_under_another_secret_key() -> None:
    text = DjangoSessionStore().encode({"_auth_user_id": "1"})
    assert SessionStore().decode(text) == {"_auth_user_id": "1"}  # kept now
    with override_settings(SECRET_KEY="a-rotated-secret-key-" * 3, SECRET_KEY_FALLBACKS=[]):
        assert SessionStore().decode(text) == {}
    with override_settings(
        SECRET_KEY="a-rotated-secret-key-" * 3, SECRET_KEY_FALLBACKS=[django_settings.SECRET_KEY]
    ):
        assert SessionStore().decode(text) == {"_auth_user_id": "1"}


def test_a_deleted_session_is_gone_although_its_decoding_was_kept() -> None:
    """Log-out (and log-out everywhere) delete the row: the next request finds nothing."""
    made = DjangoSessionStore()
    made["_auth_user_id"] = "1"
    made.create()
    assert SessionStore(made.session_key).load() == {"_auth_user_id": "1"}
    Session.objects.filter(session_key=made.session_key).delete()
    gone = SessionStore(made.session_key)
    assert gone.load() == {}
    assert gone.session_key is None


# ---- the person with their profile ----------------------------------------------------------

zones = st.sampled_from(["UTC", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"])
moments = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


@examples
@given(
    has_profile=st.booleans(),
    active=st.booleans(),
    staff=st.booleans(),
    last_login=st.none() | moments,
    zone=zones,
    reminder=st.none() | st.times(),
    unit=st.sampled_from(DistanceUnit.values),
    condition=st.sampled_from(["", "plantar-fasciitis", "metatarsalgia"]),
)
def test_the_person_and_their_profile_read_as_the_orm_reads_them(
    has_profile, active, staff, last_login, zone, reminder, unit, condition
) -> None:
    User.objects.all().delete()
    user = User.objects.create_user(
        "runner@example.org", email="runner@example.org", password="a-long-password-1"
    )
    User.objects.filter(pk=user.pk).update(is_active=active, is_staff=staff, last_login=last_login)
    if has_profile:
        Profile.objects.create(
            user=user,
            time_zone=zone,
            reminder_time=reminder,
            distance_unit=unit,
            main_condition=condition,
        )

    ours = person_with_profile(user.pk)
    orm = User.objects.select_related("profile").filter(pk=user.pk).first()

    assert ours is not None and orm is not None
    assert fields_of(ours) == fields_of(orm)
    assert type(ours.last_login) is type(orm.last_login)
    if has_profile:
        assert fields_of(ours.profile) == fields_of(orm.profile)
        assert ours.profile.user is ours
        assert isinstance(ours.profile.reminder_time, time | type(None))
    else:
        with pytest.raises(Profile.DoesNotExist):
            ours.profile  # noqa: B018 (the cached absence, as the ORM caches it)
    assert ours._state.adding is False and ours._state.db == orm._state.db
    assert (ProfileBackend().get_user(user.pk) is not None) is active


def test_no_person_for_an_unknown_id() -> None:
    assert person_with_profile(987654) is None
    assert ProfileBackend().get_user(987654) is None


# ---- the mornings the advice reads ----------------------------------------------------------

diaries = st.dictionaries(
    st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 1)),
    st.tuples(st.integers(0, 10), st.none() | st.integers(0, 1440)),
    max_size=40,
)


@examples
@given(
    diary=diaries,
    day=st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 1)),
    count=st.integers(1, 20),
)
def test_the_newest_mornings_read_as_the_orm_reads_them(diary, day, count) -> None:
    User.objects.all().delete()
    runner, other = (User.objects.create_user(name, password=None) for name in ("runner", "other"))
    now = timezone.now()
    for person in (runner, other):
        CheckIn.objects.bulk_create(
            CheckIn(
                user=person,
                date=when,
                first_step_pain=pain if person is runner else 10 - pain,
                stiffness_minutes=stiffness,
                answered_at=now,
                client_id=uuid.uuid4(),
            )
            for when, (pain, stiffness) in diary.items()
        )

    orm = list(
        CheckIn.objects.filter(user=runner, date__lte=day)
        .order_by("-date")
        .values_list("date", "first_step_pain", "stiffness_minutes")[:count]
    )
    assert _newest_mornings(user=runner, day=day, count=count) == orm


# ---- SQL written around compiled querysets (the clinic's patient list) -----------------
@examples
@given(
    mornings=st.lists(
        st.tuples(
            st.dates(date(2020, 1, 1), date(2030, 12, 31)),
            st.integers(0, 10),
            st.booleans(),
            st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC)),
        ),
        max_size=6,
        unique_by=lambda m: m[0],
    )
)
def test_written_sql_around_a_compiled_queryset_reads_as_the_orm_reads(mornings) -> None:
    """run_sql's converters give back what values_list gives back (dates, moments,
    booleans, integers), here through a MATERIALIZED CTE over CompiledQueries.sql."""
    user = User.objects.create(username=f"sql-{uuid.uuid4()}")
    for day, pain, numb, at in mornings:
        made = CheckIn.objects.create(
            user=user,
            client_id=uuid.uuid4(),
            date=day,
            first_step_pain=pain,
            answered_at=at,
            numbness=numb,
        )
        CheckIn.objects.filter(pk=made.pk).update(updated_at=at)
    names = ("date", "first_step_pain", "numbness", "updated_at")
    orm = CheckIn.objects.filter(user=user).order_by("date").values_list(*names)
    sql, params = CompiledQueries().sql(("mornings", user.pk), lambda: orm)
    fields = [CheckIn._meta.get_field(name) for name in names]
    written = run_sql(
        f"WITH m ({', '.join(names)}) AS MATERIALIZED ({sql}) SELECT * FROM m ORDER BY date",
        params,
        fields,
    )
    assert written == list(orm)
    assert all(isinstance(row[0], date) and isinstance(row[2], bool) for row in written)
    assert all(timezone.is_aware(row[3]) for row in written)


# ---- TRUE written into the text (footing.sql.WrittenTrue) -------------------------------
@examples
@given(
    ticked=st.lists(st.sets(st.sampled_from(RED_FLAG_FIELDS), max_size=3), min_size=1, max_size=12)
)
def test_red_flags_written_out_select_what_the_bound_condition_selects(ticked) -> None:
    """`any_red_flag(written=True)` is the same condition as the index's own, with TRUE
    in the statement's text: same mornings, no boolean among the parameters."""
    User.objects.all().delete()
    runner = User.objects.create_user("runner", password=None)
    now = timezone.now()
    CheckIn.objects.bulk_create(
        CheckIn(
            user=runner,
            date=date(2026, 11, 1) + timedelta(days=index),
            first_step_pain=3,
            answered_at=now,
            client_id=uuid.uuid4(),
            **dict.fromkeys(flags, True),
        )
        for index, flags in enumerate(ticked)
    )
    bound = CheckIn.objects.filter(any_red_flag()).order_by("date")
    written = CheckIn.objects.filter(any_red_flag(written=True)).order_by("date")
    assert list(written.values_list("date", flat=True)) == [
        date(2026, 11, 1) + timedelta(days=index) for index, flags in enumerate(ticked) if flags
    ]
    assert list(written.values_list("date", flat=True)) == list(
        bound.values_list("date", flat=True)
    )
    params = written.query.sql_with_params()[1]
    assert not any(isinstance(value, bool) for value in params)
    assert all(isinstance(value, bool) for value in bound.query.sql_with_params()[1])


def test_red_flags_written_out_are_read_from_their_partial_index() -> None:
    """What the text form is for: the planner proves the partial index applies from the
    text alone (a bound value would make SQLite plan the statement again at every
    execution). PostgreSQL would scan a table this small: told not to, it must still be
    able to pick the partial index, which it can only when the condition is written out."""
    flagged = CheckIn.objects.filter(
        any_red_flag(written=True), user_id=1, date__gte=date(2026, 1, 1)
    )
    sql, params = flagged.values_list("date").query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "checkin_flagged" in plan

"""A query compiled once and run with new values answers exactly what the ORM would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import CharField, DateTimeField, IntegerField
from django.utils import timezone

from concierge.lib.prepared import Param, PreparedQuery
from concierge.models import User

from ..factories import make_user


@pytest.fixture
def people(db):
    now = timezone.now()
    for n, days in enumerate((1, 5, 10, 30)):
        user = make_user(f"person{n}@example.com")
        User.objects.filter(pk=user.pk).update(date_joined=now - timedelta(days=days))
    return now


def emails(users) -> list[str]:
    return [user.email for user in users]


def test_it_binds_new_values_to_the_same_sql(people):
    query = PreparedQuery(
        User.objects.filter(
            date_joined__gte=Param("since", DateTimeField()),
            email__startswith=Param("prefix", CharField()),
        ).order_by("email")
    )
    for days, prefix in ((2, "person"), (12, "person"), (12, "person1"), (60, "nobody")):
        since = people - timedelta(days=days)
        expected = User.objects.filter(date_joined__gte=since, email__startswith=prefix)
        assert emails(query.fetch(since=since, prefix=prefix)) == emails(expected.order_by("email"))


def test_it_takes_values_inside_sub_queries_and_arithmetic(people):
    """Params work where the hot path uses them: in EXISTS sub-queries and in `m - 1440`."""
    from django.db.models import Exists, OuterRef

    newer = User.objects.filter(pk__gt=OuterRef("pk") + Param("gap", IntegerField()) - 1)
    query = PreparedQuery(User.objects.filter(Exists(newer)).order_by("pk"))
    everyone = list(User.objects.order_by("pk"))
    # Someone joined at least `gap` ids later than them: all but the last `gap` people.
    assert emails(query.fetch(gap=1)) == emails(everyone[:-1])
    assert emails(query.fetch(gap=3)) == emails(everyone[:-3])
    assert emails(query.fetch(gap=len(everyone))) == []


def test_it_names_a_missing_value(db):
    query = PreparedQuery(User.objects.filter(email=Param("email", CharField())))
    with pytest.raises(TypeError, match="email"):
        query.fetch()

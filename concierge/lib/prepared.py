"""Compile an ORM query once, run it many times with new values.

Building and compiling a queryset with a dozen sub-queries costs milliseconds of Python, more
than PostgreSQL needs to answer it. On a hot path whose query has the same shape every time
(the voice line choosing whom to ring), write the query once with the ORM, with :class:`Param`
where the values go, and let :class:`PreparedQuery` keep the SQL and bind new values to it:

    since = Param("since", DateTimeField())
    query = PreparedQuery(Ambassador.objects.filter(last_offered_at__lt=since))
    query.fetch(since=timezone.now())  # a RawQuerySet of Ambassador instances

The SQL is exactly what the ORM wrote; only the parameter list is rebuilt, each value prepared
for the database by its field (a datetime becomes text on SQLite, stays a datetime on
PostgreSQL), as the ORM would have done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Expression, Field, Model, QuerySet
from django.db.models.query import RawQuerySet


@dataclass(frozen=True)
class _Slot:
    """Stands in the compiled parameter list where a Param's value will go."""

    name: str
    field: Field


class Param(Expression):
    """A named placeholder for a value given when the prepared query runs."""

    def __init__(self, name: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [_Slot(self.name, self.output_field)]


class PreparedQuery:
    """The SQL of ``queryset``, compiled once, with its Params to bind on every run."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.model: type[Model] = queryset.model
        self.using = queryset.db
        compiler = queryset.query.get_compiler(using=self.using)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.names = frozenset(p.name for p in self.params if isinstance(p, _Slot))

    def bind(self, **values: Any) -> list[Any]:
        if missing := self.names - values.keys():
            raise TypeError(f"Missing values for {', '.join(sorted(missing))}.")
        connection = connections[self.using]
        return [
            param.field.get_db_prep_value(values[param.name], connection)
            if isinstance(param, _Slot)
            else param
            for param in self.params
        ]

    def fetch(self, **values: Any) -> RawQuerySet:
        return self.model._default_manager.db_manager(self.using).raw(self.sql, self.bind(**values))

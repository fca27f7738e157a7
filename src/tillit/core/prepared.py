"""Queries compiled once per process: the ORM's SQL without its compilation on every request.

Django builds a queryset's SQL anew each time it is evaluated. For the small queries of a page
that is most of their cost: the case page's case with its five related rows compiles in about
0.45 ms and runs in a tenth of that (decision 0007). A `Prepared` query is an
ordinary queryset written over named values:

    EVENTS = Prepared(
        lambda case: CaseEvent.objects.filter(case_id=case).select_related("actor"), case=int
    )
    events = EVENTS(case=case.pk)          # a list of CaseEvent, `actor` already attached

The first run (on the database the queryset names: Tillit has no database router) builds and
compiles the queryset twice, with two sets of stand-ins for the values, and notes where each
value's stand-in is among the SQL's parameters; it fails loudly if one is not there as itself (a
value the lookup changes, such as `icontains`' `%…%`), or if the SQL text itself changed with the
values. Every run after that executes the kept SQL with the new values and makes the rows into
model instances (with their `select_related` rows, annotations) or tuples exactly as Django's
iterables do.

The values are integers, strings or lists of integers (an `__in`; the SQL is kept per length):
the only kinds whose stand-in goes into the SQL unchanged, so the SQL cannot depend on the value.
`prefetch_related` and querysets that carry known related objects are refused.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

T = TypeVar("T")

KINDS = (int, str, list)
_MIN, _MAX = -(2**63), 2**63 - 1


class PreparedError(Exception):
    """A query that cannot be prepared (its SQL would depend on the values)."""


@dataclass(frozen=True)
class _Slot:
    name: str | None  # None: a parameter of the query itself, kept as it was
    index: int  # the position in a list value (0 for a single value)
    constant: Any = None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple[_Slot, ...]
    compiler: SQLCompiler
    rows: Callable[[SQLCompiler, list[Any]], Iterator[Any]]


class Prepared(Generic[T]):
    """A queryset shape, compiled on its first run and kept for the process."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        for name, kind in kinds.items():
            if kind not in KINDS:
                raise PreparedError(f"{name}: a prepared value is an int, a str or a list of int")
        self.build = build
        self.kinds = kinds
        self.compilations = 0  # how many times the SQL was made (the tests count them)
        # None: the query is known to be empty (an empty `__in`) and is not sent.
        self._compiled: dict[tuple[Any, ...], _Compiled | None] = {}
        self._lock = threading.Lock()

    def __call__(self, **values: Any) -> list[T]:
        key = self._key(values)
        compiled = self._compiled[key] if key in self._compiled else self._compile(key, values)
        if compiled is None:
            return []
        params = [
            slot.constant
            if slot.name is None
            else (
                values[slot.name][slot.index]
                if self.kinds[slot.name] is list
                else values[slot.name]
            )
            for slot in compiled.slots
        ]
        compiler = copy.copy(compiled.compiler)
        connection = connections[compiler.using or DEFAULT_DB_ALIAS]
        compiler.connection = connection
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        if compiler.has_extra_select:
            fetched = [row[: compiler.col_count] for row in fetched]
        return list(compiled.rows(compiler, fetched))

    def first(self, **values: Any) -> T | None:
        """The first row, or None: for a query of at most one row (a unique key, or `[:1]`),
        without the ORDER BY that `QuerySet.first()` adds."""
        found = self(**values)
        return found[0] if found else None

    def _key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if values.keys() != self.kinds.keys():
            raise TypeError(f"prepared query takes {sorted(self.kinds)}, given {sorted(values)}")
        key: list[Any] = []
        for name, kind in self.kinds.items():
            if type(values[name]) is not kind:  # bool is not an int here, nor a tuple a list
                given = type(values[name]).__name__
                raise TypeError(f"{name}: {kind.__name__} expected, got {given}")
            value: Any = values[name]
            if kind is list:
                if any(type(each) is not int for each in value):
                    raise TypeError(f"{name}: a list of int expected")
                if any(not _MIN <= each <= _MAX for each in value):
                    raise ValueError(f"{name}: beyond a database integer")
                key.append(len(value))
            elif kind is int and not _MIN <= value <= _MAX:
                # Django would find nothing; a database would refuse the statement.
                raise ValueError(f"{name}: beyond a database integer")
        return tuple(key)

    def _compile(self, key: tuple[Any, ...], values: dict[str, Any]) -> _Compiled | None:
        with self._lock:
            if key not in self._compiled:
                self._compiled[key] = self._make(values)
                self.compilations += 1
            return self._compiled[key]

    def _make(self, values: dict[str, Any]) -> _Compiled | None:
        # Compiled twice, with two sets of stand-ins: a parameter that follows a value's
        # stand-in is that value's; one that stays the same is the query's own; the SQL text
        # must not change. Small numbers, so that no field's range check replaces a lookup.
        lengths = {name: len(values[name]) for name, kind in self.kinds.items() if kind is list}
        first, first_where = self._stand_ins(lengths, 0)
        second, second_where = self._stand_ins(lengths, 1)
        queryset, compiler, sql, params = self._sql(first)
        _queryset, _compiler, sql_again, params_again = self._sql(second)
        if sql != sql_again or len(params) != len(params_again):
            raise PreparedError("the SQL depends on the values given")
        if sql is None:
            return None
        slots = []
        for one, other in zip(params, params_again, strict=True):
            found = first_where.get(one) if isinstance(one, int | str) else None
            if found is not None and second_where.get(other) == found:
                slots.append(_Slot(name=found[0], index=found[1]))
            elif one == other:
                slots.append(_Slot(None, 0, one))
            else:
                raise PreparedError(
                    "a parameter changes with the values but is none of them as given "
                    "(a lookup such as icontains changes its value)"
                )
        missing = set(first_where.values()) - {(slot.name, slot.index) for slot in slots}
        if missing:
            names = ", ".join(sorted({name for name, _index in missing}))
            raise PreparedError(f"not among the SQL's parameters as given: {names}")
        # The first compiler is kept: `as_sql` has set up its columns and related rows.
        # Each run sets its own thread's connection; none is kept from the compiling thread.
        compiler.connection = None  # type: ignore[assignment]
        iterable = queryset._iterable_class
        return _Compiled(
            sql=sql,
            slots=tuple(slots),
            compiler=compiler,
            rows=_models(compiler, queryset.db) if iterable is ModelIterable else _tuples(iterable),
        )

    def _stand_ins(
        self, lengths: dict[str, int], round_: int
    ) -> tuple[dict[str, Any], dict[Any, tuple[str, int]]]:
        stand_ins: dict[str, Any] = {}
        where: dict[Any, tuple[str, int]] = {}
        for number, (name, kind) in enumerate(self.kinds.items()):
            base = 1_001 + round_ * 10_000 + number * 100
            if kind is int:
                stand_ins[name] = base
                where[base] = (name, 0)
            elif kind is str:
                stand_ins[name] = f"prepared-{round_}-{name}"
                where[stand_ins[name]] = (name, 0)
            else:
                stand_ins[name] = [base + index for index in range(lengths[name])]
                where.update({base + index: (name, index) for index in range(lengths[name])})
        return stand_ins, where

    def _sql(
        self, stand_ins: dict[str, Any]
    ) -> tuple[QuerySet[Any], SQLCompiler, str | None, tuple[Any, ...]]:
        queryset = self.build(**stand_ins)
        iterable = queryset._iterable_class
        if iterable not in (ModelIterable, ValuesListIterable, FlatValuesListIterable):
            raise PreparedError(f"{iterable.__name__} is not prepared; use models or values_list")
        if getattr(queryset, "_prefetch_related_lookups", ()) or getattr(
            queryset, "_known_related_objects", {}
        ):
            raise PreparedError("prefetch_related and related managers' querysets are not prepared")
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return queryset, compiler, None, ()
        return queryset, compiler, sql, tuple(params)


def _tuples(iterable: type) -> Callable[[SQLCompiler, list[Any]], Iterator[Any]]:
    flat = iterable is FlatValuesListIterable

    def rows(compiler: SQLCompiler, fetched: list[Any]) -> Iterator[Any]:
        made = compiler.results_iter([fetched], tuple_expected=True)
        return (row[0] for row in made) if flat else made

    return rows


def _models(compiler: SQLCompiler, db: str) -> Callable[[SQLCompiler, list[Any]], Iterator[Any]]:
    """Django's `ModelIterable` for a compiled query, its related populators made once."""
    select, klass_info, annotations = (
        compiler.select,
        compiler.klass_info,
        compiler.annotation_col_map,
    )
    model = klass_info["model"]
    fields: Sequence[int] = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    names = [each[0].target.attname for each in select[start:end]]
    related = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]

    def rows(run: SQLCompiler, fetched: list[Any]) -> Iterator[Any]:
        for row in run.results_iter([fetched]):
            obj = model.from_db(db, names, row[start:end])
            for populator in related:
                populator.populate(row, obj)
            if annotations:
                for name, position in annotations.items():
                    setattr(obj, name, row[position])
            yield obj

    return rows

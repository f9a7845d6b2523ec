"""Declarative settings: typed fields with defaults, bounds and docs, checked when a file is loaded.

Why not pydantic here: importing pydantic and building the models costs ~100 ms, the whole
start-up budget of the kiosk (first paint within 1.5x of a bare Qt window). Settings are a few
dozen scalars, so this module checks exactly what the config needs (bool, int, float, str,
Literal, ``X | None``, nested sections, ``dict[str, Section]``, numeric bounds, named checks) and
keeps pydantic's spelling (``Field``, ``model_validate``, ``model_copy``, ``model_fields``) so
declarations read the same. Wire schemas (kiosk/protocol/) still use pydantic, off the start path.
"""

from __future__ import annotations

import copy
import sys
import types
import typing
from typing import Any, Callable, ClassVar, Literal

_MISSING: Any = object()


class FieldInfo:
    """One setting's declaration (a plain class: the dataclasses import costs start-up time)."""

    __slots__ = ("default", "default_factory", "description", "ge", "le", "gt", "lt", "annotation")

    def __init__(
        self,
        default: Any = _MISSING,
        default_factory: Callable[[], Any] | None = None,
        description: str = "",
        ge: float | None = None,
        le: float | None = None,
        gt: float | None = None,
        lt: float | None = None,
        annotation: Any = None,
    ) -> None:
        self.default, self.default_factory, self.description = default, default_factory, description
        self.ge, self.le, self.gt, self.lt, self.annotation = ge, le, gt, lt, annotation

    def replace(self, **changes: Any) -> FieldInfo:
        values = {name: getattr(self, name) for name in self.__slots__}
        return FieldInfo(**{**values, **changes})

    def make_default(self) -> Any:
        if self.default_factory is not None:
            return self.default_factory()
        return copy.copy(self.default)

    @property
    def required(self) -> bool:
        return self.default is _MISSING and self.default_factory is None


def Field(  # noqa: N802 - pydantic's spelling, so declarations read the same
    default: Any = _MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    description: str = "",
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """Declare a setting: its default (or factory), its documentation and numeric bounds."""
    return FieldInfo(default, default_factory, description, ge, le, gt, lt)


class SchemaError(ValueError):
    """A value that does not fit its declaration; ``loc`` is the path of keys to it."""

    def __init__(self, loc: tuple[str, ...], problem: str) -> None:
        super().__init__(problem)
        self.loc = loc
        self.problem = problem


def check(field_name: str) -> Callable[[Callable[..., Any]], Any]:
    """Mark a classmethod as the extra check of ``field_name`` (return the value or raise ValueError)."""

    def mark(fn: Callable[..., Any]) -> Any:
        fn.__checks__ = field_name  # type: ignore[attr-defined]
        return classmethod(fn)

    return mark


class Section:
    """Base of a settings section: annotated class attributes are its fields."""

    allow_extra: ClassVar[bool] = False
    _declared: ClassVar[dict[str, FieldInfo]]
    _resolved: ClassVar[dict[str, FieldInfo] | None]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, FieldInfo] = {}
        for base in reversed(cls.__mro__[1:]):
            declared.update(getattr(base, "_declared", {}))
        for name, hint in cls.__dict__.get("__annotations__", {}).items():
            if name.startswith("_") or str(hint).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name, _MISSING)
            info = value if isinstance(value, FieldInfo) else FieldInfo(default=value)
            declared[name] = info.replace(annotation=(hint, cls.__module__))
            if value is not _MISSING:
                delattr(cls, name)
        cls._declared = declared
        cls._resolved = None

    @classmethod
    def _fields(cls) -> dict[str, FieldInfo]:
        # Resolved lazily: with postponed annotations a field may name a class defined later.
        if cls._resolved is None:
            resolved = {}
            for name, info in cls._declared.items():
                hint, module = info.annotation
                if isinstance(hint, str):
                    hint = eval(hint, sys.modules[module].__dict__)  # noqa: S307 - our own annotations
                resolved[name] = info.replace(annotation=hint)
            cls._resolved = resolved
        return cls._resolved

    model_fields: ClassVar[Any]  # set below: the resolved FieldInfo of every setting, by name

    def __init__(self, **values: Any) -> None:
        fields = self._fields()
        checked = self._check_all(values, ())
        for name, info in fields.items():
            object.__setattr__(self, name, checked[name] if name in checked else info.make_default())
        object.__setattr__(self, "_extra", {k: v for k, v in checked.items() if k not in fields})

    @classmethod
    def model_validate(cls, raw: Any, loc: tuple[str, ...] = ()) -> Any:
        """Build the section from a TOML dictionary; raises SchemaError naming the key at fault."""
        if isinstance(raw, cls):
            return raw
        if not isinstance(raw, dict):
            raise SchemaError(loc, "must be a table of settings")
        instance = cls.__new__(cls)
        checked = cls._check_all(raw, loc)
        for name, info in cls._fields().items():
            object.__setattr__(instance, name, checked[name] if name in checked else info.make_default())
        object.__setattr__(instance, "_extra", {k: v for k, v in checked.items() if k not in cls._fields()})
        return instance

    @classmethod
    def _check_all(cls, raw: dict[str, Any], loc: tuple[str, ...]) -> dict[str, Any]:
        fields = cls._fields()
        out: dict[str, Any] = {}
        for key, value in raw.items():
            if key in fields:
                out[key] = cls._check_field(key, value, loc)
            elif cls.allow_extra:
                out[key] = value
            else:
                raise SchemaError((*loc, key), "is not a known setting")
        for name, info in fields.items():
            if name not in out and info.required:
                raise SchemaError((*loc, name), "is required")
        return out

    @classmethod
    def _check_field(cls, name: str, value: Any, loc: tuple[str, ...]) -> Any:
        info = cls._fields()[name]
        where = (*loc, name)
        value = _coerce(info.annotation, value, where)
        _bounds(info, value, where)
        for attr in vars(cls).values():
            fn = getattr(attr, "__func__", None)
            if fn is not None and getattr(fn, "__checks__", None) == name:
                try:
                    value = fn(cls, value)
                except ValueError as exc:
                    raise SchemaError(where, str(exc)) from None
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._fields():
            raise AttributeError(f"{type(self).__name__} has no setting {name!r}")
        object.__setattr__(self, name, self._check_field(name, value, ()))

    @property
    def model_extra(self) -> dict[str, Any]:
        return dict(self._extra)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Any:
        clone = copy.deepcopy(self) if deep else copy.copy(self)
        if not deep:
            object.__setattr__(clone, "_extra", dict(self._extra))
        for name, value in (update or {}).items():
            setattr(clone, name, value)
        return clone

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self._fields():
            value = getattr(self, name)
            if isinstance(value, Section):
                value = value.as_dict()
            elif isinstance(value, dict):
                value = {k: v.as_dict() if isinstance(v, Section) else v for k, v in value.items()}
            out[name] = value
        out.update(self._extra)
        return out

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.as_dict() == other.as_dict()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items())
        return f"{type(self).__name__}({inner})"


class _ModelFields:
    def __get__(self, obj: Any, cls: type[Section]) -> dict[str, FieldInfo]:
        return cls._fields()


Section.model_fields = _ModelFields()


def _type_name(tp: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text"}.get(tp, str(tp))


def _coerce(annotation: Any, value: Any, loc: tuple[str, ...]) -> Any:
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return None
        problems = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _coerce(option, value, loc)
            except SchemaError as exc:
                problems.append(exc.problem)
        raise SchemaError(loc, problems[0] if problems else "has the wrong type")
    if origin is Literal:
        allowed = typing.get_args(annotation)
        if value in allowed and type(value) in {type(a) for a in allowed}:
            return value
        raise SchemaError(loc, "must be one of " + ", ".join(repr(a) for a in allowed))
    if origin is dict:
        key_type, value_type = typing.get_args(annotation)
        if not isinstance(value, dict):
            raise SchemaError(loc, "must be a table")
        return {_coerce(key_type, k, (*loc, str(k))): _coerce(value_type, v, (*loc, str(k))) for k, v in value.items()}
    if isinstance(annotation, type) and issubclass(annotation, Section):
        return annotation.model_validate(value, loc)
    if annotation is bool:
        if isinstance(value, bool):
            return value
    elif annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif annotation is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif annotation is str:
        if isinstance(value, str):
            return value
    else:
        raise TypeError(f"unsupported setting type {annotation!r} at {'.'.join(loc)}")
    raise SchemaError(loc, f"must be {_type_name(annotation)}")


def _bounds(info: FieldInfo, value: Any, loc: tuple[str, ...]) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return
    if info.ge is not None and value < info.ge:
        raise SchemaError(loc, f"must be at least {info.ge}")
    if info.le is not None and value > info.le:
        raise SchemaError(loc, f"must be at most {info.le}")
    if info.gt is not None and value <= info.gt:
        raise SchemaError(loc, f"must be more than {info.gt}")
    if info.lt is not None and value >= info.lt:
        raise SchemaError(loc, f"must be less than {info.lt}")

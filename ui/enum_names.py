"""Set a Qt enum property by its C++ key name, so start-up need not build Python enums.

PySide builds the Python enums of the whole ``Qt`` namespace (93 enums, ~1,200 members) the
first time any module touches ``PySide6.QtCore.Qt``: about 20 ms on the kiosk's hardware, a
fifth of what a bare PySide6 window takes to appear. What the home screen shows before its first
paint (top bar, home tiles) sets its few enum properties through Qt's meta-object system
instead, which converts the key names in C++.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


def set_enum_property(obj: QObject, prop: str, keys: str) -> None:
    """``obj.<prop> = keys`` where ``keys`` names enum values ("AlignCenter", "A|B" for flags).

    Raises ValueError when ``prop`` is not an enum property of ``obj`` or a key is unknown:
    ``QObject.setProperty`` would otherwise fail silently (or add a dynamic property).
    """
    meta = obj.metaObject()
    index = meta.indexOfProperty(prop)
    if index < 0 or not meta.property(index).isEnumType() or not obj.setProperty(prop, keys):
        raise ValueError(f"{type(obj).__name__} has no enum property {prop!r} with the value {keys!r}")

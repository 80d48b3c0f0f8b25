"""What a construct's compile step may use of the compiler, as a protocol.

`rules.language.compiler.Compiler` imports every construct to call its compile step; a construct naming that
class back (even for type checking only) would close a circle. The constructs name this protocol instead,
which the compiler satisfies. The scheme file as read (`m`) is typed loosely here for the same reason: its
model (`rules.language.model`) is built from the constructs' own models.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from rules.language import expr as ex
from rules.language.yamlsource import PathKey, SourceMap


class Compiler(Protocol):
    m: Any                          # rules.language.model.SchemeFile
    smap: SourceMap
    scalar_types: dict[str, str]
    used: set[str]                  # the names some expression reads
    derived_ids: set[str]
    derived_types: dict[str, str]

    def err(self, path: PathKey, msg: str, code: str, level: str = "error") -> None: ...

    def columns(self, table: str) -> dict[str, str]: ...

    def table_ref(self, path: PathKey, table: str | None) -> str | None: ...

    def parse(self, path: PathKey, text: str | None, table: str | None = None, want: str | None = None,
              extra: dict[str, str] | None = None) -> tuple[ex.Node | None, set[str]]: ...

    def bounds_of(self, name: str) -> tuple[Decimal | None, Decimal | None, str]: ...

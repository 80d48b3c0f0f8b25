"""What evaluation reads of a data set: the interface intake's `DataSet` provides.

Evaluation sits below intake in the pipeline (the language and its evaluation, then intake, then scoring),
so it names what it needs here instead of importing intake; `intake.dataset.DataSet` satisfies this
protocol structurally and mypy checks that wherever a DataSet is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
import pandas as pd


class LedgerTable(Protocol):
    """One table input: the frame (columns `entity`, the declared columns, `_row`, `_file`, …) and its origin."""

    @property
    def frame(self) -> pd.DataFrame: ...

    @property
    def origin(self) -> Any: ...


class Tables(Protocol):
    """The typed values of every unit and the ledgers, as evaluation reads them."""

    @property
    def ids(self) -> list[str]: ...

    @property
    def names(self) -> dict[str, str]: ...

    @property
    def fields(self) -> dict[str, dict[str, Any]]: ...

    @property
    def values(self) -> dict[str, dict[str, Any]]: ...

    @property
    def ledgers(self) -> Mapping[str, LedgerTable]: ...

    @property
    def self_scores(self) -> dict[str, dict[str, Any]]: ...   # carried through to scoring (自评分 beside 得分)

    def column(self, name: str) -> np.ndarray: ...

    def na_mask(self, name: str) -> np.ndarray: ...

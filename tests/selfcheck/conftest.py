"""Fixtures of the self-check tests."""

from __future__ import annotations

import pytest

from rules.language.scheme import Scheme
from tests.selfcheck.depot import DEPOT, load


@pytest.fixture(scope="module")
def depot(tmp_path_factory: pytest.TempPathFactory) -> Scheme:
    return load(DEPOT, tmp_path_factory.mktemp("depot"))

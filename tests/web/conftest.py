"""Fixtures for the web tests: the example city's county round, accounts of each role, unit workbooks."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
COUNTY = ROOT / "criteria/2020/county.yaml"
COUNTIES = ROOT / "examples/city-2020/counties"
PASSWORD = "test-password-1"


@pytest.fixture(scope="session")
def county_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every county's example workbook, as the demo makes them (no scorer records inside)."""
    from web.demo import _books

    out = tmp_path_factory.mktemp("books")
    books = _books(COUNTY, COUNTIES, out)
    return {u: p.read_bytes() for u, p in books.items()}


def broken(book: bytes) -> bytes:
    """The workbook with one wrong cell: 填报数据 C2 (an integer) holds text."""
    wb = openpyxl.load_workbook(io.BytesIO(book))
    wb["填报数据"]["C2"] = "七"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def county_round(db):  # type: ignore[no-untyped-def]
    from web.rounds.services import create_round

    created = create_round("2020年度县区考核", COUNTY.read_bytes(), "county.yaml",
                           (COUNTIES / "entities.csv").read_bytes(), "entities.csv", "", None)
    assert created.round is not None, created.scheme_problems + created.roster_problems
    return created.round


@pytest.fixture
def users(db):  # type: ignore[no-untyped-def]
    from web.accounts.models import Role
    from web.accounts.services import create_account

    made = {
        "office": create_account("office", Role.OFFICE, "市安委办", password=PASSWORD),
        "u01": create_account("u01", Role.UNIT, "秦川区", entity_id="u01", password=PASSWORD),
        "u02": create_account("u02", Role.UNIT, "长乐区", entity_id="u02", password=PASSWORD),
        "scorer": create_account("scorer01", Role.SCORER, "市应急管理局", password=PASSWORD),
    }
    return made


def login(client, username: str):  # type: ignore[no-untyped-def]
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def upload_dir_clean(settings):  # type: ignore[no-untyped-def]
    yield
    shutil.rmtree(Path(settings.INSTANCE) / "uploads", ignore_errors=True)
    (Path(settings.INSTANCE) / "uploads").mkdir()


@pytest.fixture
def published(client, county_round, users, county_books, tmp_path, upload_dir_clean):  # type: ignore[no-untyped-def]
    """Every county's workbook submitted (as the demo seeds them), one scorer record, published by the office."""
    from web.demo import _seed
    from web.findings.models import Finding

    paths = {}
    for entity, book in county_books.items():
        paths[entity] = tmp_path / f"{entity}.xlsx"
        paths[entity].write_bytes(book)
    _seed(county_round, paths, set())
    Finding.objects.create(round=county_round, entity_id="u01", item_id="A6", deduct=1, reason="督查发现推诿扯皮",
                           clause="细则一(三)2", basis="督查通报5号", scorer_name="市应急管理局")
    login(client, "office")
    advance = reverse("round_advance", kwargs={"round_id": county_round.pk})
    client.post(advance)
    client.post(advance)
    county_round.refresh_from_db()
    assert county_round.state == "published"
    return client

"""`assess serve --demo`: an instance with the example city — the 2020 county and department rounds, all 46
units with accounts, the scorers' records from the example, and every unit's example workbook already submitted
except 秦川区 (u01) and 市应急管理局 (d01), which a newcomer logs in as to walk the round."""

from __future__ import annotations

import csv
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password

from common.problems import Problems
from intake import read_data
from intake.workbook import unit_book_names, write_unit_books
from rules.language.criteria import load_criteria
from web.accounts.models import OFFICE, SCORER, UNIT
from web.accounts.services import create_account, office_names
from web.findings.models import Finding
from web.pipeline import score_round
from web.rounds.models import Round
from web.rounds.services import create_round, round_input
from web.submissions.models import Status, Submission
from web.uploads import new_storage

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "demo2020"
ROUNDS = [  # (round name, scheme, data folder, units left for the newcomer)
    ("2020年度县区安全生产工作考核", "criteria/2020/county.yaml", "examples/city-2020/counties", {"u01"}),
    ("2020年度市直部门安全生产工作考核", "criteria/2020/department.yaml", "examples/city-2020/departments", {"d01"}),
]
SCORER_NAMES_FROM = "评分单位"


def _books(scheme_path: Path, data_dir: Path, out: Path) -> dict[str, Path]:
    """Each unit's example workbook, as `assess convert --to xlsx` writes it, without the scorers' records
    (those are entered by scorer accounts in the web)."""
    src = out / "csv"
    src.mkdir()
    for p in data_dir.glob("*.csv"):
        if p.stem != "findings":
            shutil.copyfile(p, src / p.name)
        else:   # its header only: the records are entered by the scorers, an absent file is an error
            (src / p.name).write_bytes(p.read_bytes().splitlines(keepends=True)[0])
    problems = Problems()
    scheme = load_criteria(scheme_path, problems)
    assert scheme is not None, problems.items
    data = read_data(scheme, src, problems)
    assert data is not None, [p.render() for p in problems.errors]
    write_unit_books(scheme, data, out / "books")
    return {u: out / "books" / unit_book_names(data)[u] for u in data.ids}


def _seed(rnd: Round, books: dict[str, Path], skip: set[str]) -> None:
    for entity, book in books.items():
        if entity in skip:
            continue
        storage = new_storage()
        folder = Path(settings.INSTANCE) / "uploads" / storage
        folder.mkdir(parents=True)
        content = book.read_bytes()
        (folder / "original.xlsx").write_bytes(content)
        (folder / "original.xlsx").chmod(0o444)
        (folder / "book.xlsx").write_bytes(content)
        Submission.objects.create(
            round=rnd, entity_id=entity, version=1, uploaded_by=None, original_name=f"示例数据-{book.name}",
            kind="xlsx", size=len(content), sha256=hashlib.sha256(content).hexdigest(), storage=storage,
            status=Status.CLEAN, problems=[{"level": "warning", "where": "", "code": "web-demo-seed",
                                            "message": "演示数据：由 --demo 预先提交（未运行自查；重新上传即可看到自查结果）"}],
            warnings=1)
    results, _problems = score_round(round_input(rnd, provisional=True))
    if results is not None:
        places = results.scheme.meta.decimals
        for r in results.units:
            Submission.objects.filter(round=rnd, entity_id=r.entity).update(
                total=f"{r.total:.{places}f}", grade=r.grade or "")


def _findings(rnd: Round, data_dir: Path) -> set[str]:
    scorers: set[str] = set()
    path = data_dir / "findings.csv"
    if not path.exists():
        return scorers
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            Finding.objects.create(
                round=rnd, entity_id=row["entity"], item_id=row["考核项目"],
                deduct=Decimal(row["扣分"]) if row.get("扣分") else None,
                score=Decimal(row["得分"]) if row.get("得分") else None,
                reason=row.get("事由", ""), scorer_name=row.get("评分单位", ""), basis=row.get("依据", ""))
            scorers.add(row.get("评分单位", ""))
    return scorers


def _assign_from_findings() -> None:
    """Each assessed item to the scorer account whose name its example records carry (the office's own items,
    recorded as 市安委办, stay with the office)."""
    from web.accounts.models import Profile
    from web.findings.items import assessed
    from web.findings.models import Assignment

    accounts = {p.display_name: p.user for p in Profile.objects.filter(role=SCORER).select_related("user")}
    for name, user in accounts.items():   # a record belongs to an account (who may see and delete it), not a name
        Finding.objects.filter(scorer_name=name, entered_by=None).update(entered_by=user)
    for rnd in Round.objects.all():
        for item in assessed(rnd.scheme.path()):
            names = set(Finding.objects.filter(round=rnd, item_id=item.id).values_list("scorer_name", flat=True))
            owner = next((accounts[n] for n in sorted(names) if n in accounts), None)
            if owner is not None:
                Assignment.objects.create(round=rnd, item_id=item.id, scorer=owner)


def ensure_demo(instance: Path, say: Callable[[str], None]) -> tuple[list[tuple[str, str, str]], Path | None]:
    """Create the demo once (an instance that already has rounds is left as it is); returns the demo accounts
    and the path of a sample workbook a county can upload."""
    sample = instance / "demo" / "u01_秦川区.xlsx"
    if not Round.objects.exists():
        say("正在创建演示数据（两个考核轮次、46 个单位）……")
        hashed = make_password(DEMO_PASSWORD)
        create_account("office", OFFICE, "市安委办", password=DEMO_PASSWORD, password_hash=hashed)
        scorers: set[str] = set()
        for name, scheme_file, data_folder, skip in ROUNDS:
            scheme_path, data_dir = ROOT / scheme_file, ROOT / data_folder
            roster = (data_dir / "entities.csv").read_bytes()
            created = create_round(name, scheme_path.read_bytes(), scheme_path.name, roster, "entities.csv",
                                   "2021年1月10日", None)
            rnd = created.round
            assert rnd is not None, created.scheme_problems + created.roster_problems
            for e in rnd.roster.all():
                create_account(e.entity_id, UNIT, e.name, entity_id=e.entity_id, password=DEMO_PASSWORD,
                               password_hash=hashed)
            tmp = Path(tempfile.mkdtemp(dir=Path(settings.INSTANCE) / "work"))
            try:
                books = _books(scheme_path, data_dir, tmp)
                _seed(rnd, books, skip)
                if "u01" in books:
                    sample.parent.mkdir(exist_ok=True)
                    shutil.copyfile(books["u01"], sample)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            scorers |= _findings(rnd, data_dir)
        # records the examples give to 市安委办 are the office's own: no scorer account may carry its name
        for i, scorer in enumerate(sorted(s for s in scorers if s and s not in office_names())):
            create_account(f"scorer{i + 1:02d}", SCORER, scorer, password=DEMO_PASSWORD, password_hash=hashed)
        _assign_from_findings()
    from web.accounts.models import Profile

    shown = []
    for p in Profile.objects.select_related("user").order_by("role", "user__username"):
        if p.role == UNIT and p.entity_id not in ("u01", "u02", "d01", "d02"):
            continue
        shown.append((p.user.username, p.get_role_display()[:5], p.display_name))
    shown.append(("u03…u13, d03…d33", "被考核单位", "其余各单位（用户名为单位编号）"))
    return shown, sample if sample.exists() else None

"""Attachments a scheme asks each unit for (`evidence` on an item): the unit uploads them with its submission, a
missing required one is a listed problem, the office and the item's scorer see them and mark them seen (audited),
and where the scheme says a missing one deducts, the deduction is an event of the round's score."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import COUNTIES, COUNTY, PASSWORD, login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% duty list\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# the 2020 county scheme, asking for three attachments: A2 required (a listed problem when missing), A4 required
# and deducting 1 point when missing, A6 (a scorer's item) optional
SCHEME = (COUNTY.read_text(encoding="utf-8")
          .replace("        clause: 一(一)2\n", "        clause: 一(一)2\n        evidence: [安全生产责任清单]\n", 1)
          .replace("        clause: 一(二)2\n",
                   "        clause: 一(二)2\n        evidence: [{name: 目标责任书扫描件, deduct: 1}]\n", 1)
          .replace("        clause: 一(三)2\n",
                   "        clause: 一(三)2\n        evidence: [{name: 督查整改报告, required: false}]\n", 1))


@pytest.fixture
def rnd(users, upload_dir_clean):  # type: ignore[no-untyped-def]
    from web.rounds.services import create_round

    created = create_round("2020年度县区考核（佐证材料）", SCHEME.encode("utf-8"), "county-evidence.yaml",
                           (COUNTIES / "entities.csv").read_bytes(), "entities.csv", "", None)
    assert created.round is not None, created.scheme_problems
    return created.round


def _client(client, who: str):  # type: ignore[no-untyped-def]
    c = type(client)()
    login(c, who)
    return c


def _upload(c, rnd, item: str, name: str, content: bytes, entity: str = "u01", filename: str = "材料.pdf"):  # type: ignore[no-untyped-def]
    return c.post(reverse("unit_evidence_upload", kwargs={"round_id": rnd.pk, "entity": entity}),
                  {"item": item, "requirement": name, "file": SimpleUploadedFile(filename, content)}, follow=True)


def _assign(office, rnd, item: str, username: str) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    office.post(reverse("scorer_progress", kwargs={"round_id": rnd.pk}),
                {"item": item, "scorer": get_user_model().objects.get(username=username).pk})


def test_missing_attachments_are_listed_and_go_when_uploaded(client, rnd, county_books) -> None:  # type: ignore[no-untyped-def]
    from web.evidence.models import Attachment
    from web.submissions.services import submit

    unit = _client(client, "u01")
    page = reverse("unit_round", kwargs={"round_id": rnd.pk, "entity": "u01"})
    html = unit.get(page).content.decode()
    assert 'id="evidence-problems"' in html and html.count("(evidence-missing)") == 2
    assert "项目A2（领导干部安全生产责任清单（一岗双责））要求的佐证材料“安全生产责任清单”尚未上传" in html
    assert "项目A4（安全生产目标责任书）要求的佐证材料“目标责任书扫描件”尚未上传；细则规定缺少扣 1 分" in html
    assert "督查整改报告" in html and "可选" in html     # optional: offered, never a problem
    assert "正式评分时最多共扣 1 分" in html                # what the self-check does not count

    # a name with a path in it is shown, never used: the file lands under a generated id
    html = _upload(unit, rnd, "A2", "安全生产责任清单", PDF, filename="../../责任清单.pdf").content.decode()
    a = Attachment.objects.get()
    assert (a.item_id, a.requirement, a.kind, a.entity_id) == ("A2", "安全生产责任清单", "pdf", "u01")
    assert a.path().parent.name == a.storage and len(a.storage) == 32 and a.path().name == "file"
    assert a.path().read_bytes() == PDF and a.name == "责任清单.pdf" and "责任清单" not in str(a.path())
    assert "已上传项目A2的佐证材料" in html and html.count("(evidence-missing)") == 1

    # the same problem on every version's page, and on the office's view
    sub = submit(rnd, "u01", None, county_books["u01"], "u01.xlsx")
    version = unit.get(reverse("submission", kwargs={"round_id": rnd.pk, "entity": "u01", "version": sub.version}))
    assert "“目标责任书扫描件”尚未上传" in version.content.decode()
    office = _client(client, "office")
    review = office.get(reverse("evidence_list", kwargs={"round_id": rnd.pk}) + "?entity=u01").content.decode()
    assert review.count("(evidence-missing)") == 1 and "秦川区（u01）·项目A4·“目标责任书扫描件”" in review
    assert f'data-testid="mark-seen-{a.pk}"' in review
    everyone = office.get(reverse("evidence_list", kwargs={"round_id": rnd.pk})).content.decode()
    assert "长乐区（u02）·项目A2·“安全生产责任清单”" in everyone


def test_upload_bounds(client, rnd, settings) -> None:  # type: ignore[no-untyped-def]
    from web.evidence.models import Attachment
    from web.evidence.required import MAX_FILES
    from web.rounds.models import State

    unit = _client(client, "u01")
    html = _upload(unit, rnd, "A2", "安全生产责任清单", b"MZ\x90\x00 program", filename="清单.pdf").content.decode()
    assert "佐证材料只接受" in html and "（web-file-type）" in html           # the kind is told by content, not name
    html = _upload(unit, rnd, "A2", "没有这份材料", PDF).content.decode()
    assert "本轮考核细则没有要求这份佐证材料" in html
    settings.UPLOAD_MAX_BYTES = 64
    html = _upload(unit, rnd, "A2", "安全生产责任清单", PDF + b"x" * 100).content.decode()
    assert "（web-too-large）" in html
    settings.UPLOAD_MAX_BYTES = 20 * 1048576
    assert not Attachment.objects.exists()
    for _ in range(MAX_FILES):
        _upload(unit, rnd, "A2", "安全生产责任清单", PNG, filename="照片.png")
    html = _upload(unit, rnd, "A2", "安全生产责任清单", PNG).content.decode()
    assert "已达上限" in html and "（evidence-too-many）" in html
    assert Attachment.objects.filter(item_id="A2").count() == MAX_FILES
    rnd.state = State.SCORING
    rnd.save()
    html = _upload(unit, rnd, "A4", "目标责任书扫描件", PDF).content.decode()
    assert "不再接收佐证材料" in html and not Attachment.objects.filter(item_id="A4").exists()


def test_who_sees_and_marks_what(client, rnd) -> None:  # type: ignore[no-untyped-def]
    from web.accounts.models import Role
    from web.accounts.services import create_account
    from web.evidence.models import Attachment

    create_account("scorer02", Role.SCORER, "市住建局", password=PASSWORD)
    office = _client(client, "office")
    _assign(office, rnd, "A6", "scorer01")
    unit = _client(client, "u01")
    _upload(unit, rnd, "A2", "安全生产责任清单", PDF)
    _upload(unit, rnd, "A6", "督查整改报告", PDF)
    a2, a6 = Attachment.objects.get(item_id="A2"), Attachment.objects.get(item_id="A6")
    k = {"round_id": rnd.pk, "entity": "u01"}
    down2, down6 = (reverse("attachment", kwargs={**k, "pk": x.pk}) for x in (a2, a6))
    seen2 = reverse("evidence_seen", kwargs={**k, "item": "A2", "pk": a2.pk})
    seen6 = reverse("evidence_seen", kwargs={**k, "item": "A6", "pk": a6.pk})
    listing = reverse("evidence_list", kwargs={"round_id": rnd.pk})
    upload = reverse("unit_evidence_upload", kwargs=k)

    assert unit.get(down2).content == PDF                                  # its own files
    other = _client(client, "u02")                                          # another unit: nothing of u01's
    for method, url in (("get", down2), ("get", down6), ("get", listing), ("post", seen2), ("post", upload)):
        assert getattr(other, method)(url).status_code == 403, url
    assert unit.get(listing).status_code == 403 and unit.post(seen2).status_code == 403   # units do not review
    assert office.post(upload, {"item": "A2", "requirement": "安全生产责任清单"}).status_code == 403   # units upload

    scorer = _client(client, "scorer01")                                    # the scorer of A6: A6's files only
    assert scorer.get(down6).content == PDF and scorer.get(down2).status_code == 403
    assert scorer.post(seen2).status_code == 403
    page = scorer.get(listing).content.decode()
    assert f'data-testid="evidence-file-{a6.pk}"' in page and f'data-testid="evidence-file-{a2.pk}"' not in page
    stranger = _client(client, "scorer02")
    assert stranger.get(down6).status_code == 403 and stranger.post(seen6).status_code == 403
    assert "没有要求佐证材料" in stranger.get(listing).content.decode()
    assert office.get(down2).content == PDF and office.get(down6).content == PDF
    anonymous = type(client)()
    assert anonymous.get(down2).status_code == 302 and anonymous.get(listing).status_code == 302
    assert scorer.post(seen6).status_code == 302 and office.post(seen2).status_code == 302


def test_mark_seen_is_audited_once(client, rnd) -> None:  # type: ignore[no-untyped-def]
    from web.audit.models import AuditEntry
    from web.evidence.models import Attachment, Seen

    _upload(_client(client, "u01"), rnd, "A2", "安全生产责任清单", PDF)
    a = Attachment.objects.get()
    office = _client(client, "office")
    url = reverse("evidence_seen", kwargs={"round_id": rnd.pk, "entity": "u01", "item": "A2", "pk": a.pk})
    assert office.get(url).status_code == 405                               # a change only by POST (with CSRF)
    html = office.post(url, follow=True).content.decode()
    assert "已标记为已查看" in html and f'data-testid="seen-{a.pk}"' in html
    office.post(url)
    mark = Seen.objects.get()
    assert mark.attachment == a and mark.seen_by.username == "office"
    entries = list(AuditEntry.objects.filter(model="evidence.Seen"))
    assert len(entries) == 1 and entries[0].username == "office" and entries[0].action == "create"
    assert entries[0].round_id == rnd.pk and entries[0].entity_id == "u01"
    uploaded = AuditEntry.objects.get(model="evidence.Attachment")
    assert uploaded.username == "u01" and uploaded.after["要求的材料"] == "安全生产责任清单"
    assert "已查看" in _client(client, "u01").get(reverse("unit_round", kwargs={"round_id": rnd.pk,
                                                                              "entity": "u01"})).content.decode()
    with pytest.raises(ValueError):
        mark.save()


def test_a_missing_attachment_that_deducts_is_an_event_of_the_score(client, rnd, county_books) -> None:  # type: ignore[no-untyped-def]
    from web.pipeline import explain, score_round
    from web.rounds.services import round_input
    from web.submissions.services import submit

    for entity in ("u01", "u02"):
        assert submit(rnd, entity, None, county_books[entity], f"{entity}.xlsx").status == "clean"
    rows = [r for r in round_input(rnd).findings if r[4].startswith("未提供佐证材料")]
    assert ["u01", "A4", "1", "", "未提供佐证材料“目标责任书扫描件”", "市安委办", "一(二)2；细则要求的佐证材料"] in rows
    assert {r[1] for r in rows} == {"A4"}                                  # A2 is listed, not deducted

    _upload(_client(client, "u01"), rnd, "A4", "目标责任书扫描件", PDF)
    results, problems = score_round(round_input(rnd, provisional=True))
    assert results is not None, problems
    text = explain(results, "u02") or ""
    assert "未提供佐证材料“目标责任书扫描件”" in text and "未提供佐证材料" not in (explain(results, "u01") or "")
    before = results.unit("u02")
    _upload(_client(client, "u02"), rnd, "A4", "目标责任书扫描件", PDF, entity="u02")   # u02 attaches it too
    after, _ = score_round(round_input(rnd, provisional=True))
    assert after is not None and before is not None
    assert after.unit("u02").items["A4"] - before.items["A4"] == 1   # type: ignore[union-attr]
    assert after.unit("u02").total - before.total == 1               # type: ignore[union-attr]
    assert not [r for r in round_input(rnd).findings if r[0] in ("u01", "u02") and r[4].startswith("未提供佐证材料")]


def test_the_2020_scheme_asks_for_nothing(county_round) -> None:  # type: ignore[no-untyped-def]
    from web.evidence.required import deduction_rows, requirements

    assert requirements(county_round.scheme.path()) == [] and deduction_rows(county_round) == []


def test_the_scorer_sees_and_marks_them_where_it_scores(client, rnd) -> None:  # type: ignore[no-untyped-def]
    from web.evidence.models import Attachment, Seen

    _assign(_client(client, "office"), rnd, "A6", "scorer01")
    _upload(_client(client, "u01"), rnd, "A6", "督查整改报告", PDF, filename="整改报告.pdf")
    a = Attachment.objects.get()
    scorer = _client(client, "scorer01")
    entry = reverse("score_entry", kwargs={"round_id": rnd.pk, "item": "A6", "entity": "u01"})
    html = scorer.get(entry).content.decode()
    assert 'id="entry-evidence"' in html and "整改报告.pdf" in html and f'data-testid="mark-seen-{a.pk}"' in html
    seen = reverse("evidence_seen", kwargs={"round_id": rnd.pk, "entity": "u01", "item": "A6", "pk": a.pk})
    response = scorer.post(seen, {"back": "entry"})
    assert response.status_code == 302 and response["Location"] == entry
    assert Seen.objects.get().seen_by.username == "scorer01"
    assert f'data-testid="seen-{a.pk}"' in scorer.get(entry).content.decode()


def test_the_deduction_is_published_and_verified_by_the_cli(client, rnd, county_books, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from assess import main
    from web.demo import _seed
    from web.rounds.models import FrozenRun

    paths = {}
    for entity, book in county_books.items():
        paths[entity] = tmp_path / f"{entity}.xlsx"
        paths[entity].write_bytes(book)
    _seed(rnd, paths, set())
    _upload(_client(client, "u01"), rnd, "A4", "目标责任书扫描件", PDF)
    office = _client(client, "office")
    advance = reverse("round_advance", kwargs={"round_id": rnd.pk})
    office.post(advance)
    office.post(advance)
    run = FrozenRun.objects.get(round=rnd)
    ledger = (run.path() / "data/findings.csv").read_text(encoding="utf-8")
    assert "u02,A4,1,,未提供佐证材料“目标责任书扫描件”,市安委办" in ledger and "u01,A4" not in ledger
    assert "未提供佐证材料“目标责任书扫描件”" in run.results_json
    result = CliRunner().invoke(main, ["verify", str(run.path() / "results.json")], catch_exceptions=False)
    assert result.exit_code == 0 and "逐字节一致" in result.output, result.output

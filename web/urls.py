"""Every URL of the site (web/README.md lists them with who may see each). tests/web/test_policy.py fails when a
pattern's view declares no policy."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from web import views
from web.accounts import views as accounts
from web.appeals import views as appeals
from web.audit import views as audit
from web.dashboard import views as dashboard
from web.evidence import views as evidence
from web.findings import scoring
from web.findings import views as findings
from web.rounds import run_views
from web.rounds import views as rounds
from web.submissions import views as submissions

U = "rounds/<int:round_id>/units/<str:entity>/"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("static/<path:path>", views.static, name="static"),
    path("", accounts.home, name="home"),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", accounts.logout, name="logout"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path("accounts/password/done/", accounts.password_done, name="password_change_done"),
    path("office/accounts/", accounts.accounts, name="accounts"),
    path("office/audit/", audit.audit_list, name="audit_list"),
    path("office/audit/export.<str:kind>", audit.audit_export, name="audit_export"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:round_id>/", dashboard.dashboard, name="dashboard"),
    path("rounds/<int:round_id>/advance/", rounds.round_advance, name="round_advance"),
    path("rounds/<int:round_id>/scheme.yaml", rounds.round_scheme, name="round_scheme"),
    path("rounds/<int:round_id>/ranking/", dashboard.round_ranking, name="round_ranking"),
    path("rounds/<int:round_id>/warnings/", dashboard.round_warnings, name="round_warnings"),
    path("rounds/<int:round_id>/explain/<str:entity>/", dashboard.round_explain, name="round_explain"),
    path("rounds/<int:round_id>/missing/", dashboard.round_missing, name="round_missing"),
    path("rounds/<int:round_id>/published/<str:kind>", dashboard.round_published, name="round_published"),
    path("rounds/<int:round_id>/runs/<int:number>/", run_views.round_run, name="round_run"),
    path("rounds/<int:round_id>/runs/<int:number>/verify/", run_views.round_verify, name="round_verify"),
    path("rounds/<int:round_id>/runs/<int:number>/documents/<str:name>", run_views.round_run_document,
         name="round_run_document"),
    path("rounds/<int:round_id>/findings/", findings.finding_list, name="finding_list"),
    path("rounds/<int:round_id>/findings/<int:pk>/delete/", findings.finding_delete, name="finding_delete"),
    path("rounds/<int:round_id>/scoring/", scoring.scorer_round, name="scorer_round"),
    path("rounds/<int:round_id>/scoring/workbook.xlsx", scoring.scorer_workbook, name="scorer_workbook"),
    path("rounds/<int:round_id>/scoring/upload/", scoring.scorer_upload, name="scorer_upload"),
    path("rounds/<int:round_id>/scorers/", scoring.scorer_progress, name="scorer_progress"),
    path("rounds/<int:round_id>/scoring/<str:item>/<str:entity>/", scoring.score_entry, name="score_entry"),
    path("rounds/<int:round_id>/scoring/<str:item>/<str:entity>/<int:pk>/delete/", scoring.record_delete,
         name="record_delete"),
    path("rounds/<int:round_id>/evidence/", evidence.evidence_list, name="evidence_list"),
    path("rounds/<int:round_id>/evidence/<str:item>/<str:entity>/<int:pk>/seen/", evidence.evidence_seen,
         name="evidence_seen"),
    path("rounds/<int:round_id>/appeals/", appeals.appeal_list, name="appeal_list"),
    path("rounds/<int:round_id>/appeals/<int:pk>/", appeals.appeal_decide, name="appeal_decide"),
    path(U + "attachments/<int:pk>/", evidence.attachment_download, name="attachment"),
    path(U + "evidence/upload/", evidence.unit_evidence_upload, name="unit_evidence_upload"),
    path(U + "appeals/", appeals.unit_appeals, name="unit_appeals"),
    path(U, submissions.unit_round, name="unit_round"),
    path(U + "template.xlsx", submissions.unit_template, name="unit_template"),
    path(U + "upload/", submissions.unit_upload, name="unit_upload"),
    path(U + "result/", submissions.unit_result, name="unit_result"),
    path(U + "v<int:version>/", submissions.submission, name="submission"),
    path(U + "v<int:version>/original", submissions.submission_original, name="submission_original"),
    path(U + "v<int:version>/annotated.zip", submissions.submission_annotated, name="submission_annotated"),
    path("admin/", admin.site.urls),
]

handler403 = "web.views.denied"
handler404 = "web.views.not_found"

"""Login, logout, password change, and the office's bulk creation of accounts."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from common.formulas import csv_row
from web.accounts.models import Profile, Role
from web.accounts.services import NewAccount, accounts_for_roster, accounts_for_scorers
from web.accounts.throttle import LoginForm
from web.policy import allow, role_of
from web.rounds.models import RosterEntry, Round

login = allow("public")(auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True,
                                                    authentication_form=LoginForm))
logout = allow("office", "unit", "scorer")(auth_views.LogoutView.as_view())
password_change = allow("office", "unit", "scorer")(auth_views.PasswordChangeView.as_view(
    template_name="web/password_change.html", success_url="/accounts/password/done/"))
password_done = allow("office", "unit", "scorer")(auth_views.PasswordChangeDoneView.as_view(
    template_name="web/password_done.html"))


@allow("office", "unit", "scorer")
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == "office":
        return redirect("round_list")
    rounds = list(Round.objects.all())
    if role == "unit":
        mine = set(RosterEntry.objects.filter(entity_id=request.user.profile.entity_id).values_list("round_id", flat=True))
        rounds = [r for r in rounds if r.pk in mine]
    return render(request, "web/home.html", {"rounds": rounds})


def _csv_data_url(made: list[NewAccount]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["用户名", "初始密码", "角色", "单位"])
    for a in made:
        w.writerow(csv_row([a.username, a.password, dict(Role.choices)[a.role], a.name]))   # names are typed text
    return "data:text/csv;charset=utf-8," + quote("\ufeff" + buf.getvalue())


@allow("office")
def accounts(request: HttpRequest) -> HttpResponse:
    """Every account; POST creates unit accounts for a round's roster, or scorer accounts from names.
    Generated passwords are shown once (and as a CSV to download from this page); only hashes are kept."""
    made: list[NewAccount] = []
    if request.method == "POST":
        skipped: list[str] = []
        if request.POST.get("action") == "roster":
            rnd = Round.objects.filter(pk=request.POST.get("round") or 0).first()
            if rnd is None:
                messages.error(request, "请选择考核轮次")
            else:
                made, skipped = accounts_for_roster([(e.entity_id, e.name) for e in rnd.roster.all()])
        elif request.POST.get("action") == "scorers":
            names = [n.strip() for n in request.POST.get("names", "").splitlines() if n.strip()]
            if not names:
                messages.error(request, "请填写评分单位名称，每行一个")
            made, skipped, refused = accounts_for_scorers(names)
            if refused:
                messages.error(request, f"评分单位名称不能与市安委办同名，未创建：{'、'.join(refused)}")
        if skipped:
            messages.info(request, f"以下账号已存在，未重复创建：{'、'.join(skipped)}")
        if made:
            messages.success(request, f"已创建 {len(made)} 个账号。初始密码只显示这一次，请立即下载或抄录后分发。")
    profiles = Profile.objects.select_related("user").order_by("role", "entity_id", "user__username")
    return render(request, "web/accounts.html", {
        "profiles": profiles, "rounds": Round.objects.all(), "made": made,
        "made_csv": _csv_data_url(made) if made else ""})

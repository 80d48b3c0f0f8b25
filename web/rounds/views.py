"""The office's rounds: list, create from a scheme and a roster, move on, download the stored scheme."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from web.downloads import attachment
from web.policy import allow
from web.rounds.forms import RoundForm
from web.rounds.lookup import round_or_404
from web.rounds.models import Round
from web.rounds.services import advance, create_round


@allow("office")
def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/round_list.html", {"rounds": Round.objects.select_related("scheme")})


@allow("office")
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, request.FILES or None)
    created = None
    if request.method == "POST" and form.is_valid():
        scheme, roster = form.cleaned_data["scheme"], form.cleaned_data["roster"]
        created = create_round(form.cleaned_data["name"], scheme.read(), scheme.name, roster.read(), roster.name,
                               form.cleaned_data["deadline"], request.user)
        if created.round is not None:
            messages.success(request, f"已创建考核轮次“{created.round.name}”，名册 {created.round.roster.count()} 个单位。")
            return redirect("dashboard", round_id=created.round.pk)
    return render(request, "web/round_create.html", {"form": form, "created": created})


@allow("office")
@require_POST
def round_advance(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    before = rnd.get_state_display()
    problems = advance(rnd, request.user)
    if problems:
        messages.error(request, "本轮数据有错误，无法发布：" + "；".join(
            f"{p.get('where', '')} {p['message']}" for p in problems if p.get("level") == "error")[:2000])
    else:
        rnd.refresh_from_db()
        messages.success(request, f"状态已由“{before}”变为“{rnd.get_state_display()}”。")
    return redirect("dashboard", round_id=rnd.pk)


@allow("office")
def round_scheme(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = round_or_404(round_id)
    return attachment(rnd.scheme.content.encode("utf-8"), rnd.scheme.name, "application/x-yaml")

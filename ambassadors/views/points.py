"""Points and rewards for ambassadors; the review of reward requests for staff."""

from __future__ import annotations

from uuid import UUID, uuid4

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import adjustments, points
from ..forms import PointsAdjustmentForm
from ..models import PointsEntry, Redemption, RedemptionStatus, Reward
from .common import AmbassadorRequest, SignedInRequest, ambassador_view

RECENT_REQUESTS = 5  # on the catalogue page; the full list has its own page


@ambassador_view(onboarded=False)
def history(request: AmbassadorRequest) -> HttpResponse:
    """The balance and every entry that made it, newest first."""
    ambassador = request.ambassador
    entries = PointsEntry.objects.filter(ambassador=ambassador)
    return render(
        request,
        "ambassadors/points.html",
        {
            "balance": points.points_balance(ambassador),
            "held": points.points_held(ambassador),
            "page": Paginator(entries, 25).get_page(request.GET.get("page")),
        },
    )


@ambassador_view(onboarded=False)
def rewards(request: AmbassadorRequest) -> HttpResponse:
    """What points buy, and the ambassador's own requests."""
    ambassador = request.ambassador
    return render(
        request,
        "ambassadors/rewards.html",
        {
            "available": points.points_available(ambassador),
            "rewards": points.rewards_on_offer(),
            "requests": Redemption.objects.filter(ambassador=ambassador).select_related("reward")[
                :RECENT_REQUESTS
            ],
            "recent_requests": RECENT_REQUESTS,
        },
    )


@ambassador_view(onboarded=False)
def my_requests(request: AmbassadorRequest) -> HttpResponse:
    """Every reward the ambassador asked for, newest first, with the decision and its reason."""
    mine = Redemption.objects.filter(ambassador=request.ambassador).select_related("reward")
    page = Paginator(mine, 25).get_page(request.GET.get("page"))
    return render(request, "ambassadors/redemptions.html", {"page": page})


@require_http_methods(["GET", "POST"])
@ambassador_view(onboarded=False)
def request_reward(request: AmbassadorRequest, reward_id: UUID) -> HttpResponse:
    """Points are money: asking for a reward takes a confirmation (GET shows it, POST asks)."""
    reward = get_object_or_404(Reward, public_id=reward_id)
    if request.method == "GET":
        available = points.points_available(request.ambassador)
        return render(
            request,
            "ambassadors/reward_request.html",
            {"reward": reward, "available": available, "left": available - reward.price},
        )
    try:
        points.redemption_request(ambassador=request.ambassador, reward=reward)
    except points.PointsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Requested: %(name)s. Its %(price)d points are set aside until our team "
                "decides; you will hear from us by e-mail and text."
            )
            % {"name": reward.name, "price": reward.price},
        )
    return redirect("ambassadors:rewards")


@staff_member_required
def review(request: HttpRequest) -> HttpResponse:
    """Staff: reward requests waiting for a decision, oldest first."""
    waiting = Redemption.objects.filter(status=RedemptionStatus.REQUESTED).select_related(
        "reward", "ambassador"
    )
    page = Paginator(waiting.order_by("created_at"), 30).get_page(request.GET.get("page"))
    rows = points.redemption_rows(page.object_list)
    return render(request, "ambassadors/redemption_review.html", {"page": page, "rows": rows})


@require_POST
@staff_member_required
def decide(request: SignedInRequest, redemption_id: UUID) -> HttpResponse:
    redemption = get_object_or_404(Redemption, public_id=redemption_id)
    try:
        if request.POST.get("decision") == "approve":
            done = points.redemption_approve(redemption=redemption, by=request.user)
            text = _("Approved: %(name)s. The points are debited and the ambassador is told.")
        else:
            done = points.redemption_reject(
                redemption=redemption, by=request.user, reason=request.POST.get("reason", "")
            )
            text = _("Rejected: %(name)s. Nothing was debited and the ambassador is told why.")
    except points.PointsError as error:
        messages.error(request, error.message)
    else:
        if done:
            messages.success(request, text % {"name": redemption.reward.name})
        else:
            messages.info(request, _("This request was already decided."))
    return redirect("ambassadors:redemption-review")


@require_http_methods(["GET", "POST"])
@staff_member_required
def adjust(request: SignedInRequest) -> HttpResponse:
    """Staff: add or take away points by hand, with a reason; the latest adjustments below."""
    form = PointsAdjustmentForm(
        request.POST if request.method == "POST" else None,
        initial={"key": uuid4(), "email": request.GET.get("email", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = adjustments.points_adjust(
                ambassador=data["ambassador"],
                amount=data["amount"],
                reason=data["reason"],
                by=request.user,
                key=str(data["key"]),
            )
        except points.PointsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(amount)+d points for %(name)s, who is told by e-mail.")
                % {"amount": entry.amount, "name": data["ambassador"].display_name},
            )
            return redirect("ambassadors:points-adjust")
    return render(
        request,
        "ambassadors/points_adjust.html",
        {"form": form, "recent": adjustments.adjustments_recent()},
    )

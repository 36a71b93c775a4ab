"""The 公示栏: a branch's board inside the portal, its printable poster, and its public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from branches.access import can_manage_org, get_object_for_user_or_404, get_org_for_user_or_404
from campaigns.models import Campaign

from .. import services
from ..models import BoardLink, Pledge
from ..poster import SIZES, poster_pdf
from .access import get_board_org_for_user_or_404


def _campaign_for(request, org):
    """The campaign asked for (it must cover the org), else the running one, else the latest."""
    campaigns = Campaign.objects.visible_to(request.user).covering(org)
    wanted = request.GET.get("campaign") or request.POST.get("campaign")
    if wanted:
        return get_object_for_user_or_404(campaigns, wanted), campaigns
    return (campaigns.running().first() or campaigns.first()), campaigns


def _public_url(request, link) -> str | None:
    return request.build_absolute_uri(link.get_absolute_url()) if link else None


def board(request, org_pk):
    org = get_board_org_for_user_or_404(request.user, org_pk)
    campaign, campaigns = _campaign_for(request, org)
    pledges = []
    link = None
    manages = can_manage_org(request.user, org)
    if campaign is not None:
        pledges = list(
            Pledge.objects.board_visible_to(request.user).on_board(org, campaign).for_board_display().with_progress()
        )
        if manages:
            link = BoardLink.objects.active().filter(org=org, campaign=campaign).first()
    return render(
        request,
        "pledges/board.html",
        {
            "org": org,
            "campaign": campaign,
            "campaigns": campaigns,
            "pledges": pledges,
            "manages": manages,
            "link": link,
            "public_url": _public_url(request, link),
            "nav_active": "pledges",
        },
    )


def board_poster(request, org_pk):
    org = get_board_org_for_user_or_404(request.user, org_pk)
    campaign, _campaigns = _campaign_for(request, org)
    if campaign is None:
        raise Http404
    size = request.GET.get("size", "A4").upper()
    if size not in SIZES:
        raise Http404
    pledges = list(
        Pledge.objects.board_visible_to(request.user).on_board(org, campaign).for_board_display().with_progress()
    )
    link = BoardLink.objects.active().filter(org=org, campaign=campaign).first()
    pdf = poster_pdf(org=org, campaign=campaign, pledges=pledges, public_url=_public_url(request, link), size=size)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"pledge-board-{org.code}-{size}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_POST
def board_link_create(request, org_pk):
    org = get_org_for_user_or_404(request.user, org_pk, manage=True)
    campaign, _campaigns = _campaign_for(request, org)
    if campaign is None:
        raise Http404
    services.board_link_create(org=org, campaign=campaign, by=request.user)
    messages.success(request, _("The public link is ready; print the poster to put its QR code on the wall."))
    return redirect(f"{reverse('pledges:board', args=[org.pk])}?campaign={campaign.pk}")


@require_POST
def board_link_revoke(request, pk):
    link = get_object_for_user_or_404(BoardLink.objects.manageable_by(request.user).select_related("org"), pk)
    services.board_link_revoke(link=link, by=request.user)
    messages.success(request, _("The public link no longer works. Printed QR codes lead nowhere now."))
    return redirect(f"{reverse('pledges:board', args=[link.org_id])}?campaign={link.campaign_id}")


# The public board is the page a QR code brings crowds to: the rendered page is kept PUBLIC_CACHE_SECONDS
# on the server (per worker) and as long again in browsers, so a revoked link is gone within a minute
# everywhere; the worker that revokes it forgets it at once (services.board_link_revoke).
PUBLIC_CACHE_SECONDS = 30


@login_not_required
@require_GET
@cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS)
def board_public(request, token):
    """The board for anyone with the link: published pledges only, and nothing personal beyond the name,
    the items, the progress and the phone the owner chose to show. Cached half a minute on the server and
    half a minute in browsers, so a revoked link is gone within a minute everywhere."""
    key = services.public_cache_key(token)
    content = cache.get(key)
    if content is None:
        link = get_object_or_404(BoardLink.objects.active().select_related("org", "campaign"), token=token)
        pledges = Pledge.objects.on_board(link.org, link.campaign).for_board_display().with_progress()
        content = render_to_string(
            "pledges/board_public.html",
            {"org": link.org, "campaign": link.campaign, "pledges": list(pledges)},
            request=request,
        )
        cache.set(key, content, PUBLIC_CACHE_SECONDS)
    response = HttpResponse(content)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""The notifications' own pages: the demo SMS inbox and the delivery-receipt callback."""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from govhall.notifications import gateways, queries, services
from govhall.notifications.base import MalformedReceipt, ReceiptRejected

logger = logging.getLogger(__name__)


def inbox(request: HttpRequest) -> HttpResponse:
    """演示短信收件箱: what the console gateway "sent", so a newcomer can read codes and receipts.

    Exists only while the console gateway is configured and never under production settings.
    """
    if not gateways.console_active():
        raise Http404
    return render(request, "notifications/inbox.html", {"messages_sent": queries.inbox()})


@csrf_exempt  # a server-to-server callback authenticated by its HMAC signature, not a cookie
@require_POST
def receipts(request: HttpRequest, gateway_name: str) -> JsonResponse:
    """Delivery receipts from a gateway: signature and timestamp window checked, each receipt
    applied once (duplicates and replays ignored, older receipts never overwrite newer ones)."""
    gateway = gateways.by_name(gateway_name)
    if gateway is None or not gateway.accepts_receipts:
        raise Http404
    try:
        parsed = gateway.parse_receipt(request.headers, request.body)
    except MalformedReceipt as error:
        logger.warning("SMS receipt from %s malformed: %s", gateway_name, error)
        return JsonResponse({"error": "malformed"}, status=400)
    except ReceiptRejected as error:
        logger.warning("SMS receipt from %s rejected: %s", gateway_name, error)
        return JsonResponse({"error": "rejected"}, status=403)
    outcomes = [services.apply_receipt(gateway_name, receipt) for receipt in parsed]
    return JsonResponse({"results": outcomes})

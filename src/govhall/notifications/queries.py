"""Read side of the SMS outbox: an object's message history, delivery statistics, failures, inbox."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from govhall.notifications import catalog
from govhall.notifications.models import CLAIMABLE, FAILED, Message, SmsTemplate, Status

HISTORY_FIELDS = (
    "id",
    "uuid",
    "template_code",
    "template__name",
    "status",
    "attempts",
    "created_at",
    "sent_at",
    "delivered_at",
    "failed_at",
    "next_attempt_at",
)


def messages_for(obj: models.Model | tuple[str, object]) -> models.QuerySet[Message]:
    """Every message about a business object, oldest first (the object's history: "回执短信 已送达").

    Recipients and texts are left deferred: a history line needs neither.
    """
    if isinstance(obj, tuple):
        object_type, object_id = str(obj[0]), str(obj[1])
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    return (
        Message.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("template")
        .defer("recipient", "text", "params_sealed")
        .order_by("created_at", "pk")
    )


def waiting() -> models.QuerySet[Message]:
    """Messages that a worker will still attempt (now or later)."""
    return Message.objects.filter(status__in=CLAIMABLE, next_attempt_at__isnull=False)


def due_now() -> models.QuerySet[Message]:
    return waiting().filter(next_attempt_at__lte=timezone.now())


@dataclass(frozen=True)
class DeliveryStatistics:
    since: datetime.datetime
    by_status: list[tuple[str, str, int]]  # (status, label, count)
    total: int
    due_now: int
    oldest_due: datetime.datetime | None


def statistics(hours: int = 24) -> DeliveryStatistics:
    """Counts per status of the messages created in the last ``hours``, and the current backlog."""
    since = timezone.now() - datetime.timedelta(hours=hours)
    counts = dict(
        Message.objects.filter(created_at__gte=since)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    backlog = due_now()
    return DeliveryStatistics(
        since=since,
        by_status=[(status.value, status.label, counts.get(status.value, 0)) for status in Status],
        total=sum(counts.values()),
        due_now=backlog.count(),
        oldest_due=backlog.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first(),
    )


def failures(limit: int = 100) -> models.QuerySet[Message]:
    """Failed messages that will not be retried, newest first, with their resends counted."""
    final = Q(status__in=FAILED) & ~Q(status__in=CLAIMABLE, next_attempt_at__isnull=False)
    return (
        Message.objects.filter(final)
        .select_related("template")
        .annotate(resend_count=Count("resends"))
        .order_by("-created_at", "-pk")[:limit]
    )


def recent(limit: int = 50) -> models.QuerySet[Message]:
    return Message.objects.select_related("template").order_by("-created_at", "-pk")[:limit]


def inbox(limit: int = 100) -> models.QuerySet[Message]:
    """The demo SMS inbox: the newest messages, delivered by the console gateway or still waiting
    for the worker (so a code is readable even before ``qcluster`` has run)."""
    return Message.objects.select_related("template").order_by("-created_at", "-pk")[:limit]


@dataclass(frozen=True)
class TemplateRow:
    template: SmsTemplate
    sample_text: str
    length: catalog.SmsLength


class _KeepUnknown(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def sample_of(template: SmsTemplate, text: str | None = None) -> str:
    """The template rendered with its sample parameters (for the editor and its length counter);
    an unknown placeholder is left as written, for the editor to point out."""
    default = catalog.DEFAULT_TEMPLATES.get(template.code)
    sample = _KeepUnknown(default.sample if default else {})
    sample.update({name: sample.get(name, "X" * 6) for name in template.params})
    return catalog.render(template.text_zh if text is None else text, sample)


def templates_overview() -> list[TemplateRow]:
    """The active version of every template, with its rendered sample and SMS length."""
    rows = []
    for template in SmsTemplate.objects.filter(active=True).order_by("code"):
        text = sample_of(template)
        rows.append(TemplateRow(template, text, catalog.sms_length(text)))
    return rows


def template_versions(code: str) -> models.QuerySet[SmsTemplate]:
    return SmsTemplate.objects.filter(code=code).select_related("created_by").order_by("-version")

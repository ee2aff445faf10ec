"""The console gateway: logs each SMS and reports it delivered at once.

The message row already holds the text, so the local "SMS inbox" page (/notifications/inbox/) shows
it: a newcomer reads verification codes and receipts there. Refused under production settings.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from govhall.core.crypto import mask_mobile
from govhall.notifications.base import SendResult, SmsGateway, registry

logger = logging.getLogger(__name__)


@registry.register("console")
class ConsoleGateway(SmsGateway):
    def __init__(self) -> None:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("The console SMS gateway cannot be used in production.")

    def send(self, message_id: str, mobile: str, template_id: str, params: dict[str, str], text: str) -> SendResult:
        logger.info("SMS (console) to %s [%s]: %s", mask_mobile(mobile), message_id, text)
        return SendResult(provider_message_id=f"console-{message_id}", delivered=True)

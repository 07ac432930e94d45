"""Background work of the figures: thin tasks around ``rollup`` (fixed names: beat and queued
messages refer to them by string)."""

from __future__ import annotations

import logging

from celery import shared_task

from . import rollup

logger = logging.getLogger(__name__)


@shared_task(name="calls.tasks.count_call_in_figures", ignore_result=True)
def count_call_in_figures(call_id: int) -> bool:
    return rollup.figures_count_call(call_id=call_id)


@shared_task(name="calls.tasks.count_conversation_in_figures", ignore_result=True)
def count_conversation_in_figures(conversation_id: int) -> bool:
    return rollup.figures_count_conversation(conversation_id=conversation_id)


@shared_task(name="calls.tasks.count_ended_in_figures", ignore_result=True)
def count_ended_in_figures() -> int:
    """Run by beat: whatever ended while the broker was away."""
    return rollup.figures_count_ended()


def enqueue_call(call_id: int) -> None:
    """After commit, when a call has ended: a broker outage is left to beat's catch-up."""
    try:
        count_call_in_figures.delay(call_id)
    except Exception:  # noqa: BLE001 - broker down: count_ended_in_figures will count it
        logger.warning("Could not enqueue the figures of call %s; beat will count it", call_id)


def enqueue_conversation(conversation_id: int) -> None:
    try:
        count_conversation_in_figures.delay(conversation_id)
    except Exception:  # noqa: BLE001 - broker down: count_ended_in_figures will count it
        logger.warning(
            "Could not enqueue the figures of conversation %s; beat will count it",
            conversation_id,
        )

"""The week's ideal rotation and its exploratory routings, again, on a kept database.

``DATABASE_URL=postgres://…/test_<bench db> python -m benchmarks.week_replay HOURS EVENINGS``
after ``python -m benchmarks --only evening --evenings EVENINGS --hours HOURS --keepdb`` (seed
12, resume_daily 0.5, as the run): the run's automatic switch-offs are replayed from its
attempts (three no-answers in a row, the product's rule) and its mornings (the same resume
stream), so the available windows are the run's; then the ideal rotation and
:data:`benchmarks.evening_week.VARIANTS` (plus a 3 h cool-down), 40 runs each, and the Gini
counting the text conversations locals answered as well as the calls (texts take turns in the
same queue). docs/PERFORMANCE.md, "The simulated week".
"""

from __future__ import annotations

import math
import random
import sys
from collections import Counter
from typing import Any

from .__main__ import configure


def replay_pauses(
    attempts: dict[int, list[tuple[float, str, float]]], *, evenings: int, seed: int
) -> dict[int, list[list[float]]]:
    """Each local's switch-offs [off, back on] (seconds from the first evening), as the run
    made them: off at the third no-answer in a row, back on at a morning's draw."""
    from calls.models import AttemptOutcome

    from .evening_week import DAY

    rng = random.Random(seed + 2)  # noqa: S311 - the run's resume stream
    pauses: dict[int, list[list[float]]] = {}
    streak = Counter[int]()
    position = Counter[int]()
    for bound in [k * DAY - 9 * 3600 for k in range(1, evenings)] + [math.inf]:
        for pk, rows in attempts.items():
            if pk in pauses and pauses[pk][-1][1] == math.inf:
                continue  # off: not rung until back on
            while position[pk] < len(rows) and rows[position[pk]][0] < bound:
                _, outcome, ended = rows[position[pk]]
                position[pk] += 1
                if outcome in (AttemptOutcome.RINGING, AttemptOutcome.RELEASED):
                    continue
                streak[pk] = streak[pk] + 1 if outcome == AttemptOutcome.NO_ANSWER else 0
                if streak[pk] >= 3:
                    streak[pk] = 0
                    pauses.setdefault(pk, []).append([ended, math.inf])
                    break
        if bound == math.inf:
            break
        for pk in sorted(pauses):
            if pauses[pk][-1][1] == math.inf and rng.random() < 0.5:
                pauses[pk][-1][1] = bound
    return pauses


def main(hours: float, evenings: int) -> None:
    from calls.models import AttemptOutcome, CallAttempt, Conversation

    from . import evening
    from . import evening_week as week

    run = evening.Evening(
        evening.NEW, model=evening.Model(), seed=12, hours=hours, evenings=evenings
    )
    rows = CallAttempt.objects.filter(
        call__line__number=evening.LINE_NUMBER, ambassador__isnull=False
    ).order_by("started_at")
    attempts: dict[int, list[tuple[float, str, float]]] = {}
    calls: list[float] = []
    accepted = Counter[int]()
    for pk, started, outcome, ended in rows.values_list(
        "ambassador_id", "started_at", "outcome", "ended_at"
    ):
        t = (started - run.start).total_seconds()
        end = ((ended or started) - run.start).total_seconds()
        attempts.setdefault(pk, []).append((t, outcome, end))
        if outcome == AttemptOutcome.ACCEPTED:
            calls.append(t)
            accepted[pk] += 1
    run.pauses = replay_pauses(attempts, evenings=evenings, seed=12)
    windows, rates = run.week_windows(evenings)
    print(
        f"{len(calls)} calls accepted by locals, {len(windows)} locals, "
        f"{sum(map(len, run.pauses.values()))} switch-offs replayed\n"
    )
    print("| rotation | Gini (mean, range) | rings per answered call |\n| --- | ---: | ---: |")
    variants: dict[str, dict[str, Any]] = {
        "strict turns": {},
        **week.VARIANTS,
        "a cool-down of 3 h after a miss": {"cooldown": 3 * 3600.0},
    }
    rng = random.Random(12 + 3)  # noqa: S311 - the run's reference stream
    for name, kwargs in variants.items():
        runs = [week.rotation(calls, windows, rates, rng, **kwargs) for _ in range(week.ROTATIONS)]
        ginis = [r.gini for r in runs]
        print(
            f"| {name} | {sum(ginis) / len(ginis):.2f} ({min(ginis):.2f}–{max(ginis):.2f}) "
            f"| {sum(r.rings for r in runs) / len(runs):.2f} |"
        )
    answered = Conversation.objects.filter(
        line__number=evening.LINE_NUMBER,
        first_reply_at__isnull=False,
        responder__isnull=False,
        advisor__isnull=True,
    )
    texts = Counter(answered.values_list("responder_id", flat=True))
    hours_of = {pk: sum(map(week.seconds, days)) / 3600 for pk, days in windows.items()}
    calls_only = [accepted[pk] / h for pk, h in hours_of.items() if h]
    both = [(accepted[pk] + texts[pk]) / h for pk, h in hours_of.items() if h]
    opened = [(o - run.start).total_seconds() for o in answered.values_list("opened_at", flat=True)]
    ideal = [
        week.rotation(sorted(calls + opened), windows, rates, rng).gini
        for _ in range(week.ROTATIONS)
    ]
    print(
        f"\nGini of calls accepted per available hour {evening.gini(calls_only):.3f}; of calls "
        f"and conversations answered ({sum(texts.values())}) {evening.gini(both):.3f}, the "
        f"ideal rotation over both {sum(ideal) / len(ideal):.2f} "
        f"({min(ideal):.2f}–{max(ideal):.2f})."
    )


if __name__ == "__main__":
    configure()
    main(float(sys.argv[1]), int(sys.argv[2]))

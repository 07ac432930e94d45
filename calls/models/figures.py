"""Rollups: the line's figures per hour and per day, maintained as calls and texts end.

The dashboards read these small tables, never the calls themselves (issue 14). A call or a
conversation is counted once, when it ends (``rolled_up_at`` is claimed by a conditional
update); ``rebuild_figures`` recomputes any range from the calls and conversations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Lower edges, in seconds, of the buckets of waiting times (time to a human on the phone, to a
# first human reply by text): one set for both channels, fine where calls wait and coarse where
# texts do, with an edge at the tourism boards' best first reply (64 minutes, DESIGN). The last
# bucket is open-ended. A percentile read from these is exact to the bucket.
WAIT_EDGES: tuple[int, ...] = (
    0, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1800, 3840, 7200, 14400,
)  # fmt: skip
WAIT_BUCKETS = tuple(f"w{index}" for index in range(len(WAIT_EDGES)))


# Each call is counted twice: in the rows of its line and region, and in the rows of every line
# (line_key 0, region_key 0), which are all staff read. Lines and regions are kept as plain ids
# (0: none), so that a row's key is never NULL (a unique key with NULLs would not deduplicate).
EVERY_LINE = 0
EVERY_LINE_HELP = "The line's id; 0: every line together."


class Channel(models.TextChoices):
    CALL = "call", _("Calls")
    TEXT = "text", _("Texts")


class Dimension(models.TextChoices):
    ALL = "all", _("Everything")  # the day's totals (value ""), with the histogram of waits
    COUNTRY = "country", _("Caller's country")
    LANGUAGE = "language", _("Language")
    TOPIC = "topic", _("Topic")
    COMMUNITY = "affinity", _("Community")  # a community's code ("" when none was asked for)


class Measures(models.Model):
    """What is counted for a bucket. For calls: received, answered, missed (nobody could
    answer), abandoned (the caller hung up first), refused, callbacks requested; ``wait`` is the
    time to a human. For texts: received are conversations, answered those a human replied to,
    missed those closed without one, ``faq_instant`` those the FAQ answered at once; ``wait`` is
    the first human reply. ``menu`` is the time calls spent in menus before a phone rang.
    ``by_member``: answered by an approved member of the community asked for."""

    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    callbacks = models.PositiveIntegerField(default=0)
    faq_instant = models.PositiveIntegerField(default=0)
    by_advisor = models.PositiveIntegerField(default=0)
    by_volunteer = models.PositiveIntegerField(default=0)
    # Answered by an approved member of the community asked for (none asked: never counted).
    by_member = models.PositiveIntegerField(default=0)
    wait_total = models.DurationField(null=True, blank=True)
    wait_count = models.PositiveIntegerField(default=0)
    menu_total = models.DurationField(null=True, blank=True)
    menu_count = models.PositiveIntegerField(default=0)
    # The histogram of waits: how many in each bucket of WAIT_EDGES.
    w0 = models.PositiveIntegerField(default=0)
    w1 = models.PositiveIntegerField(default=0)
    w2 = models.PositiveIntegerField(default=0)
    w3 = models.PositiveIntegerField(default=0)
    w4 = models.PositiveIntegerField(default=0)
    w5 = models.PositiveIntegerField(default=0)
    w6 = models.PositiveIntegerField(default=0)
    w7 = models.PositiveIntegerField(default=0)
    w8 = models.PositiveIntegerField(default=0)
    w9 = models.PositiveIntegerField(default=0)
    w10 = models.PositiveIntegerField(default=0)
    w11 = models.PositiveIntegerField(default=0)
    w12 = models.PositiveIntegerField(default=0)
    w13 = models.PositiveIntegerField(default=0)
    w14 = models.PositiveIntegerField(default=0)
    w15 = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class FigureHour(Measures):
    """Per UTC hour, line, region (0: none chosen) and channel.

    Pages show hours in the destination's time zone; a network sees the rows of its regions
    and of the lines that cover them."""

    hour = models.DateTimeField()
    line_key = models.PositiveIntegerField(default=0, help_text=EVERY_LINE_HELP)
    region_key = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=4, choices=Channel)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hour", "line_key", "region_key", "channel"], name="one_figure_per_hour"
            )
        ]
        indexes = [
            models.Index(fields=["line_key", "hour"], name="figure_hour_line_idx"),
            models.Index(fields=["region_key", "hour"], name="figure_hour_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.hour:%Y-%m-%d %H:00} line {self.line_key}"


class FigureDay(Measures):
    """Per day (in the destination's time zone), line, region and channel: the day's totals
    (dimension "all"), and one row per value of each other dimension (a country, a language, a
    topic's code; "" when unknown). A month's dashboard reads a few thousand of these."""

    day = models.DateField()
    line_key = models.PositiveIntegerField(default=0, help_text=EVERY_LINE_HELP)
    region_key = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=4, choices=Channel)
    dimension = models.CharField(max_length=8, choices=Dimension)
    value = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "line_key", "region_key", "channel", "value"],
                name="one_figure_per_day_and_value",
            )
        ]
        indexes = [
            models.Index(fields=["line_key", "dimension", "day"], name="figure_day_line_idx"),
            models.Index(fields=["region_key", "dimension", "day"], name="figure_day_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.day} {self.dimension}={self.value}"

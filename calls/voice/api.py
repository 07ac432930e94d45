"""The voice line in the REST API: the calls a local answered."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from ambassadors.api import INVALID_PAGE, PAGE, SIGNED_IN

from ..local_access import api_responders
from ..models import Call
from .selectors import calls_answered_by


class CallSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    date = serializers.DateTimeField(source="received_at", read_only=True)
    duration = serializers.IntegerField(read_only=True, allow_null=True, help_text="seconds")
    caller_country = serializers.CharField(read_only=True, help_text="ISO 3166 code")
    motive = serializers.CharField(
        read_only=True, allow_null=True, help_text="in the reader's language"
    )

    class Meta:
        model = Call
        fields = ["id", "reference", "date", "duration", "caller_country", "language", "motive"]


@extend_schema(
    tags=["me"],
    parameters=[PAGE],
    responses={200: CallSerializer(many=True), 404: INVALID_PAGE, **SIGNED_IN},
)
class CallHistoryView(generics.ListAPIView):
    """Calls you answered (as a volunteer, or as an advisor on duty), newest first. Never a phone
    number."""

    serializer_class = CallSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return calls_answered_by(api_responders(self.request))

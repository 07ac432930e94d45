"""An ambassador's impact in the REST API: ``GET /api/v1/me/impact/`` (calls.impact)."""

from __future__ import annotations

from dataclasses import replace

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ambassadors.api import SIGNED_IN, ambassador_of

from .impact import ambassador_impact
from .ratings.selectors import rating_summary_for_ambassador


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166 code")
    name = serializers.CharField(help_text="in the reader's language")
    flag = serializers.CharField(help_text="the emoji flag")
    visitors = serializers.IntegerField(help_text="calls answered and conversations replied to")


class LineSerializer(serializers.Serializer):
    name = serializers.CharField(source="label", help_text="the line's name")
    number = serializers.CharField(help_text='written for humans: "+33 1 99 00 00 00"')
    e164 = serializers.CharField(source="tel", help_text='for tel: links: "+33199000000"')


class ImpactSerializer(serializers.Serializer):
    calls = serializers.IntegerField(help_text="calls answered, rehearsals left out")
    conversations = serializers.IntegerField(help_text="text conversations replied to")
    minutes = serializers.IntegerField(help_text="minutes talked on the calls answered")
    countries = CountrySerializer(many=True, help_text="most visitors first")
    lines = LineSerializer(many=True, help_text="the public numbers whose calls may reach you")
    rated = serializers.IntegerField(help_text="visitors who answered the survey after a chat")
    satisfaction = serializers.FloatField(
        allow_null=True, help_text="their average score, 1 (poor) to 5; null before the first"
    )


class ImpactView(APIView):
    """What you did for visitors: the countries they came from, the minutes you talked and the
    public numbers of the lines you answer for."""

    @extend_schema(
        summary="Your impact", responses={200: ImpactSerializer, **SIGNED_IN}, tags=["me"]
    )
    def get(self, request: Request) -> Response:
        ambassador = ambassador_of(request)
        summary = rating_summary_for_ambassador(ambassador, kind_words=0)
        impact = replace(
            ambassador_impact(ambassador), rated=summary.count, satisfaction=summary.average
        )
        return Response(ImpactSerializer(impact).data)

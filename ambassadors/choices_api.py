"""``GET /api/v1/choices/``: the regions and topics a volunteer may pick in their profile, with
their names in the reader's language (``Accept-Language``), so an app never hard-codes them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from concierge.lib.names import motive_name, region_name
from concierge.models import CallMotive, Region

from .api import SIGNED_IN


class MotiveChoiceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What the profile's `motives` hold, e.g. food-and-wine.")
    name = serializers.CharField(help_text="In the reader's language.")


class RegionChoiceSerializer(MotiveChoiceSerializer):
    code = serializers.CharField(help_text="What the profile's `regions` hold, e.g. bretagne.")
    kind = serializers.CharField(help_text="`metropolitan` or `overseas`.")


class ChoicesSerializer(serializers.Serializer):
    regions = RegionChoiceSerializer(many=True)
    motives = MotiveChoiceSerializer(many=True)


@extend_schema(
    tags=["me"],
    summary="Regions and topics to choose from",
    description="In the order the line offers them, named in the language of Accept-Language.",
    responses={200: ChoicesSerializer, **SIGNED_IN},
)
class ChoicesView(APIView):
    def get(self, request: Request) -> Response:
        regions = Region.objects.filter(is_active=True)
        motives = CallMotive.objects.filter(is_active=True)
        data = {
            "regions": [{"code": r.code, "name": region_name(r), "kind": r.kind} for r in regions],
            "motives": [{"code": m.code, "name": motive_name(m)} for m in motives],
        }
        return Response(ChoicesSerializer(data).data)

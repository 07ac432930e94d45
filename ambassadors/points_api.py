"""Points and rewards in the mobile API: the balance and its entries, the catalogue, requests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import points
from .api import BAD_REQUEST, INVALID_PAGE, PAGE, SIGNED_IN, ambassador_of
from .models import PointsEntry, Redemption, Reward


class EntrySerializer(serializers.ModelSerializer):
    date = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = PointsEntry
        fields = ["date", "amount", "kind", "reason", "reference"]


class RewardSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Reward
        fields = ["id", "name", "description", "price", "stock", "available_until"]


class RedemptionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reward = RewardSerializer(read_only=True)

    class Meta:
        model = Redemption
        fields = ["id", "reward", "price", "status", "reason", "created_at", "decided_at"]


class RedemptionRequestSerializer(serializers.Serializer):
    reward = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Reward.objects.all(), help_text="The reward's id."
    )


class PointsPage(PageNumberPagination):
    """A page of entries; the view puts the totals in front of it (the schema says so)."""

    page_size = 25

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "balance": {"type": "integer", "description": "The sum of every entry."},
            "held": {
                "type": "integer",
                "description": "Points set aside by reward requests waiting for a decision.",
            },
            "available": {"type": "integer", "description": "balance − held: what you can spend"},
            **paginated["properties"],
        }
        return paginated


@extend_schema(
    tags=["me"],
    summary="Your points: the balance and every entry, newest first",
    parameters=[PAGE],
    responses={200: EntrySerializer(many=True), 404: INVALID_PAGE, **SIGNED_IN},
)
class PointsView(generics.ListAPIView):
    serializer_class = EntrySerializer
    pagination_class = PointsPage

    def get_queryset(self) -> QuerySet[PointsEntry]:
        return PointsEntry.objects.filter(ambassador=ambassador_of(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ambassador = ambassador_of(request)
        balance, held = points.points_balance(ambassador), points.points_held(ambassador)
        response = super().list(request, *args, **kwargs)
        totals = {"balance": balance, "held": held, "available": balance - held}
        response.data = {**totals, **response.data}
        return response


@extend_schema(
    tags=["rewards"],
    summary="Rewards on offer now",
    parameters=[PAGE],
    responses={200: RewardSerializer(many=True), 404: INVALID_PAGE, **SIGNED_IN},
)
class RewardListView(generics.ListAPIView):
    serializer_class = RewardSerializer

    def get_queryset(self) -> QuerySet[Reward]:
        return points.rewards_on_offer()


@extend_schema(tags=["me"])
class RedemptionListView(APIView):
    @extend_schema(
        summary="Your reward requests",
        responses={200: RedemptionSerializer(many=True), **SIGNED_IN},
    )
    def get(self, request: Request) -> Response:
        mine = Redemption.objects.filter(ambassador=ambassador_of(request)).select_related("reward")
        return Response(RedemptionSerializer(mine, many=True).data)

    @extend_schema(
        summary="Ask for a reward",
        description="Its points are set aside until staff decide; approval debits them, "
        "rejection frees them.",
        request=RedemptionRequestSerializer,
        responses={
            201: RedemptionSerializer,
            400: OpenApiResponse(
                BAD_REQUEST.response, description='{"reward": ["why not"]}: points, stock, dates'
            ),
            **SIGNED_IN,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = RedemptionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            redemption = points.redemption_request(
                ambassador=ambassador_of(request), reward=serializer.validated_data["reward"]
            )
        except points.PointsError as error:
            raise exceptions.ValidationError({"reward": [error.message]}) from None
        return Response(RedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)

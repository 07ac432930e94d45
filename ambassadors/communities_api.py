"""Affinity communities in the mobile API: the list, joining and leaving."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from concierge.models import Community

from .api import BAD_REQUEST, SIGNED_IN, ambassador_of, not_found
from .communities import CommunityRow, communities_for
from .models import MembershipStatus
from .services import AmbassadorError, community_join, community_leave

NO_COMMUNITY = not_found("No open community has this code.")


class CommunitySerializer(serializers.Serializer):
    code = serializers.CharField(source="community.code")
    name = serializers.CharField(help_text="In the language of the request (Accept-Language).")
    description = serializers.CharField(source="community.description")
    moderated = serializers.BooleanField(
        source="community.moderated", help_text="Staff approve each new member."
    )
    members = serializers.IntegerField(help_text="Approved members (never who they are).")
    status = serializers.ChoiceField(
        choices=["", *MembershipStatus.values],
        help_text='Yours: "" (not in it), "pending", "approved" or "refused".',
    )


class JoinSerializer(serializers.Serializer):
    code = serializers.SlugField(help_text="The community's code.")


class MembershipSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=MembershipStatus.values)


def open_community(code: str) -> Community:
    try:
        return Community.objects.get(code=code, is_active=True)
    except Community.DoesNotExist:
        raise exceptions.NotFound("No open community has this code.") from None


@extend_schema(tags=["communities"])
class CommunityListView(APIView):
    @extend_schema(
        summary="Affinity communities, with your membership",
        responses={200: CommunitySerializer(many=True), **SIGNED_IN},
    )
    def get(self, request: Request) -> Response:
        rows: list[CommunityRow] = communities_for(ambassador_of(request))
        return Response(CommunitySerializer(rows, many=True).data)


@extend_schema(tags=["me"])
class MyCommunitiesView(APIView):
    @extend_schema(
        summary="Join a community (or ask to, when staff moderate it)",
        request=JoinSerializer,
        responses={
            201: MembershipSerializer,
            400: OpenApiResponse(BAD_REQUEST.response, description='{"code": ["why not"]}'),
            **NO_COMMUNITY,
            **SIGNED_IN,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        community = open_community(serializer.validated_data["code"])
        try:
            membership = community_join(ambassador=ambassador_of(request), community=community)
        except AmbassadorError as error:
            raise exceptions.ValidationError({"code": [error.message]}) from None
        return Response(
            {"code": community.code, "status": membership.status}, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["me"])
class MyCommunityView(APIView):
    @extend_schema(
        summary="Leave a community, or withdraw a request to join",
        responses={204: None, **NO_COMMUNITY, **SIGNED_IN},
    )
    def delete(self, request: Request, code: str) -> Response:
        community = open_community(code)
        if not community_leave(ambassador=ambassador_of(request), community=community):
            raise exceptions.NotFound("You are not in this community.")
        return Response(status=status.HTTP_204_NO_CONTENT)

"""The SMS relay in the REST API: a local's text conversations, their replies and their end."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ambassadors.api import BAD_REQUEST, INVALID_PAGE, PAGE, SIGNED_IN, not_found

from ..local_access import api_responders
from ..models import Conversation, ConversationStatus, Message, MessageAuthor
from ..responders import Responder, held_by_any
from . import conversations
from .outbox import MAX_REPLY
from .selectors import conversation_thread, conversations_of, writer_name


class ConversationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    code = serializers.CharField(read_only=True, help_text='e.g. "K7": start an SMS reply with #K7')
    tourist_country = serializers.CharField(read_only=True, help_text="ISO 3166 code")
    motive = serializers.CharField(
        read_only=True, allow_null=True, help_text="in the reader's language"
    )
    first_response_seconds = serializers.SerializerMethodField(
        help_text="From the tourist's first text to the first reply; null until then."
    )

    class Meta:
        model = Conversation
        fields = [
            "id",
            "code",
            "tourist_country",
            "channel",
            "language",
            "motive",
            "status",
            "close_reason",
            "opened_at",
            "last_activity_at",
            "first_response_seconds",
        ]

    def get_first_response_seconds(self, conversation: Conversation) -> int | None:
        if conversation.first_response_time is None:
            return None
        return int(conversation.first_response_time.total_seconds())


class MessageSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = serializers.CharField(
        read_only=True, help_text='"tourist", "local" or "system" (Destination Concierge)'
    )
    by = serializers.SerializerMethodField(
        help_text='Who wrote it: "you", the first name of the local who had the conversation '
        'before you (after a hand-over), "tourist" or "system".'
    )
    text = serializers.CharField(
        source="body", read_only=True, help_text="Empty once erased after the retention period."
    )
    failed = serializers.BooleanField(
        read_only=True, help_text="True when the text could not be delivered."
    )

    class Meta:
        model = Message
        fields = ["id", "author", "by", "text", "status", "failed", "created_at"]

    def get_by(self, message: Message) -> str:
        if message.author != MessageAuthor.LOCAL:
            return str(message.author)
        viewer = self.context.get("viewer")
        if isinstance(viewer, Responder) and viewer.wrote(message):
            return "you"
        return writer_name(message)


class ConversationDetailSerializer(ConversationSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages"]

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, conversation: Conversation) -> list[dict[str, Any]]:
        thread = conversation_thread(conversation).select_related(
            "written_by", "written_by_advisor__user"
        )
        return list(MessageSerializer(thread, many=True, context=self.context).data)


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_REPLY, help_text="What the tourist receives.")


def my_conversation(request: Request, conversation_id: UUID) -> tuple[Conversation, Responder]:
    """One of your conversations (as a volunteer or an advisor), and you as its local; another
    local's is a 404, like one that does not exist."""
    responders = api_responders(request)
    try:
        conversation = (
            Conversation.objects.filter(held_by_any(responders))
            .select_related("line", "motive")
            .get(public_id=conversation_id)
        )
    except Conversation.DoesNotExist:
        raise NotFound(_("You have no conversation with this id.")) from None
    return conversation, next(r for r in responders if r.holds(conversation))


NOT_YOURS = not_found("You have no conversation with this id: not yours, or none.")


@extend_schema(
    tags=["me"],
    parameters=[PAGE],
    responses={200: ConversationSerializer(many=True), 404: INVALID_PAGE, **SIGNED_IN},
)
class ConversationListView(generics.ListAPIView):
    """Your text conversations, open ones first. Tourists appear by country and code, never by
    number."""

    serializer_class = ConversationSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return conversations_of(api_responders(self.request))


@extend_schema(tags=["me"])
class ConversationDetailView(APIView):
    @extend_schema(
        summary="One conversation with its messages",
        responses={
            200: ConversationDetailSerializer,
            **NOT_YOURS,
            **SIGNED_IN,
        },
    )
    def get(self, request: Request, conversation_id: UUID) -> Response:
        conversation, me = my_conversation(request, conversation_id)
        detail = ConversationDetailSerializer(conversation, context={"viewer": me})
        return Response(detail.data)


@extend_schema(tags=["me"])
class ConversationReplyView(APIView):
    @extend_schema(
        summary="Answer the tourist",
        description="The text goes to the tourist from the line's number. Its delivery shows "
        "in the conversation's messages (`status`, `failed`).",
        request=ReplySerializer,
        responses={
            201: MessageSerializer,
            400: OpenApiResponse(
                BAD_REQUEST.response, description='{"text": ["why it cannot be sent"]}'
            ),
            **NOT_YOURS,
            **SIGNED_IN,
        },
    )
    def post(self, request: Request, conversation_id: UUID) -> Response:
        conversation, local = my_conversation(request, conversation_id)
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = conversations.conversation_reply(
                conversation=conversation,
                local=local,
                text=serializer.validated_data["text"],
            )
        except conversations.RelayError as error:
            raise ValidationError({"text": [str(error)]}) from error
        answer = MessageSerializer(message, context={"viewer": local}).data
        return Response(answer, status=status.HTTP_201_CREATED)


@extend_schema(tags=["me"])
class ConversationEndView(APIView):
    @extend_schema(
        summary="End the conversation",
        description="The tourist is told; if they text again, a new conversation starts.",
        request=None,
        responses={
            200: ConversationSerializer,
            400: OpenApiResponse(
                BAD_REQUEST.response, description='{"non_field_errors": ["…already closed."]}'
            ),
            **NOT_YOURS,
            **SIGNED_IN,
        },
    )
    def post(self, request: Request, conversation_id: UUID) -> Response:
        conversation, local = my_conversation(request, conversation_id)
        if conversation.status != ConversationStatus.OPEN:
            raise ValidationError({"non_field_errors": [_("This conversation is already closed.")]})
        conversations.conversation_end(conversation=conversation, local=local)
        conversation.refresh_from_db()
        return Response(ConversationSerializer(conversation).data)

"""The mobile app's API: one view per operation, each a thin shell around a service."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar
from uuid import UUID

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from concierge.lib.logins import LoginLocked, login_with_password
from concierge.models import User

from . import services
from .models import Ambassador, AvailabilitySlot
from .serializers import (
    FIELD_ERRORS,
    ErrorSerializer,
    MeSerializer,
    MeUpdateSerializer,
    PauseSerializer,
    PhoneCodeSerializer,
    PhoneNumberSerializer,
    SlotSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    VerificationSentSerializer,
)

T = TypeVar("T")


# What the schema says about errors; the bodies come from DRF and from call_service below.
BAD_REQUEST = OpenApiResponse(
    FIELD_ERRORS,
    description='Names each faulty field with what is wrong: {"field": ["message"]}, '
    'or {"non_field_errors": ["message"]} when no single field is at fault.',
)
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description="Too many requests: the Retry-After header says how many seconds to wait.",
)
INVALID_PAGE = OpenApiResponse(
    ErrorSerializer, description="No such page: `page` is past the last one or not a number."
)
# What DRF's page-number pagination really reads, wider than the integer it documents by default.
PAGE = OpenApiParameter(
    "page",
    OpenApiTypes.STR,
    pattern=r"^([0-9]*|last)$",
    description="A page number from 1, or `last`; empty or absent: the first page.",
)


def not_found(description: str) -> dict[Any, OpenApiResponse]:
    """The 404 of an operation with an id in its path (an id that is not a UUID matches no URL;
    the project's 404 handler answers it in the same JSON shape)."""
    return {404: OpenApiResponse(ErrorSerializer, description=description)}


NOT_FOUND = not_found("You have no availability slot with this id.")


# Every operation that needs a token: without one (or with a revoked one) 401, with
# WWW-Authenticate: Token; a browser session's unsafe request without its CSRF token is a 403.
SIGNED_IN = {
    401: OpenApiResponse(ErrorSerializer, description="No valid token."),
    403: OpenApiResponse(
        ErrorSerializer,
        description="A browser session's request without its CSRF token, or an account that is "
        "not a volunteer's (staff, tourist offices): becoming one is a separate step.",
    ),
}


class TooSoon(exceptions.APIException):
    """A 429 that carries the service's own words; DRF adds Retry-After from ``wait``."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, message: str, wait: int) -> None:
        super().__init__(detail=message)
        self.wait = wait


def call_service(function: Callable[..., T], /, **kwargs: Any) -> T:
    """Run a service; its AmbassadorError becomes a 400 naming the field (429 for rate limits)."""
    try:
        return function(**kwargs)
    except services.AmbassadorError as error:
        if error.retry_after is not None:
            raise TooSoon(error.message, error.retry_after) from None
        raise exceptions.ValidationError(
            {error.field or "non_field_errors": [error.message]}
        ) from None


def signed_in(request: Request) -> User:
    """The user of a request that passed IsAuthenticated."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user


def ambassador_of(request: Request) -> Ambassador:
    """The signed-in volunteer; a 403 that says why for a staff or tourist-office account."""
    try:
        return services.ambassador_for_user(user=signed_in(request))
    except services.NotAVolunteer as error:
        raise exceptions.PermissionDenied(error.message) from None


def me_response(ambassador: Ambassador) -> Response:
    return Response(MeSerializer(ambassador).data)


class TokenView(APIView):
    """Exchange an e-mail address and password for an API token, or revoke it."""

    # Per client address; the lock on an account comes from login_with_password.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        seconds = math.ceil(wait or 60)
        message = ngettext(
            "Too many attempts to log in from your address. Try again in %(seconds)d second.",
            "Too many attempts to log in from your address. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
        raise TooSoon(message, seconds)

    def get_permissions(self) -> list[BasePermission]:
        # Logging out needs the token being revoked; logging in is what gets one.
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        summary="Log in: get a token",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                FIELD_ERRORS,
                description="Wrong e-mail or password, or the e-mail address is not verified yet.",
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description="The client's address cannot be determined (no peer address, or "
                "fewer proxy hops in X-Forwarded-For than NUM_PROXIES says): every attempt is "
                "counted per address, so none is taken.",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many attempts: five failures on one account lock it for five "
                "minutes (the web login counts too), and one address may try 20 times a minute. "
                "Retry-After says how many seconds to wait.",
            ),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = login_with_password(
                request._request,
                email=serializer.validated_data["email"],
                password=serializer.validated_data["password"],
            )
        except LoginLocked as locked:
            minutes = math.ceil(locked.wait / 60)
            message = ngettext(
                "Too many failed attempts to log in. Try again in %(minutes)d minute.",
                "Too many failed attempts to log in. Try again in %(minutes)d minutes.",
                minutes,
            ) % {"minutes": minutes}
            raise TooSoon(message, locked.wait) from None
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("The e-mail address or the password is not right.")]}
            )
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        _("Verify your e-mail address first: follow the link we sent you.")
                    ]
                }
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        summary="Log out: revoke the token",
        request=None,
        responses={204: None, 429: THROTTLED, **SIGNED_IN},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=signed_in(request)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The ambassador's own profile."""

    @extend_schema(summary="Your profile", responses={200: MeSerializer, **SIGNED_IN}, tags=["me"])
    def get(self, request: Request) -> Response:
        return me_response(ambassador_of(request))

    @extend_schema(
        summary="Change your profile",
        request=MeUpdateSerializer,
        responses={200: MeSerializer, 400: BAD_REQUEST, **SIGNED_IN},
        tags=["me"],
    )
    def patch(self, request: Request) -> Response:
        ambassador = ambassador_of(request)
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # One PATCH may touch several services: all of it applies, or none of it.
        with transaction.atomic():
            if {"display_name", "date_of_birth", "languages"} & data.keys():
                update_profile(ambassador, data)
            if {"any_region", "regions", "any_motive", "motives"} & data.keys():
                update_preferences(ambassador, data)
            if "accepting_calls" in data:
                services.ambassador_set_accepting(
                    ambassador=ambassador, accepting=data["accepting_calls"]
                )
        return me_response(ambassador)


def update_profile(ambassador: Ambassador, data: dict[str, Any]) -> None:
    """The service takes the whole step 1, as the form does: what the PATCH omits stays as is."""
    date_of_birth = data.get("date_of_birth", ambassador.date_of_birth)
    if date_of_birth is None:
        raise exceptions.ValidationError(
            {"date_of_birth": [_("Enter your date of birth: ambassadors must be 18 or older.")]}
        )
    call_service(
        services.ambassador_update_profile,
        ambassador=ambassador,
        display_name=data.get("display_name", ambassador.display_name),
        date_of_birth=date_of_birth,
        languages=data.get("languages", ambassador.languages.values_list("language", flat=True)),
    )


def update_preferences(ambassador: Ambassador, data: dict[str, Any]) -> None:
    call_service(
        services.ambassador_set_preferences,
        ambassador=ambassador,
        any_region=data.get("any_region", ambassador.any_region),
        regions=data.get("regions", ambassador.regions.all()),
        any_motive=data.get("any_motive", ambassador.any_motive),
        motives=data.get("motives", ambassador.motives.all()),
    )


class PhoneVerificationStartView(APIView):
    """Text a 6-digit code to a French mobile number."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "phone"

    @extend_schema(
        summary="Text a code to your mobile",
        request=PhoneNumberSerializer,
        responses={
            202: VerificationSentSerializer,
            400: OpenApiResponse(
                FIELD_ERRORS, description="The number is invalid, foreign, a landline or taken."
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="A code was sent less than a minute ago, or too many requests: "
                "the Retry-After header says how many seconds to wait.",
            ),
            **SIGNED_IN,
        },
        tags=["me"],
    )
    def post(self, request: Request) -> Response:
        serializer = PhoneNumberSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        verification = call_service(
            services.phone_verification_start,
            ambassador=ambassador_of(request),
            phone_number=serializer.validated_data["phone_number"],
        )
        payload = {
            "phone_number": verification.phone_number.as_e164,
            "expires_at": verification.expires_at,
        }
        return Response(VerificationSentSerializer(payload).data, status=status.HTTP_202_ACCEPTED)


class PhoneVerificationConfirmView(APIView):
    """Prove ownership of the number with the code from the text message."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "phone"

    @extend_schema(
        summary="Confirm your mobile with the code",
        request=PhoneCodeSerializer,
        responses={
            200: MeSerializer,
            400: OpenApiResponse(
                FIELD_ERRORS,
                description="The code is wrong (tries left are given), expired or void.",
            ),
            429: THROTTLED,
            **SIGNED_IN,
        },
        tags=["me"],
    )
    def post(self, request: Request) -> Response:
        serializer = PhoneCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ambassador = ambassador_of(request)
        call_service(
            services.phone_verification_confirm,
            ambassador=ambassador,
            code=serializer.validated_data["code"],
        )
        return me_response(ambassador)


class SlotListView(APIView):
    """Weekly availability slots, in Europe/Paris wall-clock time."""

    pagination_class = None

    @extend_schema(
        summary="Your weekly slots",
        responses={200: SlotSerializer(many=True), **SIGNED_IN},
        tags=["availability"],
    )
    def get(self, request: Request) -> Response:
        slots = ambassador_of(request).availability_slots.all()
        return Response(SlotSerializer(slots, many=True).data)

    @extend_schema(
        summary="Add a slot",
        request=SlotSerializer,
        responses={201: SlotSerializer, 400: BAD_REQUEST, **SIGNED_IN},
        tags=["availability"],
    )
    def post(self, request: Request) -> Response:
        serializer = SlotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slot = call_service(
            services.slot_create, ambassador=ambassador_of(request), **serializer.validated_data
        )
        return Response(SlotSerializer(slot).data, status=status.HTTP_201_CREATED)


class SlotDetailView(APIView):
    def get_slot(self, request: Request, slot_id: UUID) -> AvailabilitySlot:
        # Someone else's slot and a slot that never existed look the same: a 404 that
        # names no model and confirms nothing about other ambassadors.
        slot = ambassador_of(request).availability_slots.filter(public_id=slot_id).first()
        if slot is None:
            raise exceptions.NotFound(_("You have no availability slot with this id."))
        return slot

    @extend_schema(
        summary="One slot",
        responses={200: SlotSerializer, **NOT_FOUND, **SIGNED_IN},
        tags=["availability"],
    )
    def get(self, request: Request, slot_id: UUID) -> Response:
        return Response(SlotSerializer(self.get_slot(request, slot_id)).data)

    def _update(self, request: Request, slot_id: UUID, *, partial: bool) -> Response:
        slot = self.get_slot(request, slot_id)
        serializer = SlotSerializer(slot, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {name: getattr(slot, name) for name in ("weekday", "start", "end")}
        fields.update(serializer.validated_data)
        call_service(services.slot_update, slot=slot, **fields)
        return Response(SlotSerializer(slot).data)

    @extend_schema(
        summary="Replace a slot",
        request=SlotSerializer,
        responses={200: SlotSerializer, 400: BAD_REQUEST, **NOT_FOUND, **SIGNED_IN},
        tags=["availability"],
    )
    def put(self, request: Request, slot_id: UUID) -> Response:
        return self._update(request, slot_id, partial=False)

    @extend_schema(
        summary="Change a slot",
        request=SlotSerializer,
        responses={200: SlotSerializer, 400: BAD_REQUEST, **NOT_FOUND, **SIGNED_IN},
        tags=["availability"],
    )
    def patch(self, request: Request, slot_id: UUID) -> Response:
        return self._update(request, slot_id, partial=True)

    @extend_schema(
        summary="Delete a slot",
        responses={204: None, **NOT_FOUND, **SIGNED_IN},
        tags=["availability"],
    )
    def delete(self, request: Request, slot_id: UUID) -> Response:
        services.slot_delete(slot=self.get_slot(request, slot_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PauseView(APIView):
    """Pause calls until a date, or resume them now."""

    @extend_schema(
        summary="Pause calls until a date",
        request=PauseSerializer,
        responses={200: MeSerializer, 400: BAD_REQUEST, **SIGNED_IN},
        tags=["availability"],
    )
    def post(self, request: Request) -> Response:
        serializer = PauseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ambassador = ambassador_of(request)
        call_service(services.ambassador_pause, ambassador=ambassador, **serializer.validated_data)
        return me_response(ambassador)

    @extend_schema(
        summary="Resume calls now",
        request=None,
        responses={200: MeSerializer, **SIGNED_IN},
        tags=["availability"],
    )
    def delete(self, request: Request) -> Response:
        ambassador = ambassador_of(request)
        services.ambassador_unpause(ambassador=ambassador)
        return me_response(ambassador)

from __future__ import annotations

from django.urls import path

from .figures import views as figures
from .simulator import outbox
from .simulator import sms as simulator_sms
from .simulator import voice as simulator
from .sms import views as conversations
from .sms import webhooks as sms
from .staff import views as staff
from .voice import queue as voice_queue
from .voice import views
from .voice import webhooks as voice

app_name = "calls"

urlpatterns = [
    path("outbox/", outbox.outbox, name="outbox"),
    path("simulator/", simulator.simulator, name="simulator"),
    path("simulator/sms/", simulator_sms.simulator_sms, name="simulator-sms"),
    path("history/", views.history, name="history"),
    path("staff/search/", staff.search, name="staff-search"),
    path("staff/export/", staff.export_csv, name="staff-export"),
    path("figures/", figures.dashboard, name="figures"),
    path("figures/<slug:table>.csv", figures.export, name="figures-export"),
    path("conversations/", conversations.conversation_list, name="conversations"),
    path(
        "conversations/<uuid:conversation_id>/",
        conversations.conversation_detail,
        name="conversation",
    ),
    path(
        "conversations/<uuid:conversation_id>/end/",
        conversations.conversation_end,
        name="conversation-end",
    ),
    path("replay/<str:token>/", views.replay, name="replay"),
    path("replay/<str:token>/audio/", views.replay_audio, name="replay-audio"),
    path("history/<uuid:call_id>/report/", views.report, name="report"),
    # Twilio webhooks (signed). The first two are configured on the Twilio number; the others are
    # reached only through URLs our own TwiML hands out.
    path("voice/incoming/", voice.incoming, name="voice-incoming"),
    path("voice/status/", voice.status, name="voice-status"),
    path("sms/incoming/", sms.incoming, name="sms-incoming"),
    path("sms/status/", sms.status, name="sms-status"),
    path("voice/recording/", voice.recording, name="voice-recording"),
    path("voice/<uuid:call_id>/menu/<slug:step>/", voice.menu, name="voice-menu"),
    path("voice/<uuid:call_id>/connect/", voice.connect, name="voice-connect"),
    path("voice/<uuid:call_id>/queue/wait/", voice_queue.wait, name="voice-queue-wait"),
    path("voice/<uuid:call_id>/queue/done/", voice_queue.done, name="voice-queue-done"),
    path("voice/<uuid:call_id>/callback/", voice.callback, name="voice-callback"),
    path("voice/<uuid:call_id>/dial/<int:order>/done/", voice.dial_done, name="voice-dial-done"),
    path("voice/<uuid:call_id>/dial/<int:order>/whisper/", voice.whisper, name="voice-whisper"),
    path("voice/<uuid:call_id>/dial/<int:order>/leg/", voice.leg_status, name="voice-leg-status"),
    path(
        "voice/<uuid:call_id>/dial/<int:order>/whisper/answer/",
        voice.whisper_answer,
        name="voice-whisper-answer",
    ),
]

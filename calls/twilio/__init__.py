"""Twilio's dialect: signed webhooks and TwiML answers. Outgoing REST calls live in
``calls.telephony.twilio`` behind the telephony backend interface."""

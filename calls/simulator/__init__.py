"""Rehearsing the line without Twilio: an engine that follows our TwiML as Twilio would, and the
staff pages that drive it (a phone call, a text thread, the sandbox outbox)."""

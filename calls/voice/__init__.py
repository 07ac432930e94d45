"""The voice line: webhooks, the menu, TwiML, prompts, routing a call to a local, callbacks,
recordings and reports. Never imports ``calls.sms``."""

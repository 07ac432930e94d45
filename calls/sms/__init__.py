"""The SMS relay: webhooks, keywords, the relay between a tourist and a local, conversations,
the FAQ, the outbox, the periodic sweep. Never imports ``calls.voice``."""

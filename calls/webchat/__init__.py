"""The web chat: a panel on tourist offices' websites whose messages travel as text
conversations (routed, relayed and answered like an SMS), polled by the panel with ETags."""

"""The Webhooks tab: what Zinc tells the partner system, received, verified, replayed."""

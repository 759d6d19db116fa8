"""What Zinc tells the partner system: webhook deliveries, their signatures, forwarding."""

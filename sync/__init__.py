"""Loading source snapshots and deltas into the bitemporal master."""

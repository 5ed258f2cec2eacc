"""Group meetings of the community work: counts by group, never names."""

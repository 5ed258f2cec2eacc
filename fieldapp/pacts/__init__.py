"""Community pacts for the care of common goods (beni comuni)."""

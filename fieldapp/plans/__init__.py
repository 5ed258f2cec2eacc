"""Individual educational plans (PEI) for people in particular fragility."""

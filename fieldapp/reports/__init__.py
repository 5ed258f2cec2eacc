"""Reports of neglected common areas: filed from a phone with photos and a location, verified by the operator."""

"""Indicators as data: the registry the areas declare into, their periods, and the SQL helpers they share."""

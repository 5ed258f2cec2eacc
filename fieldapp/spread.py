"""How far a value sits from its group: modified z-scores (Iglewicz and Hoaglin), robust to the outliers
they look for. The energy observatory and the heating checks both use them."""
from decimal import Decimal
from statistics import median

Z_LIMIT = Decimal("3.5")


def modified_z(values):
    """Modified z-scores: 0.6745 (x - median) / MAD; with MAD 0, (x - median) / (1.253314 x mean AD).

    Returns None for every value when both deviations are 0: then nobody is an outlier.
    """
    if not values:
        return []
    middle = median(values)
    mad = median(abs(v - middle) for v in values)
    if mad:
        return [Decimal("0.6745") * (v - middle) / mad for v in values]
    mean_ad = sum(abs(v - middle) for v in values) / len(values)
    if not mean_ad:
        return [None] * len(values)
    return [(v - middle) / (Decimal("1.253314") * mean_ad) for v in values]


def outliers(values):
    """Indexes of the values whose |modified z| is over 3.5."""
    return [i for i, z in enumerate(modified_z(values)) if z is not None and abs(z) > Z_LIMIT]

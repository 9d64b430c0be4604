"""OpenStreetMap's tags as a car sees them: which ways a car may use, its speed and its direction.

Kept: ``highway`` = motorway, trunk, primary, secondary, tertiary (and their ``*_link``),
unclassified, residential, living_street and service; not when the most specific of
``motorcar``, ``motor_vehicle``, ``vehicle``, ``access`` says ``no``, ``private``,
``agricultural`` or ``forestry``; ``route=ferry`` ways (unless closed to cars the same way),
at ``FERRY_SPEED_KMH`` or, when the way has a ``duration`` (``HH:MM``, ``HH:MM:SS`` or
minutes), at the speed that duration gives.

Direction: ``oneway`` = yes/true/1 (along the way), -1/reverse (against it), no/false/0 (both);
``highway=motorway`` and ``junction=roundabout|circular`` are one-way unless tagged ``oneway=no``;
other values (``reversible``, ``alternating``) count as two-way.

Speed: ``maxspeed`` as a number (km/h), ``"50 mph"``, ``"50 km/h"``, or an implicit zone of
``ZONE_SPEEDS_KMH`` (``SE:rural`` = 70 …); the first of several (``"50;70"``); anything else
(``signals``, ``none``, ``variable``) gives the default of the road class in ``DEFAULT_SPEEDS_KMH``.
Drive time is length / speed, at the speed limit: no junction delays, so it is a lower bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

# Road classes kept, with the speed (km/h) used when a way has no usable maxspeed. The values
# are the Swedish general limits and typical signed limits per class; they are this project's
# assumption, not a source's.
DEFAULT_SPEEDS_KMH = {
    "motorway": 110.0,
    "trunk": 90.0,
    "primary": 80.0,
    "secondary": 70.0,
    "tertiary": 60.0,
    "unclassified": 50.0,
    "residential": 40.0,
    "motorway_link": 60.0,
    "trunk_link": 50.0,
    "primary_link": 50.0,
    "secondary_link": 50.0,
    "tertiary_link": 40.0,
    "living_street": 7.0,
    "service": 20.0,
    "ferry": 15.0,
}
CLASSES = tuple(DEFAULT_SPEEDS_KMH)
CLASS_CODE = {name: code for code, name in enumerate(CLASSES)}
FERRY_SPEED_KMH = DEFAULT_SPEEDS_KMH["ferry"]
# Implicit maxspeed values (OSM wiki "Default speed limits" for the Nordic countries).
ZONE_SPEEDS_KMH = {
    "SE:urban": 50.0,
    "SE:rural": 70.0,
    "SE:motorway": 110.0,
    "SE:trunk": 90.0,
    "SE:living_street": 7.0,
    "NO:urban": 50.0,
    "NO:rural": 80.0,
    "NO:motorway": 110.0,
    "FI:urban": 50.0,
    "FI:rural": 80.0,
    "FI:motorway": 120.0,
    "DK:urban": 50.0,
    "DK:rural": 80.0,
    "DK:motorway": 130.0,
}
NOT_FOR_CARS = {"no", "private", "agricultural", "forestry", "agricultural;forestry"}
ACCESS_KEYS = ("motorcar", "motor_vehicle", "vehicle", "access")  # most specific first


def parse_maxspeed(value: str | None) -> float | None:
    """km/h from an OSM maxspeed value, or None when it gives no usable number."""
    if not value:
        return None
    first = value.split(";")[0].strip()
    if first in ZONE_SPEEDS_KMH:
        return ZONE_SPEEDS_KMH[first]
    if first == "walk":
        return 7.0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?", first)
    if not match:
        return None
    speed = float(match.group(1)) * (1.609344 if match.group(2) == "mph" else 1.0)
    return speed if speed > 0 else None


def parse_duration_s(value: str | None) -> float | None:
    """Seconds from an OSM duration (``HH:MM``, ``HH:MM:SS`` or minutes), else None."""
    if not value:
        return None
    parts = value.strip().split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) == 1:
        seconds = numbers[0] * 60
    elif len(numbers) == 2:
        seconds = numbers[0] * 3600 + numbers[1] * 60
    elif len(numbers) == 3:
        seconds = numbers[0] * 3600 + numbers[1] * 60 + numbers[2]
    else:
        return None
    return seconds if seconds > 0 else None


def parse_oneway(value: str | None, implied: bool = False) -> int:
    """1 along the way, -1 against it, 0 both ways."""
    if value in ("yes", "true", "1"):
        return 1
    if value in ("-1", "reverse"):
        return -1
    if value in ("no", "false", "0"):
        return 0
    return 1 if implied else 0


def classify(get: Callable[[str], str | None]) -> tuple[int, int, float, float] | None:
    """(class code, oneway, speed km/h, duration s or nan) for a way a car can use, else None.
    ``get`` looks up a tag value (``tags.get``)."""
    for key in ACCESS_KEYS:
        value = get(key)
        if value is not None:
            if value in NOT_FOR_CARS:
                return None
            break
    if get("route") == "ferry":
        duration = parse_duration_s(get("duration"))
        return CLASS_CODE["ferry"], parse_oneway(get("oneway")), FERRY_SPEED_KMH, duration if duration else np.nan
    highway = get("highway")
    if highway not in CLASS_CODE or highway == "ferry" or get("area") == "yes":
        return None
    implied = highway == "motorway" or get("junction") in ("roundabout", "circular")
    speed = parse_maxspeed(get("maxspeed")) or DEFAULT_SPEEDS_KMH[highway]
    return CLASS_CODE[highway], parse_oneway(get("oneway"), implied), speed, np.nan

"""Controlled vocabularies of the curated data, with Swedish and English labels."""

from __future__ import annotations

CERTAINTIES: dict[str, tuple[str, str]] = {
    "stated": ("uppgiven i källan", "stated"),
    "likely": ("sannolik", "likely"),
    "unverified": ("obekräftad", "unverified"),
}
CERTAINTY_ORDER = ("stated", "likely", "unverified")

# takes_part: whether the role counts as taking part in the network (coloured on the
# map and counted in key figures). Invited kommuner, examples and meeting hosts are
# related to a network without being shown as its members.
ROLES: dict[str, tuple[str, str, bool]] = {
    "member": ("medlem", "member", True),
    "participant": ("deltagare", "participant", True),
    "administrator": ("administratör", "administrator", True),
    "owner": ("ägare", "owner", True),
    "pilot": ("pilotkommun", "pilot municipality", True),
    "ambassador": ("ambassadörskommun", "ambassador municipality", True),
    "area": ("ingår i området", "part of the area", True),
    "partial_area": ("delvis i området", "partly in the area", True),
    "financer": ("finansiär", "financer", True),
    "host": ("värd för möte", "meeting host", False),
    "planned_host": ("planerad värd (inställt)", "planned host (cancelled)", False),
    "invited": ("inbjuden", "invited", False),
    "example": ("exempel", "example", False),
}

NETWORK_KINDS: dict[str, tuple[str, str]] = {
    "mining": ("gruvkommuner", "mining"),
    "industry": ("industri", "industry"),
    "rural_service": ("service på landsbygden", "rural service"),
    "establishment": ("stora etableringar", "large establishments"),
    "collaboration": ("samarbete", "collaboration"),
    "programme": ("program", "programme"),
}

PLACE_KINDS: dict[str, tuple[str, str]] = {
    "pilot_place": ("pilotort", "pilot place"),
    "service_place": ("serviceort", "service place"),
    # A place a kommun's project names as its focus ("fokusort"), not as a pilot.
    "focus_place": ("fokusort", "focus place"),
    # A place a project's dialogues took up without making it a pilot or service place.
    "dialogue_place": ("ort i dialogen", "place in the dialogue"),
    "industrial_park": ("industriområde", "industrial park"),
    "data_centre": ("datacenter", "data centre"),
    "mine": ("gruva", "mine"),
    "municipal_centre": ("centralort", "municipal centre"),
}

# How exactly a place's coordinates locate it. "kommun" and "unknown" carry no
# coordinates: the position is known only to the kommun, or not at all.
COORD_PRECISIONS: dict[str, tuple[str, str]] = {
    "site": ("platsen", "the site"),
    "locality": ("orten", "the locality"),
    "kommun": ("bara kommunen", "kommun only"),
    "unknown": ("okänd", "unknown"),
}

COUNTRIES: dict[str, tuple[str, str]] = {
    "SE": ("Sverige", "Sweden"),
    "FI": ("Finland", "Finland"),
    "NO": ("Norge", "Norway"),
}


def label(vocabulary: dict, key: str, lang: str = "sv") -> str:
    """The Swedish or English label of a vocabulary value."""
    return vocabulary[key][1 if lang == "en" else 0]


def takes_part(role: str) -> bool:
    return ROLES[role][2]

"""Fetches from web services on a user's click (Overpass, SCB's WFS, Kolada): what went wrong."""

# The services by name (names, so mostly the same in both languages; not in TEXTS).
SERVICE_NAMES: dict[str, tuple[str, str]] = {
    "overpass": ("OpenStreetMap (Overpass)", "OpenStreetMap (Overpass)"),
    "scb_wfs": ("SCB:s WFS", "SCB's WFS"),
    "kolada": ("Kolada", "Kolada"),
    "cache": ("cachen", "the cache"),
}

TEXTS: dict[str, tuple[str, str]] = {
    "web_offline": (
        "Kunde inte nå {service} ({host}): {reason}. Är datorn ansluten till internet? Ladda annars in en fil.",
        "Could not reach {service} ({host}): {reason}. Is the computer online? Otherwise load a file.",
    ),
    "web_cut_off": (
        "Förbindelsen med {service} ({host}) bröts efter {received} byte; inget sparades. Försök igen.",
        "The connection to {service} ({host}) broke off after {received} bytes; nothing was stored. Try again.",
    ),
    "web_busy": (
        "{service} ({host}) är upptagen just nu (HTTP {status}); inget sparades. Försök igen om en stund (om ungefär {seconds} s).",
        "{service} ({host}) is busy right now (HTTP {status}); nothing was stored. Try again in a while (in about {seconds} s).",
    ),
    "web_rate_limited": (
        "{service} ({host}) tar inte emot fler frågor från den här datorn just nu (HTTP {status}, för många frågor); inget sparades. Försök igen om ungefär {seconds} s. Internetanslutningen fungerar.",
        "{service} ({host}) accepts no more queries from this computer right now (HTTP {status}, too many requests); nothing was stored. Try again in about {seconds} s. The internet connection works.",
    ),
    "web_refused": (
        "{service} ({host}) vägrar svara den här klienten (HTTP {status}): {detail}. Ange en kontaktadress i KOMMUNKARTA_CONTACT eller [services] contact, eller använd en egen server.",
        "{service} ({host}) refuses to answer this client (HTTP {status}): {detail}. Set a contact address in KOMMUNKARTA_CONTACT or [services] contact, or use a server of your own.",
    ),
    "web_service_error": (
        "{service} ({host}) svarade med ett fel (HTTP {status}): {detail}",
        "{service} ({host}) answered with an error (HTTP {status}): {detail}",
    ),
    "web_not_found": (
        "{service} ({host}) har inte det som efterfrågades (HTTP {status}): {detail}",
        "{service} ({host}) does not have what was asked for (HTTP {status}): {detail}",
    ),
    "web_gone": (
        "{service} ({host}) svarar inte längre på den här adressen (HTTP {status}, borttagen): {detail}. Kontrollera adressen till tjänsten.",
        "{service} ({host}) no longer answers at this address (HTTP {status}, gone): {detail}. Check the service's address.",
    ),
    "web_redirect": (
        "{service} ({host}) skickade vidare till en annan värd ({target}); den följs inte och inget sparades. Kontrollera adressen till tjänsten.",
        "{service} ({host}) redirected to another host ({target}); it is not followed and nothing was stored. Check the service's address.",
    ),
    "web_too_big": (
        "Svaret från {service} ({host}) är {mb} MB, över gränsen på {limit_mb} MB; inget sparades. Välj ett mindre område.",
        "The answer from {service} ({host}) is {mb} MB, over the limit of {limit_mb} MB; nothing was stored. Choose a smaller area.",
    ),
    "web_deadline": (
        "{service} ({host}) hann inte svara inom tidsgränsen på {seconds} s; inget sparades. Försök igen senare eller med ett mindre område.",
        "{service} ({host}) did not answer within the time limit of {seconds} s; nothing was stored. Try again later or with a smaller area.",
    ),
    "web_page_cap": (
        "{service} ({host}) gav fler sidor än gränsen på {pages} ({features} av {matched} objekt hämtade); inget sparades.",
        "{service} ({host}) gave more pages than the limit of {pages} ({features} of {matched} features fetched); nothing was stored.",
    ),
    "web_feature_cap": (
        "{service} ({host}) har {features} objekt, över gränsen på {limit}; inget sparades.",
        "{service} ({host}) has {features} features, over the limit of {limit}; nothing was stored.",
    ),
    "web_bad_answer": (
        "{service} ({host}) svarade med något som inte går att använda: {detail}. Inget sparades.",
        "{service} ({host}) answered with something that cannot be used: {detail}. Nothing was stored.",
    ),
    "web_bad_endpoint": (
        "Adressen till {service} är ingen http(s)-adress: {url} (ställs in med {variable}).",
        "The address of {service} is no http(s) address: {url} (set with {variable}).",
    ),
    "web_cache_write": (
        "Svaret från {service} kom fram men kunde inte sparas: {reason}. Finns det plats på disken?",
        "The answer from {service} arrived but could not be kept: {reason}. Is there room on the disk?",
    ),
    "roads_fetch_tiles": ("Vägar: ruta {n} av {total} …", "Roads: tile {n} of {total} …"),
}

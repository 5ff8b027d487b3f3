"""The 98 Danish kommuner and their official codes: "X Kommune" is a kommune only when X is one.

Uploads use this to tell a kommune ("Horsens Kommune") from a plan or area name that merely ends
in a kommune ("Helhedsplan: Bo Trivsel (Horsens Kommune)"), and to give a new kommune its code.
"""

from __future__ import annotations

import functools

from monitoring.names import match_key

KOMMUNER: dict[str, str] = {
    "Københavns": "101",
    "Frederiksberg": "147",
    "Ballerup": "151",
    "Brøndby": "153",
    "Dragør": "155",
    "Gentofte": "157",
    "Gladsaxe": "159",
    "Glostrup": "161",
    "Herlev": "163",
    "Albertslund": "165",
    "Hvidovre": "167",
    "Høje-Taastrup": "169",
    "Lyngby-Taarbæk": "173",
    "Rødovre": "175",
    "Ishøj": "183",
    "Tårnby": "185",
    "Vallensbæk": "187",
    "Furesø": "190",
    "Allerød": "201",
    "Fredensborg": "210",
    "Helsingør": "217",
    "Hillerød": "219",
    "Hørsholm": "223",
    "Rudersdal": "230",
    "Egedal": "240",
    "Frederikssund": "250",
    "Greve": "253",
    "Køge": "259",
    "Halsnæs": "260",
    "Roskilde": "265",
    "Solrød": "269",
    "Gribskov": "270",
    "Odsherred": "306",
    "Holbæk": "316",
    "Faxe": "320",
    "Kalundborg": "326",
    "Ringsted": "329",
    "Slagelse": "330",
    "Stevns": "336",
    "Sorø": "340",
    "Lejre": "350",
    "Lolland": "360",
    "Næstved": "370",
    "Guldborgsund": "376",
    "Vordingborg": "390",
    "Bornholm": "400",
    "Middelfart": "410",
    "Assens": "420",
    "Faaborg-Midtfyn": "430",
    "Kerteminde": "440",
    "Nyborg": "450",
    "Odense": "461",
    "Svendborg": "479",
    "Nordfyns": "480",
    "Langeland": "482",
    "Ærø": "492",
    "Haderslev": "510",
    "Billund": "530",
    "Sønderborg": "540",
    "Tønder": "550",
    "Esbjerg": "561",
    "Fanø": "563",
    "Varde": "573",
    "Vejen": "575",
    "Aabenraa": "580",
    "Fredericia": "607",
    "Horsens": "615",
    "Kolding": "621",
    "Vejle": "630",
    "Herning": "657",
    "Holstebro": "661",
    "Lemvig": "665",
    "Struer": "671",
    "Syddjurs": "706",
    "Norddjurs": "707",
    "Favrskov": "710",
    "Odder": "727",
    "Randers": "730",
    "Silkeborg": "740",
    "Samsø": "741",
    "Skanderborg": "746",
    "Aarhus": "751",
    "Ikast-Brande": "756",
    "Ringkøbing-Skjern": "760",
    "Hedensted": "766",
    "Morsø": "773",
    "Skive": "779",
    "Thisted": "787",
    "Viborg": "791",
    "Brønderslev": "810",
    "Frederikshavn": "813",
    "Vesthimmerlands": "820",
    "Læsø": "825",
    "Rebild": "840",
    "Mariagerfjord": "846",
    "Jammerbugt": "849",
    "Aalborg": "851",
    "Hjørring": "860",
}

# Spellings people use besides the official (genitive) one; "Århus" already has Aarhus' key.
_OTHER_SPELLINGS = {
    "koebenhavn": "Københavns",
    "nordfyn": "Nordfyns",
    "vesthimmerland": "Vesthimmerlands",
}

_BY_KEY = {match_key(name): name for name in KOMMUNER} | _OTHER_SPELLINGS


@functools.lru_cache(maxsize=100_000)  # more than a national file's areas: 10,000 thrashed
def official_kommune(text: str) -> tuple[str, str] | None:
    """("Horsens", "615") for "Horsens", "HORSENS KOMMUNE" or "Horsens Kommune"; else None."""
    key = match_key(text)
    if key.endswith(" kommune"):
        key = key.removesuffix(" kommune")
    name = _BY_KEY.get(key)
    return (name, KOMMUNER[name]) if name else None


def official_kommune_by_code(code: str) -> str | None:
    """The kommune's name for its official code ("615" or "0615"), else None."""
    wanted = code.strip().lstrip("0")
    return next((name for name, c in KOMMUNER.items() if c == wanted), None)

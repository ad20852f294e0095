"""Static reference data for the demo city, modelled on Den Haag ('s-Gravenhage, CBS code 0518).

Wijk names are real; wijk and buurt codes follow the CBS pattern (WK0518ww, BU0518wwbb). The codes
of Centrum, Stationsbuurt, Mariahoeve en Marlot, Transvaalkwartier, Bouwlust en Vrederust,
Morgenstond, Moerwijk and Laakkwartier en Spoorwijk match CBS; the others are plausible stand-ins
(see docs/development/demo-data.md). Postcode areas are the real four-digit areas of each wijk; the
letters are generated. Streets are real streets of the wijk.

`weight` is the relative number of bijstand households in the wijk (bijstand concentrates in
Schilderswijk, Transvaal, Laak, Moerwijk and Escamp); `non_western` is the share of households
there with a non-western migration background.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "'s-Gravenhage"


@dataclass(frozen=True)
class Buurt:
    code: str
    name: str
    postcode_areas: tuple[str, ...]
    streets: tuple[str, ...]


@dataclass(frozen=True)
class Wijk:
    code: str
    name: str
    weight: float
    non_western: float
    buurten: tuple[Buurt, ...]


# fmt: off
WIJKEN: tuple[Wijk, ...] = (
    Wijk("WK051829", "Schilderswijk", 13, 0.8, (
        Buurt("BU05182915", "Schilderswijk-West", ("2525",),
              ("Hoefkade", "Jan Steenstraat", "Van Ostadestraat", "Wouwermanstraat")),
        Buurt("BU05182916", "Schilderswijk-Oost", ("2526",),
              ("Vaillantlaan", "Hobbemastraat", "Jacob Catsstraat", "Teniersstraat")),
        Buurt("BU05182917", "Schilderswijk-Noord", ("2525",),
              ("Parallelweg", "De la Reyweg", "Zuidwal", "Van der Vennestraat")),
    )),
    Wijk("WK051830", "Transvaalkwartier", 8, 0.8, (
        Buurt("BU05183032", "Transvaalkwartier-Noord", ("2571",),
              ("Paul Krugerlaan", "Kempstraat", "Delagoastraat")),
        Buurt("BU05183033", "Transvaalkwartier-Midden", ("2572",),
              ("Pretoriusstraat", "Sabiestraat", "Kritzingerstraat")),
        Buurt("BU05183034", "Transvaalkwartier-Zuid", ("2572",),
              ("Heeswijkplein", "Herman Costerstraat", "Suezkade")),
    )),
    Wijk("WK051838", "Laakkwartier en Spoorwijk", 10, 0.55, (
        Buurt("BU05183819", "Laakkwartier-West", ("2521", "2522"),
              ("Laakkade", "Goudriaankade", "Van Musschenbroekstraat")),
        Buurt("BU05183822", "Laakkwartier-Oost", ("2522", "2523"),
              ("Leeghwaterplein", "Cruquiusweg", "Oudemansstraat")),
        Buurt("BU05183826", "Spoorwijk", ("2521",),
              ("Hildebrandplein", "Spoorwijkstraat", "Fahrenheitstraat")),
    )),
    Wijk("WK051836", "Moerwijk", 9, 0.45, (
        Buurt("BU05183637", "Moerwijk-Oost", ("2532",),
              ("Loevesteinlaan", "Moerweg", "Oudemolenstraat")),
        Buurt("BU05183638", "Moerwijk-Noord", ("2531", "2532"),
              ("Zuiderparklaan", "Erasmusweg", "Vreeswijkstraat")),
        Buurt("BU05183639", "Moerwijk-Zuid", ("2533",),
              ("Dedemsvaartweg", "Almeloplein", "Zwartsluisstraat")),
    )),
    Wijk("WK051833", "Bouwlust en Vrederust", 9, 0.4, (
        Buurt("BU05183387", "Vrederust-Noord", ("2543",),
              ("Melis Stokelaan", "Hengelolaan", "Nijkerklaan")),
        Buurt("BU05183396", "Bouwlust", ("2544",),
              ("Bouwlustlaan", "Steenwijklaan", "Leyweg")),
        Buurt("BU05183398", "Vrederust-Zuid", ("2545",),
              ("Oudemolenstraat", "Genemuidenstraat", "Harderwijkstraat")),
    )),
    Wijk("WK051834", "Morgenstond", 6, 0.4, (
        Buurt("BU05183480", "Morgenstond-Noord", ("2541",),
              ("Meppelweg", "Leyweg", "Beresteinlaan")),
        Buurt("BU05183488", "Morgenstond-Midden", ("2541",),
              ("Hoogeveenstraat", "Zuidlarenstraat", "Moerweg")),
        Buurt("BU05183489", "Morgenstond-Zuid", ("2546",),
              ("Melis Stokelaan", "Dedemsvaartweg", "Ruinerweg")),
    )),
    Wijk("WK051832", "Rustenburg en Oostbroek", 4, 0.5, (
        Buurt("BU05183270", "Rustenburg", ("2547", "2548"),
              ("Rustenburgweg", "Zuiderparklaan", "Apeldoornselaan")),
        Buurt("BU05183271", "Oostbroek", ("2548",),
              ("Vreeswijkstraat", "Leyweg", "Loosduinseweg")),
    )),
    Wijk("WK051835", "Leyenburg", 2, 0.35, (
        Buurt("BU05183581", "Leyenburg", ("2545",),
              ("Leyweg", "Escamplaan", "Hengelolaan")),
    )),
    Wijk("WK051828", "Centrum", 6, 0.55, (
        Buurt("BU05182811", "Kortenbos", ("2512",),
              ("Spui", "Lange Beestenmarkt", "Stille Veerkade")),
        Buurt("BU05182814", "Zuidwal", ("2512",),
              ("Zuidwal", "Prinsegracht", "Wagenstraat")),
        Buurt("BU05182813", "Uilebomen", ("2511",),
              ("Uilebomen", "Bierkade", "Spinozastraat")),
    )),
    Wijk("WK051827", "Stationsbuurt", 5, 0.65, (
        Buurt("BU05182718", "Stationsbuurt", ("2515",),
              ("Stationsweg", "Huygenspark", "Rijswijkseweg")),
        Buurt("BU05182762", "Rivierenbuurt-Noord", ("2515",),
              ("Waldorpstraat", "Calandstraat", "Maasstraat")),
        Buurt("BU05182763", "Rivierenbuurt-Zuid", ("2516",),
              ("Rijnstraat", "Waalstraat", "Lekstraat")),
    )),
    Wijk("WK051825", "Mariahoeve en Marlot", 6, 0.5, (
        Buurt("BU05182561", "Kampen", ("2591",),
              ("Ruychrocklaan", "Dillenburgsingel", "Tarwekamp")),
        Buurt("BU05182567", "Hof van Den Haag", ("2592",),
              ("Mariahoeveplein", "Hofzichtlaan", "Diamanthorst")),
        Buurt("BU05182569", "Bloemenbuurt-Oost", ("2593",),
              ("Kastelenring", "Haagse Beemden", "Schakelplein")),
    )),
    Wijk("WK051817", "Regentessekwartier", 3, 0.35, (
        Buurt("BU05181751", "Regentessekwartier-Noord", ("2562",),
              ("Weimarstraat", "Regentesselaan", "Beeklaan")),
        Buurt("BU05181752", "Regentessekwartier-Zuid", ("2562",),
              ("Torenstraat", "Jan van Nassaustraat", "Laan van Meerdervoort")),
    )),
    Wijk("WK051818", "Valkenboskwartier", 3, 0.4, (
        Buurt("BU05181853", "Valkenbos", ("2563",),
              ("Valkenboslaan", "Newtonstraat", "Fahrenheitstraat")),
    )),
    Wijk("WK051804", "Scheveningen", 4, 0.15, (
        Buurt("BU05180401", "Duindorp", ("2583",),
              ("Doorniksestraat", "Westduinweg", "Kompasstraat")),
        Buurt("BU05180402", "Scheveningen-Dorp", ("2584", "2586"),
              ("Keizerstraat", "Stevinstraat", "Badhuisweg", "Duinstraat")),
    )),
    Wijk("WK051820", "Loosduinen", 3, 0.15, (
        Buurt("BU05182001", "Loosduinen-Noord", ("2552",),
              ("Loosduinse Hoofdstraat", "Margaretha van Hennebergweg", "Arendsdorp")),
        Buurt("BU05182002", "Loosduinen-Zuid", ("2553",),
              ("Nieuwe Bogaardstraat", "Lozerlaan", "Tesselsehof")),
    )),
    Wijk("WK051842", "Ypenburg", 2, 0.35, (
        Buurt("BU05184201", "Singels", ("2496",),
              ("Laan van Ypenburg", "Singel", "Kasteelweg")),
        Buurt("BU05184202", "Waterwijk", ("2497",),
              ("Waterpas", "Zeldenrustlaan", "Lichtschip")),
    )),
)
# fmt: on

# Letters used in Dutch postcodes (F, I, O, Q, U and Y are not used). The first letter is unique per
# street within a postcode area, so (postcode, house number) always names one street.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
HOUSE_NUMBER_ADDITIONS = ("", "", "", "", "", "A", "B", "1", "2", "3", "HS")

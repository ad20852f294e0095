"""Origins of the demo population: country of birth, languages and common names.

Names are common, everyday names in each community, written as Dutch registers write them (Latin
script). Dutch names come from Faker nl_NL, with an older generation's names for people over 45.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    key: str
    country: str  # ISO 3166-1 alpha-2 of the first generation's country of birth
    non_western: bool  # CBS classification
    refugee: bool  # arrived as statushouder, mostly after 2014
    # Besides Dutch; the first is the main one. ISO 639-1 only, as the import demands: Berber
    # (Tamazight) and Papiamento have no two-letter code, so they cannot be delivered yet.
    languages: tuple[str, ...]
    male: tuple[str, ...] = ()
    female: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()


# fmt: off
ORIGINS: dict[str, Origin] = {
    o.key: o
    for o in (
        Origin("NL", "NL", False, False, ()),
        Origin(
            "MA", "MA", True, False, ("ar",),
            ("Mohamed", "Ahmed", "Mustafa", "Youssef", "Said", "Hassan", "Rachid", "Karim",
             "Nordin", "Mimoun", "Brahim", "Abdelkader", "Driss", "Bilal"),
            ("Fatima", "Khadija", "Naima", "Malika", "Samira", "Latifa", "Aicha", "Nadia",
             "Hafida", "Zohra", "Meryem", "Soumaya", "Houda", "Loubna"),
            ("El Amrani", "Bouzid", "El Idrissi", "Benali", "Azzouzi", "Ouali", "El Khattabi",
             "Haddou", "Bakkali", "Boukhari", "Tahiri", "Essaidi", "El Hamdaoui", "Ait Taleb"),
        ),
        Origin(
            "TR", "TR", True, False, ("tr",),
            ("Mehmet", "Mustafa", "Ahmet", "Hüseyin", "Hasan", "İbrahim", "Osman", "Yusuf",
             "Murat", "Kemal", "Erkan", "Serkan"),
            ("Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Hülya", "Özlem", "Sevgi",
             "Gülsen", "Derya", "Esra"),
            # Turkish names keep the dotless i (U+0131), as the population register does.
            ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk",  # noqa: RUF001
             "Aydın", "Arslan", "Doğan", "Koç", "Kılıç", "Aksoy", "Polat"),  # noqa: RUF001
        ),
        Origin(
            "SR", "SR", True, False, (),
            ("Ramesh", "Sunil", "Roy", "Glenn", "Errol", "Marciano", "Rakesh", "Anand", "Clyde",
             "Romeo", "Ricardo", "Dennis"),
            ("Sharmila", "Anita", "Shanti", "Ingrid", "Marlies", "Priya", "Sandra", "Gisela",
             "Natasja", "Kavita", "Jennifer", "Ilse"),
            ("Ramdin", "Jagroep", "Sewdien", "Kartosen", "Wijngaarde", "Pinas", "Soekhai",
             "Ramsaran", "Biharie", "Kromodimedjo", "Mangroelal", "Sitaldin", "Vreden", "Linger"),
        ),
        Origin(
            "CW", "CW", True, False, (),
            ("Rignald", "Juan", "Edsel", "Jurgen", "Giovanni", "Ricardo", "Shurwen", "Gilbert",
             "Anthony", "Ruthmar"),
            ("Yolanda", "Shirley", "Marisol", "Jacqueline", "Giselle", "Rosa", "Shudaisy",
             "Maritza", "Glenda", "Sherida"),
            ("Martina", "Isenia", "Rosaria", "Janga", "Pieternella", "Doran", "Maduro",
             "Albertus", "Cijntje", "Leito", "Felida", "Wout"),
        ),
        Origin(
            "SY", "SY", True, True, ("ar",),
            ("Mohammad", "Ahmad", "Khaled", "Omar", "Ali", "Hussein", "Bassam", "Rami", "Samer",
             "Yaser"),
            ("Rasha", "Hanan", "Lina", "Rania", "Amal", "Nour", "Huda", "Ghada", "Reem", "Dima"),
            ("Al Hassan", "Alkhatib", "Haddad", "Al Ahmad", "Darwish", "Khalil", "Mansour",
             "Al Ali", "Ibrahim", "Hamoud", "Sabbagh", "Kassem"),
        ),
        Origin(
            "ER", "ER", True, True, ("ti",),
            ("Tesfay", "Yonas", "Filmon", "Semere", "Dawit", "Habtom", "Berhane", "Mehari"),
            ("Helen", "Senait", "Rahel", "Selam", "Yordanos", "Lidya", "Freweini", "Mebrat"),
            ("Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Tekle", "Woldu", "Ghebreyesus",
             "Berhe", "Abraha", "Mehari"),
        ),
        Origin(
            "SO", "SO", True, True, ("so",),
            ("Abdi", "Mohamed", "Ahmed", "Abdirahman", "Hassan", "Farah", "Ali", "Yusuf"),
            ("Hodan", "Faadumo", "Amina", "Sahra", "Hawa", "Ifrah", "Sagal", "Khadra"),
            ("Farah", "Abdi", "Warsame", "Osman", "Hassan", "Jama", "Aden", "Ismail", "Mohamud",
             "Nur"),
        ),
        Origin(
            "AF", "AF", True, True, ("fa", "ps"),
            ("Ahmad", "Mohammad", "Farid", "Jawad", "Najib", "Wahid", "Hamid", "Rahim"),
            ("Fatima", "Zahra", "Mariam", "Farzana", "Nadia", "Shabnam", "Laila", "Parwin"),
            ("Ahmadi", "Hashimi", "Rahimi", "Karimi", "Sultani", "Noori", "Hakimi", "Popal",
             "Sadat", "Stanikzai"),
        ),
        Origin(
            "IQ", "IQ", True, True, ("ar", "ku"),
            ("Ali", "Hussein", "Haider", "Mustafa", "Ahmed", "Abbas", "Karim", "Salam"),
            ("Zainab", "Fatima", "Maryam", "Noor", "Sara", "Huda", "Shaima", "Iman"),
            ("Al Saadi", "Hussein", "Jabbar", "Kadhim", "Al Obaidi", "Salih", "Abdullah",
             "Hamid"),
        ),
        Origin(
            "GH", "GH", True, False, ("en", "tw"),
            ("Kwame", "Kofi", "Kwabena", "Yaw", "Emmanuel", "Samuel"),
            ("Akosua", "Ama", "Abena", "Efua", "Comfort", "Gifty"),
            ("Mensah", "Owusu", "Boateng", "Asante", "Appiah", "Osei", "Adjei"),
        ),
        Origin(
            "PL", "PL", False, False, ("pl",),
            ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Andrzej", "Michał", "Łukasz"),
            ("Anna", "Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Monika", "Ewa", "Beata"),
            ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski",
             "Zieliński", "Szymański", "Mazur", "Krawczyk"),
        ),
        Origin(
            "BG", "BG", False, False, ("bg", "tr"),
            ("Ivan", "Georgi", "Dimitar", "Nikolai", "Stefan", "Hristo"),
            ("Maria", "Elena", "Ivanka", "Daniela", "Petya", "Silvia"),
            ("Ivanov", "Petrov", "Dimitrov", "Georgiev", "Nikolov", "Stoyanov"),
        ),
    )
}

# Shares among adult recipients in a wijk with a given non-western share: first pick western or
# non-western, then a group with these weights. Over Den Haag this gives about half non-western.
NON_WESTERN_WEIGHTS = {
    "MA": 24, "TR": 16, "SR": 18, "CW": 8, "SY": 12, "ER": 6, "SO": 4, "AF": 4, "IQ": 4,
    "GH": 4,
}
WESTERN_WEIGHTS = {"NL": 86, "PL": 9, "BG": 5}

# Names common among Dutch people born before ~1980 (Faker's nl_NL list is a younger generation).
OLDER_DUTCH_MALE = (
    "Johannes", "Cornelis", "Petrus", "Jan", "Hendrik", "Willem", "Gerard", "Peter", "Marcel",
    "Ronald", "Johan", "Richard", "Frank", "Erik", "André", "Rob", "Martin", "Hans", "Kees",
    "Paul", "Edwin", "René",
)
OLDER_DUTCH_FEMALE = (
    "Maria", "Johanna", "Anna", "Cornelia", "Wilhelmina", "Petronella", "Ingrid", "Monique",
    "Sandra", "Linda", "Marja", "Yvonne", "Anita", "Carla", "Patricia", "Wilma", "Els",
    "Annemarie", "Jolanda", "Marian", "Diana", "Ria",
)

NAME_PREFIXES = frozenset(
    {"van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op", "die", "la", "le",
     "du", "d'", "'s", "in't", "von", "vander", "vanden"}
)
# fmt: on


def split_surname(full: str) -> tuple[str, str]:
    """("van den", "Berg") for "van den Berg": Dutch registers keep the prefix apart."""
    words = full.split(" ")
    prefix: list[str] = []
    while len(words) > 1 and words[0].lower() in NAME_PREFIXES and words[0][:1].islower():
        prefix.append(words.pop(0))
    return " ".join(prefix), " ".join(words)


def polish_surname(surname: str, *, female: bool) -> str:
    """Polish surnames in -ski/-cki take -ska/-cka for women."""
    if female and surname.endswith(("ski", "cki")):
        return surname[:-1] + "a"
    if female and surname.endswith("ov"):
        return surname + "a"  # Bulgarian: Ivanov / Ivanova
    return surname

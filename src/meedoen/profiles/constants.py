"""Choices of the conversation and the profile (docs/profiles.md).

Codes are stored; labels are Dutch through gettext. The ZRM and participatieladder help texts are
our own short wording: the official ZRM criteria are copyrighted (GGD Amsterdam) and not copied.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- the conversation ----------------------------------------------------------------------------


class ConversationPlace(models.TextChoices):
    HOME_VISIT = "huisbezoek", _("huisbezoek")
    OFFICE = "kantoor", _("op kantoor")
    PHONE = "telefoon", _("telefonisch")
    NEIGHBOURHOOD = "wijklocatie", _("op een locatie in de wijk")
    VIDEO = "video", _("videobellen")


class ParticipantRole(models.TextChoices):
    """Who else took part, by role only: the names of third parties are not needed for the
    guidance and are therefore not recorded (data minimisation)."""

    PARTNER = "partner", _("partner")
    CHILD = "kind", _("kind (volwassen)")
    FAMILY = "familie", _("ander familielid")
    INTERPRETER = "tolk", _("tolk")
    CONFIDANT = "vertrouwenspersoon", _("vertrouwenspersoon of maatje")
    PARTNER_ORGANISATION = "partnerorganisatie", _("medewerker partnerorganisatie")
    COLLEAGUE = "collega", _("collega van de gemeente")
    OTHER = "overig", _("iemand anders")


# --- obstacles and practical help ---------------------------------------------------------------


class ObstacleCategory(models.TextChoices):
    PHYSICAL_HEALTH = "lichamelijke_gezondheid", _("lichamelijke gezondheid")
    MENTAL_HEALTH = "psychische_gezondheid", _("psychische gezondheid")
    DEBTS = "schulden", _("schulden")
    LANGUAGE = "taal", _("taal")
    CHILDCARE = "kinderopvang", _("kinderopvang")
    CARE_FOR_OTHERS = "mantelzorg", _("zorg voor anderen (mantelzorg)")
    HOUSING = "huisvesting", _("huisvesting")
    MOBILITY = "mobiliteit", _("vervoer en mobiliteit")
    ADDICTION = "verslaving", _("verslaving")
    JUSTICE = "justitie", _("justitie")
    SELF_CONFIDENCE = "zelfvertrouwen", _("weinig zelfvertrouwen")
    DISTRUST = "wantrouwen", _("wantrouwen in instanties")
    DIGITAL_SKILLS = "digitale_vaardigheden", _("digitale vaardigheden")
    OTHER = "overig", _("anders")


# Special categories of personal data (AVG art. 9 and 10): shown and shared with extra care.
SPECIAL_OBSTACLES = frozenset(
    {
        ObstacleCategory.PHYSICAL_HEALTH,
        ObstacleCategory.MENTAL_HEALTH,
        ObstacleCategory.ADDICTION,
        ObstacleCategory.JUSTICE,
    }
)


class Severity(models.IntegerChoices):
    LIGHT = 1, _("licht")
    MODERATE = 2, _("matig")
    SEVERE = 3, _("ernstig")


class HelpCategory(models.TextChoices):
    """Practical help needed right now: the quick, concrete help the programmes start with."""

    INCOME = "inkomen", _("inkomen, toeslagen of uitkering regelen")
    DEBTS = "schulden", _("schulden en betalingsachterstanden")
    ADMINISTRATION = "administratie", _("post en administratie")
    HOUSING = "wonen", _("woning of dreigende huisuitzetting")
    CHILDCARE = "kinderopvang", _("kinderopvang")
    TRANSPORT = "vervoer", _("vervoer (fiets, ov-kaart)")
    DIGITAL = "digitaal", _("digitale zaken (DigiD, e-mail, computer)")
    HEALTH_CARE = "zorg", _("zorg of hulpverlening")
    FOOD_CLOTHING = "basisbehoeften", _("voedsel en kleding")
    LEGAL = "juridisch", _("juridische hulp")
    OTHER = "overig", _("anders")


# --- life domains: ZRM 2017 ---------------------------------------------------------------------


class ZrmDomain(models.TextChoices):
    """The 13 domains of the Zelfredzaamheid-Matrix 2017, in the matrix's own order."""

    FINANCES = "financien", _("Financiën")
    WORK_EDUCATION = "werk_opleiding", _("Werk en opleiding")
    TIME_USE = "tijdsbesteding", _("Tijdsbesteding")
    HOUSING = "huisvesting", _("Huisvesting")
    DOMESTIC_RELATIONS = "huiselijke_relaties", _("Huiselijke relaties")
    MENTAL_HEALTH = "geestelijke_gezondheid", _("Geestelijke gezondheid")
    PHYSICAL_HEALTH = "lichamelijke_gezondheid", _("Lichamelijke gezondheid")
    SUBSTANCE_USE = "middelengebruik", _("Middelengebruik")
    BASIC_ADL = "basale_adl", _("Basale ADL")
    INSTRUMENTAL_ADL = "instrumentele_adl", _("Instrumentele ADL")
    SOCIAL_NETWORK = "sociaal_netwerk", _("Sociaal netwerk")
    SOCIAL_PARTICIPATION = "maatschappelijke_participatie", _("Maatschappelijke participatie")
    JUSTICE = "justitie", _("Justitie")


ZRM_DOMAINS: tuple[str, ...] = tuple(ZrmDomain.values)


class ZrmScore(models.IntegerChoices):
    ACUTE = 1, _("1: acute problematiek")
    NOT_SELF_RELIANT = 2, _("2: niet zelfredzaam")
    LIMITED = 3, _("3: beperkt zelfredzaam")
    SUFFICIENT = 4, _("4: voldoende zelfredzaam")
    FULL = 5, _("5: volledig zelfredzaam")


# Our own short help per domain: what the coach looks at. Not the ZRM criteria.
ZRM_DOMAIN_HELP: dict[str, object] = {
    ZrmDomain.FINANCES: _("Kan iemand rondkomen, betalingen bijhouden en schulden voorkomen?"),
    ZrmDomain.WORK_EDUCATION: _("Heeft iemand werk, een opleiding of iets wat daarop lijkt?"),
    ZrmDomain.TIME_USE: _("Heeft de dag een ritme en een invulling die iemand zelf zinvol vindt?"),
    ZrmDomain.HOUSING: _("Heeft iemand een vaste, veilige en betaalbare plek om te wonen?"),
    ZrmDomain.DOMESTIC_RELATIONS: _(
        "Gaat het goed thuis: tussen partners, met de kinderen, zonder geweld of grote spanning?"
    ),
    ZrmDomain.MENTAL_HEALTH: _(
        "Hoe gaat het psychisch, en krijgt iemand de hulp die daarbij nodig is?"
    ),
    ZrmDomain.PHYSICAL_HEALTH: _(
        "Hoe gaat het lichamelijk, en beperkt een ziekte of handicap het dagelijks leven?"
    ),
    ZrmDomain.SUBSTANCE_USE: _(
        "Gebruikt iemand alcohol, drugs of medicijnen zo dat het problemen geeft?"
    ),
    ZrmDomain.BASIC_ADL: _("Lukt de eigen verzorging: eten, wassen, aankleden, naar het toilet?"),
    ZrmDomain.INSTRUMENTAL_ADL: _(
        "Lukt het huishouden: boodschappen, koken, schoonmaken, afspraken en post?"
    ),
    ZrmDomain.SOCIAL_NETWORK: _("Zijn er mensen om op terug te vallen: familie, vrienden, buren?"),
    ZrmDomain.SOCIAL_PARTICIPATION: _(
        "Doet iemand mee in de buurt of de samenleving: vrijwilligerswerk, club, school?"
    ),
    ZrmDomain.JUSTICE: _("Is iemand in aanraking met politie of justitie, en hoe ernstig?"),
}

# Our own short help per score: the same idea on every domain.
ZRM_SCORE_HELP: dict[int, object] = {
    1: _("Er is nu direct hulp nodig; de situatie is onveilig of dreigt te ontsporen."),
    2: _("Iemand redt het op dit gebied niet zelf; er is veel hulp of ondersteuning nodig."),
    3: _("Het lukt met moeite of met geregelde hulp; de situatie is kwetsbaar."),
    4: _("Het lukt grotendeels zelf, eventueel met wat hulp die iemand zelf regelt."),
    5: _("Het lukt volledig zelf; er is geen hulp nodig."),
}


# --- participatieladder -------------------------------------------------------------------------


class LadderRung(models.IntegerChoices):
    ISOLATED = 1, _("1: geïsoleerd")
    SOCIAL_CONTACTS = 2, _("2: sociale contacten buitenshuis")
    ORGANISED_ACTIVITIES = 3, _("3: deelname aan georganiseerde activiteiten")
    UNPAID_WORK = 4, _("4: onbetaald werk")
    PAID_WORK_SUPPORTED = 5, _("5: betaald werk met ondersteuning")
    PAID_WORK = 6, _("6: betaald werk")


LADDER_RUNG_HELP: dict[int, object] = {
    1: _("Weinig of geen contacten buiten het eigen huishouden."),
    2: _("Heeft contact met mensen buitenshuis, zoals familie, buren of vrienden."),
    3: _("Doet mee aan georganiseerde activiteiten: cursus, sport, club, taalles."),
    4: _("Doet onbetaald werk: vrijwilligerswerk, stage of werkervaringsplek."),
    5: _("Heeft betaald werk met ondersteuning, zoals een jobcoach of loonkostensubsidie."),
    6: _("Heeft betaald werk zonder ondersteuning."),
}


# --- work profile -------------------------------------------------------------------------------


class WorkReadiness(models.TextChoices):
    WORK_READY = "werkfit", _("werkfit")
    WITH_SUPPORT = "met_ondersteuning", _("werkfit met ondersteuning")
    NOT_YET = "nog_niet", _("nog niet werkfit")


class EducationLevel(models.TextChoices):
    """Highest education completed, in Dutch levels. ISCED 2011 for reports: EDUCATION_ISCED."""

    NONE = "geen", _("geen of niet afgemaakt basisonderwijs")
    PRIMARY = "basisonderwijs", _("basisonderwijs")
    PRACTICAL = "praktijkonderwijs", _("praktijkonderwijs of vso")
    VMBO = "vmbo", _("vmbo (of mavo, lbo)")
    MBO1 = "mbo1", _("mbo 1 (entree)")
    MBO2 = "mbo2", _("mbo 2")
    MBO3 = "mbo3", _("mbo 3")
    MBO4 = "mbo4", _("mbo 4")
    HAVO_VWO = "havo_vwo", _("havo of vwo")
    HBO = "hbo", _("hbo (bachelor)")
    WO = "wo", _("wo (master)")
    FOREIGN_UNKNOWN = "buitenland_onbekend", _("buitenlands diploma, niveau nog niet bekend")


# ISCED 2011 level per Dutch level, for reports (CBS, Divosa). None: not known yet.
EDUCATION_ISCED: dict[str, int | None] = {
    EducationLevel.NONE: 0,
    EducationLevel.PRIMARY: 1,
    EducationLevel.PRACTICAL: 2,
    EducationLevel.VMBO: 2,
    EducationLevel.MBO1: 2,
    EducationLevel.MBO2: 3,
    EducationLevel.MBO3: 3,
    EducationLevel.MBO4: 4,
    EducationLevel.HAVO_VWO: 3,
    EducationLevel.HBO: 6,
    EducationLevel.WO: 7,
    EducationLevel.FOREIGN_UNKNOWN: None,
}


class LanguageLevel(models.TextChoices):
    """Dutch language level on the CEFR scale (B1: plain-language letters and many jobs)."""

    NONE = "geen", _("spreekt geen Nederlands")
    A1 = "A1", _("A1")
    A2 = "A2", _("A2")
    B1 = "B1", _("B1")
    B2 = "B2", _("B2")
    C1 = "C1", _("C1")
    C2 = "C2", _("C2")
    NATIVE = "moedertaal", _("moedertaal")


# Ordered for comparisons ("at least B1").
LANGUAGE_LEVEL_RANK: dict[str, int] = {code: rank for rank, code in enumerate(LanguageLevel.values)}


class Sector(models.TextChoices):
    """Preferred sectors, with the work agreements of Werkoffensief +500 first."""

    HOSPITALITY = "horeca_toerisme", _("horeca en toerisme")
    CONSTRUCTION = "bouw_installatie", _("bouw en installatie")
    CARE = "zorg_welzijn", _("zorg en welzijn")
    LOGISTICS = "transport_logistiek", _("transport en (agri)logistiek")
    AGRICULTURE = "agrarisch_groen", _("agrarisch en groen")
    CLEANING = "schoonmaak", _("schoonmaak")
    RETAIL = "detailhandel", _("detailhandel")
    MANUFACTURING = "productie_techniek", _("productie en techniek")
    OFFICE = "administratie_zakelijk", _("administratie en zakelijke dienstverlening")
    ICT = "ict", _("ICT")
    EDUCATION_CHILDCARE = "onderwijs_kinderopvang", _("onderwijs en kinderopvang")
    SECURITY = "beveiliging", _("beveiliging")
    PUBLIC = "overheid", _("overheid")
    CULTURE_SPORT = "cultuur_sport", _("cultuur, sport en recreatie")
    OTHER = "overig", _("anders")


# SBI 2008 section(s) per sector, for reports and for matching vacancies later (issue: matching).
SECTOR_SBI: dict[str, tuple[str, ...]] = {
    Sector.HOSPITALITY: ("I",),
    Sector.CONSTRUCTION: ("F",),
    Sector.CARE: ("Q",),
    Sector.LOGISTICS: ("H",),
    Sector.AGRICULTURE: ("A",),
    Sector.CLEANING: ("N",),
    Sector.RETAIL: ("G",),
    Sector.MANUFACTURING: ("C",),
    Sector.OFFICE: ("M", "N"),
    Sector.ICT: ("J",),
    Sector.EDUCATION_CHILDCARE: ("P", "Q"),
    Sector.SECURITY: ("N",),
    Sector.PUBLIC: ("O",),
    Sector.CULTURE_SPORT: ("R",),
    Sector.OTHER: (),
}


class TravelMeans(models.TextChoices):
    WALK = "lopen", _("lopen")
    BICYCLE = "fiets", _("fiets")
    PUBLIC_TRANSPORT = "ov", _("openbaar vervoer")
    MOPED = "scooter", _("scooter of brommer")
    CAR = "auto", _("auto")


class DrivingLicence(models.TextChoices):
    AM = "AM", _("AM (bromfiets)")
    A = "A", _("A (motor)")
    B = "B", _("B (auto)")
    BE = "BE", _("BE (auto met aanhanger)")
    C = "C", _("C (vrachtwagen)")
    CE = "CE", _("CE (vrachtwagen met aanhanger)")
    D = "D", _("D (bus)")
    CODE95 = "code95", _("code 95 (beroepschauffeur)")


class WorkPreferenceKind(models.TextChoices):
    OCCUPATION = "beroep", _("beroep")
    SECTOR = "sector", _("sector")


# --- completeness -------------------------------------------------------------------------------


class ProfilePart(models.TextChoices):
    """The parts of a profile that the completeness indicator counts (docs/profiles.md)."""

    TALENTS = "talenten", _("talenten en vaardigheden")
    WISHES = "wensen", _("wensen en behoeften")
    AMBITIONS = "ambities", _("ambities")
    OBSTACLES = "belemmeringen", _("belemmeringen")
    LIFE_DOMAINS = "leefgebieden", _("leefgebieden (ZRM, volledig)")
    LADDER = "participatieladder", _("participatieladder")
    WORK = "werkprofiel", _("werkprofiel")

"""Controlled vocabularies of the domain, each value with its German label.

Values are stable ASCII codes (stored in the database and used in files);
labels are what the UI shows.  Renaming a label never needs a migration.
"""

from enum import StrEnum


class LabeledEnum(StrEnum):
    """A string enum whose members carry a German display label."""

    label: str

    def __new__(cls, value: str, label: str = "") -> "LabeledEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Map every code to its German label, in declaration order."""
        return {member.value: member.label for member in cls}


class FederalState(LabeledEnum):
    """The 16 Länder, keyed by their official two-letter abbreviations."""

    BW = ("BW", "Baden-Württemberg")
    BY = ("BY", "Bayern")
    BE = ("BE", "Berlin")
    BB = ("BB", "Brandenburg")
    HB = ("HB", "Bremen")
    HH = ("HH", "Hamburg")
    HE = ("HE", "Hessen")
    MV = ("MV", "Mecklenburg-Vorpommern")
    NI = ("NI", "Niedersachsen")
    NW = ("NW", "Nordrhein-Westfalen")
    RP = ("RP", "Rheinland-Pfalz")
    SL = ("SL", "Saarland")
    SN = ("SN", "Sachsen")
    ST = ("ST", "Sachsen-Anhalt")
    SH = ("SH", "Schleswig-Holstein")
    TH = ("TH", "Thüringen")


class OrganizationKind(LabeledEnum):
    LAND = ("land", "Land")
    FEDERAL_MINISTRY = ("federal_ministry", "Bundesressort")
    STATE_MINISTRY = ("state_ministry", "Landesministerium/Staatskanzlei")
    DISTRICT = ("district", "Landkreis")
    DISTRICT_FREE_CITY = ("district_free_city", "kreisfreie Stadt")
    MUNICIPALITY = ("municipality", "Gemeinde")
    SPECIAL_PURPOSE_ASSOCIATION = ("special_purpose_association", "Zweckverband")
    PUBLIC_INSTITUTION = ("public_institution", "Anstalt des öffentlichen Rechts")
    MUNICIPAL_ASSOCIATION = ("municipal_association", "kommunaler Spitzenverband")
    IT_PROVIDER = ("it_provider", "IT-Dienstleister")
    COMPANY = ("company", "Gesellschaft")
    ASSOCIATION = ("association", "Verband")
    OTHER = ("other", "Sonstige")


class CommitteeKind(LabeledEnum):
    STEERING_COMMITTEE = ("steering_committee", "Lenkungsausschuss")
    WORKING_GROUP = ("working_group", "Arbeitsgruppe")
    ADVISORY_BOARD = ("advisory_board", "Beirat")
    SUMMIT = ("summit", "Spitzengespräch/Konferenz")
    COUNCIL = ("council", "Rat/Kreistag")
    ASSOCIATION_ASSEMBLY = ("association_assembly", "Verbandsversammlung")
    SUPERVISORY_BOARD = ("supervisory_board", "Aufsichtsrat/Verwaltungsrat")
    SHAREHOLDERS_MEETING = ("shareholders_meeting", "Gesellschafterversammlung")
    OTHER = ("other", "Sonstiges")


class QuorumRule(LabeledEnum):
    """When a committee is beschlussfähig, counted against its voting seats."""

    MORE_THAN_HALF = (
        "more_than_half",
        "mehr als die Hälfte der stimmberechtigten Mitglieder anwesend",
    )
    AT_LEAST_HALF = (
        "at_least_half",
        "mindestens die Hälfte der stimmberechtigten Mitglieder anwesend",
    )
    TWO_THIRDS = (
        "two_thirds",
        "mindestens zwei Drittel der stimmberechtigten Mitglieder anwesend",
    )
    ALL = ("all", "alle stimmberechtigten Mitglieder anwesend")
    NONE = ("none", "ohne Quorum (stets beschlussfähig)")


class MajorityRule(LabeledEnum):
    """What a motion needs to pass; abstentions and biased members never count."""

    SIMPLE = ("simple", "einfache Mehrheit der abgegebenen Stimmen")
    ABSOLUTE = ("absolute", "Mehrheit der stimmberechtigten Mitglieder")
    TWO_THIRDS = ("two_thirds", "Zwei-Drittel-Mehrheit der abgegebenen Stimmen")
    UNANIMOUS = ("unanimous", "Einstimmigkeit der abgegebenen Stimmen")


class MembershipRole(LabeledEnum):
    CHAIR = ("chair", "Vorsitz")
    DEPUTY_CHAIR = ("deputy_chair", "stellv. Vorsitz")
    MEMBER = ("member", "Mitglied")
    DEPUTY_MEMBER = ("deputy_member", "stellv. Mitglied")
    SECRETARY = ("secretary", "Schriftführung")
    ADVISORY = ("advisory", "beratend")
    GUEST = ("guest", "Gast")
    OFFICE = ("office", "Geschäftsstelle")


class MeetingKind(LabeledEnum):
    IN_PERSON = ("in_person", "Präsenz")
    VIDEO = ("video", "Video")
    HYBRID = ("hybrid", "hybrid")
    CIRCULATION = ("circulation", "Umlaufverfahren")


class MeetingState(LabeledEnum):
    PLANNED = ("planned", "geplant")
    INVITED = ("invited", "eingeladen")
    HELD = ("held", "durchgeführt")
    CLOSED = ("closed", "abgeschlossen")


class AttendanceStatus(LabeledEnum):
    PRESENT = ("present", "anwesend")
    EXCUSED = ("excused", "entschuldigt")
    ABSENT = ("absent", "unentschuldigt")
    REPRESENTED = ("represented", "vertreten")


class DecisionKind(LabeledEnum):
    RESOLUTION = ("resolution", "Beschluss")
    RECOMMENDATION = ("recommendation", "Empfehlung")
    ACKNOWLEDGEMENT = ("acknowledgement", "Kenntnisnahme")
    CIRCULAR_RESOLUTION = ("circular_resolution", "Umlaufbeschluss")


class DecisionResult(LabeledEnum):
    ADOPTED_UNANIMOUSLY = ("adopted_unanimously", "einstimmig angenommen")
    ADOPTED_BY_MAJORITY = ("adopted_by_majority", "mehrheitlich angenommen")
    REJECTED = ("rejected", "abgelehnt")
    POSTPONED = ("postponed", "vertagt")
    NOTED = ("noted", "zur Kenntnis genommen")


class VoteMode(LabeledEnum):
    OPEN = ("open", "offen")
    ROLL_CALL = ("roll_call", "namentlich")
    SECRET = ("secret", "geheim")
    CIRCULATION = ("circulation", "Umlauf")


class FollowUpStatus(LabeledEnum):
    OPEN = ("open", "offen")
    IN_PROGRESS = ("in_progress", "in Umsetzung")
    DONE = ("done", "erledigt")
    NOT_FEASIBLE = ("not_feasible", "nicht umsetzbar")


class AgreementKind(LabeledEnum):
    COOPERATION = ("cooperation", "Kooperationsvereinbarung")
    COMPANY_FOUNDING = ("company_founding", "Gründung einer Gesellschaft")
    ADMINISTRATIVE = ("administrative", "Verwaltungsvereinbarung")
    EFA = ("efa", "EfA-Einzelvereinbarung")
    OTHER = ("other", "Sonstige")


class AgreementState(LabeledEnum):
    NEGOTIATING = ("negotiating", "in Verhandlung")
    AGREED = ("agreed", "vereinbart")
    AWAITING_APPROVAL = ("awaiting_approval", "in Zustimmung")
    IN_FORCE = ("in_force", "wirksam")
    FAILED = ("failed", "gescheitert")
    ENDED = ("ended", "beendet")


class PartyRole(LabeledEnum):
    FOUNDING_SHAREHOLDER = ("founding_shareholder", "Gründungsgesellschafter")
    SHAREHOLDER = ("shareholder", "Gesellschafter")
    CONTRACTING_PARTY = ("contracting_party", "Vertragspartner")
    LEAD = ("lead", "Federführung")
    SUPPORTER = ("supporter", "Unterstützer")
    OBSERVER = ("observer", "Beobachter")


class ApprovalState(LabeledEnum):
    PENDING = ("pending", "ausstehend")
    GRANTED = ("granted", "erteilt")
    REFUSED = ("refused", "abgelehnt")
    NOT_REQUIRED = ("not_required", "entfällt")


class ParticipationRole(LabeledEnum):
    LEAD = ("lead", "federführend")
    CO_LEAD = ("co_lead", "mitfederführend")
    SUPPORTING = ("supporting", "unterstützend")
    IMPLEMENTING = ("implementing", "umsetzend")
    REUSING = ("reusing", "nachnutzend")
    INVOLVED = ("involved", "beteiligt")


class AuditAction(LabeledEnum):
    CREATE = ("create", "angelegt")
    UPDATE = ("update", "geändert")
    ARCHIVE = ("archive", "archiviert")
    RESTORE = ("restore", "wiederhergestellt")
    DELETE = ("delete", "gelöscht")
    SIGN_IN = ("sign_in", "angemeldet")
    SIGN_IN_FAILED = ("sign_in_failed", "Anmeldung fehlgeschlagen")
    SIGN_OUT = ("sign_out", "abgemeldet")


class Role(LabeledEnum):
    """What an account may do; a Sekretariat writes only where it is assigned."""

    ADMIN = ("admin", "Administrator")
    SECRETARIAT = ("secretariat", "Sekretariat")
    READER = ("reader", "Lesend")

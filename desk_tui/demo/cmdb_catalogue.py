"""What the demo's CMDB is made of: models, billed configurations, applications and how
they depend on each other, licence products and certificate issuers."""

from __future__ import annotations

from dataclasses import dataclass

from desk_tui.store.enums import CiType

TAG_PREFIX = {
    CiType.WERKPLEK: "WP", CiType.LAPTOP: "LT", CiType.SERVER: "SRV",
    CiType.NETWERKAPPARAAT: "NET", CiType.TELEFOON: "TEL", CiType.MOBIEL_APPARAAT: "MOB",
    CiType.PRINTER: "PRN",
}


@dataclass(frozen=True, slots=True)
class DeviceConfiguration:
    """One billed configuration of an end-user device: its share of the type and the
    models bought for it."""

    name: str
    share: float
    models: tuple[str, ...]


# The configurations the quarterly invoice counts per organisation and type.
DEVICE_CONFIGURATIONS: dict[CiType, tuple[DeviceConfiguration, ...]] = {
    CiType.WERKPLEK: (
        DeviceConfiguration("standaard", 0.70, ("HP EliteDesk 800 G6", "HP EliteDesk 800 G8",
                                                "Dell OptiPlex 7010")),
        DeviceConfiguration("zwaar", 0.15, ("HP Z2 G9 Tower", "Dell Precision 3660")),
        DeviceConfiguration("thin client", 0.15, ("HP t640 Thin Client", "IGEL UD3")),
    ),
    CiType.LAPTOP: (
        DeviceConfiguration("standaard", 0.80, ("Dell Latitude 5440", "HP EliteBook 840 G9")),
        DeviceConfiguration("ontwikkel", 0.20, ("Dell Latitude 7430", "Dell Precision 5680")),
    ),
    CiType.TELEFOON: (
        DeviceConfiguration("vast", 0.70, ("Yealink T54W", "Yealink T46U")),
        DeviceConfiguration("softphone", 0.30, ("Microsoft Teams",)),
    ),
    CiType.MOBIEL_APPARAAT: (
        DeviceConfiguration("basis", 0.60, ("Samsung Galaxy A54", "iPhone SE")),
        DeviceConfiguration("zakelijk", 0.40, ("iPhone 15", "iPhone 13", "Samsung Galaxy S23")),
    ),
    CiType.PRINTER: (
        DeviceConfiguration("multifunctional", 0.65, ("Canon imageRUNNER ADVANCE DX C5860i",
                                                      "Canon imageRUNNER ADVANCE DX C3926i")),
        DeviceConfiguration("afdelingsprinter", 0.35, ("HP Color LaserJet Enterprise M554dn",
                                                       "Canon i-SENSYS LBP722Cdw")),
    ),
}
# Servers: a physical host for every so many virtual machines.
VMS_PER_HOST = 11
HOST_MODELS = ("HPE ProLiant DL380 Gen10", "HPE ProLiant DL380 Gen11")
SERVER_ROLES = ("applicatie", "database", "bestand", "domeincontroller", "citrix")
ROLE_CODE = {
    "applicatie": "app", "database": "sql", "bestand": "fs", "domeincontroller": "dc",
    "citrix": "ctx", "hypervisor": "esx",
}
SERVER_OS = ("Windows Server 2022", "Windows Server 2019", "Red Hat Enterprise Linux 9")
RETIRED_SERVER_OS = "Windows Server 2012 R2"

HOST_PART = {"core switch": "cs", "firewall": "fw", "switch": "sw", "access point": "ap"}
ENVIRONMENTS = ("", " acceptatie", " test", " opleiding")


@dataclass(frozen=True, slots=True)
class ApplicationFacts:
    vendor: str
    version: str  # "cloud": bought as a service, runs on no server of ours
    has_database: bool
    depends_on: tuple[str, ...] = ()  # other applications of the same organisation
    via_citrix: bool = False  # published to the workplaces through Citrix


APPLICATIONS: dict[str, ApplicationFacts] = {
    "Key2Burgerzaken": ApplicationFacts("Centric", "2024.2.3", True, via_citrix=True),
    # Taxes and the social domain read the persons register (BRP) from Key2Burgerzaken and
    # book into the financial administration.
    "Key2Belastingen": ApplicationFacts("Centric", "2024.1.7", True,
                                        ("Key2Burgerzaken", "Key2Financiën"), True),
    "Key2Financiën": ApplicationFacts("Centric", "2023.4.2", True, via_citrix=True),
    "Suite4 Sociaal Domein": ApplicationFacts("Centric", "2024.3.0", True,
                                              ("Key2Burgerzaken", "Key2Financiën"), True),
    "Decos JOIN": ApplicationFacts("Decos", "2024.6.1", True, ("Microsoft 365",)),
    "Microsoft 365": ApplicationFacts("Microsoft", "cloud", False),
    "iBabs": ApplicationFacts("iBabs", "cloud", False),
    "Squit XO": ApplicationFacts("Roxit", "5.12.0", True, ("Decos JOIN",), True),
    "AFAS Profit": ApplicationFacts("AFAS", "cloud", False),
    "Topdesk": ApplicationFacts("Topdesk", "2024.9", True),
    "Citrix Virtual Apps": ApplicationFacts("Citrix", "2402 LTSR", False),
    "Veeam Backup": ApplicationFacts("Veeam", "12.2.0", True),
    "Microsoft Entra ID": ApplicationFacts("Microsoft", "cloud", False),
}
# The servicedesk's own applications everything else leans on.
SIGN_IN = "Microsoft Entra ID"
CITRIX = "Citrix Virtual Apps"


@dataclass(frozen=True, slots=True)
class LicenceProduct:
    product: str
    vendor: str
    metric: str  # the billed configuration
    term_days: int
    application: str | None = None  # the application the licence is for


LICENCE_PRODUCTS = (
    LicenceProduct("Microsoft 365 E3", "Microsoft", "per gebruiker", 365, "Microsoft 365"),
    LicenceProduct("Adobe Acrobat Pro", "Adobe", "per gebruiker", 365),
    LicenceProduct("ArcGIS Pro", "Esri", "concurrent", 365),
    LicenceProduct("Centric Key2 suite", "Centric", "per organisatie", 3 * 365,
                   "Key2Burgerzaken"),
    LicenceProduct("Zivver", "Zivver", "per gebruiker", 2 * 365),
)


@dataclass(frozen=True, slots=True)
class CertificateHost:
    """A host name every organisation has a certificate for, and who uses it."""

    label: str  # "*" makes a wildcard certificate
    issuer: str
    configuration: str
    used_by: str  # an application name, or "sts", "vpn" for own servers and gear


PKIOVERHEID = "PKIoverheid (KPN)"
SECTIGO = "Sectigo"
CERTIFICATE_HOSTS = (
    CertificateHost("mijn", PKIOVERHEID, "PKIoverheid", "Key2Burgerzaken"),
    CertificateHost("www", SECTIGO, "OV", "Decos JOIN"),
    CertificateHost("sts", SECTIGO, "OV", "sts"),
    CertificateHost("vpn", SECTIGO, "OV", "vpn"),
    CertificateHost("api", PKIOVERHEID, "PKIoverheid", "Suite4 Sociaal Domein"),
    CertificateHost("mail", SECTIGO, "OV", "Microsoft 365"),
    CertificateHost("*", SECTIGO, "wildcard", "Citrix Virtual Apps"),
)
# Public TLS certificates are issued for at most 397 days.
CERTIFICATE_DAYS = 397

//! The demo country: provinces along the north-western contamination belt of a Cambodia-like
//! programme, with approximate real extents, and the names used for people and villages.

use geo_types::{LineString, MultiPolygon, Polygon};
use safeground_model::OrganisationKind;

/// A province (admin level 1) and where its hazards lie.
pub struct Province {
    /// P-code.
    pub pcode: &'static str,
    /// Name.
    pub name: &'static str,
    /// Longitude range, degrees.
    pub lon: (f64, f64),
    /// Latitude range, degrees.
    pub lat: (f64, f64),
    /// Relative share of the hazards.
    pub weight: u32,
    /// Whether cluster munition remnants dominate (eastern provinces).
    pub cmr: bool,
}

/// How far a province's boundary lies beyond the range its hazards are centred in, degrees: a
/// hazard reaches at most 1,950 m from its centre (650 m mean radius, stretched 3:1), under
/// 0.018° at these latitudes.
pub const BOUNDARY_MARGIN_DEG: f64 = 0.02;

impl Province {
    /// The province's boundary: the rectangle of its ranges widened by [`BOUNDARY_MARGIN_DEG`],
    /// so that every hazard of the province lies inside it. (Rectangles of neighbouring
    /// provinces overlap, as their ranges do: Pailin lies inside Battambang's.)
    pub fn boundary(&self) -> MultiPolygon<f64> {
        let m = BOUNDARY_MARGIN_DEG;
        rectangle(
            (self.lon.0 - m, self.lat.0 - m),
            (self.lon.1 + m, self.lat.1 + m),
        )
    }
}

/// The country's boundary: the rectangle that holds every province's boundary.
pub fn country_boundary() -> MultiPolygon<f64> {
    let m = BOUNDARY_MARGIN_DEG;
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in PROVINCES {
        w = w.min(p.lon.0 - m);
        s = s.min(p.lat.0 - m);
        e = e.max(p.lon.1 + m);
        n = n.max(p.lat.1 + m);
    }
    rectangle((w, s), (e, n))
}

/// A counter-clockwise rectangle from its south-west to its north-east corner.
fn rectangle((w, s): (f64, f64), (e, n): (f64, f64)) -> MultiPolygon<f64> {
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![(w, s), (e, s), (e, n), (w, n), (w, s)]),
        vec![],
    )])
}

/// Country P-code (admin level 0).
pub const COUNTRY: (&str, &str) = ("KH", "Cambodia (demo)");

/// Where a generated programme lies: the demo provinces moved by `offset` and renamed under
/// another country P-code, so that a regional demo holds several distinct countries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Country {
    /// Two-letter P-code prefix (admin level 0), e.g. `LA`.
    pub code: &'static str,
    /// The country's name.
    pub name: &'static str,
    /// Degrees added to every province's longitude and latitude.
    pub offset: (f64, f64),
}

impl Country {
    /// The default demo: Cambodia-like, where the provinces are.
    pub const CAMBODIA: Country = Country {
        code: COUNTRY.0,
        name: COUNTRY.1,
        offset: (0.0, 0.0),
    };
    /// Lao-like: the same belt moved north, its southern provinces just across a border from
    /// Cambodia's northern ones (some hazards 3–4 km apart), so that a regional hub has hazards
    /// near a border.
    pub const LAO: Country = Country {
        code: "LA",
        name: "Lao PDR (demo)",
        offset: (0.4, 2.38),
    };
    /// Azerbaijan-like: the belt moved into Azerbaijan's extent.
    pub const AZERBAIJAN: Country = Country {
        code: "AZ",
        name: "Azerbaijan (demo)",
        offset: (-56.3, 27.1),
    };

    /// The province `p` as it lies in this country.
    pub(crate) fn place(&self, p: &Province) -> Place {
        Place {
            pcode: format!("{}{}", self.code, p.pcode.get(2..).unwrap_or(p.pcode)),
            name: p.name,
            lon: (p.lon.0 + self.offset.0, p.lon.1 + self.offset.0),
            lat: (p.lat.0 + self.offset.1, p.lat.1 + self.offset.1),
            cmr: p.cmr,
        }
    }

    /// The boundary margin at this country's latitudes: [`BOUNDARY_MARGIN_DEG`], or more where
    /// a degree of longitude is shorter than 1,950 m / 0.0176.
    fn margin(&self) -> f64 {
        let north = PROVINCES.iter().map(|p| p.lat.1).fold(f64::MIN, f64::max) + self.offset.1;
        BOUNDARY_MARGIN_DEG.max(0.0176 / north.to_radians().cos())
    }

    /// The country's boundary: the rectangle that holds every province's boundary.
    pub(crate) fn boundary(&self) -> MultiPolygon<f64> {
        let m = self.margin();
        let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in PROVINCES.iter().map(|p| self.place(p)) {
            w = w.min(p.lon.0 - m);
            s = s.min(p.lat.0 - m);
            e = e.max(p.lon.1 + m);
            n = n.max(p.lat.1 + m);
        }
        rectangle((w, s), (e, n))
    }

    /// A province's boundary in this country (see [`Province::boundary`]).
    pub(crate) fn province_boundary(&self, p: &Place) -> MultiPolygon<f64> {
        let m = self.margin();
        rectangle((p.lon.0 - m, p.lat.0 - m), (p.lon.1 + m, p.lat.1 + m))
    }
}

/// A province as it lies in a [`Country`].
pub(crate) struct Place {
    pub pcode: String,
    pub name: &'static str,
    pub lon: (f64, f64),
    pub lat: (f64, f64),
    pub cmr: bool,
}

/// The demo provinces.
pub const PROVINCES: &[Province] = &[
    Province {
        pcode: "KH01",
        name: "Banteay Meanchey",
        lon: (102.60, 103.45),
        lat: (13.45, 14.15),
        weight: 22,
        cmr: false,
    },
    Province {
        pcode: "KH02",
        name: "Battambang",
        lon: (102.45, 103.55),
        lat: (12.55, 13.35),
        weight: 30,
        cmr: false,
    },
    Province {
        pcode: "KH24",
        name: "Pailin",
        lon: (102.52, 102.80),
        lat: (12.78, 13.05),
        weight: 8,
        cmr: false,
    },
    Province {
        pcode: "KH22",
        name: "Oddar Meanchey",
        lon: (103.30, 104.35),
        lat: (13.95, 14.40),
        weight: 20,
        cmr: false,
    },
    Province {
        pcode: "KH13",
        name: "Preah Vihear",
        lon: (104.45, 105.55),
        lat: (13.55, 14.35),
        weight: 12,
        cmr: true,
    },
    Province {
        pcode: "KH15",
        name: "Pursat",
        lon: (103.05, 103.95),
        lat: (12.05, 12.65),
        weight: 8,
        cmr: false,
    },
];

/// (local id, name, acronym, is national authority)
pub const ORGANISATIONS: &[(&str, &str, &str, OrganisationKind)] = &[
    (
        "ORG-CMAA",
        "Cambodian Mine Action and Victim Assistance Authority",
        "CMAA",
        OrganisationKind::NationalAuthority,
    ),
    (
        "ORG-CMAC",
        "Cambodian Mine Action Centre",
        "CMAC",
        OrganisationKind::Operator,
    ),
    (
        "ORG-HALO",
        "The HALO Trust",
        "HALO",
        OrganisationKind::Operator,
    ),
    (
        "ORG-MAG",
        "Mines Advisory Group",
        "MAG",
        OrganisationKind::Operator,
    ),
    ("ORG-APOPO", "APOPO", "APOPO", OrganisationKind::Operator),
    (
        "ORG-NPA",
        "Norwegian People's Aid",
        "NPA",
        OrganisationKind::Operator,
    ),
    (
        "ORG-DONOR-US",
        "United States Department of State (PM/WRA)",
        "PM/WRA",
        OrganisationKind::Donor,
    ),
    (
        "ORG-DONOR-JP",
        "Government of Japan",
        "Japan",
        OrganisationKind::Donor,
    ),
    (
        "ORG-DONOR-UK",
        "UK Foreign, Commonwealth and Development Office",
        "FCDO",
        OrganisationKind::Donor,
    ),
    (
        "ORG-MOSVY",
        "Ministry of Social Affairs, Veterans and Youth Rehabilitation",
        "MoSVY",
        OrganisationKind::HealthSocialMinistry,
    ),
    (
        "ORG-CRC",
        "Cambodian Red Cross",
        "CRC",
        OrganisationKind::NationalNgo,
    ),
];

/// Donors (local ids) in the order funding agreements rotate.
pub const DONORS: &[&str] = &["ORG-DONOR-US", "ORG-DONOR-JP", "ORG-DONOR-UK"];

/// Victim-assistance providers (local ids).
pub const ASSISTANCE_PROVIDERS: &[&str] = &["ORG-MOSVY", "ORG-CRC"];

/// Operators (indices into [`ORGANISATIONS`]) that do field work.
pub const OPERATORS: &[usize] = &[1, 1, 1, 2, 2, 3, 4, 5];

/// Given names used for synthetic victims.
pub const GIVEN_NAMES: &[&str] = &[
    "Sokha", "Dara", "Vanna", "Sophea", "Chenda", "Pisey", "Rithy", "Sovann", "Bopha", "Kosal",
    "Srey Mom", "Vuthy", "Navy", "Samnang", "Thida", "Rotha", "Kimheng", "Sreymao",
];

/// Family names used for synthetic victims.
pub const FAMILY_NAMES: &[&str] = &[
    "Sok", "Chan", "Kim", "Ly", "Heng", "Meas", "Nhem", "Phan", "Prak", "Sao", "Touch", "Yim",
];

/// Village name stems for synthetic addresses.
pub const VILLAGES: &[&str] = &[
    "Ou Chrov",
    "Phnom Dei",
    "Kork Romiet",
    "Tuol Prasat",
    "Ta Sen",
    "Boeng Raing",
    "Anlong Veng",
    "Chong Kal",
    "Sampov Loun",
    "Kamrieng",
    "Rattanak Mondol",
    "Phnom Proek",
];

/// (category code, model) of ordnance found, for mines-dominated provinces.
pub const MINE_ITEMS: &[(&str, &str)] = &[
    ("ap_mine", "PMN-2"),
    ("ap_mine", "Type 72A"),
    ("ap_mine", "PMN"),
    ("ap_mine", "POMZ-2"),
    ("ap_mine", "M14"),
    ("at_mine", "TM-46"),
    ("at_mine", "TM-62"),
    ("uxo", "82mm mortar"),
    ("uxo", "105mm projectile"),
    ("uxo", "M79 grenade"),
];

/// Ordnance found in cluster-munition-dominated provinces.
pub const CMR_ITEMS: &[(&str, &str)] = &[
    ("submunition", "BLU-24"),
    ("submunition", "BLU-26"),
    ("submunition", "BLU-61"),
    ("uxo", "250lb bomb"),
    ("uxo", "57mm projectile"),
    ("ap_mine", "PMN-2"),
];

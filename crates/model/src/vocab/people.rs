//! Vocabularies of accidents, victims and risk education (reference §2.6, §2.7, §2.9, §2.17).

vocabulary! {
    /// Sex (reference §2.17: female, male, plus unknown for casualties).
    Sex, "sex" {
        /// Female (girls and women).
        Female => "female", "Female", ["f", "woman", "girl"];
        /// Male (boys and men).
        Male => "male", "Male", ["m", "man", "boy"];
        /// Unknown or not recorded.
        Unknown => "unknown", "Unknown", ["u", "not known"];
    }
}

vocabulary! {
    /// Killed or injured at the accident (reference §2.7, NG `killedorinjuredenum`, MDR).
    CasualtyOutcome, "casualty outcome" {
        /// Killed.
        Killed => "killed", "Killed", ["dead", "fatality"];
        /// Injured.
        Injured => "injured", "Injured", ["wounded", "survivor"];
    }
}

vocabulary! {
    /// Accident type (reference §2.6, §2.17: IMSMA NG accident types).
    AccidentType, "accident type" {
        /// At a demining workplace.
        Demining => "demining", "Demining accident", [];
        /// Cluster munition accident.
        Cluster => "cluster", "Cluster accident", ["cmr"];
        /// IED accident.
        Ied => "ied", "IED accident", [];
        /// Mine accident.
        Mine => "mine", "Mine accident", [];
        /// Stored ammunition accident.
        StoredAmmunition => "stored_ammunition", "Stored ammunition accident", [];
        /// UXO or AXO accident.
        UxoAxo => "uxo_axo", "UXO/AXO accident", ["uxo", "axo"];
        /// Other type of accident.
        Other => "other", "Other type of accident", [];
    }
}

impl AccidentType {
    /// The NG accident type implied by the device category and whether it happened during
    /// demining (reference §2.6).
    pub fn from_device(device: Option<super::OrdnanceCategory>, demining: bool) -> Self {
        use super::OrdnanceCategory as C;
        if demining {
            return AccidentType::Demining;
        }
        match device {
            Some(C::ApMine | C::AtMine | C::BoobyTrap) => AccidentType::Mine,
            Some(C::Submunition) => AccidentType::Cluster,
            Some(C::Ied) => AccidentType::Ied,
            Some(C::Uxo | C::Axo | C::SmallArmsAmmunition) => AccidentType::UxoAxo,
            Some(C::Other) | None => AccidentType::Other,
        }
    }
}

vocabulary! {
    /// Victim-assistance service (reference §2.8: the IMAS 13.10 pillars, with NG's assistance
    /// categories as synonyms).
    AssistanceType, "assistance type" {
        /// Data collection, needs assessment and referral.
        NeedsAssessment => "needs_assessment", "Needs assessment and referral", ["referral", "data collection"];
        /// Emergency and continuing medical care.
        MedicalCare => "medical_care", "Medical care", ["emergency", "health care", "health services"];
        /// Physical rehabilitation, prostheses and orthoses.
        Rehabilitation => "rehabilitation", "Rehabilitation", ["physical rehabilitation", "prosthesis", "physiotherapy"];
        /// Psychological and psychosocial support.
        PsychosocialSupport => "psychosocial_support", "Psychological and psychosocial support", ["psychosocial", "psychological support", "mental health"];
        /// Socio-economic inclusion: livelihoods, vocational training, economic reintegration.
        SocioEconomicInclusion => "socio_economic_inclusion", "Socio-economic inclusion", ["economic reintegration", "livelihood", "social inclusion"];
        /// Education (school support, scholarships).
        Education => "education", "Education", [];
        /// Legal support, laws and policies, access to rights.
        LegalSupport => "legal_support", "Legal support", ["legal", "laws and policies"];
    }
}

vocabulary! {
    /// Age band of beneficiaries (reference §2.9): bands differ between programmes, so the
    /// list is the union of the bands in use — the universal under-18 / 18-and-over cut, the
    /// UNMAS Syria bands (5–12, 13–17, 18+), the Sri Lanka NMAC bands (0–9, 10–17, 18–45, 46+)
    /// and the usual humanitarian SADD bands (0–4, 5–11, 12–17, 18–59, 60+). A session should use
    /// one programme's bands; [`AgeBand::is_child`] always gives the IMAS girls/boys/women/men
    /// view.
    AgeBand, "age band" {
        /// 0–4 years.
        Child0To4 => "age_0_4", "0–4", ["0-4"];
        /// 5–11 years.
        Child5To11 => "age_5_11", "5–11", ["5-11"];
        /// 12–17 years.
        Child12To17 => "age_12_17", "12–17", ["12-17"];
        /// 18–59 years.
        Adult18To59 => "age_18_59", "18–59", ["18-59"];
        /// 60 years and over.
        Adult60Plus => "age_60_plus", "60+", ["elderly", "age_60"];
        /// Under 18, no finer band.
        Child => "child", "Child (under 18)", ["children", "0-17", "age_0_17", "under_18"];
        /// 18 and over, no finer band.
        Adult => "adult", "Adult (18 and over)", ["adults", "18+", "age_18_plus", "18_plus"];
        /// 5–12 years (UNMAS Syria).
        Child5To12 => "age_5_12", "5–12", ["5-12"];
        /// 13–17 years (UNMAS Syria).
        Child13To17 => "age_13_17", "13–17", ["13-17"];
        /// 0–9 years (Sri Lanka NMAC).
        Child0To9 => "age_0_9", "0–9", ["0-9"];
        /// 10–17 years (Sri Lanka NMAC).
        Child10To17 => "age_10_17", "10–17", ["10-17"];
        /// 18–45 years (Sri Lanka NMAC).
        Adult18To45 => "age_18_45", "18–45", ["18-45"];
        /// 46 years and over (Sri Lanka NMAC).
        Adult46Plus => "age_46_plus", "46+", ["age_46"];
    }
}

impl AgeBand {
    /// The usual humanitarian SADD bands, one programme scheme.
    pub const HUMANITARIAN: &'static [Self] = &[
        Self::Child0To4,
        Self::Child5To11,
        Self::Child12To17,
        Self::Adult18To59,
        Self::Adult60Plus,
    ];
    /// Child / adult only.
    pub const CHILD_ADULT: &'static [Self] = &[Self::Child, Self::Adult];
    /// UNMAS Syria bands (reference §2.9).
    pub const UNMAS_SYRIA: &'static [Self] = &[Self::Child5To12, Self::Child13To17, Self::Adult];
    /// Sri Lanka NMAC bands (reference §2.9).
    pub const NMAC_SRI_LANKA: &'static [Self] = &[
        Self::Child0To9,
        Self::Child10To17,
        Self::Adult18To45,
        Self::Adult46Plus,
    ];

    /// Youngest age in the band, years.
    pub fn min_age(self) -> u8 {
        match self {
            Self::Child0To4 | Self::Child | Self::Child0To9 => 0,
            Self::Child5To11 | Self::Child5To12 => 5,
            Self::Child10To17 => 10,
            Self::Child12To17 => 12,
            Self::Child13To17 => 13,
            Self::Adult18To59 | Self::Adult | Self::Adult18To45 => 18,
            Self::Adult46Plus => 46,
            Self::Adult60Plus => 60,
        }
    }

    /// Oldest age in the band, years (`None`: open-ended).
    pub fn max_age(self) -> Option<u8> {
        match self {
            Self::Child0To4 => Some(4),
            Self::Child0To9 => Some(9),
            Self::Child5To11 => Some(11),
            Self::Child5To12 => Some(12),
            Self::Child12To17 | Self::Child13To17 | Self::Child10To17 | Self::Child => Some(17),
            Self::Adult18To45 => Some(45),
            Self::Adult18To59 => Some(59),
            Self::Adult | Self::Adult46Plus | Self::Adult60Plus => None,
        }
    }

    /// Under 18 (girls and boys in the IMAS view).
    pub fn is_child(self) -> bool {
        self.max_age().is_some_and(|m| m < 18)
    }

    /// Whether two bands share an age (counting both would count people twice).
    pub fn overlaps(self, other: Self) -> bool {
        let end = |b: Self| b.max_age().unwrap_or(u8::MAX);
        self.min_age() <= end(other) && other.min_age() <= end(self)
    }
}

vocabulary! {
    /// Whether beneficiaries were reached directly (face to face) or indirectly (mass media,
    /// wider community) (reference §2.9; never summed into one headline, §6.2).
    AudienceReach, "audience reach" {
        /// Direct (face to face).
        Direct => "direct", "Direct", ["face_to_face"];
        /// Indirect.
        Indirect => "indirect", "Indirect", ["mass_media"];
    }
}

vocabulary! {
    /// Risk education delivery method (reference §2.9, §2.17: IMSMA NG education types).
    EducationMethod, "education method" {
        /// Presentation, briefing, group session.
        Presentation => "presentation", "Presentation", ["briefing", "safety briefing", "community briefing"];
        /// Community liaison.
        CommunityLiaison => "community_liaison", "Community liaison", ["cl"];
        /// Media (radio, TV, print, billboards).
        Media => "media", "Media", ["radio", "tv", "public information"];
        /// Public performance (drama, theatre, songs).
        PublicPerformance => "public_performance", "Public performance", ["drama", "theatre", "theater"];
        /// Training (e.g. training of trainers).
        Training => "training", "Training", ["tot"];
        /// Information management.
        InformationManagement => "information_management", "Information management", [];
        /// House-to-house visits.
        HouseToHouse => "house_to_house", "House to house", [];
    }
}

vocabulary! {
    /// What the victim was doing at the time of the accident (reference §2.7: NG
    /// `activityataccenum`, MDR "activity of victim at time of accident" and "tampered").
    ActivityAtTimeOfAccident, "activity at time of accident" {
        /// Demining (a deminer at work).
        Demining => "demining", "Demining", ["clearance"];
        /// Farming.
        Farming => "farming", "Farming", ["agriculture", "agricultural work"];
        /// Herding animals.
        Herding => "herding", "Herding", ["grazing"];
        /// Collecting wood, food or water.
        CollectingWoodOrFood => "collecting_wood_or_food", "Collecting wood or food", ["collecting", "collecting wood", "collecting food"];
        /// Travelling.
        Travelling => "travelling", "Travelling", ["traveling", "walking", "driving"];
        /// Tampering with the device.
        Tampering => "tampering", "Tampering", ["handling"];
        /// Playing.
        Playing => "playing", "Playing", [];
        /// Collecting scrap metal.
        ScrapMetalCollection => "scrap_metal_collection", "Scrap metal collection", ["scrap metal"];
        /// Fishing or hunting.
        FishingOrHunting => "fishing_or_hunting", "Fishing or hunting", ["fishing", "hunting"];
        /// Household chores at or near home.
        HouseholdActivities => "household_activities", "Household activities", ["household", "domestic"];
        /// Military or security duties.
        Military => "military", "Military or security duty", ["security"];
        /// Other.
        Other => "other", "Other", [];
        /// Unknown.
        Unknown => "unknown", "Unknown", [];
    }
}

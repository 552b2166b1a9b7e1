//! Vocabularies of organisations, teams and quality management (reference §2.10, §2.11).

vocabulary! {
    /// Kind of organisation (reference §2.11).
    OrganisationKind, "organisation kind" {
        /// National mine action authority.
        NationalAuthority => "national_authority", "National authority", ["nma", "nmaa", "authority"];
        /// Demining operator (any legal form).
        Operator => "operator", "Operator", [];
        /// Donor.
        Donor => "donor", "Donor", [];
        /// Other government body.
        Government => "government", "Government", ["ministry"];
        /// National mine action centre.
        NationalCentre => "national_centre", "National mine action centre", ["mac", "national center", "national_center"];
        /// Army.
        Army => "army", "Army", ["military"];
        /// Police.
        Police => "police", "Police", [];
        /// National NGO.
        NationalNgo => "national_ngo", "National NGO", [];
        /// International NGO.
        InternationalNgo => "international_ngo", "International NGO", ["ngo", "ingo"];
        /// Commercial company.
        Commercial => "commercial", "Commercial company", ["company"];
        /// UN agency.
        UnAgency => "un_agency", "UN agency", ["un"];
        /// Health or social ministry (victim assistance).
        HealthSocialMinistry => "health_social_ministry", "Health or social ministry", [];
        /// Other.
        Other => "other", "Other", [];
    }
}

vocabulary! {
    /// Kind of team (reference §2.11).
    TeamKind, "team kind" {
        /// Manual demining.
        Manual => "manual", "Manual demining team", [];
        /// Mine detection dogs.
        MineDetectionDog => "mine_detection_dog", "Mine detection dog team", ["mdd"];
        /// Mine detection rats.
        MineDetectionRat => "mine_detection_rat", "Mine detection rat team", ["mdr"];
        /// Mechanical.
        Mechanical => "mechanical", "Mechanical team", ["machine"];
        /// Non-technical survey.
        Survey => "survey", "Survey team", ["nts"];
        /// Technical survey.
        TechnicalSurvey => "technical_survey", "Technical survey team", ["ts"];
        /// EOD.
        Eod => "eod", "EOD team", [];
        /// Battle area clearance.
        Bac => "bac", "BAC team", [];
        /// Risk education.
        RiskEducation => "risk_education", "Risk education team", ["eore", "re"];
        /// Community liaison.
        CommunityLiaison => "community_liaison", "Community liaison team", ["cl"];
        /// QA/QC inspectors.
        QualityAssurance => "quality_assurance", "QA/QC team", ["qa", "qc"];
        /// Several roles.
        MultiTask => "multi_task", "Multi-task team", ["mtt"];
    }
}

vocabulary! {
    /// Quality assurance or quality control visit (reference §2.10).
    QaType, "QA type" {
        /// Quality assurance (processes, by the authority or the operator).
        Qa => "qa", "Quality assurance", [];
        /// Quality control (inspection of the product, e.g. cleared land).
        Qc => "qc", "Quality control", [];
    }
}

vocabulary! {
    /// Severity of a non-conformity (reference §2.10).
    NonConformityCategory, "non-conformity category" {
        /// Minor.
        Minor => "minor", "Minor", [];
        /// Major.
        Major => "major", "Major", [];
        /// Critical (operations suspended).
        Critical => "critical", "Critical", [];
    }
}

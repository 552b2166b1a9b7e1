//! Vocabularies of land, land release and ordnance (reference §2.3–§2.5, §2.17).

vocabulary! {
    /// Hazard class (reference §2.3, §2.17: IMSMA NG "Land is classified as").
    HazardClass, "hazard class" {
        /// Indication of possible contamination, not yet surveyed.
        Indication => "indication", "Indication", ["ind"];
        /// Suspected hazardous area: indirect evidence (§1).
        Sha => "sha", "Suspected hazardous area", ["suspected", "suspected hazardous areas (sha)"];
        /// Confirmed hazardous area: direct evidence (§1).
        Cha => "cha", "Confirmed hazardous area", ["confirmed", "dha", "defined hazardous area", "confirmed hazardous areas (cha)"];
        /// Ammunition storage or stockpile (point, polygon if large).
        AmmunitionStorage => "ammunition_storage", "Ammunition storage", ["stockpile", "ammunition storage/stockpile", "ammunition storage / stockpile"];
        /// EOD spot task (point).
        EodSpotTask => "eod_spot_task", "EOD spot task", ["eod", "spot task", "spot_task"];
    }
}

vocabulary! {
    /// Hazard status (reference §2.3, §2.15): IMSMA NG states plus the MDR's "handed over".
    HazardStatus, "hazard status" {
        /// Open (NG "Active").
        Open => "open", "Open", ["active"];
        /// Worked on: a progress report is linked.
        WorkedOn => "worked_on", "Worked on", ["in_progress", "workedon"];
        /// Closed: completed or cancelled.
        Closed => "closed", "Closed", ["cancelled", "completed"];
        /// Handed over to the community (handover certificate).
        HandedOver => "handed_over", "Handed over", ["handover", "handedover"];
    }
}

impl HazardStatus {
    /// Whether a hazard in this status no longer needs work (closed or handed over).
    pub fn is_closed(self) -> bool {
        matches!(self, HazardStatus::Closed | HazardStatus::HandedOver)
    }
}

vocabulary! {
    /// What contaminates a hazard (reference §2.3 NG "Type Of Contamination", §2.5 categories).
    ContaminationType, "contamination type" {
        /// Anti-personnel mines.
        ApMines => "ap_mines", "Anti-personnel mines", ["ap", "apm", "ap_mine", "mines", "ap mine"];
        /// Anti-vehicle (anti-tank) mines.
        AtMines => "at_mines", "Anti-vehicle mines", ["at", "atm", "av", "av_mines", "at_mine", "anti-tank mines"];
        /// Cluster munition remnants (CCM Art. 2).
        Cmr => "cmr", "Cluster munition remnants", ["cluster", "submunitions", "cluster munitions"];
        /// Unexploded ordnance.
        Uxo => "uxo", "Unexploded ordnance", ["erw"];
        /// Abandoned explosive ordnance.
        Axo => "axo", "Abandoned explosive ordnance", [];
        /// Improvised explosive devices.
        Ied => "ied", "Improvised explosive devices", ["ieds"];
        /// Booby traps (§2.5).
        BoobyTraps => "booby_traps", "Booby traps", ["booby_trap", "boobytrap"];
        /// Several of the above.
        Mixed => "mixed", "Mixed", [];
    }
}

vocabulary! {
    /// Evidence of contamination recorded for a hazard (reference §2.3, §2.17: UNMAS Syria HA
    /// form evidence types, the evidence sources visual/verbal/former records, and the NG direct
    /// and indirect evidence notions of §1).
    EvidenceType, "evidence type" {
        /// EO seen (direct evidence).
        PresenceOfEo => "presence_of_eo", "Presence of EO", ["visible_eo", "eo", "visual_observation", "presence of explosive hazard"];
        /// An EO accident or casualty in the area (direct evidence).
        Accident => "accident", "EO accident", ["casualty", "victim"];
        /// Existing marking.
        Marking => "marking", "Marking", ["existence of marking"];
        /// Scrap metal from EO.
        ScrapMetal => "scrap_metal", "Scrap metal", ["scrap"];
        /// Craters.
        Craters => "craters", "Craters", ["crater"];
        /// Damaged infrastructure.
        DamagedInfrastructure => "damaged_infrastructure", "Damaged infrastructure", [];
        /// Productive land left unused.
        UnusedProductiveLand => "unused_productive_land", "Unused productive land", ["productive land not used"];
        /// Detonation reported by others.
        ReportedDetonation => "reported_detonation", "Reported detonation", ["detonation"];
        /// Information from local people.
        VerbalInformation => "verbal_information", "Verbal information", ["local_information", "verbal"];
        /// Military maps, minefield records, historic records.
        FormerRecords => "former_records", "Former records", ["historic_records", "records", "historical_records"];
        /// Other evidence.
        Other => "other", "Other", [];
    }
}

impl EvidenceType {
    /// Direct evidence (EO seen, an accident) confirms a hazard (CHA); the rest is indirect (SHA)
    /// (reference §1).
    pub fn is_direct(self) -> bool {
        matches!(self, EvidenceType::PresenceOfEo | EvidenceType::Accident)
    }
}

vocabulary! {
    /// Activity type (reference §2.4, §2.17: IMSMA NG activity types).
    ActivityType, "activity type" {
        /// Non-technical survey.
        Nts => "nts", "Non-technical survey", ["non technical survey"];
        /// Technical survey.
        Ts => "ts", "Technical survey", [];
        /// Clearance.
        Clearance => "clearance", "Clearance", ["mine clearance"];
        /// Battle area clearance.
        Bac => "bac", "Battle area clearance", [];
        /// EOD spot task.
        EodSpotTask => "eod_spot_task", "EOD spot task", ["eod", "spot task", "spot_task"];
        /// Progress report (outcome report).
        Progress => "progress", "Progress report", ["progress_report"];
        /// Completion report (outcome report).
        Completion => "completion", "Completion report", ["completion_report"];
        /// Cancellation report (outcome report of an NTS).
        Cancellation => "cancellation", "Cancellation report", ["cancellation_report"];
        /// Handover certificate (outcome report).
        Handover => "handover", "Handover certificate", ["handover_certificate"];
        /// Post-clearance assessment.
        PostClearance => "post_clearance", "Post clearance", ["post-clearance assessment", "pca"];
        /// Road assessment.
        RoadAssessment => "road_assessment", "Road assessment", [];
        /// Road clearance.
        RoadClearance => "road_clearance", "Road clearance", [];
        /// Road verification.
        RoadVerification => "road_verification", "Road verification", [];
        /// Stockpile destruction (APMBC Art. 4).
        StockpileDestruction => "stockpile_destruction", "Stockpile destruction", [];
    }
}

vocabulary! {
    /// Activity status (reference §2.15): `planned → ongoing → completed`, side exits.
    ActivityStatus, "activity status" {
        /// Planned.
        Planned => "planned", "Planned", [];
        /// Ongoing.
        Ongoing => "ongoing", "Ongoing", ["in_progress", "active"];
        /// Completed.
        Completed => "completed", "Completed", ["complete", "finished"];
        /// Suspended (may resume).
        Suspended => "suspended", "Suspended", ["on_hold"];
        /// Aborted.
        Aborted => "aborted", "Aborted", ["cancelled", "abandoned"];
    }
}

vocabulary! {
    /// Land release method (reference §1, §2.16, §2.17).
    ReleaseMethod, "release method" {
        /// Cancelled by non-technical survey.
        Cancelled => "cancelled", "Cancelled", ["cancel", "canceled", "nts"];
        /// Reduced by technical survey.
        Reduced => "reduced", "Reduced", ["reduce", "ts"];
        /// Cleared by clearance.
        Cleared => "cleared", "Cleared", ["clear", "clearance"];
    }
}

vocabulary! {
    /// Demining asset type (reference §2.4, §2.11).
    AssetType, "asset type" {
        /// Manual deminers (detector, prodder, excavation).
        Manual => "manual", "Manual team", ["manual_team", "manual demining"];
        /// Mine detection dogs.
        MineDetectionDog => "mine_detection_dog", "Mine detection dog", ["mdd", "dog", "dogs"];
        /// Mine detection rats.
        MineDetectionRat => "mine_detection_rat", "Mine detection rat", ["mdr", "rat", "rats"];
        /// Machine (flail, tiller, excavator).
        Machine => "machine", "Machine", ["mechanical", "mechanical demining"];
    }
}

vocabulary! {
    /// Category of an explosive ordnance item (reference §2.5).
    OrdnanceCategory, "ordnance category" {
        /// Anti-personnel mine.
        ApMine => "ap_mine", "Anti-personnel mine", ["ap", "apm", "ap mines"];
        /// Anti-vehicle (anti-tank) mine.
        AtMine => "at_mine", "Anti-vehicle mine", ["at", "atm", "av", "av_mine", "anti-tank mine"];
        /// Cluster munition remnant (submunition, bomblet).
        Submunition => "submunition", "Submunition (CMR)", ["cmr", "cluster", "bomblet", "cluster munition remnant"];
        /// Other unexploded ordnance.
        Uxo => "uxo", "Unexploded ordnance", [];
        /// Abandoned explosive ordnance.
        Axo => "axo", "Abandoned explosive ordnance", [];
        /// Improvised explosive device (not mine-like).
        Ied => "ied", "Improvised explosive device", [];
        /// Booby trap.
        BoobyTrap => "booby_trap", "Booby trap", ["boobytrap"];
        /// Small arms ammunition, fuzes, components.
        SmallArmsAmmunition => "small_arms_ammunition", "Small arms ammunition", ["saa", "fuze", "fuzes"];
        /// Other.
        Other => "other", "Other", [];
    }
}

vocabulary! {
    /// Condition of an EO item when found (reference §2.5: MDR "condition of devices found",
    /// NG `mineuxocondition`).
    ItemCondition, "item condition" {
        /// Armed / fuzed.
        Armed => "armed", "Armed", ["fuzed", "fused"];
        /// Unarmed / unfuzed.
        Unarmed => "unarmed", "Unarmed", ["unfuzed", "unfused"];
        /// Damaged or deteriorated.
        Damaged => "damaged", "Damaged", ["deteriorated", "corroded"];
        /// Booby-trapped or fitted with an anti-lift device.
        BoobyTrapped => "booby_trapped", "Booby-trapped / anti-lift", ["anti_lift", "antilift"];
        /// Unknown.
        Unknown => "unknown", "Unknown", [];
    }
}

vocabulary! {
    /// How an EO item was disposed of (reference §2.5: destroyed in situ / removed / demolition
    /// site).
    DisposalMethod, "disposal method" {
        /// Destroyed where found.
        DestroyedInSitu => "destroyed_in_situ", "Destroyed in situ", ["in_situ", "in situ", "blown in place"];
        /// Moved to a demolition site and destroyed there.
        MovedAndDestroyed => "moved_and_destroyed", "Moved and destroyed", ["removed", "demolition_site", "demolition site"];
        /// Rendered safe (fuze removed, neutralised).
        RenderedSafe => "rendered_safe", "Rendered safe", ["neutralised", "neutralized"];
        /// Handed to the police or army.
        HandedOver => "handed_over", "Handed over (police, army)", ["handed to police", "police"];
        /// Not yet disposed of.
        NotDisposed => "not_disposed", "Not yet disposed", ["pending"];
    }
}

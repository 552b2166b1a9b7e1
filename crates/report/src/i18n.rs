//! Labels of values and shared columns in English (the vocabulary labels, so they parse back)
//! and Khmer.

use safeground_model::{
    ActivityAtTimeOfAccident, AgeBand, AssetType, AssistanceType, ContaminationType,
    OrdnanceCategory, Sex,
};

use crate::Language;
use crate::table::{Column, ColumnKind};

/// "Total".
pub(crate) fn total(l: Language) -> String {
    l.pick("Total", "សរុប").to_owned()
}

/// "Unknown".
pub(crate) fn unknown(l: Language) -> String {
    l.pick("Unknown", "មិនដឹង").to_owned()
}

/// "Not recorded".
pub(crate) fn not_recorded(l: Language) -> String {
    l.pick("Not recorded", "មិនបានកត់ត្រា").to_owned()
}

/// A sex.
pub(crate) fn sex(l: Language, s: Sex) -> String {
    match l {
        Language::En => s.label().to_owned(),
        Language::Km => match s {
            Sex::Female => "ស្រី",
            Sex::Male => "ប្រុស",
            Sex::Unknown => "មិនដឹង",
        }
        .to_owned(),
    }
}

/// A demining asset (None: not recorded, e.g. cancellation by survey).
pub(crate) fn asset(l: Language, a: Option<AssetType>) -> String {
    let Some(a) = a else {
        return not_recorded(l);
    };
    match l {
        Language::En => a.label().to_owned(),
        Language::Km => match a {
            AssetType::Manual => "ក្រុមដោះមីនដោយដៃ",
            AssetType::MineDetectionDog => "ឆ្កែរាវរកមីន",
            AssetType::MineDetectionRat => "កណ្ដុររាវរកមីន",
            AssetType::Machine => "ម៉ាស៊ីន",
        }
        .to_owned(),
    }
}

/// One contamination type.
fn contamination_type(l: Language, c: ContaminationType) -> &'static str {
    use ContaminationType as C;
    match l {
        Language::En => c.label(),
        Language::Km => match c {
            C::ApMines => "មីនប្រឆាំងមនុស្ស",
            C::AtMines => "មីនប្រឆាំងយានយន្ត",
            C::Cmr => "សំណល់គ្រាប់បែកចង្កោម",
            C::Uxo => "គ្រាប់មិនទាន់ផ្ទុះ",
            C::Axo => "សម្ភារៈផ្ទុះដែលត្រូវបានបោះបង់ចោល",
            C::Ied => "ឧបករណ៍ផ្ទុះកែច្នៃ",
            C::BoobyTraps => "អន្ទាក់បង្កប់",
            C::Mixed => "ចម្រុះ",
        },
    }
}

/// A hazard's combination of contamination types ("Anti-personnel mines + Anti-vehicle
/// mines"), in vocabulary order, so that every hazard falls in exactly one row.
pub(crate) fn contamination(l: Language, types: &[ContaminationType]) -> String {
    let mut sorted = types.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.is_empty() {
        return not_recorded(l);
    }
    sorted
        .iter()
        .map(|c| contamination_type(l, *c))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// An ordnance category (None: not recorded).
pub(crate) fn category(l: Language, c: Option<OrdnanceCategory>) -> String {
    use OrdnanceCategory as C;
    let Some(c) = c else {
        return unknown(l);
    };
    match l {
        Language::En => c.label().to_owned(),
        Language::Km => match c {
            C::ApMine => "មីនប្រឆាំងមនុស្ស",
            C::AtMine => "មីនប្រឆាំងយានយន្ត",
            C::Submunition => "គ្រាប់បែកចង្កោម",
            C::Uxo => "គ្រាប់មិនទាន់ផ្ទុះ",
            C::Axo => "សម្ភារៈផ្ទុះដែលត្រូវបានបោះបង់ចោល",
            C::Ied => "ឧបករណ៍ផ្ទុះកែច្នៃ",
            C::BoobyTrap => "អន្ទាក់បង្កប់",
            C::SmallArmsAmmunition => "គ្រាប់អាវុធតូច",
            C::Other => "ផ្សេងទៀត",
        }
        .to_owned(),
    }
}

/// What a victim was doing at the time of the accident.
pub(crate) fn activity_at_time(l: Language, a: ActivityAtTimeOfAccident) -> String {
    use ActivityAtTimeOfAccident as A;
    match l {
        Language::En => a.label().to_owned(),
        Language::Km => match a {
            A::Demining => "ការដោះមីន",
            A::Farming => "ការធ្វើកសិកម្ម",
            A::Herding => "ការឃ្វាលសត្វ",
            A::CollectingWoodOrFood => "ការរកអុស ឬអាហារ",
            A::Travelling => "ការធ្វើដំណើរ",
            A::Tampering => "ការប៉ះពាល់សម្ភារៈផ្ទុះ",
            A::Playing => "ការលេង",
            A::ScrapMetalCollection => "ការរើសអេតចាយ",
            A::FishingOrHunting => "ការនេសាទ ឬបរបាញ់",
            A::HouseholdActivities => "ការងារផ្ទះ",
            A::Military => "ភារកិច្ចយោធា ឬសន្តិសុខ",
            A::Other => "ផ្សេងទៀត",
            A::Unknown => "មិនដឹង",
        }
        .to_owned(),
    }
}

/// A victim-assistance service.
pub(crate) fn assistance(l: Language, a: AssistanceType) -> String {
    use AssistanceType as A;
    match l {
        Language::En => a.label().to_owned(),
        Language::Km => match a {
            A::NeedsAssessment => "ការវាយតម្លៃតម្រូវការ និងការបញ្ជូនបន្ត",
            A::MedicalCare => "ការថែទាំវេជ្ជសាស្ត្រ",
            A::Rehabilitation => "ការស្តារនីតិសម្បទា",
            A::PsychosocialSupport => "ការគាំទ្រផ្លូវចិត្ត និងសង្គម",
            A::SocioEconomicInclusion => "ការដាក់បញ្ចូលក្នុងសង្គម និងសេដ្ឋកិច្ច",
            A::Education => "ការអប់រំ",
            A::LegalSupport => "ជំនួយផ្លូវច្បាប់",
        }
        .to_owned(),
    }
}

/// A beneficiary age band (the numeric bands read the same in both languages).
pub(crate) fn age_band(l: Language, b: AgeBand) -> String {
    match (l, b) {
        (Language::Km, AgeBand::Child) => "កុមារ (ក្រោម ១៨ ឆ្នាំ)".to_owned(),
        (Language::Km, AgeBand::Adult) => "មនុស្សពេញវ័យ (១៨ ឆ្នាំឡើង)".to_owned(),
        _ => b.label().to_owned(),
    }
}

/// The P-code and name columns of a table by admin area.
pub(crate) fn admin_columns(l: Language) -> Vec<Column> {
    vec![
        Column::new("admin_pcode", l.pick("P-code", "លេខកូដ P"), ColumnKind::Text),
        Column::new(
            "admin_name",
            l.pick("Admin area", "តំបន់រដ្ឋបាល"),
            ColumnKind::Text,
        ),
    ]
}

/// The note that says where an admin area's figures come from.
pub(crate) fn admin_note(l: Language) -> String {
    l.pick(
        "Admin area is the hazard's admin area (P-code): a hazard or released area that crosses \
         an admin boundary is counted entirely in the hazard's admin area.",
        "តំបន់រដ្ឋបាល គឺជាតំបន់រដ្ឋបាល (លេខកូដ P) របស់តំបន់គ្រោះថ្នាក់៖ តំបន់គ្រោះថ្នាក់ ឬដីដែលបានដោះលែង \
         ដែលឆ្លងកាត់ព្រំដែនរដ្ឋបាល ត្រូវបានរាប់ទាំងស្រុងក្នុងតំបន់រដ្ឋបាលរបស់តំបន់គ្រោះថ្នាក់។",
    )
    .to_owned()
}

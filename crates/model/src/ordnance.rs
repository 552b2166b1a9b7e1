//! A catalogue of explosive ordnance models common in the programmes Safeground serves, with
//! their category (reference §2.5). Unknown models are allowed (field teams meet new ones);
//! a known model reported under another category is refused.

use crate::vocab::OrdnanceCategory;

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrdnanceModel {
    /// Model designation as written on forms ("PMN-2").
    pub model: &'static str,
    /// Category.
    pub category: OrdnanceCategory,
    /// Short description.
    pub description: &'static str,
}

macro_rules! catalogue {
    ($($model:literal, $cat:ident, $desc:literal;)*) => {
        /// The catalogue, in alphabetical order of category then model.
        pub const ORDNANCE_CATALOGUE: &[OrdnanceModel] = &[
            $(OrdnanceModel { model: $model, category: OrdnanceCategory::$cat, description: $desc },)*
        ];
    };
}

catalogue! {
    "M14", ApMine, "US blast AP mine, minimum metal";
    "M16", ApMine, "US bounding fragmentation AP mine";
    "MN-79", ApMine, "Vietnamese blast AP mine";
    "OZM-4", ApMine, "Soviet bounding fragmentation AP mine";
    "PMD-6", ApMine, "Soviet wooden blast AP mine";
    "PMN", ApMine, "Soviet blast AP mine";
    "PMN-2", ApMine, "Soviet blast AP mine";
    "POMZ-2", ApMine, "Soviet stake fragmentation AP mine";
    "Type 69", ApMine, "Chinese bounding fragmentation AP mine";
    "Type 72A", ApMine, "Chinese blast AP mine, minimum metal";
    "M15", AtMine, "US blast AT mine";
    "TM-46", AtMine, "Soviet blast AT mine";
    "TM-57", AtMine, "Soviet blast AT mine";
    "TM-62", AtMine, "Soviet blast AT mine";
    "Type 72", AtMine, "Chinese blast AT mine";
    "BLU-24", Submunition, "US 'orange' cluster submunition";
    "BLU-26", Submunition, "US 'guava' cluster submunition";
    "BLU-36", Submunition, "US cluster submunition";
    "BLU-61", Submunition, "US cluster submunition";
    "BLU-63", Submunition, "US cluster submunition";
    "M42", Submunition, "US DPICM grenade";
    "M77", Submunition, "US MLRS DPICM submunition";
    "9N210", Submunition, "Soviet cluster submunition";
    "105mm projectile", Uxo, "Artillery projectile";
    "155mm projectile", Uxo, "Artillery projectile";
    "250lb bomb", Uxo, "General-purpose air-dropped bomb";
    "500lb bomb", Uxo, "General-purpose air-dropped bomb";
    "57mm projectile", Uxo, "Recoilless rifle projectile";
    "60mm mortar", Uxo, "Mortar bomb";
    "82mm mortar", Uxo, "Mortar bomb";
    "B40 rocket", Uxo, "RPG-2 rocket-propelled grenade";
    "M79 grenade", Uxo, "40mm grenade";
}

/// Looks a model up, ignoring case, spaces and hyphens ("pmn 2" finds "PMN-2").
pub fn ordnance_model(model: &str) -> Option<&'static OrdnanceModel> {
    let key = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = key(model);
    ORDNANCE_CATALOGUE.iter().find(|m| key(m.model) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_forgiving_about_spelling() {
        assert_eq!(
            ordnance_model("pmn 2").map(|m| m.category),
            Some(OrdnanceCategory::ApMine)
        );
        assert_eq!(ordnance_model("BLU26").map(|m| m.model), Some("BLU-26"));
        assert!(ordnance_model("unknown thing").is_none());
    }
}

//! A catalogue of explosive ordnance models common in the programmes Safeground serves, with
//! their category (reference §2.5). Unknown models are allowed (field teams meet new ones);
//! a known model reported under another category is refused.
//!
//! The built-in catalogue is [`ORDNANCE_CATALOGUE`]. A regional hub adds to it with a signed
//! reference set (`safeground_federation::reference`), which a node adopts as a [`Catalogue`]:
//! more models and other names (aliases, e.g. in the region's languages) for them. A reference
//! may not give a built-in model another category, so what was valid stays valid.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

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

/// How a model's name is compared: letters and digits only, lower case ("PMN-2", "pmn 2").
fn model_key(model: &str) -> String {
    model
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Looks a model up, ignoring case, spaces and hyphens ("pmn 2" finds "PMN-2").
pub fn ordnance_model(model: &str) -> Option<&'static OrdnanceModel> {
    let wanted = model_key(model);
    ORDNANCE_CATALOGUE
        .iter()
        .find(|m| model_key(m.model) == wanted)
}

/// What a find's category check says when a known model is reported under another category.
pub(crate) fn category_mismatch(
    model: &str,
    known: OrdnanceCategory,
    description: &str,
    reported: OrdnanceCategory,
) -> String {
    format!(
        "{model} is a {} ({description}), not a {}; correct the category or the model",
        known.label().to_lowercase(),
        reported.label().to_lowercase()
    )
}

/// One model of a reference catalogue (owned, as a reference set carries it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    /// Model designation ("PFM-1").
    pub model: String,
    /// Category.
    pub category: OrdnanceCategory,
    /// Short description.
    #[serde(default)]
    pub description: String,
    /// Other names the model is written under (local names, spellings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// Why a reference catalogue cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// A model without a name.
    #[error("model {index} has no name")]
    Unnamed {
        /// Position in the list, from 1.
        index: usize,
    },
    /// Two entries (or an entry and an alias) are the same name.
    #[error("`{name}` is listed twice (as `{first}` and `{second}`); keep one")]
    Duplicate {
        /// The name as compared.
        name: String,
        /// The first model naming it.
        first: String,
        /// The second.
        second: String,
    },
    /// A built-in model given another category.
    #[error(
        "`{model}` is a {builtin} in the built-in catalogue, not a {given}: a reference may add \
         models and names, not change a built-in model's category"
    )]
    Conflict {
        /// The model.
        model: String,
        /// Its built-in category.
        builtin: &'static str,
        /// The category the reference gives.
        given: &'static str,
    },
}

/// The built-in catalogue with a reference catalogue's models and names added.
///
/// ```
/// use safeground_model::{Catalogue, CatalogueEntry, OrdnanceCategory};
///
/// let pfm = CatalogueEntry {
///     model: "PFM-1".into(),
///     category: OrdnanceCategory::ApMine,
///     description: "Soviet scatterable blast AP mine".into(),
///     aliases: vec!["butterfly mine".into()],
/// };
/// let catalogue = Catalogue::new(vec![pfm])?;
/// assert_eq!(catalogue.lookup("Butterfly Mine").map(|m| m.0), Some("PFM-1"));
/// assert_eq!(catalogue.lookup("pmn 2").map(|m| m.1), Some(OrdnanceCategory::ApMine));
/// assert!(catalogue.lookup("PFM-2").is_none());
/// # Ok::<(), safeground_model::CatalogueError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    entries: Vec<CatalogueEntry>,
    /// Name key (model or alias) → entry.
    index: HashMap<String, usize>,
}

impl Catalogue {
    /// Checks and indexes a reference catalogue: every model named, no name twice, no built-in
    /// model given another category (its aliases are added to it).
    pub fn new(entries: Vec<CatalogueEntry>) -> Result<Self, CatalogueError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if model_key(&e.model).is_empty() {
                return Err(CatalogueError::Unnamed { index: i + 1 });
            }
            if let Some(b) = ordnance_model(&e.model)
                && b.category != e.category
            {
                return Err(CatalogueError::Conflict {
                    model: e.model.clone(),
                    builtin: b.category.code(),
                    given: e.category.code(),
                });
            }
            for name in std::iter::once(&e.model).chain(&e.aliases) {
                let key = model_key(name);
                if key.is_empty() {
                    continue;
                }
                let clash = match (index.get(&key), ordnance_model(name)) {
                    (Some(&j), _) => Some(entries[j].model.clone()),
                    (None, Some(b)) if model_key(b.model) != model_key(&e.model) => {
                        Some(b.model.to_owned())
                    }
                    _ => None,
                };
                if let Some(first) = clash {
                    return Err(CatalogueError::Duplicate {
                        name: name.clone(),
                        first,
                        second: e.model.clone(),
                    });
                }
                index.insert(key, i);
            }
        }
        Ok(Catalogue { entries, index })
    }

    /// The reference's entries, as given.
    pub fn entries(&self) -> &[CatalogueEntry] {
        &self.entries
    }

    /// Looks a model up by its name or an alias, in the reference then the built-in catalogue
    /// (ignoring case, spaces and hyphens): its designation, category and description.
    pub fn lookup(&self, model: &str) -> Option<(&str, OrdnanceCategory, &str)> {
        if let Some(&i) = self.index.get(&model_key(model)) {
            let e = &self.entries[i];
            return Some((&e.model, e.category, &e.description));
        }
        ordnance_model(model).map(|m| (m.model, m.category, m.description))
    }

    /// The error of a find of `model` reported as `category`, when the catalogue knows the
    /// model as another category.
    pub fn mismatch(&self, model: &str, category: OrdnanceCategory) -> Option<String> {
        let (name, known, description) = self.lookup(model)?;
        (known != category).then(|| category_mismatch(name, known, description, category))
    }
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

    fn entry(model: &str, category: OrdnanceCategory, aliases: &[&str]) -> CatalogueEntry {
        CatalogueEntry {
            model: model.into(),
            category,
            description: String::new(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    #[test]
    fn a_reference_adds_models_and_names_but_changes_no_builtin_category() {
        use OrdnanceCategory::{ApMine, AtMine};
        let c = Catalogue::new(vec![
            entry("PFM-1", ApMine, &["butterfly"]),
            entry("PMN-2", ApMine, &["min PMN2 Khmer"]),
        ])
        .expect("valid");
        assert_eq!(c.lookup("min pmn2 khmer").map(|m| m.0), Some("PMN-2"));
        assert!(
            (c.mismatch("PFM 1", AtMine)).is_some_and(|m| m.contains("not a anti-vehicle mine"))
        );
        assert!(c.mismatch("butterfly", ApMine).is_none());
        assert!(c.mismatch("TM-62", AtMine).is_none());
        assert!(c.mismatch("TM-62", ApMine).is_some());
        assert!(c.mismatch("unknown", ApMine).is_none());

        let e = Catalogue::new(vec![entry("PMN-2", AtMine, &[])]).expect_err("conflict");
        assert!(matches!(e, CatalogueError::Conflict { .. }), "{e}");
        let e = Catalogue::new(vec![entry("A", ApMine, &["x"]), entry("B", ApMine, &["X"])])
            .expect_err("alias twice");
        assert!(e.to_string().contains("`X` is listed twice"), "{e}");
        let e = Catalogue::new(vec![entry("PFM-1", ApMine, &["TM 62"])]).expect_err("builtin");
        assert!(e.to_string().contains("TM-62"), "{e}");
        let e = Catalogue::new(vec![entry(" - ", ApMine, &[])]).expect_err("no name");
        assert_eq!(e, CatalogueError::Unnamed { index: 1 });
    }
}

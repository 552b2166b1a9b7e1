//! Administrative areas with P-codes, any number of levels (reference §2.13).

use serde::{Deserialize, Serialize};

use crate::ValidationErrors;

/// Deepest admin level accepted (0 = country).
pub const MAX_ADMIN_LEVEL: u8 = 5;

/// An administrative area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminArea {
    /// P-code ("KH02"), unique.
    pub pcode: String,
    /// Name.
    pub name: String,
    /// 0 = country, 1 = province, 2 = district, ...
    pub level: u8,
    /// P-code of the area one level up (required when level > 0).
    pub parent_pcode: Option<String>,
}

impl AdminArea {
    pub(crate) fn check(&self, e: &mut ValidationErrors) {
        e.require("pcode", &self.pcode);
        e.require("name", &self.name);
        if self.level > MAX_ADMIN_LEVEL {
            e.add(
                "level",
                format!(
                    "{} is deeper than the supported {MAX_ADMIN_LEVEL} levels",
                    self.level
                ),
            );
        }
        match (&self.parent_pcode, self.level) {
            (None, l) if l > 0 => e.add(
                "parent_pcode",
                "is required for an admin area below level 0",
            ),
            (Some(p), 0) if !p.is_empty() => {
                e.add("parent_pcode", "a level-0 area (country) has no parent")
            }
            _ => {}
        }
    }
}

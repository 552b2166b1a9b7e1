//! Victims' personal data in reports written by users who may not read them.

use safeground_store::{NewReport, Report};

use crate::auth::{Permission, Principal};

/// A user who may not read personal data receives reports with them withheld; when such a
/// user sends a draft back, every entry keeps the personal data stored for it (found by its
/// record's local id): what was withheld is unchanged, never deleted or overwritten. Only a
/// user with access alters stored personal data. Personal data the user adds to an entry that
/// had none are kept (entered, not read).
pub fn keep_withheld(who: &Principal, current: &Report, report: &mut NewReport) {
    if who.can(Permission::PersonalData) {
        return;
    }
    for entry in &mut report.entries {
        let local_id = entry.record.local_id();
        let stored = (current.content.entries.iter())
            .find(|e| e.personal_data.is_some() && e.record.local_id() == local_id)
            .and_then(|e| e.personal_data.clone());
        if stored.is_some() {
            entry.personal_data = stored;
        }
    }
}

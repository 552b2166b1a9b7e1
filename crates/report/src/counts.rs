//! The one-line statement of what each table counts: which records, which date puts them in
//! the period, what is left out. Kept together so that the definitions read as one list.

use crate::Language;

/// What the table `id` counts, in `l` (None for an unknown id).
pub(crate) fn statement(id: &str, l: Language) -> Option<&'static str> {
    let (en, km) = match id {
        "land_release_by_admin_area" => (
            "Land released: release credits of activity reports dated in the period, by the \
             admin area of the released hazard; overlapping releases count once.",
            "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
             តាមតំបន់រដ្ឋបាលនៃតំបន់គ្រោះថ្នាក់ ដីដែលដោះលែងត្រួតគ្នាត្រូវបានរាប់តែម្ដង។",
        ),
        "land_release_by_asset" => (
            "Land released: release credits of activity reports dated in the period, by the \
             asset recorded on the released area.",
            "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
             តាមមធ្យោបាយដែលបានកត់ត្រាលើដីដែលបានដោះលែង។",
        ),
        "land_release_by_contamination" => (
            "Land released: release credits of activity reports dated in the period, by the \
             released hazard's combination of contamination types.",
            "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
             តាមបន្សំប្រភេទការបំពុលនៃតំបន់គ្រោះថ្នាក់។",
        ),
        "land_release_by_year" => (
            "Land released: release credits of activity reports dated in the period, by the year \
             of the report's date of information.",
            "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
             តាមឆ្នាំនៃកាលបរិច្ឆេទព័ត៌មាន។",
        ),
        "land_release_outside_hazards" => (
            "Land released outside recorded hazards: the part of each polygon released by an \
             activity report dated in the period that lies outside every hazard the activity is \
             linked to (all of it when it names none), by method; this land is not in the \
             hazard-based land-release figures.",
            "ដីដែលបានដោះលែងនៅក្រៅតំបន់គ្រោះថ្នាក់ដែលបានកត់ត្រា៖ ផ្នែកនៃដីដែលបានដោះលែងដោយរបាយការណ៍សកម្មភាព \
             ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ ដែលនៅក្រៅតំបន់គ្រោះថ្នាក់ទាំងអស់ដែលសកម្មភាពភ្ជាប់ (ទាំងអស់ \
             នៅពេលមិនបញ្ជាក់តំបន់គ្រោះថ្នាក់) តាមវិធីសាស្ត្រ។ ដីនេះមិនស្ថិតក្នុងតួលេខដោះលែងដីតាមតំបន់គ្រោះថ្នាក់ទេ។",
        ),
        "remaining_by_class" => (
            "Hazards not closed at the as-of date and the area they still cover, by admin area \
             and class; the period does not apply.",
            "តំបន់គ្រោះថ្នាក់ដែលមិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ និងផ្ទៃដីដែលនៅសល់ តាមតំបន់រដ្ឋបាល និងថ្នាក់។ \
             រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
        ),
        "progress" => (
            "Area remaining at the as-of date, land released in each of the last three full \
             years, and when the rest would be released at that pace; the period does not apply.",
            "ផ្ទៃដីនៅសល់នៅកាលបរិច្ឆេទរបាយការណ៍ ដីដែលបានដោះលែងក្នុងឆ្នាំពេញនីមួយៗនៃបីឆ្នាំចុងក្រោយ \
             និងពេលដែលដីនៅសល់នឹងត្រូវដោះលែងតាមល្បឿននោះ។ រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
        ),
        "eo_destroyed" => (
            "EO finds with a destroyed date in the period, by category and model; finds without \
             a destroyed date are left out (they are in EO found).",
            "ការរកឃើញសម្ភារៈផ្ទុះដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ តាមប្រភេទ និងម៉ូដែល។ \
             ការរកឃើញដែលគ្មានកាលបរិច្ឆេទបំផ្លាញមិនត្រូវបានរាប់ទេ (មាននៅក្នុងសម្ភារៈផ្ទុះដែលបានរកឃើញ)។",
        ),
        "eo_found" => (
            "EO finds with a found date in the period, by category, split by whether a disposal \
             is recorded (a destroyed date or a disposal method); finds without a found date \
             under \"Date unknown\", unless destroyed before the period.",
            "ការរកឃើញសម្ភារៈផ្ទុះដែលមានកាលបរិច្ឆេទរកឃើញក្នុងរយៈពេលនេះ តាមប្រភេទ បែងចែកតាមការកត់ត្រាការចាត់ចែង \
             (កាលបរិច្ឆេទបំផ្លាញ ឬវិធីចាត់ចែង)។ ការរកឃើញដែលគ្មានកាលបរិច្ឆេទរកឃើញ នៅក្រោម \"មិនដឹងកាលបរិច្ឆេទ\" \
             លើកលែងតែបានបំផ្លាញមុនរយៈពេលនេះ។",
        ),
        "casualties" => (
            "Victim records of accidents dated in the period (undated accidents only when no \
             period is set); accidents without victim records are left out (they are in \
             Accidents).",
            "កំណត់ត្រាជនរងគ្រោះនៃគ្រោះថ្នាក់ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ (គ្រោះថ្នាក់គ្មានកាលបរិច្ឆេទ \
             តែនៅពេលមិនបានកំណត់រយៈពេល)។ គ្រោះថ្នាក់ដែលគ្មានកំណត់ត្រាជនរងគ្រោះមិនត្រូវបានរាប់ទេ (មាននៅក្នុងគ្រោះថ្នាក់)។",
        ),
        "accidents" => (
            "Accident records dated in the period, by year, with and without victim records; \
             accidents without a date under \"Unknown\" whatever the period.",
            "កំណត់ត្រាគ្រោះថ្នាក់ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ តាមឆ្នាំ ដែលមាន និងគ្មានកំណត់ត្រាជនរងគ្រោះ។ \
             គ្រោះថ្នាក់ដែលគ្មានកាលបរិច្ឆេទ នៅក្រោម \"មិនដឹង\" មិនថារយៈពេលណាទេ។",
        ),
        "risk_education" => (
            "Beneficiaries of risk-education sessions dated in the period (undated sessions only \
             when no period is set), by sex and age band.",
            "អ្នកទទួលផលនៃវគ្គអប់រំពីហានិភ័យដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ (វគ្គគ្មានកាលបរិច្ឆេទ \
             តែនៅពេលមិនបានកំណត់រយៈពេល) តាមភេទ និងក្រុមអាយុ។",
        ),
        "victim_assistance" => (
            "Victim-assistance services dated in the period (undated services only when no \
             period is set), by service, sex and age group.",
            "សេវាជួយជនរងគ្រោះដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ (សេវាគ្មានកាលបរិច្ឆេទ \
             តែនៅពេលមិនបានកំណត់រយៈពេល) តាមសេវា ភេទ និងក្រុមអាយុ។",
        ),
        "apmbc_form_c" => (
            "Form C: mined areas — SHA and CHA whose contamination includes anti-personnel \
             mines, not closed at the as-of date, by admin area; the period does not apply.",
            "ទម្រង់ C៖ តំបន់មានមីន — តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ដែលការបំពុលរួមមានមីនប្រឆាំងមនុស្ស \
             មិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ តាមតំបន់រដ្ឋបាល។ រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
        ),
        "apmbc_form_f_g" => (
            "Form F: land released in mined areas — release credits dated in the period; Form G: \
             mines destroyed — EO finds of category AP mine or AT mine (other EO apart) with a \
             destroyed date in the period, found in mined areas.",
            "ទម្រង់ F៖ ដីដែលបានដោះលែងក្នុងតំបន់មានមីន — ឥណទានដោះលែងដីដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ។ \
             ទម្រង់ G៖ មីនដែលបានបំផ្លាញ — ការរកឃើញសម្ភារៈផ្ទុះប្រភេទមីនប្រឆាំងមនុស្ស ឬមីនប្រឆាំងយានយន្ត \
             (សម្ភារៈផ្ទុះផ្សេងទៀតដាច់ដោយឡែក) ដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ ហើយបានរកឃើញក្នុងតំបន់មានមីន។",
        ),
        "ccm_contaminated" => (
            "Form F: cluster munition contaminated areas — SHA and CHA whose contamination \
             includes cluster munition remnants, not closed at the as-of date, by admin area; \
             the period does not apply.",
            "ទម្រង់ F៖ តំបន់បំពុលដោយគ្រាប់បែកចង្កោម — តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ដែលការបំពុលរួមមានសំណល់គ្រាប់បែកចង្កោម \
             មិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ តាមតំបន់រដ្ឋបាល។ រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
        ),
        "ccm_clearance" => (
            "Form F: clearance — release credits dated in the period in areas contaminated by \
             cluster munition remnants, and EO finds of category submunition (other EO apart) \
             with a destroyed date in the period, found in them.",
            "ទម្រង់ F៖ ការបោសសម្អាត — ឥណទានដោះលែងដីដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ ក្នុងតំបន់បំពុលដោយសំណល់គ្រាប់បែកចង្កោម \
             និងការរកឃើញសម្ភារៈផ្ទុះប្រភេទគ្រាប់បែកតូច (សម្ភារៈផ្ទុះផ្សេងទៀតដាច់ដោយឡែក) ដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ \
             ហើយបានរកឃើញក្នុងតំបន់ទាំងនោះ។",
        ),
        "article5" => (
            "Article 5: SHA and CHA with anti-personnel mines not closed at the as-of date, and \
             the land released in them in each of the last three full years, by admin area; the \
             period does not apply.",
            "មាត្រា ៥៖ តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ដែលមានមីនប្រឆាំងមនុស្ស មិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ \
             និងដីដែលបានដោះលែងក្នុងតំបន់ទាំងនោះក្នុងឆ្នាំពេញនីមួយៗនៃបីឆ្នាំចុងក្រោយ តាមតំបន់រដ្ឋបាល។ \
             រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
        ),
        _ => return None,
    };
    Some(l.pick(en, km))
}

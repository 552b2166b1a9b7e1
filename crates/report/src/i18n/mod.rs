//! Shared words and columns in every report language, and (in `vocab`) the labels of
//! vocabulary values.

mod vocab;

pub(crate) use vocab::{
    activity_at_time, age_band, asset, assistance, category, contamination, sex,
};

use crate::Language;
use crate::lang::tr;
use crate::table::{Column, ColumnKind};

/// "Total".
pub(crate) fn total(l: Language) -> String {
    l.pick(tr! {
        en: "Total",
        km: "សរុប",
        lo: "ລວມ",
        th: "รวม",
        vi: "Tổng",
        my: "စုစုပေါင်း",
        az: "Cəmi",
    })
    .to_owned()
}

/// "Unknown".
pub(crate) fn unknown(l: Language) -> String {
    l.pick(tr! {
        en: "Unknown",
        km: "មិនដឹង",
        lo: "ບໍ່ຮູ້",
        th: "ไม่ทราบ",
        vi: "Không rõ",
        my: "မသိ",
        az: "Məlum deyil",
    })
    .to_owned()
}

/// "Not recorded".
pub(crate) fn not_recorded(l: Language) -> String {
    l.pick(tr! {
        en: "Not recorded",
        km: "មិនបានកត់ត្រា",
        lo: "ບໍ່ໄດ້ບັນທຶກ",
        th: "ไม่ได้บันทึก",
        vi: "Không ghi nhận",
        my: "မှတ်တမ်းမတင်ထား",
        az: "Qeydə alınmayıb",
    })
    .to_owned()
}

/// The P-code and name columns of a table by admin area.
pub(crate) fn admin_columns(l: Language) -> Vec<Column> {
    vec![
        Column::new(
            "admin_pcode",
            l.pick(tr! {
                en: "P-code",
                km: "លេខកូដ P",
                lo: "ລະຫັດ P",
                th: "รหัส P",
                vi: "Mã P",
                my: "P-ကုဒ်",
                az: "P-kod",
            }),
            ColumnKind::Text,
        ),
        Column::new(
            "admin_name",
            l.pick(tr! {
                en: "Admin area",
                km: "តំបន់រដ្ឋបាល",
                lo: "ເຂດປົກຄອງ",
                th: "เขตการปกครอง",
                vi: "Đơn vị hành chính",
                my: "အုပ်ချုပ်ရေးနယ်မြေ",
                az: "İnzibati ərazi",
            }),
            ColumnKind::Text,
        ),
    ]
}

/// The note that says where an admin area's figures come from.
pub(crate) fn admin_note(l: Language) -> String {
    l.pick(
        tr! {
            en: "Admin area is the hazard's admin area (P-code): a hazard or released area that crosses \
         an admin boundary is counted entirely in the hazard's admin area.",
            km: "តំបន់រដ្ឋបាល គឺជាតំបន់រដ្ឋបាល (លេខកូដ P) របស់តំបន់គ្រោះថ្នាក់៖ តំបន់គ្រោះថ្នាក់ ឬដីដែលបានដោះលែង \
         ដែលឆ្លងកាត់ព្រំដែនរដ្ឋបាល ត្រូវបានរាប់ទាំងស្រុងក្នុងតំបន់រដ្ឋបាលរបស់តំបន់គ្រោះថ្នាក់។",
            lo: "ເຂດປົກຄອງແມ່ນເຂດປົກຄອງຂອງພື້ນທີ່ອັນຕະລາຍ (ລະຫັດ P): ພື້ນທີ່ອັນຕະລາຍ ຫຼື ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍທີ່ຂ້າມເຂດແດນປົກຄອງ ຈະຖືກນັບທັງໝົດໃນເຂດປົກຄອງຂອງພື້ນທີ່ອັນຕະລາຍ.",
            th: "เขตการปกครองคือเขตการปกครองของพื้นที่อันตราย (รหัส P): พื้นที่อันตรายหรือพื้นที่ที่ได้รับการปลดปล่อยที่คร่อมเขตการปกครองจะนับทั้งหมดในเขตการปกครองของพื้นที่อันตราย",
            vi: "Đơn vị hành chính là đơn vị hành chính của khu vực nguy hiểm (mã P): khu vực nguy hiểm hoặc diện tích được giải phóng nằm vắt qua ranh giới hành chính được tính toàn bộ vào đơn vị hành chính của khu vực nguy hiểm.",
            my: "အုပ်ချုပ်ရေးနယ်မြေဆိုသည်မှာ အန္တရာယ်ရှိဧရိယာ၏ အုပ်ချုပ်ရေးနယ်မြေ (P-ကုဒ်) ဖြစ်သည်- အုပ်ချုပ်ရေးနယ်နိမိတ်ကို ဖြတ်ကျော်နေသော အန္တရာယ်ရှိဧရိယာ သို့မဟုတ် လွှတ်ပေးသည့်ဧရိယာကို အန္တရာယ်ရှိဧရိယာ၏ အုပ်ချုပ်ရေးနယ်မြေတွင် အပြည့်အဝ ရေတွက်သည်။",
            az: "İnzibati ərazi təhlükəli ərazinin inzibati ərazisidir (P-kod): inzibati sərhədi keçən təhlükəli ərazi və ya azad edilmiş sahə tamamilə təhlükəli ərazinin inzibati ərazisində sayılır.",
        },
    )
    .to_owned()
}

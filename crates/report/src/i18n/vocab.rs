//! Labels of vocabulary values in every report language; the English ones are the
//! vocabulary's own labels, so they parse back (a test checks it).

use safeground_model::{
    ActivityAtTimeOfAccident, AgeBand, AssetType, AssistanceType, ContaminationType,
    OrdnanceCategory, Sex,
};

use super::{not_recorded, unknown};
use crate::Language;
use crate::lang::tr;

/// A sex.
pub(crate) fn sex(l: Language, s: Sex) -> String {
    l.pick(match s {
        Sex::Female => tr! {
            en: "Female",
            km: "ស្រី",
            lo: "ຍິງ",
            th: "หญิง",
            vi: "Nữ",
            my: "အမျိုးသမီး",
            az: "Qadın",
        },
        Sex::Male => tr! {
            en: "Male",
            km: "ប្រុស",
            lo: "ຊາຍ",
            th: "ชาย",
            vi: "Nam",
            my: "အမျိုးသား",
            az: "Kişi",
        },
        Sex::Unknown => tr! {
            en: "Unknown",
            km: "មិនដឹង",
            lo: "ບໍ່ຮູ້",
            th: "ไม่ทราบ",
            vi: "Không rõ",
            my: "မသိ",
            az: "Məlum deyil",
        },
    })
    .to_owned()
}

/// A demining asset (None: not recorded, e.g. cancellation by survey).
pub(crate) fn asset(l: Language, a: Option<AssetType>) -> String {
    let Some(a) = a else {
        return not_recorded(l);
    };
    l.pick(match a {
        AssetType::Manual => tr! {
            en: "Manual team",
            km: "ក្រុមដោះមីនដោយដៃ",
            lo: "ທີມເກັບກູ້ດ້ວຍມື",
            th: "ทีมเก็บกู้ด้วยมือ",
            vi: "Đội rà phá thủ công",
            my: "လက်ဖြင့် ရှင်းလင်းသည့်အဖွဲ့",
            az: "Əl ilə təmizləmə qrupu",
        },
        AssetType::MineDetectionDog => tr! {
            en: "Mine detection dog",
            km: "ឆ្កែរាវរកមីន",
            lo: "ໝາຊອກຄົ້ນລະເບີດ",
            th: "สุนัขตรวจค้นทุ่นระเบิด",
            vi: "Chó dò mìn",
            my: "မိုင်းရှာဖွေရေးခွေး",
            az: "Mina axtaran it",
        },
        AssetType::MineDetectionRat => tr! {
            en: "Mine detection rat",
            km: "កណ្ដុររាវរកមីន",
            lo: "ໜູຊອກຄົ້ນລະເບີດ",
            th: "หนูตรวจค้นทุ่นระเบิด",
            vi: "Chuột dò mìn",
            my: "မိုင်းရှာဖွေရေးကြွက်",
            az: "Mina axtaran siçovul",
        },
        AssetType::Machine => tr! {
            en: "Machine",
            km: "ម៉ាស៊ីន",
            lo: "ເຄື່ອງຈັກ",
            th: "เครื่องจักร",
            vi: "Máy móc",
            my: "စက်ယန္တရား",
            az: "Maşın",
        },
    })
    .to_owned()
}

/// One contamination type.
fn contamination_type(l: Language, c: ContaminationType) -> &'static str {
    use ContaminationType as C;
    l.pick(match c {
        C::ApMines => tr! {
            en: "Anti-personnel mines",
            km: "មីនប្រឆាំងមនុស្ស",
            lo: "ລະເບີດຝັງດິນຕ້ານບຸກຄົນ",
            th: "ทุ่นระเบิดสังหารบุคคล",
            vi: "Mìn sát thương",
            my: "လူသတ်မြေမြှုပ်မိုင်းများ",
            az: "Piyada əleyhinə minalar",
        },
        C::AtMines => tr! {
            en: "Anti-vehicle mines",
            km: "មីនប្រឆាំងយានយន្ត",
            lo: "ລະເບີດຝັງດິນຕ້ານພາຫະນະ",
            th: "ทุ่นระเบิดต่อต้านยานพาหนะ",
            vi: "Mìn chống xe",
            my: "ယာဉ်ဆန့်ကျင်ရေးမြေမြှုပ်မိုင်းများ",
            az: "Nəqliyyat əleyhinə minalar",
        },
        C::Cmr => tr! {
            en: "Cluster munition remnants",
            km: "សំណល់គ្រាប់បែកចង្កោម",
            lo: "ລູກລະເບີດຫວ່ານທີ່ຍັງເຫຼືອ",
            th: "เศษตกค้างจากอาวุธพวง",
            vi: "Tàn dư bom chùm",
            my: "စုပြုံဗုံးအကြွင်းအကျန်များ",
            az: "Kaset sursatı qalıqları",
        },
        C::Uxo => tr! {
            en: "Unexploded ordnance",
            km: "គ្រាប់មិនទាន់ផ្ទុះ",
            lo: "ລະເບີດບໍ່ທັນແຕກ",
            th: "วัตถุระเบิดที่ยังไม่ระเบิด",
            vi: "Bom mìn chưa nổ",
            my: "မပေါက်ကွဲသေးသော ခဲယမ်းမီးကျောက်",
            az: "Partlamamış hərbi sursat",
        },
        C::Axo => tr! {
            en: "Abandoned explosive ordnance",
            km: "សម្ភារៈផ្ទុះដែលត្រូវបានបោះបង់ចោល",
            lo: "ລະເບີດທີ່ຖືກປະຖິ້ມ",
            th: "วัตถุระเบิดที่ถูกทิ้ง",
            vi: "Vật liệu nổ bị bỏ lại",
            my: "စွန့်ပစ်ထားသော ပေါက်ကွဲစေတတ်သောလက်နက်",
            az: "Tərk edilmiş partlayıcı sursat",
        },
        C::Ied => tr! {
            en: "Improvised explosive devices",
            km: "ឧបករណ៍ផ្ទុះកែច្នៃ",
            lo: "ອຸປະກອນລະເບີດທີ່ປະດິດຂຶ້ນເອງ",
            th: "อุปกรณ์ระเบิดแสวงเครื่อง",
            vi: "Thiết bị nổ tự chế",
            my: "လက်လုပ်ပေါက်ကွဲစေတတ်သောပစ္စည်းများ",
            az: "Əl istehsalı partlayıcı qurğular",
        },
        C::BoobyTraps => tr! {
            en: "Booby traps",
            km: "អន្ទាក់បង្កប់",
            lo: "ກັບດັກລະເບີດ",
            th: "กับระเบิด",
            vi: "Bẫy nổ",
            my: "ထောင်ချောက်ဗုံးများ",
            az: "Mina tələləri",
        },
        C::Mixed => tr! {
            en: "Mixed",
            km: "ចម្រុះ",
            lo: "ປະສົມ",
            th: "ผสม",
            vi: "Hỗn hợp",
            my: "ရောနှော",
            az: "Qarışıq",
        },
    })
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
    l.pick(match c {
        C::ApMine => tr! {
            en: "Anti-personnel mine",
            km: "មីនប្រឆាំងមនុស្ស",
            lo: "ລະເບີດຝັງດິນຕ້ານບຸກຄົນ",
            th: "ทุ่นระเบิดสังหารบุคคล",
            vi: "Mìn sát thương",
            my: "လူသတ်မြေမြှုပ်မိုင်း",
            az: "Piyada əleyhinə mina",
        },
        C::AtMine => tr! {
            en: "Anti-vehicle mine",
            km: "មីនប្រឆាំងយានយន្ត",
            lo: "ລະເບີດຝັງດິນຕ້ານພາຫະນະ",
            th: "ทุ่นระเบิดต่อต้านยานพาหนะ",
            vi: "Mìn chống xe",
            my: "ယာဉ်ဆန့်ကျင်ရေးမြေမြှုပ်မိုင်း",
            az: "Nəqliyyat əleyhinə mina",
        },
        C::Submunition => tr! {
            en: "Submunition (CMR)",
            km: "គ្រាប់បែកចង្កោម",
            lo: "ລູກລະເບີດຫວ່ານ",
            th: "ลูกระเบิดย่อย (อาวุธพวง)",
            vi: "Bom bi (bom chùm)",
            my: "ဗုံးငယ် (စုပြုံဗုံး)",
            az: "Kaset bombacığı",
        },
        C::Uxo => tr! {
            en: "Unexploded ordnance",
            km: "គ្រាប់មិនទាន់ផ្ទុះ",
            lo: "ລະເບີດບໍ່ທັນແຕກ",
            th: "วัตถุระเบิดที่ยังไม่ระเบิด",
            vi: "Bom mìn chưa nổ",
            my: "မပေါက်ကွဲသေးသော ခဲယမ်းမီးကျောက်",
            az: "Partlamamış hərbi sursat",
        },
        C::Axo => tr! {
            en: "Abandoned explosive ordnance",
            km: "សម្ភារៈផ្ទុះដែលត្រូវបានបោះបង់ចោល",
            lo: "ລະເບີດທີ່ຖືກປະຖິ້ມ",
            th: "วัตถุระเบิดที่ถูกทิ้ง",
            vi: "Vật liệu nổ bị bỏ lại",
            my: "စွန့်ပစ်ထားသော ပေါက်ကွဲစေတတ်သောလက်နက်",
            az: "Tərk edilmiş partlayıcı sursat",
        },
        C::Ied => tr! {
            en: "Improvised explosive device",
            km: "ឧបករណ៍ផ្ទុះកែច្នៃ",
            lo: "ອຸປະກອນລະເບີດທີ່ປະດິດຂຶ້ນເອງ",
            th: "อุปกรณ์ระเบิดแสวงเครื่อง",
            vi: "Thiết bị nổ tự chế",
            my: "လက်လုပ်ပေါက်ကွဲစေတတ်သောပစ္စည်း",
            az: "Əl istehsalı partlayıcı qurğu",
        },
        C::BoobyTrap => tr! {
            en: "Booby trap",
            km: "អន្ទាក់បង្កប់",
            lo: "ກັບດັກລະເບີດ",
            th: "กับระเบิด",
            vi: "Bẫy nổ",
            my: "ထောင်ချောက်ဗုံး",
            az: "Mina tələsi",
        },
        C::SmallArmsAmmunition => tr! {
            en: "Small arms ammunition",
            km: "គ្រាប់អាវុធតូច",
            lo: "ລູກປືນອາວຸດນ້ອຍ",
            th: "กระสุนอาวุธขนาดเล็ก",
            vi: "Đạn vũ khí nhỏ",
            my: "လက်နက်ငယ် ကျည်ဆံ",
            az: "Atıcı silah sursatı",
        },
        C::Other => tr! {
            en: "Other",
            km: "ផ្សេងទៀត",
            lo: "ອື່ນໆ",
            th: "อื่น ๆ",
            vi: "Khác",
            my: "အခြား",
            az: "Digər",
        },
    })
    .to_owned()
}

/// What a victim was doing at the time of the accident.
pub(crate) fn activity_at_time(l: Language, a: ActivityAtTimeOfAccident) -> String {
    use ActivityAtTimeOfAccident as A;
    l.pick(match a {
        A::Demining => tr! {
            en: "Demining",
            km: "ការដោះមីន",
            lo: "ການເກັບກູ້ລະເບີດ",
            th: "การเก็บกู้ทุ่นระเบิด",
            vi: "Rà phá bom mìn",
            my: "မိုင်းရှင်းလင်းခြင်း",
            az: "Minatəmizləmə",
        },
        A::Farming => tr! {
            en: "Farming",
            km: "ការធ្វើកសិកម្ម",
            lo: "ການເຮັດກະສິກຳ",
            th: "การทำเกษตรกรรม",
            vi: "Làm nông nghiệp",
            my: "စိုက်ပျိုးရေး",
            az: "Əkinçilik",
        },
        A::Herding => tr! {
            en: "Herding",
            km: "ការឃ្វាលសត្វ",
            lo: "ການລ້ຽງສັດ",
            th: "การเลี้ยงสัตว์",
            vi: "Chăn thả gia súc",
            my: "တိရစ္ဆာန်ထိန်းကျောင်းခြင်း",
            az: "Heyvan otarma",
        },
        A::CollectingWoodOrFood => tr! {
            en: "Collecting wood or food",
            km: "ការរកអុស ឬអាហារ",
            lo: "ການຫາຟືນ ຫຼື ອາຫານ",
            th: "การหาฟืนหรืออาหาร",
            vi: "Kiếm củi hoặc thức ăn",
            my: "ထင်း သို့မဟုတ် အစားအစာ ရှာဖွေခြင်း",
            az: "Odun və ya qida toplama",
        },
        A::Travelling => tr! {
            en: "Travelling",
            km: "ការធ្វើដំណើរ",
            lo: "ການເດີນທາງ",
            th: "การเดินทาง",
            vi: "Đi lại",
            my: "ခရီးသွားခြင်း",
            az: "Səyahət",
        },
        A::Tampering => tr! {
            en: "Tampering",
            km: "ការប៉ះពាល់សម្ភារៈផ្ទុះ",
            lo: "ການຈັບບາຍລະເບີດ",
            th: "การยุ่งเกี่ยวกับวัตถุระเบิด",
            vi: "Tác động vào vật liệu nổ",
            my: "ပေါက်ကွဲစေတတ်သောပစ္စည်းကို ကိုင်တွယ်ခြင်း",
            az: "Partlayıcı sursata müdaxilə",
        },
        A::Playing => tr! {
            en: "Playing",
            km: "ការលេង",
            lo: "ການຫຼິ້ນ",
            th: "การเล่น",
            vi: "Vui chơi",
            my: "ကစားခြင်း",
            az: "Oyun",
        },
        A::ScrapMetalCollection => tr! {
            en: "Scrap metal collection",
            km: "ការរើសអេតចាយ",
            lo: "ການເກັບເສດເຫຼັກ",
            th: "การเก็บเศษโลหะ",
            vi: "Thu gom phế liệu kim loại",
            my: "သံအပိုင်းအစ ကောက်ခြင်း",
            az: "Metal qırıntısı toplama",
        },
        A::FishingOrHunting => tr! {
            en: "Fishing or hunting",
            km: "ការនេសាទ ឬបរបាញ់",
            lo: "ການຫາປາ ຫຼື ລ່າສັດ",
            th: "การจับปลาหรือล่าสัตว์",
            vi: "Đánh cá hoặc săn bắn",
            my: "ငါးဖမ်းခြင်း သို့မဟုတ် အမဲလိုက်ခြင်း",
            az: "Balıqçılıq və ya ovçuluq",
        },
        A::HouseholdActivities => tr! {
            en: "Household activities",
            km: "ការងារផ្ទះ",
            lo: "ວຽກບ້ານ",
            th: "งานบ้าน",
            vi: "Việc nhà",
            my: "အိမ်အလုပ်",
            az: "Məişət işləri",
        },
        A::Military => tr! {
            en: "Military or security duty",
            km: "ភារកិច្ចយោធា ឬសន្តិសុខ",
            lo: "ໜ້າທີ່ທະຫານ ຫຼື ຄວາມປອດໄພ",
            th: "ภารกิจทางทหารหรือความมั่นคง",
            vi: "Nhiệm vụ quân sự hoặc an ninh",
            my: "စစ်ရေး သို့မဟုတ် လုံခြုံရေး တာဝန်",
            az: "Hərbi və ya təhlükəsizlik vəzifəsi",
        },
        A::Other => tr! {
            en: "Other",
            km: "ផ្សេងទៀត",
            lo: "ອື່ນໆ",
            th: "อื่น ๆ",
            vi: "Khác",
            my: "အခြား",
            az: "Digər",
        },
        A::Unknown => tr! {
            en: "Unknown",
            km: "មិនដឹង",
            lo: "ບໍ່ຮູ້",
            th: "ไม่ทราบ",
            vi: "Không rõ",
            my: "မသိ",
            az: "Məlum deyil",
        },
    })
    .to_owned()
}

/// A victim-assistance service.
pub(crate) fn assistance(l: Language, a: AssistanceType) -> String {
    use AssistanceType as A;
    l.pick(match a {
        A::NeedsAssessment => tr! {
            en: "Needs assessment and referral",
            km: "ការវាយតម្លៃតម្រូវការ និងការបញ្ជូនបន្ត",
            lo: "ການປະເມີນຄວາມຕ້ອງການ ແລະ ການສົ່ງຕໍ່",
            th: "การประเมินความต้องการและการส่งต่อ",
            vi: "Đánh giá nhu cầu và chuyển tuyến",
            my: "လိုအပ်ချက် အကဲဖြတ်ခြင်းနှင့် လွှဲပြောင်းညွှန်းပို့ခြင်း",
            az: "Ehtiyacların qiymətləndirilməsi və yönləndirmə",
        },
        A::MedicalCare => tr! {
            en: "Medical care",
            km: "ការថែទាំវេជ្ជសាស្ត្រ",
            lo: "ການປິ່ນປົວທາງການແພດ",
            th: "การดูแลทางการแพทย์",
            vi: "Chăm sóc y tế",
            my: "ဆေးဘက်ဆိုင်ရာ စောင့်ရှောက်မှု",
            az: "Tibbi yardım",
        },
        A::Rehabilitation => tr! {
            en: "Rehabilitation",
            km: "ការស្តារនីតិសម្បទា",
            lo: "ການຟື້ນຟູໜ້າທີ່ການ",
            th: "การฟื้นฟูสมรรถภาพ",
            vi: "Phục hồi chức năng",
            my: "ပြန်လည်ထူထောင်ရေး",
            az: "Reabilitasiya",
        },
        A::PsychosocialSupport => tr! {
            en: "Psychological and psychosocial support",
            km: "ការគាំទ្រផ្លូវចិត្ត និងសង្គម",
            lo: "ການຊ່ວຍເຫຼືອດ້ານຈິດໃຈ ແລະ ສັງຄົມ",
            th: "การสนับสนุนด้านจิตใจและจิตสังคม",
            vi: "Hỗ trợ tâm lý và tâm lý xã hội",
            my: "စိတ်ပိုင်းဆိုင်ရာနှင့် စိတ်လူမှုရေး ပံ့ပိုးမှု",
            az: "Psixoloji və psixososial dəstək",
        },
        A::SocioEconomicInclusion => tr! {
            en: "Socio-economic inclusion",
            km: "ការដាក់បញ្ចូលក្នុងសង្គម និងសេដ្ឋកិច្ច",
            lo: "ການເຊື່ອມໂຍງທາງສັງຄົມ ແລະ ເສດຖະກິດ",
            th: "การมีส่วนร่วมทางสังคมและเศรษฐกิจ",
            vi: "Hòa nhập kinh tế - xã hội",
            my: "လူမှုစီးပွား ပါဝင်ဆောင်ရွက်မှု",
            az: "Sosial-iqtisadi inteqrasiya",
        },
        A::Education => tr! {
            en: "Education",
            km: "ការអប់រំ",
            lo: "ການສຶກສາ",
            th: "การศึกษา",
            vi: "Giáo dục",
            my: "ပညာရေး",
            az: "Təhsil",
        },
        A::LegalSupport => tr! {
            en: "Legal support",
            km: "ជំនួយផ្លូវច្បាប់",
            lo: "ການຊ່ວຍເຫຼືອທາງກົດໝາຍ",
            th: "การสนับสนุนทางกฎหมาย",
            vi: "Hỗ trợ pháp lý",
            my: "ဥပဒေရေးရာ ပံ့ပိုးမှု",
            az: "Hüquqi dəstək",
        },
    })
    .to_owned()
}

/// A beneficiary age band (the numeric bands read the same in every language).
pub(crate) fn age_band(l: Language, b: AgeBand) -> String {
    match b {
        AgeBand::Child => l
            .pick(tr! {
                en: "Child (under 18)",
                km: "កុមារ (ក្រោម ១៨ ឆ្នាំ)",
                lo: "ເດັກ (ອາຍຸຕ່ຳກວ່າ 18 ປີ)",
                th: "เด็ก (อายุต่ำกว่า 18 ปี)",
                vi: "Trẻ em (dưới 18 tuổi)",
                my: "ကလေး (အသက် 18 နှစ်အောက်)",
                az: "Uşaq (18 yaşdan aşağı)",
            })
            .to_owned(),
        AgeBand::Adult => l
            .pick(tr! {
                en: "Adult (18 and over)",
                km: "មនុស្សពេញវ័យ (១៨ ឆ្នាំឡើង)",
                lo: "ຜູ້ໃຫຍ່ (ອາຍຸ 18 ປີຂຶ້ນໄປ)",
                th: "ผู้ใหญ่ (อายุ 18 ปีขึ้นไป)",
                vi: "Người lớn (từ 18 tuổi trở lên)",
                my: "လူကြီး (အသက် 18 နှစ်နှင့်အထက်)",
                az: "Böyük (18 yaş və yuxarı)",
            })
            .to_owned(),
        _ => b.label().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English labels are the vocabulary's own, so that an English report's values parse back.
    #[test]
    fn english_labels_are_the_vocabulary_labels() {
        let en = Language::En;
        for s in Sex::ALL {
            assert_eq!(sex(en, *s), s.label());
        }
        for a in AssetType::ALL {
            assert_eq!(asset(en, Some(*a)), a.label());
        }
        for c in ContaminationType::ALL {
            assert_eq!(contamination(en, &[*c]), c.label());
        }
        for c in OrdnanceCategory::ALL {
            assert_eq!(category(en, Some(*c)), c.label());
        }
        for a in ActivityAtTimeOfAccident::ALL {
            assert_eq!(activity_at_time(en, *a), a.label());
        }
        for a in AssistanceType::ALL {
            assert_eq!(assistance(en, *a), a.label());
        }
        for b in AgeBand::ALL {
            assert_eq!(age_band(en, *b), b.label());
        }
    }

    /// Within a language, no two values of a vocabulary share a label.
    #[test]
    fn labels_are_distinct_in_every_language() {
        fn distinct(what: &str, labels: Vec<String>) {
            let mut seen = std::collections::BTreeSet::new();
            for l in &labels {
                assert!(seen.insert(l), "{what}: {l} twice");
            }
        }
        for l in Language::ALL {
            distinct("sex", Sex::ALL.iter().map(|s| sex(l, *s)).collect());
            distinct(
                "asset",
                AssetType::ALL.iter().map(|a| asset(l, Some(*a))).collect(),
            );
            distinct(
                "contamination",
                ContaminationType::ALL
                    .iter()
                    .map(|c| contamination(l, &[*c]))
                    .collect(),
            );
            distinct(
                "category",
                OrdnanceCategory::ALL
                    .iter()
                    .map(|c| category(l, Some(*c)))
                    .collect(),
            );
            distinct(
                "activity",
                ActivityAtTimeOfAccident::ALL
                    .iter()
                    .map(|a| activity_at_time(l, *a))
                    .collect(),
            );
            distinct(
                "assistance",
                AssistanceType::ALL
                    .iter()
                    .map(|a| assistance(l, *a))
                    .collect(),
            );
            distinct(
                "age band",
                AgeBand::ALL.iter().map(|b| age_band(l, *b)).collect(),
            );
        }
    }
}

//! The demo's document library: standards, procedures, lessons learned, research, risk
//! education and training material of the region, in its seven languages (text drafted by
//! the team for the demo, not official documents).

/// How a demo document is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoFile {
    /// A Word document (any script).
    Docx,
    /// A PDF in a standard font (Latin text only).
    Pdf,
    /// A link to a video (no file).
    Link(&'static str),
}

/// One demo document.
#[derive(Debug, Clone, Copy)]
pub struct DemoDocument {
    /// Title.
    pub title: &'static str,
    /// Language code.
    pub language: &'static str,
    /// Country code.
    pub country: Option<&'static str>,
    /// Document type.
    pub doc_type: &'static str,
    /// IMAS topic.
    pub imas_topic: Option<&'static str>,
    /// Access.
    pub access: &'static str,
    /// Issuing organisation.
    pub organisation: &'static str,
    /// How it is written.
    pub file: DemoFile,
    /// File name.
    pub file_name: &'static str,
    /// Paragraphs of its text.
    pub paragraphs: &'static [&'static str],
}

/// The demo library, in the order it is added.
pub const DOCUMENTS: &[DemoDocument] = &[
    DemoDocument {
        title: "Cambodian Mine Action Standard: Land release",
        language: "en",
        country: Some("KHM"),
        doc_type: "national_standard",
        imas_topic: Some("07.11"),
        access: "regional",
        organisation: "CMAA",
        file: DemoFile::Pdf,
        file_name: "cmas-07-11-land-release.pdf",
        paragraphs: &[
            "Cambodian Mine Action Standard 07.11 - Land release",
            "Land is released by non-technical survey, technical survey and clearance.",
            "Cancelled land needs evidence that no explosive ordnance is present.",
            "Reduced and cleared land is recorded with its polygon and geodesic area.",
            "Every release is approved by the national authority before it is reported.",
        ],
    },
    DemoDocument {
        title: "នីតិវិធីប្រតិបត្តិការស្តង់ដារ៖ ការបោសសម្អាតមីនដោយដៃ",
        language: "km",
        country: Some("KHM"),
        doc_type: "sop",
        imas_topic: Some("09.10"),
        access: "regional",
        organisation: "CMAC",
        file: DemoFile::Docx,
        file_name: "cmac-sop-manual-clearance-km.docx",
        paragraphs: &[
            "នីតិវិធីប្រតិបត្តិការស្តង់ដារសម្រាប់ការបោសសម្អាតមីនដោយដៃ",
            "ក្រុមការងារបោសសម្អាតមីនបានរកឃើញគ្រាប់មីនប្រឆាំងមនុស្សនៅស្រុកកំរៀងខេត្តបាត់ដំបង។",
            "ដីដែលបានបោសសម្អាតត្រូវបានប្រគល់ជូនប្រជាពលរដ្ឋដើម្បីធ្វើស្រែ។",
        ],
    },
    DemoDocument {
        title: "ບົດຮຽນ: ການເກັບກູ້ລະເບີດບໍ່ທັນແຕກຢູ່ແຂວງຊຽງຂວາງ",
        language: "lo",
        country: Some("LAO"),
        doc_type: "lessons_learned",
        imas_topic: Some("09.10"),
        access: "regional",
        organisation: "NRA",
        file: DemoFile::Docx,
        file_name: "nra-lessons-xiengkhouang-lo.docx",
        paragraphs: &[
            "ການເກັບກູ້ລະເບີດບໍ່ທັນແຕກຢູ່ແຂວງຊຽງຂວາງ",
            "ທີມງານເກັບກູ້ໄດ້ທຳລາຍລະເບີດບໍ່ທັນແຕກ 350 ໜ່ວຍ ຢູ່ເມືອງແປກ ແຂວງຊຽງຂວາງ.",
            "ດິນທີ່ໄດ້ເກັບກູ້ແລ້ວໄດ້ມອບໃຫ້ຊາວບ້ານເຮັດນາ.",
        ],
    },
    DemoDocument {
        title: "สื่อการให้ความรู้เรื่องอันตรายจากทุ่นระเบิด",
        language: "th",
        country: Some("THA"),
        doc_type: "risk_education_material",
        imas_topic: Some("12.10"),
        access: "public",
        organisation: "TMAC",
        file: DemoFile::Docx,
        file_name: "tmac-eore-th.docx",
        paragraphs: &[
            "การเก็บกู้ทุ่นระเบิดในจังหวัดสระแก้ว",
            "ทีมเก็บกู้ทุ่นระเบิดได้ทำลายทุ่นระเบิดสังหารบุคคลจำนวน 40 ลูกในอำเภอตาพระยา จังหวัดสระแก้ว",
            "หากพบวัตถุต้องสงสัย อย่าแตะต้อง ให้แจ้งผู้ใหญ่บ้านทันที",
        ],
    },
    DemoDocument {
        title: "Nghiên cứu: Rà phá bom mìn tại tỉnh Quảng Trị",
        language: "vi",
        country: Some("VNM"),
        doc_type: "research",
        imas_topic: None,
        access: "public",
        organisation: "VNMAC",
        file: DemoFile::Docx,
        file_name: "vnmac-research-quang-tri-vi.docx",
        paragraphs: &[
            "Rà phá bom mìn tại tỉnh Quảng Trị",
            "Các đội rà phá bom mìn đã xử lý 215 quả bom chùm tại huyện Hải Lăng, tỉnh Quảng Trị.",
            "Đất sau khi rà phá được bàn giao cho người dân canh tác.",
        ],
    },
    DemoDocument {
        title: "မိုင်းအန္တရာယ် ပညာပေးလက်စွဲ",
        language: "my",
        country: Some("MMR"),
        doc_type: "risk_education_material",
        imas_topic: Some("12.10"),
        access: "public",
        organisation: "MRCS",
        file: DemoFile::Docx,
        file_name: "eore-handbook-my.docx",
        paragraphs: &[
            "ကရင်ပြည်နယ်တွင် မိုင်းအန္တရာယ် ပညာပေးခြင်း",
            "ကရင်ပြည်နယ် ကော့ကရိတ်မြို့နယ်ရှိ ကျေးရွာများတွင် မိုင်းအန္တရာယ်ပညာပေး အစီအစဉ်များကို ကလေးများနှင့် မိဘများအတွက် ပြုလုပ်ခဲ့သည်။",
        ],
    },
    DemoDocument {
        title: "Minalardan təmizləmə üzrə təlim materialı",
        language: "az",
        country: Some("AZE"),
        doc_type: "training_material",
        imas_topic: Some("09.10"),
        access: "regional",
        organisation: "ANAMA",
        file: DemoFile::Docx,
        file_name: "anama-training-az.docx",
        paragraphs: &[
            "Ağdam rayonunda minalardan təmizləmə",
            "ANAMA-nın təmizləmə qrupları Ağdam rayonunda 120 hektar ərazini minalardan və partlamamış hərbi sursatlardan təmizləyib.",
            "Ərazi kənd təsərrüfatı üçün sakinlərə təhvil verilib.",
        ],
    },
    DemoDocument {
        title: "IMAS 09.10 clearance requirements: trainer's notes",
        language: "en",
        country: None,
        doc_type: "training_material",
        imas_topic: Some("09.10"),
        access: "national",
        organisation: "CMAA",
        file: DemoFile::Pdf,
        file_name: "imas-09-10-trainer-notes.pdf",
        paragraphs: &[
            "IMAS 09.10 clearance requirements - trainer's notes",
            "Clearance removes all explosive ordnance from a specified area to a specified depth.",
            "Quality management samples cleared land after the task.",
            "Mine detection dogs and rats work in pairs with a handler.",
        ],
    },
    DemoDocument {
        title: "វីដេអូអប់រំការប្រុងប្រយ័ត្នគ្រោះថ្នាក់មីន",
        language: "km",
        country: Some("KHM"),
        doc_type: "risk_education_material",
        imas_topic: Some("12.10"),
        access: "public",
        organisation: "CMAC",
        file: DemoFile::Link("https://video.example.org/cmac/eore-km"),
        file_name: "",
        paragraphs: &[],
    },
];

/// A second edition of the first document (a new version).
pub const SECOND_EDITION: &[&str] = &[
    "Cambodian Mine Action Standard 07.11 - Land release (second edition)",
    "Land is released by non-technical survey, technical survey and clearance.",
    "Cancelled land needs evidence that no explosive ordnance is present.",
    "Reduced and cleared land is recorded with its polygon and geodesic area.",
    "Released areas outside any recorded hazard are reported separately.",
];

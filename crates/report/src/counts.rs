//! The one-line statement of what each table counts: which records, which date puts them in
//! the period, what is left out. Kept together so that the definitions read as one list.

use crate::Language;
use crate::lang::tr;

/// What the table `id` counts, in `l` (None for an unknown id).
pub(crate) fn statement(id: &str, l: Language) -> Option<&'static str> {
    let t = match id {
        "land_release_by_admin_area" => tr! {
            en: "Land released: release credits of activity reports dated in the period, by the \
         admin area of the released hazard; overlapping releases count once.",
            km: "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
         តាមតំបន់រដ្ឋបាលនៃតំបន់គ្រោះថ្នាក់ ដីដែលដោះលែងត្រួតគ្នាត្រូវបានរាប់តែម្ដង។",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ: ເນື້ອທີ່ປົດປ່ອຍທີ່ບັນທຶກໃນບົດລາຍງານກິດຈະກຳທີ່ລົງວັນທີໃນໄລຍະນີ້, ແຍກຕາມເຂດປົກຄອງຂອງພື້ນທີ່ອັນຕະລາຍທີ່ໄດ້ປົດປ່ອຍ; ການປົດປ່ອຍທີ່ຊ້ອນກັນນັບພຽງຄັ້ງດຽວ.",
            th: "พื้นที่ที่ได้รับการปลดปล่อย: เครดิตการปลดปล่อยพื้นที่ของรายงานกิจกรรมที่ลงวันที่ในช่วงเวลานี้ จำแนกตามเขตการปกครองของพื้นที่อันตรายที่ได้รับการปลดปล่อย การปลดปล่อยที่ทับซ้อนกันนับเพียงครั้งเดียว",
            vi: "Diện tích đất được giải phóng: phần diện tích giải phóng được ghi nhận của các báo cáo hoạt động có ngày trong kỳ, theo đơn vị hành chính của khu vực nguy hiểm được giải phóng; các lần giải phóng chồng lấn chỉ tính một lần.",
            my: "လွှတ်ပေးသည့်မြေ- ဤကာလအတွင်း ရက်စွဲပါ လုပ်ငန်းအစီရင်ခံစာများ၏ မြေလွှတ်ပေးမှုစာရင်းများ၊ လွှတ်ပေးသည့် အန္တရာယ်ရှိဧရိယာ၏ အုပ်ချုပ်ရေးနယ်မြေအလိုက်၊ ထပ်နေသော လွှတ်ပေးမှုများကို တစ်ကြိမ်သာ ရေတွက်သည်။",
            az: "Azad edilmiş ərazi: dövr ərzində tarixli fəaliyyət hesabatlarının azadetmə krediti, azad edilmiş təhlükəli ərazinin inzibati ərazisi üzrə; üst-üstə düşən azadetmələr bir dəfə sayılır.",
        },
        "land_release_by_asset" => tr! {
            en: "Land released: release credits of activity reports dated in the period, by the \
         asset recorded on the released area.",
            km: "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
         តាមមធ្យោបាយដែលបានកត់ត្រាលើដីដែលបានដោះលែង។",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ: ເນື້ອທີ່ປົດປ່ອຍທີ່ບັນທຶກໃນບົດລາຍງານກິດຈະກຳທີ່ລົງວັນທີໃນໄລຍະນີ້, ແຍກຕາມຊັບພະຍາກອນທີ່ບັນທຶກໄວ້ໃນເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ.",
            th: "พื้นที่ที่ได้รับการปลดปล่อย: เครดิตการปลดปล่อยพื้นที่ของรายงานกิจกรรมที่ลงวันที่ในช่วงเวลานี้ จำแนกตามทรัพยากรที่บันทึกไว้ในพื้นที่ที่ได้รับการปลดปล่อย",
            vi: "Diện tích đất được giải phóng: phần diện tích giải phóng được ghi nhận của các báo cáo hoạt động có ngày trong kỳ, theo phương tiện được ghi trên khu vực được giải phóng.",
            my: "လွှတ်ပေးသည့်မြေ- ဤကာလအတွင်း ရက်စွဲပါ လုပ်ငန်းအစီရင်ခံစာများ၏ မြေလွှတ်ပေးမှုစာရင်းများ၊ လွှတ်ပေးသည့်ဧရိယာတွင် မှတ်တမ်းတင်ထားသော လုပ်ငန်းသုံးပစ္စည်းအမျိုးအစားအလိုက်။",
            az: "Azad edilmiş ərazi: dövr ərzində tarixli fəaliyyət hesabatlarının azadetmə krediti, azad edilmiş sahədə qeydə alınmış vasitə üzrə.",
        },
        "land_release_by_contamination" => tr! {
            en: "Land released: release credits of activity reports dated in the period, by the \
         released hazard's combination of contamination types.",
            km: "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
         តាមបន្សំប្រភេទការបំពុលនៃតំបន់គ្រោះថ្នាក់។",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ: ເນື້ອທີ່ປົດປ່ອຍທີ່ບັນທຶກໃນບົດລາຍງານກິດຈະກຳທີ່ລົງວັນທີໃນໄລຍະນີ້, ແຍກຕາມການປະສົມປະເພດການປົນເປື້ອນຂອງພື້ນທີ່ອັນຕະລາຍທີ່ໄດ້ປົດປ່ອຍ.",
            th: "พื้นที่ที่ได้รับการปลดปล่อย: เครดิตการปลดปล่อยพื้นที่ของรายงานกิจกรรมที่ลงวันที่ในช่วงเวลานี้ จำแนกตามชุดประเภทการปนเปื้อนของพื้นที่อันตรายที่ได้รับการปลดปล่อย",
            vi: "Diện tích đất được giải phóng: phần diện tích giải phóng được ghi nhận của các báo cáo hoạt động có ngày trong kỳ, theo tổ hợp loại ô nhiễm của khu vực nguy hiểm được giải phóng.",
            my: "လွှတ်ပေးသည့်မြေ- ဤကာလအတွင်း ရက်စွဲပါ လုပ်ငန်းအစီရင်ခံစာများ၏ မြေလွှတ်ပေးမှုစာရင်းများ၊ လွှတ်ပေးသည့် အန္တရာယ်ရှိဧရိယာ၏ ညစ်ညမ်းမှုအမျိုးအစား ပေါင်းစပ်မှုအလိုက်။",
            az: "Azad edilmiş ərazi: dövr ərzində tarixli fəaliyyət hesabatlarının azadetmə krediti, azad edilmiş təhlükəli ərazinin çirklənmə növlərinin birləşməsi üzrə.",
        },
        "land_release_by_year" => tr! {
            en: "Land released: release credits of activity reports dated in the period, by the year \
         of the report's date of information.",
            km: "ដីដែលបានដោះលែង៖ ឥណទានដោះលែងដីនៃរបាយការណ៍សកម្មភាពដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ \
         តាមឆ្នាំនៃកាលបរិច្ឆេទព័ត៌មាន។",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍ: ເນື້ອທີ່ປົດປ່ອຍທີ່ບັນທຶກໃນບົດລາຍງານກິດຈະກຳທີ່ລົງວັນທີໃນໄລຍະນີ້, ແຍກຕາມປີຂອງວັນທີຂໍ້ມູນຂອງບົດລາຍງານ.",
            th: "พื้นที่ที่ได้รับการปลดปล่อย: เครดิตการปลดปล่อยพื้นที่ของรายงานกิจกรรมที่ลงวันที่ในช่วงเวลานี้ จำแนกตามปีของวันที่ข้อมูลในรายงาน",
            vi: "Diện tích đất được giải phóng: phần diện tích giải phóng được ghi nhận của các báo cáo hoạt động có ngày trong kỳ, theo năm của ngày thông tin trong báo cáo.",
            my: "လွှတ်ပေးသည့်မြေ- ဤကာလအတွင်း ရက်စွဲပါ လုပ်ငန်းအစီရင်ခံစာများ၏ မြေလွှတ်ပေးမှုစာရင်းများ၊ အစီရင်ခံစာ၏ သတင်းအချက်အလက်ရက်စွဲ နှစ်အလိုက်။",
            az: "Azad edilmiş ərazi: dövr ərzində tarixli fəaliyyət hesabatlarının azadetmə krediti, hesabatın məlumat tarixinin ili üzrə.",
        },
        "land_release_outside_hazards" => tr! {
            en: "Land released outside recorded hazards: the part of each polygon released by an \
         activity report dated in the period that lies outside every hazard the activity is \
         linked to (all of it when it names none), by method; this land is not in the \
         hazard-based land-release figures.",
            km: "ដីដែលបានដោះលែងនៅក្រៅតំបន់គ្រោះថ្នាក់ដែលបានកត់ត្រា៖ ផ្នែកនៃដីដែលបានដោះលែងដោយរបាយការណ៍សកម្មភាព \
         ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ ដែលនៅក្រៅតំបន់គ្រោះថ្នាក់ទាំងអស់ដែលសកម្មភាពភ្ជាប់ (ទាំងអស់ \
         នៅពេលមិនបញ្ជាក់តំបន់គ្រោះថ្នាក់) តាមវិធីសាស្ត្រ។ ដីនេះមិនស្ថិតក្នុងតួលេខដោះលែងដីតាមតំបន់គ្រោះថ្នាក់ទេ។",
            lo: "ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍຢູ່ນອກພື້ນທີ່ອັນຕະລາຍທີ່ບັນທຶກໄວ້: ສ່ວນຂອງແຕ່ລະຮູບຫຼາຍແຈທີ່ໄດ້ປົດປ່ອຍໂດຍບົດລາຍງານກິດຈະກຳທີ່ລົງວັນທີໃນໄລຍະນີ້ ເຊິ່ງຢູ່ນອກທຸກພື້ນທີ່ອັນຕະລາຍທີ່ກິດຈະກຳເຊື່ອມໂຍງ (ທັງໝົດ ເມື່ອບໍ່ໄດ້ລະບຸພື້ນທີ່ອັນຕະລາຍໃດ), ແຍກຕາມວິທີການ; ເນື້ອທີ່ນີ້ບໍ່ໄດ້ຢູ່ໃນຕົວເລກການປົດປ່ອຍເນື້ອທີ່ຕາມພື້ນທີ່ອັນຕະລາຍ.",
            th: "พื้นที่ที่ได้รับการปลดปล่อยนอกพื้นที่อันตรายที่บันทึกไว้: ส่วนของรูปหลายเหลี่ยมแต่ละรูปที่ปลดปล่อยโดยรายงานกิจกรรมที่ลงวันที่ในช่วงเวลานี้ ซึ่งอยู่นอกพื้นที่อันตรายทุกแห่งที่กิจกรรมเชื่อมโยงอยู่ (ทั้งหมด หากไม่ได้ระบุพื้นที่อันตรายใด) จำแนกตามวิธีการ พื้นที่นี้ไม่รวมอยู่ในตัวเลขการปลดปล่อยพื้นที่ตามพื้นที่อันตราย",
            vi: "Diện tích đất được giải phóng ngoài các khu vực nguy hiểm đã ghi nhận: phần của mỗi đa giác được giải phóng bởi báo cáo hoạt động có ngày trong kỳ nằm ngoài mọi khu vực nguy hiểm mà hoạt động liên kết (toàn bộ khi không nêu khu vực nào), theo phương pháp; diện tích này không nằm trong số liệu giải phóng đất theo khu vực nguy hiểm.",
            my: "မှတ်တမ်းတင်ထားသော အန္တရာယ်ရှိဧရိယာများ၏ ပြင်ပတွင် လွှတ်ပေးသည့်မြေ- ဤကာလအတွင်း ရက်စွဲပါ လုပ်ငန်းအစီရင်ခံစာက လွှတ်ပေးသည့် ဧရိယာပုံတစ်ခုစီ၏ လုပ်ငန်းနှင့်ချိတ်ဆက်ထားသော အန္တရာယ်ရှိဧရိယာအားလုံး၏ ပြင်ပရှိ အစိတ်အပိုင်း (မည်သည့်ဧရိယာမျှ မဖော်ပြလျှင် တစ်ခုလုံး)၊ နည်းလမ်းအလိုက်၊ ဤမြေသည် အန္တရာယ်ရှိဧရိယာအခြေပြု မြေလွှတ်ပေးမှုကိန်းဂဏန်းများတွင် မပါဝင်ပါ။",
            az: "Qeydə alınmış təhlükəli ərazilərdən kənarda azad edilmiş ərazi: dövr ərzində tarixli fəaliyyət hesabatı ilə azad edilmiş hər çoxbucaqlının fəaliyyətin bağlı olduğu bütün təhlükəli ərazilərdən kənarda qalan hissəsi (heç bir ərazi göstərilməyibsə, hamısı), üsul üzrə; bu ərazi təhlükəli ərazilər üzrə azadetmə göstəricilərinə daxil deyil.",
        },
        "machine_tracks" => tr! {
            en: "Machine and robot tracks uploaded as evidence for the activities whose report is \
         dated in the period and selection (tracks stored after the known-at time left out), \
         with the area processed inside the task, the task's coverage and the area the \
         approved report cleared.",
            km: "ផ្លូវម៉ាស៊ីន និងរ៉ូបូតដែលបានផ្ទុកឡើងជាភស្តុតាងសម្រាប់សកម្មភាពដែលរបាយការណ៍មានកាលបរិច្ឆេទក្នុងរយៈពេល \
         និងការជ្រើសរើសនេះ (ផ្លូវដែលបានរក្សាទុកក្រោយពេលវេលាដឹង មិនរាប់បញ្ចូល) ជាមួយផ្ទៃដែលបានដំណើរការក្នុងភារកិច្ច \
         ការគ្របដណ្ដប់ភារកិច្ច និងផ្ទៃដែលរបាយការណ៍អនុម័តបានបោសសម្អាត។",
            lo: "ເສັ້ນທາງເຄື່ອງຈັກ ແລະ ຫຸ່ນຍົນ ທີ່ອັບໂຫຼດເປັນຫຼັກຖານສຳລັບກິດຈະກຳທີ່ບົດລາຍງານລົງວັນທີໃນໄລຍະ ແລະ ການເລືອກນີ້ \
         (ບໍ່ນັບເສັ້ນທາງທີ່ບັນທຶກຫຼັງເວລາທີ່ຮູ້), ພ້ອມເນື້ອທີ່ທີ່ດຳເນີນການພາຍໃນໜ້າວຽກ, ການຄອບຄຸມໜ້າວຽກ ແລະ ເນື້ອທີ່ທີ່ບົດລາຍງານທີ່ອະນຸມັດເກັບກູ້ແລ້ວ.",
            th: "เส้นทางเครื่องจักรและหุ่นยนต์ที่อัปโหลดเป็นหลักฐานของกิจกรรมที่รายงานลงวันที่ในช่วงเวลาและการเลือกนี้ \
         (ไม่นับเส้นทางที่บันทึกหลังเวลาที่ทราบ) พร้อมพื้นที่ที่ดำเนินการภายในงาน ความครอบคลุมของงาน และพื้นที่ที่รายงานที่อนุมัติเก็บกู้แล้ว",
            vi: "Vết máy và rô-bốt được tải lên làm bằng chứng cho các hoạt động có báo cáo đề ngày trong kỳ \
         và phạm vi chọn (bỏ qua vết lưu sau thời điểm đã biết), với diện tích đã xử lý trong nhiệm vụ, \
         độ phủ nhiệm vụ và diện tích báo cáo được phê duyệt đã rà phá.",
            my: "ဤကာလနှင့် ရွေးချယ်မှုအတွင်း ရက်စွဲပါ အစီရင်ခံစာရှိသော လုပ်ငန်းများအတွက် အထောက်အထားအဖြစ် တင်ထားသော \
         စက်နှင့် စက်ရုပ် လမ်းကြောင်းများ (သိရှိသည့်အချိန်နောက်ပိုင်း သိမ်းဆည်းထားသော လမ်းကြောင်းများ မပါ)၊ \
         လုပ်ငန်းတာဝန်အတွင်း လုပ်ဆောင်ပြီးဧရိယာ၊ လွှမ်းခြုံမှုနှင့် အတည်ပြုအစီရင်ခံစာ ရှင်းလင်းခဲ့သည့်ဧရိယာ။",
            az: "Hesabatı dövr və seçim daxilində tarixli fəaliyyətlər üçün sübut kimi yüklənmiş maşın və \
         robot izləri (məlum olma anından sonra saxlanmış izlər istisna), tapşırıq daxilində emal \
         edilmiş ərazi, tapşırığın əhatəsi və təsdiqlənmiş hesabatın təmizlədiyi ərazi ilə.",
        },
        "remaining_by_class" => tr! {
            en: "Hazards not closed at the as-of date and the area they still cover, by admin area \
         and class; the period does not apply.",
            km: "តំបន់គ្រោះថ្នាក់ដែលមិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ និងផ្ទៃដីដែលនៅសល់ តាមតំបន់រដ្ឋបាល និងថ្នាក់។ \
         រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
            lo: "ພື້ນທີ່ອັນຕະລາຍທີ່ຍັງບໍ່ໄດ້ປິດ ນັບຮອດວັນທີລາຍງານ ແລະ ເນື້ອທີ່ທີ່ຍັງຄົງເຫຼືອ, ແຍກຕາມເຂດປົກຄອງ ແລະ ປະເພດ; ໄລຍະເວລາບໍ່ນຳໃຊ້.",
            th: "พื้นที่อันตรายที่ยังไม่ปิด ณ วันที่รายงาน และพื้นที่ที่ยังคงเหลือ จำแนกตามเขตการปกครองและประเภท ไม่ใช้ช่วงเวลา",
            vi: "Các khu vực nguy hiểm chưa đóng tại ngày báo cáo và diện tích còn lại, theo đơn vị hành chính và loại; không áp dụng kỳ báo cáo.",
            my: "အစီရင်ခံသည့်ရက်စွဲတွင် မပိတ်သေးသော အန္တရာယ်ရှိဧရိယာများနှင့် ကျန်ရှိနေသော ဧရိယာ၊ အုပ်ချုပ်ရေးနယ်မြေနှင့် အမျိုးအစားအလိုက်၊ ကာလ မသက်ဆိုင်ပါ။",
            az: "Hesabat tarixinə bağlanmamış təhlükəli ərazilər və onların hələ əhatə etdiyi sahə, inzibati ərazi və sinif üzrə; dövr tətbiq edilmir.",
        },
        "progress" => tr! {
            en: "Area remaining at the as-of date, land released in each of the last three full \
         years, and when the rest would be released at that pace; the period does not apply.",
            km: "ផ្ទៃដីនៅសល់នៅកាលបរិច្ឆេទរបាយការណ៍ ដីដែលបានដោះលែងក្នុងឆ្នាំពេញនីមួយៗនៃបីឆ្នាំចុងក្រោយ \
         និងពេលដែលដីនៅសល់នឹងត្រូវដោះលែងតាមល្បឿននោះ។ រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
            lo: "ເນື້ອທີ່ຄົງເຫຼືອ ນັບຮອດວັນທີລາຍງານ, ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍໃນແຕ່ລະປີເຕັມຂອງສາມປີຫຼ້າສຸດ, ແລະ ເວລາທີ່ເນື້ອທີ່ທີ່ເຫຼືອຈະຖືກປົດປ່ອຍຕາມຈັງຫວະນັ້ນ; ໄລຍະເວລາບໍ່ນຳໃຊ້.",
            th: "พื้นที่คงเหลือ ณ วันที่รายงาน พื้นที่ที่ได้รับการปลดปล่อยในแต่ละปีเต็มของสามปีล่าสุด และเวลาที่พื้นที่ที่เหลือจะได้รับการปลดปล่อยตามอัตรานั้น ไม่ใช้ช่วงเวลา",
            vi: "Diện tích còn lại tại ngày báo cáo, diện tích được giải phóng trong mỗi năm trọn vẹn của ba năm gần nhất, và thời điểm phần còn lại sẽ được giải phóng theo tốc độ đó; không áp dụng kỳ báo cáo.",
            my: "အစီရင်ခံသည့်ရက်စွဲတွင် ကျန်ရှိသော ဧရိယာ၊ နောက်ဆုံး နှစ်ပြည့် သုံးနှစ်တစ်နှစ်စီတွင် လွှတ်ပေးသည့်မြေနှင့် ထိုနှုန်းဖြင့် ကျန်မြေကို မည်သည့်အချိန်တွင် လွှတ်ပေးနိုင်မည်ကို ဖော်ပြသည်၊ ကာလ မသက်ဆိုင်ပါ။",
            az: "Hesabat tarixinə qalan sahə, son üç tam ilin hər birində azad edilmiş ərazi və qalan hissənin bu templə nə vaxt azad ediləcəyi; dövr tətbiq edilmir.",
        },
        "eo_destroyed" => tr! {
            en: "EO finds with a destroyed date in the period, by category and model; finds without \
         a destroyed date are left out (they are in EO found).",
            km: "ការរកឃើញសម្ភារៈផ្ទុះដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ តាមប្រភេទ និងម៉ូដែល។ \
         ការរកឃើញដែលគ្មានកាលបរិច្ឆេទបំផ្លាញមិនត្រូវបានរាប់ទេ (មាននៅក្នុងសម្ភារៈផ្ទុះដែលបានរកឃើញ)។",
            lo: "ການຄົ້ນພົບລະເບີດທີ່ມີວັນທີທຳລາຍໃນໄລຍະນີ້, ແຍກຕາມປະເພດ ແລະ ແບບ; ການຄົ້ນພົບທີ່ບໍ່ມີວັນທີທຳລາຍບໍ່ໄດ້ນັບ (ມີຢູ່ໃນລະເບີດທີ່ຄົ້ນພົບ).",
            th: "การพบวัตถุระเบิดที่มีวันที่ทำลายในช่วงเวลานี้ จำแนกตามประเภทและแบบ การพบที่ไม่มีวันที่ทำลายไม่นับรวม (อยู่ในวัตถุระเบิดที่พบ)",
            vi: "Các lần phát hiện vật liệu nổ có ngày hủy trong kỳ, theo loại và kiểu; các lần phát hiện không có ngày hủy không được tính (nằm trong vật liệu nổ phát hiện).",
            my: "ဤကာလအတွင်း ဖျက်ဆီးသည့်ရက်စွဲပါ ပေါက်ကွဲစေတတ်သောလက်နက် တွေ့ရှိမှုများ၊ အမျိုးအစားနှင့် မော်ဒယ်အလိုက်၊ ဖျက်ဆီးသည့်ရက်စွဲမပါသော တွေ့ရှိမှုများကို မထည့်ပါ (တွေ့ရှိသော ပေါက်ကွဲစေတတ်သောလက်နက်တွင် ပါဝင်သည်)။",
            az: "Dövr ərzində məhv edilmə tarixi olan partlayıcı sursat tapıntıları, kateqoriya və model üzrə; məhv edilmə tarixi olmayan tapıntılar sayılmır (onlar tapılmış partlayıcı sursatdadır).",
        },
        "eo_found" => tr! {
            en: "EO finds with a found date in the period, by category, split by whether a disposal \
         is recorded (a destroyed date or a disposal method); finds without a found date \
         under \"Date unknown\", unless destroyed before the period.",
            km: "ការរកឃើញសម្ភារៈផ្ទុះដែលមានកាលបរិច្ឆេទរកឃើញក្នុងរយៈពេលនេះ តាមប្រភេទ បែងចែកតាមការកត់ត្រាការចាត់ចែង \
         (កាលបរិច្ឆេទបំផ្លាញ ឬវិធីចាត់ចែង)។ ការរកឃើញដែលគ្មានកាលបរិច្ឆេទរកឃើញ នៅក្រោម \"មិនដឹងកាលបរិច្ឆេទ\" \
         លើកលែងតែបានបំផ្លាញមុនរយៈពេលនេះ។",
            lo: "ການຄົ້ນພົບລະເບີດທີ່ມີວັນທີຄົ້ນພົບໃນໄລຍະນີ້, ແຍກຕາມປະເພດ, ແບ່ງຕາມວ່າໄດ້ບັນທຶກການກຳຈັດຫຼືບໍ່ (ວັນທີທຳລາຍ ຫຼື ວິທີກຳຈັດ); ການຄົ້ນພົບທີ່ບໍ່ມີວັນທີຄົ້ນພົບຢູ່ພາຍໃຕ້ \"ບໍ່ຮູ້ວັນທີ\", ເວັ້ນເສຍແຕ່ໄດ້ທຳລາຍກ່ອນໄລຍະນີ້.",
            th: "การพบวัตถุระเบิดที่มีวันที่พบในช่วงเวลานี้ จำแนกตามประเภท แยกตามว่ามีการบันทึกการกำจัดหรือไม่ (วันที่ทำลายหรือวิธีกำจัด) การพบที่ไม่มีวันที่พบอยู่ภายใต้ \"ไม่ทราบวันที่\" เว้นแต่ทำลายก่อนช่วงเวลานี้",
            vi: "Các lần phát hiện vật liệu nổ có ngày phát hiện trong kỳ, theo loại, chia theo việc có ghi nhận xử lý hay không (ngày hủy hoặc phương pháp xử lý); các lần phát hiện không có ngày phát hiện nằm ở mục \"Không rõ ngày\", trừ khi đã hủy trước kỳ.",
            my: "ဤကာလအတွင်း တွေ့ရှိသည့်ရက်စွဲပါ ပေါက်ကွဲစေတတ်သောလက်နက် တွေ့ရှိမှုများ၊ အမျိုးအစားအလိုက်၊ ဖယ်ရှားရှင်းလင်းမှု မှတ်တမ်းရှိ/မရှိ (ဖျက်ဆီးသည့်ရက်စွဲ သို့မဟုတ် ဖယ်ရှားသည့်နည်းလမ်း) ခွဲခြားထားသည်၊ တွေ့ရှိသည့်ရက်စွဲမပါသော တွေ့ရှိမှုများကို ကာလမတိုင်မီ ဖျက်ဆီးခဲ့ခြင်းမဟုတ်လျှင် \"ရက်စွဲ မသိ\" အောက်တွင် ပြသည်။",
            az: "Dövr ərzində tapılma tarixi olan partlayıcı sursat tapıntıları, kateqoriya üzrə, zərərsizləşdirmənin qeydə alınıb-alınmamasına görə bölünmüş (məhv edilmə tarixi və ya zərərsizləşdirmə üsulu); tapılma tarixi olmayan tapıntılar dövrdən əvvəl məhv edilməyibsə, \"Tarix məlum deyil\" altında göstərilir.",
        },
        "casualties" => tr! {
            en: "Victim records of accidents dated in the period (undated accidents only when no \
         period is set); accidents without victim records are left out (they are in \
         Accidents).",
            km: "កំណត់ត្រាជនរងគ្រោះនៃគ្រោះថ្នាក់ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ (គ្រោះថ្នាក់គ្មានកាលបរិច្ឆេទ \
         តែនៅពេលមិនបានកំណត់រយៈពេល)។ គ្រោះថ្នាក់ដែលគ្មានកំណត់ត្រាជនរងគ្រោះមិនត្រូវបានរាប់ទេ (មាននៅក្នុងគ្រោះថ្នាក់)។",
            lo: "ບັນທຶກຜູ້ເຄາະຮ້າຍຂອງອຸບັດຕິເຫດທີ່ລົງວັນທີໃນໄລຍະນີ້ (ອຸບັດຕິເຫດທີ່ບໍ່ມີວັນທີ ສະເພາະເມື່ອບໍ່ໄດ້ກຳນົດໄລຍະ); ອຸບັດຕິເຫດທີ່ບໍ່ມີບັນທຶກຜູ້ເຄາະຮ້າຍບໍ່ໄດ້ນັບ (ມີຢູ່ໃນອຸບັດຕິເຫດ).",
            th: "บันทึกผู้ประสบภัยของอุบัติเหตุที่ลงวันที่ในช่วงเวลานี้ (อุบัติเหตุที่ไม่มีวันที่ เฉพาะเมื่อไม่ได้กำหนดช่วงเวลา) อุบัติเหตุที่ไม่มีบันทึกผู้ประสบภัยไม่นับรวม (อยู่ในอุบัติเหตุ)",
            vi: "Hồ sơ nạn nhân của các tai nạn có ngày trong kỳ (tai nạn không có ngày chỉ khi không đặt kỳ báo cáo); tai nạn không có hồ sơ nạn nhân không được tính (nằm trong mục Tai nạn).",
            my: "ဤကာလအတွင်း ရက်စွဲပါ မတော်တဆဖြစ်ရပ်များ၏ ထိခိုက်သူမှတ်တမ်းများ (ကာလ မသတ်မှတ်သည့်အခါမှသာ ရက်စွဲမပါ ဖြစ်ရပ်များ)၊ ထိခိုက်သူမှတ်တမ်းမရှိသော ဖြစ်ရပ်များကို မထည့်ပါ (မတော်တဆဖြစ်ရပ်များတွင် ပါဝင်သည်)။",
            az: "Dövr ərzində tarixli hadisələrin zərərçəkən qeydləri (tarixsiz hadisələr yalnız dövr təyin edilmədikdə); zərərçəkən qeydi olmayan hadisələr sayılmır (onlar Hadisələr cədvəlindədir).",
        },
        "accidents" => tr! {
            en: "Accident records dated in the period, by year, with and without victim records; \
         accidents without a date under \"Unknown\" whatever the period.",
            km: "កំណត់ត្រាគ្រោះថ្នាក់ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ តាមឆ្នាំ ដែលមាន និងគ្មានកំណត់ត្រាជនរងគ្រោះ។ \
         គ្រោះថ្នាក់ដែលគ្មានកាលបរិច្ឆេទ នៅក្រោម \"មិនដឹង\" មិនថារយៈពេលណាទេ។",
            lo: "ບັນທຶກອຸບັດຕິເຫດທີ່ລົງວັນທີໃນໄລຍະນີ້, ແຍກຕາມປີ, ທີ່ມີ ແລະ ບໍ່ມີບັນທຶກຜູ້ເຄາະຮ້າຍ; ອຸບັດຕິເຫດທີ່ບໍ່ມີວັນທີຢູ່ພາຍໃຕ້ \"ບໍ່ຮູ້\" ບໍ່ວ່າໄລຍະໃດກໍ່ຕາມ.",
            th: "บันทึกอุบัติเหตุที่ลงวันที่ในช่วงเวลานี้ จำแนกตามปี ที่มีและไม่มีบันทึกผู้ประสบภัย อุบัติเหตุที่ไม่มีวันที่อยู่ภายใต้ \"ไม่ทราบ\" ไม่ว่าช่วงเวลาใด",
            vi: "Hồ sơ tai nạn có ngày trong kỳ, theo năm, có và không có hồ sơ nạn nhân; tai nạn không có ngày nằm ở mục \"Không rõ\" bất kể kỳ báo cáo.",
            my: "ဤကာလအတွင်း ရက်စွဲပါ မတော်တဆဖြစ်ရပ်မှတ်တမ်းများ၊ နှစ်အလိုက်၊ ထိခိုက်သူမှတ်တမ်း ရှိ/မရှိ၊ ရက်စွဲမပါ ဖြစ်ရပ်များကို ကာလမည်သို့ပင်ဖြစ်စေ \"မသိ\" အောက်တွင် ပြသည်။",
            az: "Dövr ərzində tarixli hadisə qeydləri, il üzrə, zərərçəkən qeydləri ilə və onlarsız; tarixsiz hadisələr dövrdən asılı olmayaraq \"Məlum deyil\" altında göstərilir.",
        },
        "risk_education" => tr! {
            en: "Beneficiaries of risk-education sessions dated in the period (undated sessions only \
         when no period is set), by sex and age band.",
            km: "អ្នកទទួលផលនៃវគ្គអប់រំពីហានិភ័យដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ (វគ្គគ្មានកាលបរិច្ឆេទ \
         តែនៅពេលមិនបានកំណត់រយៈពេល) តាមភេទ និងក្រុមអាយុ។",
            lo: "ຜູ້ໄດ້ຮັບຜົນປະໂຫຍດຈາກການໃຫ້ຄວາມຮູ້ກ່ຽວກັບຄວາມສ່ຽງທີ່ລົງວັນທີໃນໄລຍະນີ້ (ກອງປະຊຸມທີ່ບໍ່ມີວັນທີ ສະເພາະເມື່ອບໍ່ໄດ້ກຳນົດໄລຍະ), ແຍກຕາມເພດ ແລະ ກຸ່ມອາຍຸ.",
            th: "ผู้รับประโยชน์จากการให้ความรู้เรื่องความเสี่ยงที่ลงวันที่ในช่วงเวลานี้ (ครั้งที่ไม่มีวันที่ เฉพาะเมื่อไม่ได้กำหนดช่วงเวลา) จำแนกตามเพศและช่วงอายุ",
            vi: "Người hưởng lợi của các buổi giáo dục nguy cơ có ngày trong kỳ (buổi không có ngày chỉ khi không đặt kỳ báo cáo), theo giới tính và nhóm tuổi.",
            my: "ဤကာလအတွင်း ရက်စွဲပါ အန္တရာယ်အသိပညာပေး အစည်းအဝေးများ၏ အကျိုးခံစားသူများ (ကာလ မသတ်မှတ်သည့်အခါမှသာ ရက်စွဲမပါ အစည်းအဝေးများ)၊ လိင်နှင့် အသက်အုပ်စုအလိုက်။",
            az: "Dövr ərzində tarixli risk maarifləndirmə sessiyalarının faydalanıcıları (tarixsiz sessiyalar yalnız dövr təyin edilmədikdə), cins və yaş qrupu üzrə.",
        },
        "victim_assistance" => tr! {
            en: "Victim-assistance services dated in the period (undated services only when no \
         period is set), by service, sex and age group.",
            km: "សេវាជួយជនរងគ្រោះដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ (សេវាគ្មានកាលបរិច្ឆេទ \
         តែនៅពេលមិនបានកំណត់រយៈពេល) តាមសេវា ភេទ និងក្រុមអាយុ។",
            lo: "ບໍລິການຊ່ວຍເຫຼືອຜູ້ເຄາະຮ້າຍທີ່ລົງວັນທີໃນໄລຍະນີ້ (ບໍລິການທີ່ບໍ່ມີວັນທີ ສະເພາະເມື່ອບໍ່ໄດ້ກຳນົດໄລຍະ), ແຍກຕາມບໍລິການ, ເພດ ແລະ ກຸ່ມອາຍຸ.",
            th: "บริการช่วยเหลือผู้ประสบภัยที่ลงวันที่ในช่วงเวลานี้ (บริการที่ไม่มีวันที่ เฉพาะเมื่อไม่ได้กำหนดช่วงเวลา) จำแนกตามบริการ เพศ และกลุ่มอายุ",
            vi: "Các dịch vụ hỗ trợ nạn nhân có ngày trong kỳ (dịch vụ không có ngày chỉ khi không đặt kỳ báo cáo), theo dịch vụ, giới tính và nhóm tuổi.",
            my: "ဤကာလအတွင်း ရက်စွဲပါ ထိခိုက်သူကူညီရေး ဝန်ဆောင်မှုများ (ကာလ မသတ်မှတ်သည့်အခါမှသာ ရက်စွဲမပါ ဝန်ဆောင်မှုများ)၊ ဝန်ဆောင်မှု၊ လိင်နှင့် အသက်အုပ်စုအလိုက်။",
            az: "Dövr ərzində tarixli zərərçəkənlərə yardım xidmətləri (tarixsiz xidmətlər yalnız dövr təyin edilmədikdə), xidmət, cins və yaş qrupu üzrə.",
        },
        "apmbc_form_c" => tr! {
            en: "Form C: mined areas — SHA and CHA whose contamination includes anti-personnel \
         mines, not closed at the as-of date, by admin area; the period does not apply.",
            km: "ទម្រង់ C៖ តំបន់មានមីន — តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ដែលការបំពុលរួមមានមីនប្រឆាំងមនុស្ស \
         មិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ តាមតំបន់រដ្ឋបាល។ រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
            lo: "ແບບຟອມ C: ພື້ນທີ່ມີລະເບີດຝັງດິນ — SHA ແລະ CHA ທີ່ການປົນເປື້ອນລວມມີລະເບີດຝັງດິນຕ້ານບຸກຄົນ, ທີ່ຍັງບໍ່ໄດ້ປິດ ນັບຮອດວັນທີລາຍງານ, ແຍກຕາມເຂດປົກຄອງ; ໄລຍະເວລາບໍ່ນຳໃຊ້.",
            th: "แบบฟอร์ม C: พื้นที่ทุ่นระเบิด — SHA และ CHA ที่การปนเปื้อนรวมถึงทุ่นระเบิดสังหารบุคคล ที่ยังไม่ปิด ณ วันที่รายงาน จำแนกตามเขตการปกครอง ไม่ใช้ช่วงเวลา",
            vi: "Mẫu C: khu vực có mìn — SHA và CHA có ô nhiễm gồm mìn sát thương, chưa đóng tại ngày báo cáo, theo đơn vị hành chính; không áp dụng kỳ báo cáo.",
            my: "ပုံစံ C- မြေမြှုပ်မိုင်းရှိဧရိယာများ — လူသတ်မြေမြှုပ်မိုင်း ပါဝင်သော ညစ်ညမ်းမှုရှိသည့် SHA နှင့် CHA များ၊ အစီရင်ခံသည့်ရက်စွဲတွင် မပိတ်သေးသည်များ၊ အုပ်ချုပ်ရေးနယ်မြေအလိုက်၊ ကာလ မသက်ဆိုင်ပါ။",
            az: "Forma C: minalanmış ərazilər — çirklənməsinə piyada əleyhinə minalar daxil olan, hesabat tarixinə bağlanmamış SHA və CHA, inzibati ərazi üzrə; dövr tətbiq edilmir.",
        },
        "apmbc_form_f_g" => tr! {
            en: "Form F: land released in mined areas — release credits dated in the period; Form G: \
         mines destroyed — EO finds of category AP mine or AT mine (other EO apart) with a \
         destroyed date in the period, found in mined areas.",
            km: "ទម្រង់ F៖ ដីដែលបានដោះលែងក្នុងតំបន់មានមីន — ឥណទានដោះលែងដីដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ។ \
         ទម្រង់ G៖ មីនដែលបានបំផ្លាញ — ការរកឃើញសម្ភារៈផ្ទុះប្រភេទមីនប្រឆាំងមនុស្ស ឬមីនប្រឆាំងយានយន្ត \
         (សម្ភារៈផ្ទុះផ្សេងទៀតដាច់ដោយឡែក) ដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ ហើយបានរកឃើញក្នុងតំបន់មានមីន។",
            lo: "ແບບຟອມ F: ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍໃນພື້ນທີ່ມີລະເບີດຝັງດິນ — ເນື້ອທີ່ປົດປ່ອຍທີ່ລົງວັນທີໃນໄລຍະນີ້; ແບບຟອມ G: ລະເບີດຝັງດິນທີ່ຖືກທຳລາຍ — ການຄົ້ນພົບລະເບີດປະເພດລະເບີດຝັງດິນຕ້ານບຸກຄົນ ຫຼື ຕ້ານພາຫະນະ (ລະເບີດອື່ນແຍກຕ່າງຫາກ) ທີ່ມີວັນທີທຳລາຍໃນໄລຍະນີ້, ທີ່ຄົ້ນພົບໃນພື້ນທີ່ມີລະເບີດຝັງດິນ.",
            th: "แบบฟอร์ม F: พื้นที่ที่ได้รับการปลดปล่อยในพื้นที่ทุ่นระเบิด — เครดิตการปลดปล่อยพื้นที่ที่ลงวันที่ในช่วงเวลานี้ แบบฟอร์ม G: ทุ่นระเบิดที่ถูกทำลาย — การพบวัตถุระเบิดประเภททุ่นระเบิดสังหารบุคคลหรือทุ่นระเบิดต่อต้านยานพาหนะ (แยกวัตถุระเบิดอื่นไว้ต่างหาก) ที่มีวันที่ทำลายในช่วงเวลานี้ ซึ่งพบในพื้นที่ทุ่นระเบิด",
            vi: "Mẫu F: diện tích đất được giải phóng tại khu vực có mìn — phần diện tích giải phóng có ngày trong kỳ; Mẫu G: mìn đã hủy — các lần phát hiện vật liệu nổ loại mìn sát thương hoặc mìn chống xe (vật liệu nổ khác để riêng) có ngày hủy trong kỳ, phát hiện tại khu vực có mìn.",
            my: "ပုံစံ F- မြေမြှုပ်မိုင်းရှိဧရိယာများတွင် လွှတ်ပေးသည့်မြေ — ဤကာလအတွင်း ရက်စွဲပါ မြေလွှတ်ပေးမှုစာရင်းများ၊ ပုံစံ G- ဖျက်ဆီးခဲ့သော မြေမြှုပ်မိုင်းများ — ဤကာလအတွင်း ဖျက်ဆီးသည့်ရက်စွဲပါ၊ မြေမြှုပ်မိုင်းရှိဧရိယာများတွင် တွေ့ရှိသော လူသတ် သို့မဟုတ် ယာဉ်ဆန့်ကျင်ရေး မြေမြှုပ်မိုင်း အမျိုးအစား တွေ့ရှိမှုများ (အခြားပေါက်ကွဲစေတတ်သောလက်နက်များ သီးခြား)။",
            az: "Forma F: minalanmış ərazilərdə azad edilmiş ərazi — dövr ərzində tarixli azadetmə krediti; Forma G: məhv edilmiş minalar — minalanmış ərazilərdə tapılmış, dövr ərzində məhv edilmə tarixi olan piyada əleyhinə və ya nəqliyyat əleyhinə mina kateqoriyalı tapıntılar (digər partlayıcı sursat ayrıca).",
        },
        "ccm_contaminated" => tr! {
            en: "Form F: cluster munition contaminated areas — SHA and CHA whose contamination \
         includes cluster munition remnants, not closed at the as-of date, by admin area; \
         the period does not apply.",
            km: "ទម្រង់ F៖ តំបន់បំពុលដោយគ្រាប់បែកចង្កោម — តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ដែលការបំពុលរួមមានសំណល់គ្រាប់បែកចង្កោម \
         មិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ តាមតំបន់រដ្ឋបាល។ រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
            lo: "ແບບຟອມ F: ພື້ນທີ່ປົນເປື້ອນລະເບີດຫວ່ານ — SHA ແລະ CHA ທີ່ການປົນເປື້ອນລວມມີລູກລະເບີດຫວ່ານທີ່ຍັງເຫຼືອ, ທີ່ຍັງບໍ່ໄດ້ປິດ ນັບຮອດວັນທີລາຍງານ, ແຍກຕາມເຂດປົກຄອງ; ໄລຍະເວລາບໍ່ນຳໃຊ້.",
            th: "แบบฟอร์ม F: พื้นที่ปนเปื้อนอาวุธพวง — SHA และ CHA ที่การปนเปื้อนรวมถึงเศษตกค้างจากอาวุธพวง ที่ยังไม่ปิด ณ วันที่รายงาน จำแนกตามเขตการปกครอง ไม่ใช้ช่วงเวลา",
            vi: "Mẫu F: khu vực ô nhiễm bom chùm — SHA và CHA có ô nhiễm gồm tàn dư bom chùm, chưa đóng tại ngày báo cáo, theo đơn vị hành chính; không áp dụng kỳ báo cáo.",
            my: "ပုံစံ F- စုပြုံဗုံးညစ်ညမ်းသောဧရိယာများ — စုပြုံဗုံးအကြွင်းအကျန်များ ပါဝင်သော ညစ်ညမ်းမှုရှိသည့် SHA နှင့် CHA များ၊ အစီရင်ခံသည့်ရက်စွဲတွင် မပိတ်သေးသည်များ၊ အုပ်ချုပ်ရေးနယ်မြေအလိုက်၊ ကာလ မသက်ဆိုင်ပါ။",
            az: "Forma F: kaset sursatı ilə çirklənmiş ərazilər — çirklənməsinə kaset sursatı qalıqları daxil olan, hesabat tarixinə bağlanmamış SHA və CHA, inzibati ərazi üzrə; dövr tətbiq edilmir.",
        },
        "ccm_clearance" => tr! {
            en: "Form F: clearance — release credits dated in the period in areas contaminated by \
         cluster munition remnants, and EO finds of category submunition (other EO apart) \
         with a destroyed date in the period, found in them.",
            km: "ទម្រង់ F៖ ការបោសសម្អាត — ឥណទានដោះលែងដីដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ ក្នុងតំបន់បំពុលដោយសំណល់គ្រាប់បែកចង្កោម \
         និងការរកឃើញសម្ភារៈផ្ទុះប្រភេទគ្រាប់បែកតូច (សម្ភារៈផ្ទុះផ្សេងទៀតដាច់ដោយឡែក) ដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ \
         ហើយបានរកឃើញក្នុងតំបន់ទាំងនោះ។",
            lo: "ແບບຟອມ F: ການເກັບກູ້ — ເນື້ອທີ່ປົດປ່ອຍທີ່ລົງວັນທີໃນໄລຍະນີ້ ໃນພື້ນທີ່ປົນເປື້ອນລູກລະເບີດຫວ່ານ, ແລະ ການຄົ້ນພົບລະເບີດປະເພດລູກລະເບີດຫວ່ານ (ລະເບີດອື່ນແຍກຕ່າງຫາກ) ທີ່ມີວັນທີທຳລາຍໃນໄລຍະນີ້, ທີ່ຄົ້ນພົບໃນພື້ນທີ່ເຫຼົ່ານັ້ນ.",
            th: "แบบฟอร์ม F: การเก็บกู้ — เครดิตการปลดปล่อยพื้นที่ที่ลงวันที่ในช่วงเวลานี้ในพื้นที่ที่ปนเปื้อนเศษตกค้างจากอาวุธพวง และการพบวัตถุระเบิดประเภทลูกระเบิดย่อย (แยกวัตถุระเบิดอื่นไว้ต่างหาก) ที่มีวันที่ทำลายในช่วงเวลานี้ ซึ่งพบในพื้นที่เหล่านั้น",
            vi: "Mẫu F: rà phá — phần diện tích giải phóng có ngày trong kỳ tại các khu vực ô nhiễm tàn dư bom chùm, và các lần phát hiện vật liệu nổ loại bom bi (vật liệu nổ khác để riêng) có ngày hủy trong kỳ, phát hiện tại các khu vực đó.",
            my: "ပုံစံ F- ရှင်းလင်းခြင်း — စုပြုံဗုံးအကြွင်းအကျန်များ ညစ်ညမ်းသောဧရိယာများတွင် ဤကာလအတွင်း ရက်စွဲပါ မြေလွှတ်ပေးမှုစာရင်းများနှင့် ထိုဧရိယာများတွင် တွေ့ရှိသော၊ ဤကာလအတွင်း ဖျက်ဆီးသည့်ရက်စွဲပါ ဗုံးငယ်အမျိုးအစား တွေ့ရှိမှုများ (အခြားပေါက်ကွဲစေတတ်သောလက်နက်များ သီးခြား)။",
            az: "Forma F: təmizləmə — kaset sursatı qalıqları ilə çirklənmiş ərazilərdə dövr ərzində tarixli azadetmə krediti və orada tapılmış, dövr ərzində məhv edilmə tarixi olan kaset bombacığı kateqoriyalı tapıntılar (digər partlayıcı sursat ayrıca).",
        },
        "article5" => tr! {
            en: "Article 5: SHA and CHA with anti-personnel mines not closed at the as-of date, and \
         the land released in them in each of the last three full years, by admin area; the \
         period does not apply.",
            km: "មាត្រា ៥៖ តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ដែលមានមីនប្រឆាំងមនុស្ស មិនទាន់បិទនៅកាលបរិច្ឆេទរបាយការណ៍ \
         និងដីដែលបានដោះលែងក្នុងតំបន់ទាំងនោះក្នុងឆ្នាំពេញនីមួយៗនៃបីឆ្នាំចុងក្រោយ តាមតំបន់រដ្ឋបាល។ \
         រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
            lo: "ມາດຕາ 5: SHA ແລະ CHA ທີ່ມີລະເບີດຝັງດິນຕ້ານບຸກຄົນ ທີ່ຍັງບໍ່ໄດ້ປິດ ນັບຮອດວັນທີລາຍງານ, ແລະ ເນື້ອທີ່ທີ່ໄດ້ປົດປ່ອຍໃນພື້ນທີ່ເຫຼົ່ານັ້ນໃນແຕ່ລະປີເຕັມຂອງສາມປີຫຼ້າສຸດ, ແຍກຕາມເຂດປົກຄອງ; ໄລຍະເວລາບໍ່ນຳໃຊ້.",
            th: "ข้อ 5: SHA และ CHA ที่มีทุ่นระเบิดสังหารบุคคลที่ยังไม่ปิด ณ วันที่รายงาน และพื้นที่ที่ได้รับการปลดปล่อยในพื้นที่เหล่านั้นในแต่ละปีเต็มของสามปีล่าสุด จำแนกตามเขตการปกครอง ไม่ใช้ช่วงเวลา",
            vi: "Điều 5: SHA và CHA có mìn sát thương chưa đóng tại ngày báo cáo, và diện tích được giải phóng tại đó trong mỗi năm trọn vẹn của ba năm gần nhất, theo đơn vị hành chính; không áp dụng kỳ báo cáo.",
            my: "အပိုဒ် 5- အစီရင်ခံသည့်ရက်စွဲတွင် မပိတ်သေးသော လူသတ်မြေမြှုပ်မိုင်းပါ SHA နှင့် CHA များနှင့် နောက်ဆုံး နှစ်ပြည့် သုံးနှစ်တစ်နှစ်စီတွင် ၎င်းတို့အတွင်း လွှတ်ပေးသည့်မြေ၊ အုပ်ချုပ်ရေးနယ်မြေအလိုက်၊ ကာလ မသက်ဆိုင်ပါ။",
            az: "Maddə 5: hesabat tarixinə bağlanmamış, piyada əleyhinə minalar olan SHA və CHA və son üç tam ilin hər birində onlarda azad edilmiş ərazi, inzibati ərazi üzrə; dövr tətbiq edilmir.",
        },
        _ => return None,
    };
    Some(l.pick(t))
}

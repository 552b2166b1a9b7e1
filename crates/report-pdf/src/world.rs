//! A self-contained typst world: the embedded template, the shipped fonts and two
//! virtual files (`/data.json`, `/map.svg`). It never touches the file system or
//! the network, and its "today" is the report's as-of date.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::PdfError;

const TEMPLATE: &str = include_str!("report.typ");

/// Noto Sans (Latin, including Vietnamese and Azerbaijani) and Noto Sans Khmer, Lao, Thai and
/// Myanmar from Debian `fonts-noto-core` 20201225 (SIL OFL 1.1, see `fonts/OFL.txt`); the
/// template lists them as fallbacks in this order.
const FONT_FILES: [&[u8]; 10] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansKhmer-Regular.ttf"),
    include_bytes!("../fonts/NotoSansKhmer-Bold.ttf"),
    include_bytes!("../fonts/NotoSansLao-Regular.ttf"),
    include_bytes!("../fonts/NotoSansLao-Bold.ttf"),
    include_bytes!("../fonts/NotoSansThai-Regular.ttf"),
    include_bytes!("../fonts/NotoSansThai-Bold.ttf"),
    include_bytes!("../fonts/NotoSansMyanmar-Regular.ttf"),
    include_bytes!("../fonts/NotoSansMyanmar-Bold.ttf"),
];

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// The world one report is compiled in.
pub struct ReportWorld {
    main: Source,
    data: (FileId, Bytes),
    map: (FileId, Bytes),
    today: Datetime,
}

fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|e| PdfError::Compile(format!("{path}: {e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl ReportWorld {
    /// A world for the view model `data` (JSON), the map `svg` and the as-of date.
    pub fn new(data: Vec<u8>, svg: String, today: Datetime) -> Result<Self, PdfError> {
        Ok(ReportWorld {
            main: Source::new(file_id("/report.typ")?, TEMPLATE.to_string()),
            data: (file_id("/data.json")?, Bytes::new(data)),
            map: (file_id("/map.svg")?, Bytes::new(svg.into_bytes())),
            today,
        })
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::new(TEMPLATE.as_bytes()))
        } else if id == self.data.0 {
            Ok(self.data.1.clone())
        } else if id == self.map.0 {
            Ok(self.map.1.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}

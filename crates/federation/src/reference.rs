//! Reference data flowing down: a regional hub publishes a signed, versioned *reference set*
//! — ordnance models to add to the built-in catalogue, with the names they are known by in the
//! region, and regional code lists (terms of the region's forms and languages → Safeground's
//! vocabulary codes, which imports apply) — and every node adopts it after checking the hub's
//! signature.
//!
//! The hub signs with its own node key (`safeground federation init` on the hub's database, e.g.
//! node `ARMAC`); a node trusts the hub's card once (`safeground federation trust-hub`).
//!
//! # Format (version 1)
//!
//! Since issue 25 the set may also carry the hub's *ordnance reference pages* ([`PublishedPage`]):
//! each page, the hub's counts of EO items of its model per node at publication, and the bytes
//! of its photos (base64), so that a node without a connection shows the whole page.
//!
//! A JSON document; `payload` is the reference set as a JSON string, signed as it is (no
//! canonical form needed), with `DOMAIN` before it:
//!
//! ```json
//! {"format": 1, "payload": "{\"publisher\":\"ARMAC\",\"version\":3,…}",
//!  "signature": "<ed25519 signature, base64>"}
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

use safeground_model::{
    Catalogue, CatalogueEntry, CodeLists, FieldError, OrdnancePage, vocabulary_codes,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::signed::Signed;
use crate::{FederationError, NodeCard, NodeId, NodeKey};

/// Signed before the payload.
const DOMAIN: &[u8] = b"safeground-federation-reference\0";

/// The largest reference document accepted: 64 MiB. A catalogue of thousands of models is
/// < 1 MB; the rest is for the reference pages' photos (base64, ≤ [`MAX_PHOTO_BYTES`] each,
/// typically 50–300 KB: some 20 full-size photos or a few hundred typical ones).
pub const MAX_DOCUMENT: usize = 64 << 20;

/// The largest photo a published page carries, bytes (2 MiB).
pub const MAX_PHOTO_BYTES: usize = 2 << 20;

/// What a hub publishes for its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSet {
    /// The hub's node id (its card's).
    pub publisher: NodeId,
    /// 1, 2, 3 …: a node adopts only a newer version than it holds.
    pub version: u64,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// Ordnance models added to the built-in catalogue, with their other names.
    #[serde(default)]
    pub ordnance: Vec<CatalogueEntry>,
    /// Code lists: vocabulary name (as `/api/vocabularies` names it) → term → code of that
    /// vocabulary. Imports translate a term they find in a field of that vocabulary.
    #[serde(default, skip_serializing_if = "CodeLists::is_empty")]
    pub codes: CodeLists,
    /// The hub's ordnance reference pages, by model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PublishedPage>,
}

/// An ordnance reference page as a hub publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedPage {
    /// The page (its model is the catalogue's designation).
    pub page: OrdnancePage,
    /// EO items of the model per node, from the finds the nodes share with the hub.
    #[serde(default)]
    pub found: Vec<FoundIn>,
    /// When those counts were taken (at publication).
    #[serde(default)]
    pub found_at: Option<DateTime<Utc>>,
    /// The bytes of the page's photos, base64, by SHA-256.
    #[serde(default)]
    pub photo_data: BTreeMap<String, String>,
}

/// How many EO items of a model a node's shared finds hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoundIn {
    /// The node's id (`KHM`).
    pub node: String,
    /// Its programme's name.
    pub name: String,
    /// EO items found (the finds' quantities summed).
    pub items: u64,
}

impl PublishedPage {
    /// Carries the bytes of a photo (base64); its SHA-256 (hex), which names it on the page.
    pub fn insert_photo(&mut self, bytes: &[u8]) -> String {
        let sha = hex(&Sha256::digest(bytes));
        self.photo_data.insert(sha.clone(), BASE64.encode(bytes));
        sha
    }

    /// The photo of `sha256`'s bytes, if the page carries it.
    pub fn photo(&self, sha256: &str) -> Option<Vec<u8>> {
        BASE64.decode(self.photo_data.get(sha256)?).ok()
    }

    /// Checks the page against `catalogue` (as [`OrdnancePage::check`]; its model named by its
    /// designation) and its photos' bytes: one per photo, at most [`MAX_PHOTO_BYTES`], of the
    /// photo's media type and hashing to its SHA-256.
    pub fn check(&self, catalogue: &Catalogue) -> Result<(), FederationError> {
        let model = &self.page.model;
        let wrong = |what: String| invalid(format!("the page of {model}: {what}"));
        self.page.check(catalogue).map_err(|e| {
            wrong(
                e.0.iter()
                    .map(|FieldError { field, message }| format!("{field}: {message}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        if self.page.designation(catalogue).as_deref() != Some(model.as_str()) {
            return Err(wrong(format!(
                "`{model}` is another name of a model; name the page by its designation"
            )));
        }
        for p in &self.page.photos {
            let Some(data) = self.photo_data.get(&p.sha256) else {
                return Err(wrong(format!("photo {} has no bytes", p.sha256)));
            };
            let bytes = BASE64
                .decode(data)
                .map_err(|_| wrong(format!("photo {} is not base64", p.sha256)))?;
            if bytes.len() > MAX_PHOTO_BYTES {
                return Err(wrong(format!(
                    "photo {} is {} bytes, more than the {MAX_PHOTO_BYTES} a page carries",
                    p.sha256,
                    bytes.len()
                )));
            }
            if hex(&Sha256::digest(&bytes)) != p.sha256 {
                return Err(wrong(format!(
                    "the bytes of photo {} do not hash to it: the photo was altered",
                    p.sha256
                )));
            }
            if image_type(&bytes) != Some(p.media_type.as_str()) {
                return Err(wrong(format!(
                    "photo {} is not the {} it is said to be",
                    p.sha256, p.media_type
                )));
            }
        }
        if let Some(extra) =
            (self.photo_data.keys()).find(|k| !self.page.photos.iter().any(|p| &p.sha256 == *k))
        {
            return Err(wrong(format!(
                "bytes of {extra}, which is no photo of the page"
            )));
        }
        Ok(())
    }
}

/// The media type of a PNG, JPEG or WebP image from its first bytes.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a set's pages against its catalogue: each valid ([`PublishedPage::check`]) and one
/// per model.
pub fn check_pages(pages: &[PublishedPage], catalogue: &Catalogue) -> Result<(), FederationError> {
    for (i, p) in pages.iter().enumerate() {
        p.check(catalogue)?;
        if pages[..i].iter().any(|q| q.page.model == p.page.model) {
            return Err(invalid(format!("two pages of {}; keep one", p.page.model)));
        }
    }
    Ok(())
}

/// Checks code lists: known vocabularies, known codes, terms named once (ignoring case and
/// spaces) per vocabulary.
pub fn check_codes(codes: &CodeLists) -> Result<(), FederationError> {
    for (vocabulary, terms) in codes {
        let Some(known) = vocabulary_codes(vocabulary) else {
            return Err(invalid(format!(
                "`{vocabulary}` is not a vocabulary; use one of the names of /api/vocabularies \
                 (ordnance_category, hazard_class, …)"
            )));
        };
        let mut seen = BTreeMap::new();
        for (term, code) in terms {
            let key = term_key(term);
            if key.is_empty() {
                return Err(invalid(format!("an empty term in `{vocabulary}`")));
            }
            if !known.contains(&code.as_str()) {
                return Err(invalid(format!(
                    "`{term}` → `{code}`: `{code}` is not a code of {vocabulary} ({})",
                    known.join(", ")
                )));
            }
            if let Some(first) = seen.insert(key, term) {
                return Err(invalid(format!(
                    "`{first}` and `{term}` are the same term of {vocabulary}; keep one"
                )));
            }
        }
    }
    Ok(())
}

/// How terms are compared: lower case, spaces collapsed.
fn term_key(term: &str) -> String {
    term.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn invalid(reason: impl Into<String>) -> FederationError {
    FederationError::Reference {
        reason: reason.into(),
    }
}

impl ReferenceSet {
    /// The catalogue it gives, checked (no built-in model given another category, no name
    /// twice).
    pub fn catalogue(&self) -> Result<Catalogue, FederationError> {
        Catalogue::new(self.ordnance.clone()).map_err(|e| invalid(e.to_string()))
    }

    /// The page of `model` (its designation), if the set carries one.
    pub fn page(&self, model: &str) -> Option<&PublishedPage> {
        self.pages.iter().find(|p| p.page.model == model)
    }

    /// The bytes and media type of the photo of `sha256` of any page.
    pub fn photo(&self, sha256: &str) -> Option<(Vec<u8>, String)> {
        self.pages.iter().find_map(|p| {
            let photo = p.page.photos.iter().find(|q| q.sha256 == sha256)?;
            Some((p.photo(sha256)?, photo.media_type.clone()))
        })
    }

    /// Reads a document a node adopted (its signature was verified then): the reference set,
    /// without verifying again.
    pub fn adopted(document: &str) -> Result<ReferenceSet, FederationError> {
        let doc: Signed = serde_json::from_str(document)
            .map_err(|e| invalid(format!("not a reference document: {e}")))?;
        serde_json::from_str(&doc.payload)
            .map_err(|e| invalid(format!("the payload is not a reference set: {e}")))
    }

    /// Signs the set with the hub's key: the document to publish. Refused when the key is not
    /// the publisher's or the catalogue is not valid.
    pub fn sign(&self, key: &NodeKey) -> Result<String, FederationError> {
        if key.node() != &self.publisher {
            return Err(invalid(format!(
                "the key is node {}'s, the reference set is {}'s",
                key.node(),
                self.publisher
            )));
        }
        check_pages(&self.pages, &self.catalogue()?)?;
        check_codes(&self.codes)?;
        let payload = serde_json::to_string(self).map_err(|e| invalid(e.to_string()))?;
        Signed::seal(DOMAIN, key, payload).map_err(|e| invalid(e.to_string()))
    }

    /// Verifies a document with the hub's card and reads it: the format, the signature (of
    /// the card's key, over the payload), the publisher (the card's node) and the catalogue.
    pub fn verify(document: &str, hub: &NodeCard) -> Result<ReferenceSet, FederationError> {
        let doc = Signed::read(
            document,
            MAX_DOCUMENT,
            "document",
            "not a reference document",
        )
        .map_err(invalid)?;
        if !doc
            .verifies(DOMAIN, &hub.verifying_key()?)
            .map_err(invalid)?
        {
            return Err(invalid(format!(
                "the signature does not verify with the key of {} ({}): the document was \
                     altered, or another hub signed it",
                hub.node,
                hub.fingerprint()
            )));
        }
        let set: ReferenceSet = serde_json::from_str(&doc.payload)
            .map_err(|e| invalid(format!("the signed payload is not a reference set: {e}")))?;
        if set.publisher != hub.node {
            return Err(invalid(format!(
                "published by {}, but the hub trusted is {}",
                set.publisher, hub.node
            )));
        }
        if set.version == 0 {
            return Err(invalid("version 0: versions start at 1"));
        }
        check_pages(&set.pages, &set.catalogue()?)?;
        check_codes(&set.codes)?;
        Ok(set)
    }
}

/// A CSV reader of `text` (cells trimmed) and its header line.
fn csv_reader(text: &str) -> Result<(csv::Reader<&[u8]>, csv::StringRecord), FederationError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| invalid(format!("the CSV has no header line: {e}")))?
        .clone();
    Ok((reader, headers))
}

/// Reads the ordnance models of a CSV file (header `model,category,description,aliases`;
/// aliases separated by `;`; category by code or name, as the forms take it). Errors name the
/// line and the column.
pub fn ordnance_from_csv(text: &str) -> Result<Vec<CatalogueEntry>, FederationError> {
    let (mut reader, headers) = csv_reader(text)?;
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(model), Some(category)) = (column("model"), column("category")) else {
        return Err(invalid(
            "the CSV needs the columns `model` and `category` (and may have `description` and \
             `aliases`)",
        ));
    };
    let (description, aliases) = (column("description"), column("aliases"));
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| invalid(format!("line {line}: {e}")))?;
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("").to_owned();
        let code = cell(Some(category));
        out.push(CatalogueEntry {
            model: cell(Some(model)),
            category: code
                .parse()
                .map_err(|e| invalid(format!("line {line}, column `category`: `{code}`: {e}")))?,
            description: cell(description),
            aliases: cell(aliases)
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
        });
    }
    Catalogue::new(out.clone()).map_err(|e| invalid(e.to_string()))?;
    Ok(out)
}

/// Reads code lists from a CSV file (header `vocabulary,term,code`), checked as
/// [`check_codes`] does. Errors name the line.
pub fn codes_from_csv(text: &str) -> Result<CodeLists, FederationError> {
    let (mut reader, headers) = csv_reader(text)?;
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(vocabulary), Some(term), Some(code)) =
        (column("vocabulary"), column("term"), column("code"))
    else {
        return Err(invalid(
            "the CSV needs the columns `vocabulary`, `term` and `code`",
        ));
    };
    let mut codes: CodeLists = BTreeMap::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| invalid(format!("line {line}: {e}")))?;
        let cell = |c: usize| row.get(c).unwrap_or("").to_owned();
        let one: CodeLists =
            BTreeMap::from([(cell(vocabulary), BTreeMap::from([(cell(term), cell(code))]))]);
        check_codes(&one).map_err(|e| invalid(format!("line {line}: {e}")))?;
        codes
            .entry(cell(vocabulary))
            .or_default()
            .insert(cell(term), cell(code));
    }
    check_codes(&codes)?;
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeground_model::OrdnanceCategory;

    fn set(publisher: &str, version: u64) -> ReferenceSet {
        ReferenceSet {
            publisher: NodeId::new(publisher).expect("node id"),
            version,
            published_at: Utc::now(),
            ordnance: ordnance_from_csv(
                "model,category,description,aliases\n\
                 PFM-1,ap_mine,Soviet scatterable AP mine,butterfly mine; green parrot\n\
                 Type 59,at mine,Chinese AT mine,\n",
            )
            .expect("catalogue"),
            codes: codes_from_csv(
                "vocabulary,term,code\nordnance_category,ລະເບີດບໍ່ທັນແຕກ,uxo\n\
                 hazard_class,Vùng nghi ngờ,sha\n",
            )
            .expect("codes"),
            pages: Vec::new(),
        }
    }

    /// A 1×1 PNG (its signature and a few bytes are enough for the checks here).
    fn png(n: u8) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend([n; 16]);
        b
    }

    fn published(model: &str, photo: &[u8]) -> PublishedPage {
        let sha = hex(&Sha256::digest(photo));
        PublishedPage {
            page: OrdnancePage {
                model: model.into(),
                summary: "Scatterable blast AP mine".into(),
                dimensions: Default::default(),
                fuzing: "Liquid-filled pressure fuze".into(),
                identification: vec!["Butterfly-shaped plastic body".into()],
                hazards: "Blast; may initiate when handled".into(),
                render_safe: Some("Do not attempt render-safe: destroy in situ".into()),
                photos: vec![safeground_model::PagePhoto {
                    sha256: sha.clone(),
                    media_type: "image/png".into(),
                    caption: "Top".into(),
                }],
            },
            found: vec![FoundIn {
                node: "LAO".into(),
                name: "Lao PDR".into(),
                items: 12,
            }],
            found_at: Some(Utc::now()),
            photo_data: BTreeMap::from([(sha, BASE64.encode(photo))]),
        }
    }

    #[test]
    fn pages_travel_with_their_photos_and_are_checked() {
        let key = NodeKey::generate(NodeId::new("ARMAC").expect("id")).expect("key");
        let card = key.card("ARMAC").expect("card");
        let mut s = set("ARMAC", 4);
        s.pages = vec![published("PFM-1", &png(1)), published("PMN-2", &png(2))];
        let doc = s.sign(&key).expect("signed");
        let read = ReferenceSet::verify(&doc, &card).expect("verified");
        assert_eq!(read.pages.len(), 2);
        let sha = &read.pages[0].page.photos[0].sha256;
        assert_eq!(read.photo(sha), Some((png(1), "image/png".to_owned())));
        assert_eq!(read.page("PFM-1").map(|p| p.found[0].items), Some(12));

        // A photo whose bytes were swapped (and re-signed by the hub): refused.
        let mut t = s.clone();
        let sha = t.pages[0].page.photos[0].sha256.clone();
        t.pages[0].photo_data.insert(sha, BASE64.encode(png(9)));
        let e = t.sign(&key).expect_err("refused").to_string();
        assert!(e.contains("PFM-1") && e.contains("altered"), "{e}");
        // The same tampering after signing: the signature no longer verifies.
        let tampered = doc.replacen(&BASE64.encode(png(1)), &BASE64.encode(png(9)), 1);
        assert_ne!(tampered, doc);
        assert!(ReferenceSet::verify(&tampered, &card).is_err());
        // A page of a model the set's catalogue lacks: refused.
        let mut u = s.clone();
        u.pages.push(published("Mystery-9", &png(3)));
        let e = u.sign(&key).expect_err("refused").to_string();
        assert!(
            e.contains("Mystery-9") && e.contains("not in the ordnance catalogue"),
            "{e}"
        );
        // Named by an alias rather than its designation: refused.
        let mut a = s.clone();
        a.pages[0].page.model = "butterfly mine".into();
        assert!(a.sign(&key).is_err());
        // A photo said to be a JPEG: refused.
        let mut j = s.clone();
        j.pages[0].page.photos[0].media_type = "image/jpeg".into();
        assert!(
            j.sign(&key)
                .expect_err("refused")
                .to_string()
                .contains("not the image/jpeg")
        );
        // Two pages of one model: refused.
        let mut d = s;
        d.pages.push(published("PFM-1", &png(4)));
        assert!(
            d.sign(&key)
                .expect_err("refused")
                .to_string()
                .contains("two pages")
        );
    }

    #[test]
    fn a_signed_set_verifies_with_the_hubs_card_only() {
        let key = NodeKey::generate(NodeId::new("ARMAC").expect("id")).expect("key");
        let card = key.card("ARMAC").expect("card");
        let doc = set("ARMAC", 3).sign(&key).expect("signed");
        let read = ReferenceSet::verify(&doc, &card).expect("verified");
        assert_eq!(read, set("ARMAC", 3).clone_with_time(read.published_at));
        assert_eq!(read.ordnance[0].aliases, ["butterfly mine", "green parrot"]);
        assert_eq!(read.ordnance[1].category, OrdnanceCategory::AtMine);
        let c = read.catalogue().expect("catalogue");
        assert_eq!(c.lookup("Green Parrot").map(|m| m.0), Some("PFM-1"));

        // One byte changed in the payload: refused.
        let tampered = doc.replacen("Soviet", "Sovjet", 1);
        let e = ReferenceSet::verify(&tampered, &card)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("does not verify"), "{e}");
        // Another hub's key: refused.
        let other = NodeKey::generate(NodeId::new("ARMAC").expect("id")).expect("key");
        let e = ReferenceSet::verify(&doc, &other.card("x").expect("card")).expect_err("refused");
        assert!(e.to_string().contains("does not verify"), "{e}");
        // Signed by a key of another node than the publisher: refused at signing.
        let lao = NodeKey::generate(NodeId::new("LAO").expect("id")).expect("key");
        assert!(set("ARMAC", 1).sign(&lao).is_err());
        let e = ReferenceSet::verify("{}", &card)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("not a reference document"), "{e}");
    }

    #[test]
    fn code_lists_name_known_codes_once() {
        let e = codes_from_csv("vocabulary,term,code\ncolour,red,r\n").expect_err("refused");
        assert!(
            e.to_string().contains("`colour` is not a vocabulary"),
            "{e}"
        );
        let e = codes_from_csv("vocabulary,term,code\nsex,nu,woman\n").expect_err("refused");
        assert!(e.to_string().contains("line 2") && e.to_string().contains("not a code of sex"));
        let e = codes_from_csv("vocabulary,term,code\nsex,Nu,female\nsex, nu ,female\n")
            .expect_err("refused");
        assert!(e.to_string().contains("same term"), "{e}");
        let key = NodeKey::generate(NodeId::new("ARMAC").expect("id")).expect("key");
        let doc = set("ARMAC", 2).sign(&key).expect("signed");
        let adopted = ReferenceSet::adopted(&doc).expect("read");
        assert_eq!(adopted.codes["ordnance_category"]["ລະເບີດບໍ່ທັນແຕກ"], "uxo");
    }

    #[test]
    fn csv_errors_name_the_line_and_column() {
        let e = ordnance_from_csv("model,category\nX,rocket launcher\n").expect_err("refused");
        assert!(e.to_string().contains("line 2, column `category`"), "{e}");
        let e = ordnance_from_csv("name,kind\n").expect_err("refused");
        assert!(e.to_string().contains("`model` and `category`"), "{e}");
        let e = ordnance_from_csv("model,category\nPMN-2,at_mine\n").expect_err("refused");
        assert!(e.to_string().contains("built-in"), "{e}");
    }

    impl ReferenceSet {
        fn clone_with_time(mut self, t: DateTime<Utc>) -> Self {
            self.published_at = t;
            self
        }
    }
}

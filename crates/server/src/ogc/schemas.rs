//! The OpenAPI schemas and parameters of the OGC API answers (the documents themselves are
//! written in `super`; `tests/openapi.rs` checks live answers against these schemas).

use serde::Serialize;
use utoipa::ToSchema;

/// Output format of the OGC pages (`f`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OgcFormat {
    /// JSON (GeoJSON for features).
    Json,
    /// HTML for a browser.
    Html,
}

/// A link.
#[derive(Serialize, ToSchema)]
pub struct Link {
    /// Target URL.
    pub href: String,
    /// Relation: `self`, `alternate`, `next`, `items`, `collection`, `service-desc`, ...
    pub rel: String,
    /// Media type of the target.
    #[serde(rename = "type")]
    pub media_type: Option<String>,
    /// Title of the target.
    pub title: Option<String>,
}

/// The OGC API landing page.
#[derive(Serialize, ToSchema)]
pub struct OgcLandingPage {
    /// Title of the service.
    pub title: String,
    /// What it serves.
    pub description: String,
    /// `self`, `alternate`, `service-desc`, `service-doc`, `conformance` and `data`.
    pub links: Vec<Link>,
}

/// The conformance declaration.
#[derive(Serialize, ToSchema)]
pub struct OgcConformance {
    /// URIs of the conformance classes implemented.
    #[serde(rename = "conformsTo")]
    pub conforms_to: Vec<String>,
}

/// The spatial extent of a collection.
#[derive(Serialize, ToSchema)]
pub struct SpatialExtent {
    /// One box `[west, south, east, north]` around every feature.
    pub bbox: Vec<[f64; 4]>,
    /// Always CRS84.
    pub crs: String,
}

/// The temporal extent of a collection.
#[derive(Serialize, ToSchema)]
pub struct TemporalExtent {
    /// One interval `[first, last]` (RFC 3339 times) of the features' dates.
    pub interval: Vec<[Option<String>; 2]>,
    /// Always the Gregorian calendar.
    pub trs: String,
}

/// Where and when the features of a collection lie.
#[derive(Serialize, ToSchema)]
pub struct Extent {
    /// Bounding box (absent when no feature has a geometry).
    pub spatial: Option<SpatialExtent>,
    /// Time interval (absent when no feature has a date).
    pub temporal: Option<TemporalExtent>,
}

/// A feature collection's description.
#[derive(Serialize, ToSchema)]
pub struct OgcCollection {
    /// Identifier in URLs.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it holds.
    pub description: String,
    /// Always `feature`.
    #[serde(rename = "itemType")]
    pub item_type: String,
    /// Coordinate reference systems served: CRS84.
    pub crs: Vec<String>,
    /// Extent, given to callers who may read the collection.
    pub extent: Option<Extent>,
    /// `self`, `alternate`, `items` (GeoJSON and HTML) and the queryables.
    pub links: Vec<Link>,
}

/// The collections.
#[derive(Serialize, ToSchema)]
pub struct OgcCollections {
    /// `self` and `alternate`.
    pub links: Vec<Link>,
    /// Every collection.
    pub collections: Vec<OgcCollection>,
}

/// A GeoJSON feature (RFC 7946), geometry in WGS 84 longitude/latitude.
#[derive(Serialize, ToSchema)]
pub struct Feature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Feature id.
    pub id: String,
    /// GeoJSON geometry, or null.
    #[schema(value_type = Option<Object>)]
    pub geometry: Option<serde_json::Value>,
    /// The record's fields.
    #[schema(value_type = Object)]
    pub properties: serde_json::Value,
    /// `self`, `alternate` and `collection` (single features only).
    pub links: Option<Vec<Link>>,
}

/// A page of features: a GeoJSON FeatureCollection with OGC paging members.
#[derive(Serialize, ToSchema)]
pub struct FeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The features of this page.
    pub features: Vec<Feature>,
    /// Features matching the filters in all pages (absent on a later page of a filter the
    /// server has not counted).
    #[serde(rename = "numberMatched")]
    pub number_matched: Option<u64>,
    /// Features in this page.
    #[serde(rename = "numberReturned")]
    pub number_returned: u64,
    /// When the page was written (RFC 3339).
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    /// `self`, `alternate` and, while more features match, `next`.
    pub links: Vec<Link>,
}

/// The queryables of a collection: a JSON Schema of the properties items filter on.
#[derive(Serialize, ToSchema)]
pub struct Queryables {
    /// The JSON Schema dialect.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// This document's URL.
    #[serde(rename = "$id")]
    pub id: String,
    /// Always `object`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The collection's title.
    pub title: String,
    /// How the queryables filter.
    pub description: String,
    /// Each queryable's schema (`title`, `description`, `type`) by name.
    #[schema(value_type = std::collections::BTreeMap<String, Object>)]
    pub properties: serde_json::Value,
    /// Always `false`.
    #[serde(rename = "additionalProperties")]
    pub additional_properties: bool,
}

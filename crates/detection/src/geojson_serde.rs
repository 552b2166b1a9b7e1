//! Serde helpers that write geometries as GeoJSON geometry objects (WGS84).

/// `Option<Polygon<f64>>` as a GeoJSON Polygon or `null`.
pub(crate) mod polygon {
    use geo_types::Polygon;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    pub(crate) fn serialize<S: Serializer>(
        p: &Option<Polygon<f64>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        p.as_ref().map(geojson::Geometry::from).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Polygon<f64>>, D::Error> {
        match Option::<geojson::Geometry>::deserialize(d)? {
            None => Ok(None),
            Some(g) => Polygon::try_from(g).map(Some).map_err(D::Error::custom),
        }
    }
}

/// `MultiPolygon<f64>` as a GeoJSON MultiPolygon (a Polygon is read too).
pub(crate) mod multipolygon {
    use geo_types::{Geometry, MultiPolygon};
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    pub(crate) fn serialize<S: Serializer>(p: &MultiPolygon<f64>, s: S) -> Result<S::Ok, S::Error> {
        geojson::Geometry::from(p).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<MultiPolygon<f64>, D::Error> {
        let g = geojson::Geometry::deserialize(d)?;
        match Geometry::<f64>::try_from(g).map_err(D::Error::custom)? {
            Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
            Geometry::MultiPolygon(mp) => Ok(mp),
            _ => Err(D::Error::custom("expected a Polygon or MultiPolygon")),
        }
    }
}

//! Merging Mapbox Vector Tiles: a `Tile` message is a repeated `layers` field (number 3), so two
//! tiles merge by concatenating their bytes. The layers are scanned (wire format only, nothing
//! decoded beyond each layer's `name`, field 1) to know their names and to leave out a basemap
//! layer named like a programme layer (MVT readers expect layer names unique in a tile).

use std::ops::Range;

/// One layer of an encoded tile: its name and where its field lies in the tile's bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LayerSpan {
    /// The layer's name.
    pub(crate) name: String,
    /// Byte range of the whole field (key, length and message) in the tile.
    pub(crate) field: Range<usize>,
}

/// The layers of an encoded tile, in order.
///
/// # Errors
/// A reason when the bytes are not a protobuf `Tile` message or a layer has no UTF-8 name.
pub(crate) fn layers(tile: &[u8]) -> Result<Vec<LayerSpan>, String> {
    let mut spans = Vec::new();
    let mut pos = 0;
    while pos < tile.len() {
        let start = pos;
        let (field, value) = next_field(tile, &mut pos)?;
        if field != 3 {
            continue;
        }
        let Some(message) = value else {
            return Err("a layer is not a length-delimited message".into());
        };
        spans.push(LayerSpan {
            name: layer_name(message)?,
            field: start..pos,
        });
    }
    Ok(spans)
}

/// `programme` followed by the layers of `basemap` whose names `programme` does not use
/// (the basemap's other top-level fields are dropped).
///
/// # Errors
/// A reason when either tile is not a protobuf `Tile` message.
pub(crate) fn merge(programme: &[u8], basemap: &[u8]) -> Result<Vec<u8>, String> {
    let taken = layers(programme)?;
    let mut tile = programme.to_vec();
    for layer in layers(basemap)? {
        if !taken.iter().any(|t| t.name == layer.name)
            && let Some(bytes) = basemap.get(layer.field)
        {
            tile.extend_from_slice(bytes);
        }
    }
    Ok(tile)
}

/// A layer's property names, each with the TileJSON type of its values.
pub(crate) type Fields = Vec<(String, &'static str)>;

/// The property names of each layer of an encoded tile, each with the type of its values as
/// TileJSON's `vector_layers` describe it (`String`, `Number`, `Boolean`, or `Mixed` when
/// features disagree): layer name and its fields, in order.
///
/// # Errors
/// A reason when the bytes are not a protobuf `Tile` message or a feature's tags point outside
/// the layer's key or value tables.
pub(crate) fn fields(tile: &[u8]) -> Result<Vec<(String, Fields)>, String> {
    let mut out = Vec::new();
    for span in layers(tile)? {
        let mut pos = span.field.start;
        let (_, message) = next_field(tile, &mut pos)?;
        let layer = message.unwrap_or_default();
        let (mut keys, mut values, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        let mut pos = 0;
        while pos < layer.len() {
            match next_field(layer, &mut pos)? {
                (2, Some(feature)) => {
                    let mut at = 0;
                    while at < feature.len() {
                        if let (2, Some(packed)) = next_field(feature, &mut at)? {
                            let mut p = 0;
                            while p < packed.len() {
                                tags.push(varint(packed, &mut p)?);
                            }
                        }
                    }
                }
                (3, Some(key)) => keys.push(
                    String::from_utf8(key.to_vec()).map_err(|_| "a key is not UTF-8".to_owned())?,
                ),
                (4, Some(value)) => values.push(value_type(value)?),
                _ => {}
            }
        }
        let mut found: Fields = Vec::new();
        for pair in tags.chunks(2) {
            let [k, v] = pair else {
                return Err("a feature has an odd number of tags".into());
            };
            let bad = || "a feature's tag is outside the layer's tables".to_owned();
            let key = usize::try_from(*k)
                .ok()
                .and_then(|k| keys.get(k))
                .ok_or_else(bad)?;
            let kind = *usize::try_from(*v)
                .ok()
                .and_then(|v| values.get(v))
                .ok_or_else(bad)?;
            match found.iter_mut().find(|(name, _)| name == key) {
                Some((_, known)) if *known != kind => *known = "Mixed",
                Some(_) => {}
                None => found.push((key.clone(), kind)),
            }
        }
        out.push((span.name, found));
    }
    Ok(out)
}

/// The TileJSON type of an encoded `Value` message.
fn value_type(value: &[u8]) -> Result<&'static str, String> {
    let mut pos = 0;
    let (field, _) = next_field(value, &mut pos)?;
    Ok(match field {
        1 => "String",
        7 => "Boolean",
        _ => "Number",
    })
}

/// The `name` (field 1) of an encoded `Layer` message.
fn layer_name(layer: &[u8]) -> Result<String, String> {
    let mut pos = 0;
    while pos < layer.len() {
        if let (1, Some(name)) = next_field(layer, &mut pos)? {
            return String::from_utf8(name.to_vec())
                .map_err(|_| "a layer name is not UTF-8".to_owned());
        }
    }
    Err("a layer has no name".into())
}

/// Reads the field at `pos`: its number and, for length-delimited fields, its bytes.
fn next_field<'a>(bytes: &'a [u8], pos: &mut usize) -> Result<(u64, Option<&'a [u8]>), String> {
    let key = varint(bytes, pos)?;
    let skip = match key & 7 {
        0 => {
            varint(bytes, pos)?;
            0
        }
        1 => 8,
        5 => 4,
        2 => usize::try_from(varint(bytes, pos)?).map_err(|_| truncated())?,
        wire => return Err(format!("unknown protobuf wire type {wire}")),
    };
    let end = pos.checked_add(skip).ok_or_else(truncated)?;
    let value = bytes.get(*pos..end).ok_or_else(truncated)?;
    *pos = end;
    Ok((key >> 3, (key & 7 == 2).then_some(value)))
}

/// Reads a base-128 varint at `pos`.
fn varint(bytes: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*pos).ok_or_else(truncated)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a protobuf varint is longer than 10 bytes".into())
}

fn truncated() -> String {
    "the protobuf message is truncated".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `Tile` with one empty-featured layer per name (version 2), as raw protobuf.
    fn tile(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for name in names {
            let mut layer = vec![0x78, 2]; // field 15 (version), varint 2
            layer.push(0x0a); // field 1, length-delimited
            layer.push(u8::try_from(name.len()).expect("short name"));
            layer.extend_from_slice(name.as_bytes());
            out.push(0x1a); // field 3, length-delimited
            out.push(u8::try_from(layer.len()).expect("short layer"));
            out.extend_from_slice(&layer);
        }
        out
    }

    fn names(tile: &[u8]) -> Vec<String> {
        layers(tile)
            .expect("tile")
            .into_iter()
            .map(|l| l.name)
            .collect()
    }

    #[test]
    fn merge_appends_basemap_layers_not_named_like_programme_layers() {
        let merged = merge(
            &tile(&["hazards", "water"]),
            &tile(&["water", "roads", "place"]),
        )
        .expect("merge");
        assert_eq!(names(&merged), ["hazards", "water", "roads", "place"]);
        assert_eq!(
            merged[..tile(&["hazards", "water"]).len()],
            tile(&["hazards", "water"])
        );
    }

    #[test]
    fn empty_tiles_merge() {
        assert_eq!(
            merge(&[], &tile(&["roads"])).expect("merge"),
            tile(&["roads"])
        );
        assert!(merge(&[], &[]).expect("merge").is_empty());
    }

    #[test]
    fn non_tiles_are_refused() {
        assert!(layers(&[0x1a, 0x05, 0x0a]).is_err(), "truncated");
        assert!(layers(b"\x89PNG\r\n\x1a\n").is_err(), "png");
        assert!(
            layers(&[0x1a, 0x02, 0x78, 0x02]).is_err(),
            "layer without name"
        );
    }
}

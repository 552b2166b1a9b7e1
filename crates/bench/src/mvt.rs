//! Just enough of the Mapbox Vector Tile protobuf to count the features of a tile, so that the
//! two tile servers' answers can be compared tile by tile.

use anyhow::{Result, bail};

/// Reads a base-128 varint at `*at`.
fn varint(b: &[u8], at: &mut usize) -> Result<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let Some(&byte) = b.get(*at) else {
            bail!("truncated varint");
        };
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    bail!("varint too long")
}

/// Calls `f(field, bytes)` for every length-delimited field of a message and skips the rest.
fn each_message(b: &[u8], mut f: impl FnMut(u64, &[u8]) -> Result<()>) -> Result<()> {
    let mut at = 0;
    while at < b.len() {
        let key = varint(b, &mut at)?;
        match key & 7 {
            0 => {
                varint(b, &mut at)?;
            }
            1 => at += 8,
            5 => at += 4,
            2 => {
                let n = usize::try_from(varint(b, &mut at)?)?;
                let Some(body) = b.get(at..at + n) else {
                    bail!("truncated field");
                };
                f(key >> 3, body)?;
                at += n;
            }
            t => bail!("unsupported wire type {t}"),
        }
    }
    if at > b.len() {
        bail!("truncated tile");
    }
    Ok(())
}

/// Number of features over all layers of an (uncompressed) vector tile.
pub fn feature_count(tile: &[u8]) -> Result<usize> {
    let mut n = 0;
    each_message(tile, |field, layer| {
        if field == 3 {
            each_message(layer, |field, _| {
                n += usize::from(field == 2);
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(n)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn counts_features_of_every_layer() {
        // Layer: name "a" (field 1), two features (field 2), version 2 (field 15, varint).
        let feature = [0x08, 0x01]; // id = 1
        let mut layer = vec![0x0a, 0x01, b'a'];
        for _ in 0..2 {
            layer.extend([0x12, feature.len() as u8]);
            layer.extend(feature);
        }
        layer.extend([0x78, 0x02]);
        let mut tile = Vec::new();
        for _ in 0..2 {
            tile.extend([0x1a, layer.len() as u8]);
            tile.extend(&layer);
        }
        assert_eq!(feature_count(&tile).unwrap(), 4);
        assert_eq!(feature_count(&[]).unwrap(), 0);
        assert!(feature_count(&tile[..tile.len() - 3]).is_err());
    }
}

//! Key and value tables: built once per layer, subset per tile.
//!
//! MVT stores properties as indices into per-layer key and value tables (MVT 2.1, §4.4).
//! Interning every property once in [`LayerIndex::new`](crate::LayerIndex::new), with each
//! value already encoded as a protobuf `Value` message, means a tile only remaps integers and
//! copies the bytes of the values it uses, instead of hashing and cloning every string again.

use std::collections::HashMap;

use geozero::mvt::Message;
use geozero::mvt::tile::Value;

use crate::PropertyValue;
use crate::pbf;

/// Field numbers of `keys` and `values` in an MVT `Layer` message.
const KEYS: u32 = 3;
const VALUES: u32 = 4;

/// A hashable identity of a property value (doubles by bit pattern).
#[derive(Debug, Hash, PartialEq, Eq)]
enum ValueKey {
    Str(String),
    Double(u64),
    Int(i64),
    Bool(bool),
}

/// The keys and distinct values of a whole layer.
#[derive(Debug, Default)]
pub(crate) struct TagTable {
    keys: Vec<String>,
    /// The encoded `Value` messages, one after the other.
    values: Vec<u8>,
    /// Start of each value in `values`, plus the end.
    offsets: Vec<usize>,
}

impl TagTable {
    fn value(&self, i: usize) -> &[u8] {
        &self.values[self.offsets[i]..self.offsets[i + 1]]
    }

    fn value_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
}

/// Interns the properties of a layer's features.
#[derive(Debug, Default)]
pub(crate) struct TagTableBuilder {
    table: TagTable,
    key_ids: HashMap<&'static str, u32>,
    value_ids: HashMap<ValueKey, u32>,
}

/// Position `n` as a table index (tables never approach `u32::MAX` entries).
fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl TagTableBuilder {
    /// The layer-wide `[key, value, key, value, …]` indices of one feature's properties.
    pub(crate) fn intern(&mut self, properties: Vec<(&'static str, PropertyValue)>) -> Vec<u32> {
        let mut tags = Vec::with_capacity(2 * properties.len());
        for (key, value) in properties {
            let keys = &mut self.table.keys;
            let k = *self.key_ids.entry(key).or_insert_with(|| {
                keys.push(key.to_owned());
                index(keys.len() - 1)
            });
            let (id, value) = match value {
                PropertyValue::String(s) => (
                    ValueKey::Str(s.clone()),
                    Value {
                        string_value: Some(s),
                        ..Value::default()
                    },
                ),
                PropertyValue::Double(d) => (
                    ValueKey::Double(d.to_bits()),
                    Value {
                        double_value: Some(d),
                        ..Value::default()
                    },
                ),
                PropertyValue::Int(i) => (
                    ValueKey::Int(i),
                    Value {
                        sint_value: Some(i),
                        ..Value::default()
                    },
                ),
                PropertyValue::Bool(b) => (
                    ValueKey::Bool(b),
                    Value {
                        bool_value: Some(b),
                        ..Value::default()
                    },
                ),
            };
            let table = &mut self.table;
            let v = *self.value_ids.entry(id).or_insert_with(|| {
                if table.offsets.is_empty() {
                    table.offsets.push(0);
                }
                table.values.extend_from_slice(&value.encode_to_vec());
                table.offsets.push(table.values.len());
                index(table.offsets.len() - 2)
            });
            tags.push(k);
            tags.push(v);
        }
        tags
    }

    pub(crate) fn finish(self) -> TagTable {
        self.table
    }
}

/// Layer-wide value index → tile index.
#[derive(Debug)]
enum Remap {
    /// One slot per layer value (`u32::MAX`: not yet in the tile); for tiles with many features.
    Dense(Vec<u32>),
    /// For tiles with few features.
    Sparse(HashMap<u32, u32>),
}

/// The key and value tables of one layer in one tile.
#[derive(Debug)]
pub(crate) struct TileTags<'a> {
    table: &'a TagTable,
    key_map: Vec<u32>,
    value_map: Remap,
    /// Layer-wide indices of the tile's keys and values, in tile order.
    keys: Vec<u32>,
    values: Vec<u32>,
}

impl<'a> TileTags<'a> {
    /// Tables for a tile expected to hold about `tags` key/value pairs.
    pub(crate) fn new(table: &'a TagTable, tags: usize) -> Self {
        let value_map = if tags.saturating_mul(8) >= table.value_count() {
            Remap::Dense(vec![u32::MAX; table.value_count()])
        } else {
            Remap::Sparse(HashMap::with_capacity(tags))
        };
        Self {
            table,
            key_map: vec![u32::MAX; table.keys.len()],
            value_map,
            keys: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Appends the tile's indices for a feature's layer-wide `tags` to `out`.
    pub(crate) fn remap(&mut self, tags: &[u32], out: &mut Vec<u32>) {
        for pair in tags.chunks_exact(2) {
            let (k, v) = (pair[0], pair[1]);
            let Some(slot) = self.key_map.get_mut(k as usize) else {
                continue;
            };
            if *slot == u32::MAX {
                *slot = index(self.keys.len());
                self.keys.push(k);
            }
            let local_key = *slot;
            let values = &mut self.values;
            let mut push = || {
                values.push(v);
                index(values.len() - 1)
            };
            let local_value = match &mut self.value_map {
                Remap::Dense(map) => {
                    let Some(slot) = map.get_mut(v as usize) else {
                        continue;
                    };
                    if *slot == u32::MAX {
                        *slot = push();
                    }
                    *slot
                }
                Remap::Sparse(map) => *map.entry(v).or_insert_with(push),
            };
            out.push(local_key);
            out.push(local_value);
        }
    }

    /// Appends the tile's `keys` and `values` fields to an encoded layer.
    pub(crate) fn write(&self, layer: &mut Vec<u8>) {
        for &k in &self.keys {
            pbf::bytes_field(layer, KEYS, self.table.keys[k as usize].as_bytes());
        }
        for &v in &self.values {
            pbf::bytes_field(layer, VALUES, self.table.value(v as usize));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geozero::mvt::tile::Layer;

    #[test]
    fn values_are_interned_and_remapped_per_tile() {
        let mut builder = TagTableBuilder::default();
        let a = builder.intern(vec![
            ("s", PropertyValue::String("x".into())),
            ("n", PropertyValue::Int(1)),
        ]);
        let b = builder.intern(vec![
            ("n", PropertyValue::Int(1)),
            ("d", PropertyValue::Double(f64::NAN)),
        ]);
        let c = builder.intern(vec![
            ("d", PropertyValue::Double(f64::NAN)),
            ("b", PropertyValue::Bool(true)),
        ]);
        assert_eq!(a, vec![0, 0, 1, 1]);
        assert_eq!(b, vec![1, 1, 2, 2]);
        assert_eq!(c, vec![2, 2, 3, 3]);
        let table = builder.finish();
        for expected in [1, 1000] {
            let mut tile = TileTags::new(&table, expected);
            let mut out = Vec::new();
            tile.remap(&c, &mut out);
            tile.remap(&b, &mut out);
            assert_eq!(out, vec![0, 0, 1, 1, 2, 2, 0, 0]);
            let mut bytes = Vec::new();
            tile.write(&mut bytes);
            let layer = Layer::decode(bytes.as_slice()).expect("keys and values decode");
            assert_eq!(layer.keys, vec!["d", "b", "n"]);
            assert_eq!(layer.values.len(), 3);
            assert!(layer.values[0].double_value.is_some_and(f64::is_nan));
            assert_eq!(layer.values[1].bool_value, Some(true));
            assert_eq!(layer.values[2].sint_value, Some(1));
        }
    }
}

//! The few protobuf wire-format writers that MVT needs (varints, keys, length-delimited fields).

/// Wire type of varint fields.
pub(crate) const VARINT: u32 = 0;
/// Wire type of length-delimited fields (strings, messages, packed repeated fields).
pub(crate) const LEN: u32 = 2;

/// Appends `v` as a base-128 varint.
#[inline]
pub(crate) fn varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Number of bytes of `v` as a varint.
#[inline]
pub(crate) fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// Appends a field key.
#[inline]
pub(crate) fn key(buf: &mut Vec<u8>, field: u32, wire_type: u32) {
    varint(buf, u64::from((field << 3) | wire_type));
}

/// Appends a varint field.
pub(crate) fn varint_field(buf: &mut Vec<u8>, field: u32, v: u64) {
    key(buf, field, VARINT);
    varint(buf, v);
}

/// Appends a length-delimited field.
pub(crate) fn bytes_field(buf: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    key(buf, field, LEN);
    varint(buf, bytes.len() as u64);
    buf.extend_from_slice(bytes);
}

/// Length of the payload of a packed repeated `uint32` field.
pub(crate) fn packed_len(values: &[u32]) -> usize {
    values.iter().map(|&v| varint_len(u64::from(v))).sum()
}

/// Appends a packed repeated `uint32` field whose payload length is `len` (from
/// [`packed_len`]).
pub(crate) fn packed_field(buf: &mut Vec<u8>, field: u32, values: &[u32], len: usize) {
    key(buf, field, LEN);
    varint(buf, len as u64);
    for &v in values {
        varint(buf, u64::from(v));
    }
}

/// Size of a field key plus a length-delimited payload of `len` bytes.
pub(crate) fn delimited_size(field: u32, len: usize) -> usize {
    varint_len(u64::from(field << 3)) + varint_len(len as u64) + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_match_protobuf() {
        for (v, bytes) in [
            (0u64, vec![0u8]),
            (1, vec![1]),
            (127, vec![127]),
            (128, vec![0x80, 1]),
            (300, vec![0xac, 0x02]),
            (
                u64::MAX,
                vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1],
            ),
        ] {
            let mut buf = Vec::new();
            varint(&mut buf, v);
            assert_eq!(buf, bytes, "{v}");
            assert_eq!(varint_len(v), bytes.len(), "{v}");
        }
        let mut buf = Vec::new();
        packed_field(&mut buf, 4, &[9, 300], packed_len(&[9, 300]));
        assert_eq!(buf, vec![0x22, 3, 9, 0xac, 0x02]);
        assert_eq!(delimited_size(4, 3), buf.len());
    }
}

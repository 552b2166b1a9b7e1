//! Readers and writers that hash and count the bytes passing through them.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

/// Hashes and counts what is written through it.
pub(super) struct HashWriter<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> HashWriter<W> {
    pub(super) fn new(inner: W) -> Self {
        HashWriter {
            inner,
            hash: Sha256::new(),
            bytes: 0,
        }
    }

    /// The inner writer, the bytes written and their SHA-256.
    pub(super) fn finish(self) -> (W, u64, [u8; 32]) {
        (self.inner, self.bytes, self.hash.finalize().into())
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Hashes and counts what is read through it.
pub(super) struct HashReader<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
}

impl<R: Read> HashReader<R> {
    pub(super) fn new(inner: R) -> Self {
        HashReader {
            inner,
            hash: Sha256::new(),
            bytes: 0,
        }
    }

    /// Reads what is left, then gives the bytes read in all, how many of them were left, and
    /// their SHA-256.
    pub(super) fn drain(mut self) -> io::Result<(u64, u64, [u8; 32])> {
        let left = io::copy(&mut self, &mut io::sink())?;
        Ok((self.bytes, left, self.hash.finalize().into()))
    }
}

impl<R: Read> Read for HashReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_agree_with_sha2() {
        let data = b"entries and more entries".repeat(100);
        let mut w = HashWriter::new(Vec::new());
        w.write_all(&data).expect("write");
        let (out, n, digest) = w.finish();
        assert_eq!(
            (out.len() as u64, n),
            (data.len() as u64, data.len() as u64)
        );
        assert_eq!(digest, <[u8; 32]>::from(Sha256::digest(&data)));
        let mut r = HashReader::new(&data[..]);
        let mut head = [0u8; 10];
        r.read_exact(&mut head).expect("read");
        let (total, left, digest2) = r.drain().expect("drain");
        assert_eq!((total, left), (data.len() as u64, data.len() as u64 - 10));
        assert_eq!(digest2, digest);
    }
}

//! Response bodies written by a blocking task: a `Write` that sends 64 KiB chunks through a
//! small bounded channel (memory stays flat and a slow client slows the writer), and the body
//! that reads them.

use std::io::Write;

use axum::body::{Body, Bytes};

use crate::error::ApiError;

/// Size of the chunks sent to the client.
const CHUNK: usize = 64 * 1024;

/// Sends what is written to the response body, in chunks.
pub struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    /// Ends the body with an error (the client sees a truncated response).
    pub fn fail(self, why: String) {
        let _ = self.tx.blocking_send(Err(std::io::Error::other(why)));
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    /// One append (the default loops over `write`): a streamed collection writes a few bytes at
    /// a time, several times per coordinate.
    #[inline]
    fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK + 4096),
        ));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

/// A writer for a blocking task and the body that streams what it writes.
pub fn channel() -> (ChannelWriter, Body) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    // Fused: layers such as compression may poll again after the end.
    let body = Body::from_stream(futures_util::StreamExt::fuse(futures_util::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|item| (item, rx)) },
    )));
    (
        ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK + 4096),
        },
        body,
    )
}

/// A failed write to the body: a client that went away is not an internal error (not logged as
/// one); anything else is.
pub fn write_error(e: std::io::Error) -> ApiError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        ApiError::bad_request("the client went away")
    } else {
        ApiError::internal(e)
    }
}

//! The listening socket: every accepted connection gets `TCP_NODELAY`. Streamed answers (OGC
//! items, exports) are written in several small chunks; with Nagle's algorithm the last chunk
//! waits for the client's delayed ACK (~40 ms), so a client paging over one keep-alive
//! connection (GDAL, QGIS) stalled on every page.

use axum::serve::{ListenerExt, TapIo};
use tokio::net::{TcpListener, TcpStream};

/// A listener that sets `TCP_NODELAY` on each connection (a concrete type, so that
/// `ConnectInfo<SocketAddr>` still works over it).
pub type NoDelayListener = TapIo<TcpListener, fn(&mut TcpStream)>;

fn set_nodelay(stream: &mut TcpStream) {
    if let Err(e) = stream.set_nodelay(true) {
        // The connection still works, only slower; nothing for the client to do.
        tracing::warn!(error = %e, "could not set TCP_NODELAY on a connection");
    }
}

/// `listener`, setting `TCP_NODELAY` on each connection it accepts.
pub fn without_nagle(listener: TcpListener) -> NoDelayListener {
    listener.tap_io(set_nodelay as fn(&mut TcpStream))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener;

    #[tokio::test]
    async fn accepted_connections_have_nodelay() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let mut listener = without_nagle(listener);
        let client = tokio::spawn(TcpStream::connect(addr));
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().expect("read TCP_NODELAY"));
        drop(client.await.expect("join").expect("connect"));
    }
}

//! A minimal HTTP/1.1 client for the server benchmarks: one keep-alive connection per worker,
//! `GET` only, bodies framed by `Content-Length` or chunked. Both servers under test get
//! exactly the same requests from it, and it adds nothing of its own (no pool, no
//! decompression: it asks for `identity`).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, Result, bail};

/// One response.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// The whole body.
    pub body: Vec<u8>,
}

/// One keep-alive connection.
pub struct Connection {
    addr: SocketAddr,
    stream: BufReader<TcpStream>,
}

impl Connection {
    /// Connects to `addr`.
    pub fn open(addr: SocketAddr) -> Result<Connection> {
        let tcp = TcpStream::connect(addr).with_context(|| format!("cannot connect to {addr}"))?;
        tcp.set_nodelay(true)?;
        tcp.set_read_timeout(Some(Duration::from_secs(600)))?;
        Ok(Connection {
            addr,
            stream: BufReader::with_capacity(64 * 1024, tcp),
        })
    }

    /// `GET path`; reconnects once if the server had closed the idle connection.
    pub fn get(&mut self, path: &str) -> Result<Response> {
        match self.try_get(path) {
            Ok(r) => Ok(r),
            Err(_) => {
                *self = Connection::open(self.addr)?;
                self.try_get(path)
            }
        }
    }

    fn try_get(&mut self, path: &str) -> Result<Response> {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: identity\r\n\r\n",
            self.addr
        );
        self.stream.get_mut().write_all(request.as_bytes())?;
        read_response(&mut self.stream).with_context(|| format!("GET {path}"))
    }
}

fn read_line(r: &mut impl BufRead) -> Result<String> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        bail!("connection closed");
    }
    Ok(line.trim_end().to_string())
}

/// Reads one response (status line, headers, body) from `r`.
fn read_response(r: &mut impl BufRead) -> Result<Response> {
    let status_line = read_line(r)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("bad status line `{status_line}`"))?;
    let (mut length, mut chunked) = (None, false);
    loop {
        let line = read_line(r)?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            bail!("bad header line `{line}`");
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().context("bad Content-Length")?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.eq_ignore_ascii_case("chunked");
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let size_line = read_line(r)?;
            let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
                .with_context(|| format!("bad chunk size `{size_line}`"))?;
            if size == 0 {
                // Trailers, then the empty line.
                while !read_line(r)?.is_empty() {}
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..])?;
            read_line(r)?;
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    }
    Ok(Response { status, body })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_length_and_chunked_bodies_back_to_back() {
        let wire = b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc\
HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5;x=y\r\npedia\r\n0\r\n\r\n\
HTTP/1.1 204 No Content\r\n\r\n";
        let mut r = BufReader::new(&wire[..]);
        let a = read_response(&mut r).unwrap();
        assert_eq!((a.status, a.body.as_slice()), (200, &b"abc"[..]));
        let b = read_response(&mut r).unwrap();
        assert_eq!((b.status, b.body.as_slice()), (404, &b"wikipedia"[..]));
        let c = read_response(&mut r).unwrap();
        assert_eq!((c.status, c.body.len()), (204, 0));
        assert!(read_response(&mut r).is_err());
    }
}

//! Layers every request and response passes: problem details for every error (also axum's own
//! rejections and status-only answers), security headers, forwarded headers only from a trusted
//! proxy, and the Origin check on writes authenticated by the session cookie (CSRF).

use std::net::{IpAddr, SocketAddr};

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::SESSION_COOKIE;
use crate::error::ApiError;
use crate::state::{AppState, ServerConfig};

const X_FORWARDED_PROTO: &str = "x-forwarded-proto";
const X_FORWARDED_HOST: &str = "x-forwarded-host";
const X_FORWARDED_FOR: &str = "x-forwarded-for";

/// The client's address: the peer, or behind a trusted proxy the last X-Forwarded-For hop;
/// None when unknown (in-process requests).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

fn client_ip(config: &ServerConfig, req: &Request<Body>) -> ClientIp {
    let forwarded = config
        .trust_proxy
        .then(|| req.headers().get(X_FORWARDED_FOR))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    ClientIp(forwarded.or(peer))
}

/// Checks a public URL (`--public-url`) and returns its origin, `scheme://host[:port]`: only
/// http and https, and no path (Safeground serves from the root of its origin).
pub fn parse_public_url(url: &str) -> Result<String, String> {
    let uri: axum::http::Uri = url
        .trim()
        .parse()
        .map_err(|e| format!("`{url}` is not a URL ({e}); give e.g. https://mines.example.org"))?;
    let scheme = match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            s.to_ascii_lowercase()
        }
        _ => return Err(format!("`{url}` must start with http:// or https://")),
    };
    let Some(authority) = uri.authority() else {
        return Err(format!(
            "`{url}` names no host; give e.g. https://mines.example.org"
        ));
    };
    if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
        return Err(format!(
            "`{url}` has a path; Safeground serves from the root of its address, so give the \
             origin only (e.g. https://mines.example.org)"
        ));
    }
    Ok(format!(
        "{scheme}://{}",
        authority.as_str().to_ascii_lowercase()
    ))
}

/// Answers every error that is not already a problem document (axum's plain-text rejections,
/// 405 and 413 without a body, ...) as RFC 9457 problem details, keeping the status, the
/// headers (Allow, Retry-After) and the rejection's text as the detail.
pub async fn problem_details(resp: Response) -> Response {
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes().to_ascii_lowercase());
    let plain = content_type
        .as_deref()
        .is_none_or(|t| t.starts_with(b"text/plain"));
    if status.as_u16() < 400 || !plain {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is larger than the server accepts (--max-body-mib); send a \
             smaller file or ask the administrator to raise the limit"
                .to_owned()
        }
        StatusCode::REQUEST_TIMEOUT => "the request took longer than the server's time limit; \
                                        retry, or ask for less (smaller pages, a smaller area)"
            .to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => {
            let allow = parts
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            format!("this method is not allowed here; allowed: {allow}")
        }
        StatusCode::NOT_FOUND if text.is_empty() => {
            "no such endpoint; the API is described at /api/openapi.json".to_owned()
        }
        _ if text.is_empty() => status
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_owned(),
        _ => text,
    };
    let mut answer = ApiError::status_only(status, detail).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            answer.headers_mut().insert(name, v.clone());
        }
    }
    answer
}

/// The content security policy of every response: this server only, plus the basemap's
/// origin; MapLibre needs blob: workers and data:/blob: images; no framing.
fn content_security_policy(config: &ServerConfig) -> String {
    let basemap = config
        .basemap_url
        .as_deref()
        .and_then(basemap_origin)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; img-src 'self' data: blob:{basemap}; worker-src 'self' blob:; \
         child-src blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'{basemap}; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The origin (`https://host:port`) of a basemap URL template, for the content security policy.
fn basemap_origin(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find('/').unwrap_or(rest.len());
    let origin = &url[..url.len() - rest.len() + end];
    // Only characters of an origin: nothing that could end the directive.
    origin
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-:/[]".contains(&b))
        .then_some(origin)
}

fn set_security_headers(config: &ServerConfig, headers: &mut HeaderMap) {
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(config)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // `same-origin`, not `no-referrer`: with no-referrer browsers send `Origin: null` on
    // same-origin POSTs, which the Origin check would refuse.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    let https = config.secure_cookies
        || config
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
}

/// Checks the request's addressing headers. Without `--trust-proxy` the X-Forwarded-* headers
/// are dropped (a client could otherwise put any scheme or host into the links the server
/// writes); with it they must name http or https and a valid host. With `--public-url` the
/// Host and scheme are those of the public URL, whatever the request says.
fn normalise_forwarded(config: &ServerConfig, headers: &mut HeaderMap) -> Result<(), ApiError> {
    if config.trust_proxy {
        if let Some(v) = headers.get(X_FORWARDED_PROTO) {
            let proto = v
                .to_str()
                .ok()
                .and_then(|s| s.split(',').next())
                .map(|s| s.trim().to_ascii_lowercase());
            match proto.as_deref() {
                Some(p @ ("http" | "https")) => {
                    let p = HeaderValue::from_static(if p == "http" { "http" } else { "https" });
                    headers.insert(X_FORWARDED_PROTO, p);
                }
                _ => {
                    return Err(ApiError::field(
                        "X-Forwarded-Proto",
                        "must be http or https (set by the reverse proxy)",
                    ));
                }
            }
        }
        if let Some(v) = headers.get(X_FORWARDED_HOST).cloned() {
            let host = v
                .to_str()
                .ok()
                .and_then(|s| s.split(',').next())
                .map(str::trim)
                .and_then(|s| s.parse::<Authority>().ok())
                .filter(|a| !a.as_str().contains('@'))
                .ok_or_else(|| {
                    ApiError::field(
                        "X-Forwarded-Host",
                        "must be a host name, e.g. mines.example.org",
                    )
                })?;
            let host = HeaderValue::from_str(host.as_str()).map_err(ApiError::internal)?;
            headers.insert(header::HOST, host);
        }
    } else {
        for name in [
            X_FORWARDED_PROTO,
            X_FORWARDED_HOST,
            X_FORWARDED_FOR,
            "forwarded",
        ] {
            headers.remove(HeaderName::from_static(name));
        }
    }
    if let Some(v) = headers.get(header::HOST) {
        let valid = v
            .to_str()
            .ok()
            .and_then(|s| s.parse::<Authority>().ok())
            .is_some_and(|a| !a.as_str().contains('@'));
        if !valid {
            return Err(ApiError::field(
                "Host",
                "must be a host name and optional port",
            ));
        }
    }
    if let Some(public) = config.public_url.as_deref()
        && let Some((scheme, authority)) = public.split_once("://")
    {
        let host = HeaderValue::from_str(authority).map_err(ApiError::internal)?;
        let proto = HeaderValue::from_str(scheme).map_err(ApiError::internal)?;
        headers.insert(header::HOST, host);
        headers.insert(X_FORWARDED_PROTO, proto);
    }
    Ok(())
}

/// Whether the request is authenticated by the session cookie (not by a bearer token).
fn uses_session_cookie(headers: &HeaderMap) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    !bearer
        && headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .any(|(k, _)| k == SESSION_COOKIE)
}

/// `scheme://host[:port]` of an Origin or Referer value, lower case.
fn origin_of(value: &str) -> Option<(String, String)> {
    let uri: axum::http::Uri = value.trim().parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let authority = uri.authority()?.as_str().to_ascii_lowercase();
    Some((scheme, authority))
}

/// The Origin check on state-changing requests authenticated by the session cookie: the
/// request's Origin (or, without one, its Referer) must be this server's origin: the public URL
/// when configured, else the Host the request was sent to.
fn check_origin(config: &ServerConfig, req: &Request<Body>) -> Result<(), ApiError> {
    let (method, headers) = (req.method(), req.headers());
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || !uses_session_cookie(headers) {
        return Ok(());
    }
    let sent = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(origin_of);
    // HTTP/2 requests carry the host in the URI rather than in a Host header.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(Authority::as_str))
        .map(str::to_ascii_lowercase);
    let matches = match (&sent, config.public_url.as_deref()) {
        (Some((scheme, authority)), Some(public)) => format!("{scheme}://{authority}") == public,
        (Some((_, authority)), None) => host.as_deref() == Some(authority.as_str()),
        (None, _) => false,
    };
    if matches {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "a change sent with the session cookie must come from this server's own pages \
             (its Origin or Referer header names another site or is missing); use the web UI, \
             or an API token (Authorization: Bearer) from other programs",
        ))
    }
}

/// Checks forwarded headers and the Origin of cookie writes, then sets the security headers
/// on the answer, whatever it is.
pub async fn guard(State(state): State<AppState>, mut req: Request<Body>, next: Next) -> Response {
    let config = &state.config;
    let ip = client_ip(config, &req);
    req.extensions_mut().insert(ip);
    let checked =
        normalise_forwarded(config, req.headers_mut()).and_then(|()| check_origin(config, &req));
    let mut resp = match checked {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    };
    set_security_headers(config, resp.headers_mut());
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_http_or_https_origins() {
        assert_eq!(
            parse_public_url("https://Mines.Example.org/").as_deref(),
            Ok("https://mines.example.org")
        );
        assert_eq!(
            parse_public_url("http://10.0.0.5:8080").as_deref(),
            Ok("http://10.0.0.5:8080")
        );
        assert!(parse_public_url("javascript:alert(1)").is_err());
        assert!(parse_public_url("ftp://x.org").is_err());
        assert!(parse_public_url("https://x.org/safeground").is_err());
    }

    #[test]
    fn basemap_origins() {
        assert_eq!(
            basemap_origin("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png"),
            Some("https://tiles.example.org:8443")
        );
        assert_eq!(basemap_origin("http://10.0.0.5"), Some("http://10.0.0.5"));
        assert_eq!(basemap_origin("not a url"), None);
        assert_eq!(basemap_origin("https://a.org;script-src *"), None);
    }
}

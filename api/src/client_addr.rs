//! The address a request came from, for the login throttle and the audit
//! trail. Without `TRUSTED_PROXY_HEADER` it is the socket's peer, and forwarded
//! headers are ignored (anyone can send them). With it (behind a load balancer
//! that sets that header), it is the last address of the header's last line:
//! the one the balancer added. Addresses a client put in front of it are
//! ignored, so they cannot be used to dodge the per-address limit. A request
//! without a usable header (one that reached the port directly) falls back to
//! its peer.

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, HeaderName};

use crate::state::ClientAddr;

impl ClientAddr {
    pub fn of(peer: SocketAddr, headers: &HeaderMap, trusted: Option<&HeaderName>) -> Self {
        let forwarded = trusted.and_then(|name| {
            let line = headers.get_all(name).iter().next_back()?.to_str().ok()?;
            parse(line.rsplit(',').next()?.trim())
        });
        Self(forwarded.unwrap_or_else(|| peer.ip()))
    }
}

/// `203.0.113.7`, `2001:db8::1`, `203.0.113.7:52100`, `[2001:db8::1]:52100`.
fn parse(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|e| e.strip_suffix(']'))
                .and_then(|e| e.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn addr(lines: &[&str], trusted: Option<&str>) -> String {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(
                "x-forwarded-for",
                HeaderValue::from_str(line).expect("header"),
            );
        }
        let name = trusted.map(|t| HeaderName::from_bytes(t.as_bytes()).expect("name"));
        let peer: SocketAddr = "10.0.0.1:40000".parse().expect("peer");
        ClientAddr::of(peer, &headers, name.as_ref()).0.to_string()
    }

    #[test]
    fn without_a_trusted_header_the_peer_counts() {
        assert_eq!(addr(&["203.0.113.7"], None), "10.0.0.1");
    }

    #[test]
    fn with_it_the_address_the_balancer_added_counts() {
        let xff = Some("X-Forwarded-For");
        assert_eq!(addr(&["203.0.113.7"], xff), "203.0.113.7");
        // The client forged the first entries; the balancer appended the last.
        assert_eq!(addr(&["1.2.3.4, 5.6.7.8, 203.0.113.7"], xff), "203.0.113.7");
        assert_eq!(addr(&["1.2.3.4", "203.0.113.8"], xff), "203.0.113.8");
        assert_eq!(addr(&["[2001:db8::1]:52100"], xff), "2001:db8::1");
        assert_eq!(addr(&["203.0.113.7:52100"], xff), "203.0.113.7");
        assert_eq!(addr(&["[2001:db8::2]"], xff), "2001:db8::2");
        // Missing or garbage: the peer.
        assert_eq!(addr(&[], xff), "10.0.0.1");
        assert_eq!(addr(&["unknown"], xff), "10.0.0.1");
        assert_eq!(addr(&["203.0.113.7"], Some("X-Real-IP")), "10.0.0.1");
    }
}

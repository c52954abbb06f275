//! Mail as it arrived (an `.eml` file the file mailer wrote, or what the test
//! SMTP server received), read back the way a mail program shows it: headers
//! unfolded, RFC 2047 subjects and base64 or quoted-printable bodies decoded.
//! The API tests and the browser scenarios (which follow a mail's link) share it.

use std::collections::HashMap;

/// The parts of a received message the tests compare, decoded.
pub struct Arrived {
    pub message_id: String,
    /// `X-RcptTo`, which aiosmtpd adds from the SMTP envelope; for files, `To`.
    pub envelope_to: String,
    pub subject: String,
    pub body: String,
}

impl Arrived {
    /// The messages the file mailer wrote into `dir` (one `.eml` each).
    pub fn files_in(dir: &std::path::Path) -> Vec<Arrived> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "eml"))
            .map(|path| Arrived::parse(&std::fs::read_to_string(path).unwrap()))
            .collect()
    }

    /// The messages of `dir` (as `files_in`) sent to `to`.
    pub fn files_to(dir: &std::path::Path, to: &str) -> Vec<Arrived> {
        Self::files_in(dir)
            .into_iter()
            .filter(|m| m.envelope_to == to)
            .collect()
    }

    pub fn parse(raw: &str) -> Self {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let headers = unfold(head);
        let get = |name: &str| {
            headers
                .get(&name.to_ascii_lowercase())
                .cloned()
                .unwrap_or_default()
        };
        let body = match get("Content-Transfer-Encoding")
            .to_ascii_lowercase()
            .as_str()
        {
            "base64" => utf8(base64(&body.split_whitespace().collect::<String>())),
            "quoted-printable" => utf8(quoted_printable(body)),
            _ => body.to_owned(),
        }
        .replace("\r\n", "\n");
        let envelope_to = match get("X-RcptTo") {
            to if to.is_empty() => get("To"),
            to => to,
        };
        Self {
            message_id: get("Message-ID"),
            envelope_to,
            subject: decode_words(&get("Subject")),
            body,
        }
    }
}

/// Header names in lower case → values, continuation lines joined.
fn unfold(head: &str) -> HashMap<String, String> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    headers.into_iter().collect()
}

/// RFC 2047: `=?utf-8?b?…?=` and `=?utf-8?q?…?=` words, the space between two
/// encoded words dropped.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut last_was_encoded = false;
    for token in value.split_whitespace() {
        let decoded = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut parts = t.splitn(3, '?');
                let (_charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
                match encoding.to_ascii_lowercase().as_str() {
                    "b" => Some(utf8(base64(text))),
                    "q" => Some(utf8(quoted_printable(&text.replace('_', " ")))),
                    _ => None,
                }
            });
        match decoded {
            Some(text) => {
                if !out.is_empty() && !last_was_encoded {
                    out.push(' ');
                }
                out.push_str(&text);
                last_was_encoded = true;
            }
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(token);
                last_was_encoded = false;
            }
        }
    }
    out
}

fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8 text")
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        let value = ALPHABET
            .iter()
            .position(|&a| a == c)
            .expect("a base64 character") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.replace("=\n", "").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("a quoted-printable escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoders_read_what_mail_software_writes() {
        assert_eq!(
            decode_words("=?utf-8?b?5Li05rGf5biC?= =?utf-8?b?77ya?= ok"),
            "临江市： ok"
        );
        assert_eq!(decode_words("=?utf-8?q?a=E4=B8=B4_b?="), "a临 b");
        assert_eq!(utf8(quoted_printable("=E4=B8=B4=\nx")), "临x");
        let parsed = Arrived::parse(
            "Subject: =?utf-8?b?5Li0?=\r\n =?utf-8?b?5rGf?=\r\nMessage-ID: <a@b>\r\nTo: o@v.cn\r\n\r\nhi\r\n",
        );
        assert_eq!(
            (
                parsed.subject.as_str(),
                parsed.message_id.as_str(),
                parsed.envelope_to.as_str(),
                parsed.body.as_str()
            ),
            ("临江", "<a@b>", "o@v.cn", "hi\n")
        );
    }
}

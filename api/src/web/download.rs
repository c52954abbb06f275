//! Files the console hands out as downloads (a rectification's attachment, a
//! spreadsheet for filing): the stored type, the file's own name offered to
//! save as, and `nosniff` so a browser never runs what it was given to save.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A download of `bytes` as `content_type`, saved as `file_name`.
pub fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let kind = HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, kind);
    if let Ok(disposition) = HeaderValue::from_str(&content_disposition(file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `attachment; filename="…"; filename*=UTF-8''…`: an ASCII stand-in for old
/// clients and the real name percent-encoded (RFC 6266, RFC 5987).
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_file_name_is_offered_percent_encoded() {
        assert_eq!(
            content_disposition("整改 报告.pdf"),
            "attachment; filename=\"__ __.pdf\"; filename*=UTF-8''%E6%95%B4%E6%94%B9%20%E6%8A%A5%E5%91%8A.pdf"
        );
        assert_eq!(
            content_disposition("a\"b.png"),
            "attachment; filename=\"a_b.png\"; filename*=UTF-8''a%22b.png"
        );
    }
}

//! The files a vendor submits with its rectification (PDF, PNG, JPEG), kept
//! in the database with the notice. A file's type is what its first bytes say
//! (its name proves nothing); its size and the number of files are limited.
//! Files are checked before anything is written ([`check`]) and written in the
//! submission's own transaction ([`insert`]); they are read only by who may
//! read their notice ([`list`], [`download`], through the store).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::actor::Actor;
use crate::error::{DomainError, DomainResult};
use crate::reference::notices::Notices;

/// How many files one submission may carry.
pub const MAX_FILES: usize = 5;
/// The default largest file (`ATTACHMENT_MAX_BYTES`): 10 MiB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// The longest file name kept (characters).
const MAX_NAME_CHARS: usize = 200;

/// The types accepted, each known by its first bytes.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xFF\xD8\xFF", "image/jpeg"),
];

/// A file as uploaded: the name the browser gave and its bytes (at most one
/// byte over the limit is kept: enough to know it is too big).
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Why a submission's files were refused (nothing is written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    TooMany { max: usize },
    TooBig { file_name: String, max_bytes: usize },
    WrongType { file_name: String },
    Empty { file_name: String },
}

/// A file that passed [`check`]: only these are written.
pub struct Checked {
    file_name: String,
    content_type: &'static str,
    bytes: Vec<u8>,
}

impl Checked {
    /// The cleaned name, the detected type and the bytes (for a file kept
    /// elsewhere than with a notice: a dispute's).
    pub fn into_parts(self) -> (String, &'static str, Vec<u8>) {
        (self.file_name, self.content_type, self.bytes)
    }
}

/// An attachment as listed: everything but its bytes.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Info {
    pub id: i64,
    pub notice_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// The accepted type the bytes start with, if any.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// The uploads, each known by type and within `max_bytes`, at most
/// [`MAX_FILES`] of them; the first refusal otherwise.
pub fn check(uploads: Vec<Upload>, max_bytes: usize) -> Result<Vec<Checked>, Refusal> {
    if uploads.len() > MAX_FILES {
        return Err(Refusal::TooMany { max: MAX_FILES });
    }
    uploads
        .into_iter()
        .map(|u| {
            let file_name = clean_name(&u.file_name);
            if u.bytes.is_empty() {
                return Err(Refusal::Empty { file_name });
            }
            if u.bytes.len() > max_bytes {
                return Err(Refusal::TooBig {
                    file_name,
                    max_bytes,
                });
            }
            let content_type = sniff(&u.bytes).ok_or(Refusal::WrongType {
                file_name: file_name.clone(),
            })?;
            Ok(Checked {
                file_name,
                content_type,
                bytes: u.bytes,
            })
        })
        .collect()
}

/// The last component of the name (a browser may send a path), without
/// control characters, cut to [`MAX_NAME_CHARS`]; `附件` when nothing is left.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "附件".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// Writes the files of a submission in its transaction; their descriptions
/// (name, type, size) for the audit entry.
pub async fn insert(
    txn: &DatabaseTransaction,
    notice_id: i64,
    uploaded_by: i64,
    files: Vec<Checked>,
    now: DateTime<Utc>,
) -> DomainResult<Vec<serde_json::Value>> {
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        let size = i64::try_from(f.bytes.len()).map_err(DomainError::internal)?;
        let row = entities::notice_attachment::ActiveModel {
            notice_id: Set(notice_id),
            file_name: Set(f.file_name),
            content_type: Set(f.content_type.to_owned()),
            size: Set(size),
            bytes: Set(f.bytes),
            uploaded_by: Set(uploaded_by),
            uploaded_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        written.push(serde_json::json!({
            "id": row.id, "fileName": row.file_name,
            "contentType": row.content_type, "size": row.size,
        }));
    }
    Ok(written)
}

/// The attachments of a notice the actor may read, oldest first; a notice it
/// may not read is `NOT_FOUND` (the store's rule).
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    notice_id: i64,
) -> DomainResult<Vec<Info>> {
    use entities::notice_attachment::{Column as C, Entity};
    let notice = crate::store::get::<Notices>(db, actor, notice_id).await?;
    let _db = crate::db_share::permit().await;
    Ok(Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::NoticeId,
            C::FileName,
            C::ContentType,
            C::Size,
            C::UploadedBy,
            C::UploadedAt,
        ])
        .filter(C::NoticeId.eq(notice.id))
        .order_by_asc(C::Id)
        .into_model::<Info>()
        .all(db)
        .await?)
}

/// One attachment with its bytes, for who may read its notice; another
/// notice's attachment is `NOT_FOUND` like a missing one.
pub async fn download(
    db: &DatabaseConnection,
    actor: &Actor,
    notice_id: i64,
    attachment_id: i64,
) -> DomainResult<entities::notice_attachment::Model> {
    use entities::notice_attachment::{Column as C, Entity};
    let notice = crate::store::get::<Notices>(db, actor, notice_id).await?;
    let _db = crate::db_share::permit().await;
    Entity::find_by_id(attachment_id)
        .filter(C::NoticeId.eq(notice.id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::not_found(format!("attachment {attachment_id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            file_name: name.to_owned(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn the_type_is_read_from_the_first_bytes_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        let refused = check(vec![upload("报告.pdf", b"<html>")], 100).err();
        assert_eq!(
            refused,
            Some(Refusal::WrongType {
                file_name: "报告.pdf".into()
            })
        );
    }

    #[test]
    fn size_and_count_are_limited() {
        // 6 bytes against a limit of 5.
        let big = check(vec![upload("a.pdf", b"%PDF-1")], 5).err();
        assert!(matches!(big, Some(Refusal::TooBig { max_bytes: 5, .. })));
        let six = (0..6).map(|_| upload("a.pdf", b"%PDF-")).collect();
        assert_eq!(check(six, 100).err(), Some(Refusal::TooMany { max: 5 }));
        assert!(check(vec![upload("a.pdf", b"%PDF-")], 5).is_ok());
    }

    #[test]
    fn a_name_keeps_its_last_component_only() {
        assert_eq!(clean_name("C:\\报告\\整改报告.pdf"), "整改报告.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b.png"), "ab.png");
        assert_eq!(clean_name(".."), "附件");
    }
}

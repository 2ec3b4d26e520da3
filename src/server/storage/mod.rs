//! Object storage for uploaded documents and exports: a small trait with a local
//! filesystem implementation (single-machine default) and an S3 one (aws-sdk-s3).
//! Object keys are always built by the server; `ObjectKey` refuses anything that could
//! escape the store's root.

mod fs;
mod s3;

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

pub use fs::FsStore;
pub use s3::S3Store;

use super::config::ObjectStoreConfig;

/// A validated object key: `a-z A-Z 0-9 . _ -` segments joined by `/`, no empty, `.` or
/// `..` segment, at most 1024 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Validates `key`.
    pub fn parse(key: impl Into<String>) -> Result<Self, StorageError> {
        let key = key.into();
        let valid = !key.is_empty()
            && key.len() <= 1024
            && key.split('/').all(|seg| {
                !seg.is_empty()
                    && seg != "."
                    && seg != ".."
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            });
        if valid {
            Ok(Self(key))
        } else {
            Err(StorageError::InvalidKey)
        }
    }

    /// The key as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Storage failures.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("invalid object key")]
    InvalidKey,
    #[error("object not found")]
    NotFound,
    #[error("object store unavailable: {0}")]
    Backend(String),
}

/// What every object store offers.
#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// Short name for logs and readiness output (`fs`, `s3`).
    fn kind(&self) -> &'static str;
    /// Verifies the store is reachable and usable (readiness).
    async fn check(&self) -> Result<(), StorageError>;
    /// Writes an object, replacing any previous one atomically.
    async fn put(&self, key: &ObjectKey, data: Bytes) -> Result<(), StorageError>;
    /// Writes an object from a local file, streamed (never read into memory whole).
    async fn put_file(&self, key: &ObjectKey, path: &std::path::Path) -> Result<(), StorageError>;
    /// Reads a whole object.
    async fn get(&self, key: &ObjectKey) -> Result<Bytes, StorageError>;
    /// Deletes an object; deleting a missing object is not an error.
    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError>;
    /// Every object whose key starts with `prefix`, with its last modification time.
    async fn list(&self, prefix: &str) -> Result<Vec<Listed>, StorageError>;
}

/// An object as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub key: ObjectKey,
    pub modified: Option<std::time::SystemTime>,
}

/// Builds the store the configuration names.
pub async fn from_config(config: &ObjectStoreConfig) -> Result<Arc<dyn ObjectStore>, StorageError> {
    Ok(match config {
        ObjectStoreConfig::Fs { root } => Arc::new(FsStore::new(root.clone()).await?),
        ObjectStoreConfig::S3(s3) => Arc::new(S3Store::new(s3)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_escape_the_root() {
        for bad in [
            "", "/abs", "a//b", "../x", "a/../b", "a/./b", "a b", "a\\b", "ü", "a/",
        ] {
            assert!(ObjectKey::parse(bad).is_err(), "{bad:?} accepted");
        }
        let ok = "org/0b7c/property/1f/period/2026-01/balance_sheet/3a.pdf";
        assert_eq!(ObjectKey::parse(ok).unwrap().as_str(), ok);
        assert!(ObjectKey::parse("a".repeat(1025)).is_err());
    }
}

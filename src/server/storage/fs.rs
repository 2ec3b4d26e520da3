//! Local-filesystem object store: one file per key under a root directory. Writes go to
//! a temporary file that is renamed into place, so readers never see half an object.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;
use tokio::io::AsyncWriteExt;

use super::{Listed, ObjectKey, ObjectStore, StorageError};

/// Stores objects as files under `root`.
pub struct FsStore {
    root: PathBuf,
}

fn backend(err: std::io::Error) -> StorageError {
    StorageError::Backend(err.kind().to_string())
}

impl FsStore {
    /// Creates the root directory if needed.
    pub async fn new(root: PathBuf) -> Result<Self, StorageError> {
        tokio::fs::create_dir_all(&root).await.map_err(backend)?;
        Ok(Self { root })
    }

    fn path(&self, key: &ObjectKey) -> PathBuf {
        self.root.join(key.as_str())
    }

    /// Runs `write` on a temporary file next to the object, then renames it into place;
    /// on failure the temporary file is removed.
    async fn write_atomically<F, Fut>(&self, key: &ObjectKey, write: F) -> Result<(), StorageError>
    where
        F: FnOnce(PathBuf) -> Fut,
        Fut: std::future::Future<Output = std::io::Result<()>>,
    {
        let path = self.path(key);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(backend)?;
        }
        let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4()));
        let result = async {
            write(tmp.clone()).await?;
            tokio::fs::rename(&tmp, &path).await
        }
        .await;
        if let Err(err) = result {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(backend(err));
        }
        Ok(())
    }
}

#[async_trait]
impl ObjectStore for FsStore {
    fn kind(&self) -> &'static str {
        "fs"
    }

    async fn check(&self) -> Result<(), StorageError> {
        let meta = tokio::fs::metadata(&self.root).await.map_err(backend)?;
        if !meta.is_dir() || meta.permissions().readonly() {
            return Err(StorageError::Backend(
                "root is not a writable directory".into(),
            ));
        }
        Ok(())
    }

    async fn put(&self, key: &ObjectKey, data: Bytes) -> Result<(), StorageError> {
        self.write_atomically(key, |tmp| async move {
            let mut file = tokio::fs::File::create(&tmp).await?;
            file.write_all(&data).await?;
            file.sync_all().await
        })
        .await
    }

    async fn put_file(&self, key: &ObjectKey, source: &Path) -> Result<(), StorageError> {
        let source = source.to_path_buf();
        self.write_atomically(key, |tmp| async move {
            tokio::fs::copy(&source, &tmp).await?;
            tokio::fs::File::open(&tmp).await?.sync_all().await
        })
        .await
    }

    async fn get(&self, key: &ObjectKey) -> Result<Bytes, StorageError> {
        match tokio::fs::read(self.path(key)).await {
            Ok(data) => Ok(Bytes::from(data)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StorageError::NotFound),
            Err(e) => Err(backend(e)),
        }
    }

    async fn list(&self, prefix: &str) -> Result<Vec<Listed>, StorageError> {
        let root = self.root.clone();
        let prefix = prefix.to_string();
        tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            walk(&root, &root, &prefix, &mut out).map_err(backend)?;
            Ok(out)
        })
        .await
        .map_err(|e| StorageError::Backend(e.to_string()))?
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        match tokio::fs::remove_file(self.path(key)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(backend(e)),
        }
    }
}

/// Collects the objects under `dir` whose keys start with `prefix`; temporary files of
/// writes in progress are not objects.
fn walk(root: &Path, dir: &Path, prefix: &str, out: &mut Vec<Listed>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let meta = entry.metadata()?;
        if meta.is_dir() {
            walk(root, &path, prefix, out)?;
            continue;
        }
        let Some(rel) = path.strip_prefix(root).ok().and_then(|p| p.to_str()) else {
            continue;
        };
        if !rel.starts_with(prefix) {
            continue;
        }
        if let Ok(key) = ObjectKey::parse(rel) {
            if rel
                .rsplit('.')
                .next()
                .is_some_and(|ext| ext.starts_with("tmp-"))
            {
                continue;
            }
            out.push(Listed {
                key,
                modified: meta.modified().ok(),
            });
        }
    }
    Ok(())
}

//! S3 object store (aws-sdk-s3). Path-style addressing and checksums only "when
//! required" so S3-compatible servers (s3s-fs, MinIO, Ceph) behave like AWS.

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{
    BehaviorVersion, Credentials, Region, RequestChecksumCalculation, ResponseChecksumValidation,
};
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;

use super::{Listed, ObjectKey, ObjectStore, StorageError};
use crate::server::config::S3Config;

/// Stores objects in one bucket.
pub struct S3Store {
    client: Client,
    bucket: String,
}

fn backend(err: impl std::error::Error) -> StorageError {
    // The SDK's Display is terse ("service error"); the source chain has the reason.
    let mut msg = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    StorageError::Backend(msg)
}

impl S3Store {
    /// Builds a client from explicit settings (no ambient AWS configuration is read).
    pub fn new(config: &S3Config) -> Self {
        let credentials = Credentials::new(
            config.access_key_id.clone(),
            config.secret_access_key.expose().clone(),
            None,
            None,
            "ledgerlens-config",
        );
        let mut builder = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(config.region.clone()))
            .credentials_provider(credentials)
            .force_path_style(true)
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired);
        if let Some(endpoint) = &config.endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        Self {
            client: Client::from_conf(builder.build()),
            bucket: config.bucket.clone(),
        }
    }
}

#[async_trait]
impl ObjectStore for S3Store {
    fn kind(&self) -> &'static str {
        "s3"
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn put(&self, key: &ObjectKey, data: Bytes) -> Result<(), StorageError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .body(ByteStream::from(data))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn put_file(&self, key: &ObjectKey, path: &std::path::Path) -> Result<(), StorageError> {
        // Streams from the file with its known length (no aws-chunked encoding, which
        // S3-compatible servers handle unevenly).
        let body = ByteStream::from_path(path)
            .await
            .map_err(|e| StorageError::Backend(e.to_string()))?;
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .body(body)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<Listed>, StorageError> {
        let mut out = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(backend)?;
            for object in page.contents() {
                let Some(key) = object.key().and_then(|k| ObjectKey::parse(k).ok()) else {
                    continue;
                };
                let modified = object
                    .last_modified()
                    .and_then(|t| std::time::SystemTime::try_from(*t).ok());
                out.push(Listed { key, modified });
            }
        }
        Ok(out)
    }

    async fn get(&self, key: &ObjectKey) -> Result<Bytes, StorageError> {
        let out = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|s| s.is_no_such_key()) {
                    StorageError::NotFound
                } else {
                    backend(e)
                }
            })?;
        let data = out.body.collect().await.map_err(backend)?;
        Ok(data.into_bytes())
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StorageError> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key.as_str())
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }
}

//! Both object stores against real backends: the filesystem, and S3 through a real
//! S3-compatible server (s3s-fs, installed by `make test`) that checks signatures.

mod common;

use bytes::Bytes;
use common::s3::{s3_store, start_s3};
use ledgerlens::server::storage::{FsStore, ObjectKey, ObjectStore, StorageError};

async fn round_trip(store: &dyn ObjectStore) {
    store.check().await.expect("store is ready");
    // Listing an empty prefix first must not disturb later writes under it.
    assert!(store.list("org/").await.unwrap().is_empty());
    let key = ObjectKey::parse("org/a/property/b/period/2026-01/balance_sheet/c.pdf").unwrap();
    let data = Bytes::from_static(b"%PDF-1.7 not really a pdf");
    store.put(&key, data.clone()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), data);
    store
        .put(&key, Bytes::from_static(b"replaced"))
        .await
        .unwrap();
    assert_eq!(
        store.get(&key).await.unwrap(),
        Bytes::from_static(b"replaced")
    );
    // From a file, streamed: a 3 MiB object (several S3 chunks) arrives byte for byte.
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let big: Vec<u8> = (0..3 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    std::io::Write::write_all(&mut file, &big).unwrap();
    store.put_file(&key, file.path()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), Bytes::from(big));
    let listed = store.list("org/a/").await.unwrap();
    assert_eq!(
        listed.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(),
        [key.as_str()]
    );
    assert!(listed[0].modified.is_some());
    assert!(store.list("org/b/").await.unwrap().is_empty());
    store.delete(&key).await.unwrap();
    assert!(matches!(store.get(&key).await, Err(StorageError::NotFound)));
    store
        .delete(&key)
        .await
        .expect("deleting a missing object is fine");
}

#[tokio::test]
async fn fs_store_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsStore::new(dir.path().join("objects")).await.unwrap();
    round_trip(&store).await;
    // No temporary files left behind.
    let leftovers: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.contains("tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

#[tokio::test]
async fn s3_store_round_trip_against_s3s_fs() {
    let server = start_s3();
    let store = s3_store(&server, "ledgerlens-test", "test-secret");
    round_trip(&store).await;
    // The object really went through the server to its disk, and is gone again.
    assert!(server.root.path().join("ledgerlens-test").is_dir());
}

#[tokio::test]
async fn s3_check_fails_for_missing_bucket_and_bad_signature() {
    let server = start_s3();
    assert!(
        s3_store(&server, "no-such-bucket", "test-secret")
            .check()
            .await
            .is_err()
    );
    let forged = s3_store(&server, "ledgerlens-test", "wrong-secret");
    assert!(
        forged.check().await.is_err(),
        "s3s-fs must reject a bad signature"
    );
    let key = ObjectKey::parse("x/y.txt").unwrap();
    assert!(forged.put(&key, Bytes::from_static(b"nope")).await.is_err());
}

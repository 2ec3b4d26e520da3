//! Rebuild when a migration is added or changed: `sqlx::migrate!` and `#[sqlx::test]`
//! embed the migrations at compile time, and cargo does not watch that directory itself.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

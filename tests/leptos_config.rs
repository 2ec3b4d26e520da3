//! Cargo.toml's `[package.metadata.leptos]` (read by cargo-leptos) is the source of truth;
//! Leptos.toml (read by the server at run time) must agree with it key for key.

fn leptos_section(path: &str) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    doc["package"]["metadata"]["leptos"]
        .as_table()
        .cloned()
        .unwrap()
}

#[test]
fn leptos_toml_agrees_with_cargo_toml() {
    let cargo = leptos_section("Cargo.toml");
    let runtime = leptos_section("Leptos.toml");
    assert!(!runtime.is_empty());
    for (key, value) in &runtime {
        assert_eq!(
            cargo.get(key),
            Some(value),
            "Leptos.toml key {key:?} = {value} differs from Cargo.toml [package.metadata.leptos]"
        );
    }
    // The keys the server needs at run time are all in Leptos.toml.
    for key in [
        "output-name",
        "site-root",
        "site-pkg-dir",
        "site-addr",
        "reload-port",
    ] {
        assert!(runtime.contains_key(key), "Leptos.toml lacks {key}");
    }
}

#[test]
fn server_reads_the_runtime_copy() {
    let options = ledgerlens::server::startup::leptos_options().unwrap();
    assert_eq!(&*options.output_name, "ledgerlens");
    assert_eq!(&*options.site_pkg_dir, "pkg");
}

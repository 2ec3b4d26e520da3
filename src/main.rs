//! The `ledgerlens` binary: parses the command line and hands over to `server::cli`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    ledgerlens::server::cli::main().await
}

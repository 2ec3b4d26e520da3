//! Everything that only exists on the server (feature `ssr`): configuration, state,
//! router, HTTP middleware, database access, storage, Redis, services, jobs, CLI.

pub mod auth;
pub mod call;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod intake;
pub mod jobs;
pub mod mail;
pub mod redis;
pub mod rest;
pub mod services;
pub mod sessions;
pub mod spool;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod worker;

# Ledgerlens developer commands. `make dev` and `make test` do every set-up step they
# need (tools, npm packages, chromium, services, database roles) and are safe to re-run.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Build cache outside the clone: CI clones afresh but reuses compiled dependencies.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/ledgerlens/target
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# Builds never depend on a live schema: queries are checked against .sqlx/.
export SQLX_OFFLINE := true
# leptos_config reads this with option_env!, so cargo rebuilds leptos and everything above
# it whenever it differs between `cargo leptos build` (which sets it) and plain cargo.
export LEPTOS_OUTPUT_NAME := ledgerlens
# cargo-leptos builds debug artifacts with RUSTFLAGS="--cfg erase_components" (and appends
# it to any RUSTFLAGS it inherits). Plain cargo commands get exactly the same flags, so
# clippy, tests and `cargo leptos build` share one set of compiled crates instead of
# rebuilding the world whenever they alternate. Not exported: cargo-leptos adds its own.
CARGO := RUSTFLAGS="--cfg erase_components" cargo

BIN := $(CARGO_TARGET_DIR)/debug/ledgerlens
DEV_DB := ledgerlens
OWNER_URL := postgres://ledgerlens_owner@127.0.0.1:5432/$(DEV_DB)
# sqlx::test creates a database per test through this (superuser) connection, then the
# tests connect to it as the app role.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: help setup tools services db env dev build migrate seed serve test lint fmt \
        clippy unit e2e sqlx-prepare sqlx-check bench-queue bench-extract fuzz clean-cache

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

setup: tools services db env ## everything a fresh machine needs

tools:
	@scripts/setup-tools.sh

services:
	@scripts/services.sh

db: services
	@scripts/db-setup.sh $(DEV_DB)

env:
	@[ -f .env ] || { cp .env.example .env; echo "==> wrote .env from .env.example"; }

build: ## build server and wasm bundle (debug)
	cargo leptos build

migrate: build ## apply migrations to the dev database as the owner role
	$(BIN) admin migrate

seed: migrate ## demo organization and properties
	$(BIN) admin seed-demo

dev: setup seed ## set up everything, then serve with live rebuilds
	@echo ""
	@echo "==> Ledgerlens is starting on http://127.0.0.1:3000"
	@echo ""
	cargo leptos watch

serve: build ## serve the last build without watching
	$(BIN) serve

fmt:
	cargo fmt

lint: ## rustfmt check and clippy -D warnings for both feature sets
	cargo fmt --check
	$(CARGO) clippy --features ssr --all-targets -- -D warnings
	$(CARGO) clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

sqlx-check: db ## .sqlx/ matches the queries and the migrated schema
	sqlx migrate run --database-url $(OWNER_URL)
	DATABASE_URL=$(OWNER_URL) $(CARGO) sqlx prepare --check -- --features ssr --all-targets

sqlx-prepare: db ## regenerate .sqlx/ after changing a query
	sqlx migrate run --database-url $(OWNER_URL)
	DATABASE_URL=$(OWNER_URL) $(CARGO) sqlx prepare -- --features ssr --all-targets

unit: services ## unit and integration tests against the local Postgres, Redis, s3s-fs
	DATABASE_URL=$(TEST_DATABASE_URL) $(CARGO) test --features ssr

e2e: build services ## Playwright in Debian chromium against the built server
	sqlx migrate run --database-url $(OWNER_URL)
	$(BIN) admin seed-demo
	redis-cli -n 1 flushdb >/dev/null
	rm -rf end2end/.mail
	cd end2end && LEDGERLENS_BIN=$(BIN) npx playwright test

test: setup lint sqlx-check unit e2e ## the full suite, as CI runs it
	@echo "==> all checks passed"

bench-queue: services ## job-queue throughput against a bare SKIP LOCKED loop (docs/benchmarks.md)
	DATABASE_URL=$(TEST_DATABASE_URL) $(CARGO) test --features ssr --test bench_queue -- --nocapture

bench-extract: ## PDF libraries compared on the samples; extraction per page against pdftotext -layout (docs/extraction.md)
	DATABASE_URL=$(TEST_DATABASE_URL) $(CARGO) test --features ssr --test bench_extract -- --nocapture

fuzz: ## fuzz the CSV, XLSX and PDF extraction paths, 3 minutes each (docs/extraction.md)
	scripts/fuzz.sh 180

clean-cache: ## drop the build cache outside the clone
	rm -rf $(CARGO_TARGET_DIR)

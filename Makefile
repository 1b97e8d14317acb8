# Order Desk — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
NPM_CI := npm ci --no-audit --no-fund --loglevel=error

# Use cargo-nextest when present (one process per test, better output); else cargo test.
NEXTEST := $(shell $(CARGO) nextest --version >/dev/null 2>&1 && echo yes)
ifeq ($(NEXTEST),yes)
TEST_RUST := $(CARGO) nextest run --workspace --no-fail-fast
else
TEST_RUST := $(CARGO) test --workspace --no-fail-fast
endif

GRAPHIQL_STAMP := server/graphiql/dist/.built

.PHONY: run build test test-rust test-e2e test-security check fmt lint schema graphiql server-bin bench \
	bench-smoke \
	public-site test-public-site admin-spa test-admin-spa

## Start the server on the embedded SQLite default (http://127.0.0.1:8080).
run: graphiql public-site admin-spa
	$(CARGO) run --bin server -- serve

## Build the server (release) and every front-end asset.
build: graphiql public-site admin-spa
	$(CARGO) build --release --bin server

## Everything CI checks: formatting, lints, schema drift, all tests (SQLite + PostgreSQL),
## then the end-to-end suite (real server, headless Chromium, nginx).
test: check graphiql test-rust test-public-site test-admin-spa test-e2e bench-smoke

test-rust:
	$(TEST_RUST)

E2E_STAMP := e2e/node_modules/.installed

test-e2e: $(E2E_STAMP) graphiql server-bin public-site admin-spa
	cd e2e && npm test

## The security suite alone: the API's hostile-traffic cases, then against the real binary the
## graphql-http audits, hostile corpus, authorization matrix, faults, secrets in logs and soak
## (SQLite and PostgreSQL). `make test` runs all of it too.
test-security: $(E2E_STAMP) server-bin
	$(CARGO) test -p server --test api security::
	cd e2e && npm run --silent test:security

server-bin:
	$(CARGO) build --bin server

$(E2E_STAMP): e2e/package-lock.json
	cd e2e && $(NPM_CI)
	touch $@

check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Performance (README "Performance"): the release server under wrk beside a same-run baseline,
## on fresh PostgreSQL databases (1M orders, 1M visits / 10M points) and SQLite; writes
## bench/results/latest.{md,json}. About 10-15 minutes; needs wrk and PostgreSQL on 127.0.0.1.
bench: public-site admin-spa
	python3 bench/run.py

## The same harness at tiny scale on the debug build (part of `make test`, about a minute): fails
## when a response is an error, a point or order is lost, or a figure is missing. No timings.
bench-smoke: server-bin
	$(CARGO) build --bin server --bin baseline
	dir=$$(mktemp -d) && python3 bench/run.py --smoke --no-build --results-dir "$$dir"; \
	status=$$?; rm -rf "$$dir"; exit $$status

## Regenerate schema.graphql from the server's types.
schema:
	$(CARGO) run -q --bin server -- export-schema > schema.graphql

graphiql: $(GRAPHIQL_STAMP)

$(GRAPHIQL_STAMP): server/graphiql/package-lock.json server/graphiql/build.mjs server/graphiql/init.js
	cd server/graphiql && $(NPM_CI) && npm run --silent build
	touch $@

## The public page (public-site/dist, served at / in development).
PUBLIC_SITE_STAMP := public-site/node_modules/.installed

$(PUBLIC_SITE_STAMP): public-site/package-lock.json
	cd public-site && $(NPM_CI)
	touch $@

public-site: $(PUBLIC_SITE_STAMP)
	cd public-site && npm run --silent build

test-public-site: $(PUBLIC_SITE_STAMP)
	cd public-site && npm run --silent lint && npm test

## The admin SPA (admin-spa/dist, served at /admin/ in development).
ADMIN_SPA_STAMP := admin-spa/node_modules/.installed

$(ADMIN_SPA_STAMP): admin-spa/package-lock.json
	cd admin-spa && $(NPM_CI)
	touch $@

admin-spa: $(ADMIN_SPA_STAMP)
	cd admin-spa && npm run --silent build

test-admin-spa: $(ADMIN_SPA_STAMP)
	cd admin-spa && npm run --silent lint && npm test

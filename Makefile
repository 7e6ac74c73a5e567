# ERGO's tasks. Each target runs `ergo` or the Go toolchain; README.md lists the PowerShell
# equivalents for Windows. Parameters pass through as ERGO_* variables or ergo flags:
#   make run ROUTER_ADDR=127.0.0.1:4100 MODULES=lms,bi DEMO=false
# The router listens on 127.0.0.1:4000 by default; ROUTER_ADDR=:4000 opens it to the network.
# MODULES names the modules to run beside the core ones (identity, org, registry), which always run.
#   make test PKG=./platform/...   RUN=TestMigrate
#   make fuzz FUZZ=FuzzParse PKG=./platform/modules FUZZTIME=1m

SHELL := /bin/bash
ERGO  := go run ./cmd/ergo
SQLC  := GOWORK=off go -C tools tool sqlc -f ../sqlc.yaml
LINT  := $(CURDIR)/.ergo/bin/golangci-lint

# Every Go module of the workspace, as package patterns (./platform/... ./router/... ...).
GO_MODULES := $(shell sed -n 's|^[[:space:]]*\./\([^[:space:]]*\).*|\1|p' go.work)
PKG        ?= $(foreach m,$(GO_MODULES),./$(m)/...)
RUN        ?=
FUZZTIME   ?= 30s
# Subgraph modules with a gqlgen.yml, in dependency-free order.
GQLGEN_MODULES := $(patsubst %/gqlgen.yml,%,$(wildcard subgraphs/*/gqlgen.yml))

RUN_FLAGS := $(if $(ROUTER_ADDR),-router-addr=$(ROUTER_ADDR)) $(if $(MODULES),-modules=$(MODULES)) \
             $(if $(DEMO),-demo=$(DEMO))

.PHONY: run test test-go check-generated check-compose check-core check-windows bench generate compose migrate \
        lint fuzz db-start db-stop playground npm-deps help module

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

# run builds ergo and runs the binary rather than `go run`, which reports Ctrl-C as a failure
# even when ergo stopped everything cleanly.
run: ## Run the platform locally: database, modules, router at http://localhost:4000 (127.0.0.1 only)
	@go build -o .ergo/bin/ergo ./cmd/ergo
	.ergo/bin/ergo run $(RUN_FLAGS)

test: npm-deps test-go check-compose check-core check-generated check-windows lint ## Every test and check (CI runs this); leaves the local PostgreSQL up (make db-stop)
	@echo "make test: all checks passed"

test-go: ## Go tests of every module, with real PostgreSQL (PKG=, RUN= to narrow)
	go vet $(PKG)
	ERGO_TEST_STRICT=1 go test -count=1 $(if $(RUN),-run '$(RUN)') $(PKG)

check-compose: ## Fail when the committed supergraph is stale or composition fails
	@if [ -f supergraph/supergraph.graphql ]; then $(ERGO) compose --check; \
	 else echo "check-compose: no supergraph yet"; fi

check-core: ## Fail when a core file changed without `ergo core lock`
	$(ERGO) core check

check-generated: generate ## Fail when generated code differs from what is committed
	@git diff --exit-code --stat -- subgraphs supergraph router/playground/dist || \
	  { echo "Generated files are stale: run 'make generate' and commit the result."; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- subgraphs); \
	  if [ -n "$$untracked" ]; then echo "Generated files not committed:"; echo "$$untracked"; exit 1; fi

check-windows: ## Cross-compile every binary for Windows
	@for dir in cmd/ergo router $(wildcard subgraphs/*); do \
	  [ -f $$dir/go.mod ] || continue; \
	  (cd $$dir && GOOS=windows GOARCH=amd64 go build -o /dev/null ./...) || exit 1; \
	done; echo "check-windows: every binary builds for windows/amd64"

generate: ## Regenerate sqlc queries and gqlgen code
	@if [ -f sqlc.yaml ]; then echo "sqlc generate"; $(SQLC) generate; fi
	@for dir in $(GQLGEN_MODULES); do echo "gqlgen generate ($$dir)"; \
	  (cd $$dir && go tool gqlgen generate) || exit 1; done

module: ## Create a module or an app: make module NAME=notes [DEPENDS=identity] [INTERACTS=lms]
	$(ERGO) module new $(NAME) $(if $(DEPENDS),--depends $(DEPENDS)) $(if $(INTERACTS),--interacts $(INTERACTS))

compose: ## Compose the enabled modules into supergraph/supergraph.graphql
	$(ERGO) compose

migrate: ## Apply the enabled modules' migrations (MODULES= to narrow; core modules always migrate)
	$(if $(MODULES),ERGO_MODULES=$(MODULES)) $(ERGO) migrate

db-start: ## Start the local PostgreSQL cluster and print its URL
	$(ERGO) db start

db-stop: ## Stop the local PostgreSQL cluster
	$(ERGO) db stop

lint: $(LINT) ## golangci-lint over every module
	@for m in $(GO_MODULES); do echo "lint $$m"; \
	  (cd $$m && $(LINT) run --config $(CURDIR)/.golangci.yml ./...) || exit 1; done

# The linter is built from the version pinned in tools/go.mod.
$(LINT): tools/go.mod
	GOWORK=off go -C tools build -o $(LINT) github.com/golangci/golangci-lint/v2/cmd/golangci-lint

fuzz: ## Run one fuzz target: make fuzz FUZZ=FuzzParse PKG=./platform/modules FUZZTIME=1m
	go test -run '^$$' -fuzz '^$(FUZZ)$$' -fuzztime $(FUZZTIME) $(PKG)

npm-deps: ## Install the pinned npm packages tests use (composition cross-check, playground)
	@for dir in supergraph/crosscheck router/playground; do \
	  [ -f $$dir/package-lock.json ] || continue; \
	  [ -d $$dir/node_modules ] && [ $$dir/node_modules -nt $$dir/package-lock.json ] && continue; \
	  echo "npm ci ($$dir)"; (cd $$dir && npm ci --no-audit --no-fund --loglevel=error) || exit 1; \
	done

bench: ## Router benchmarks: Go benchmarks, then ERGO against its peers under load (BENCH_FLAGS=)
	go test -run '^$$' -bench . -benchmem ./bench/...
	cd bench/peers && npm ci --no-audit --no-fund --loglevel=error
	go run ./bench/cmd/load $(BENCH_FLAGS)

playground: ## Rebuild the GraphiQL bundle embedded in the router
	cd router/playground && npm ci --no-audit --no-fund && npm run build

# The two commands a newcomer types: `make demo` and `make test`.
# Each installs what is missing first (libgit2-dev, pkg-config), then builds.

SWIFT ?= swift
RELEASE_FLAGS = -c release --static-swift-stdlib -Xlinker -no-pie

.PHONY: lint format all deps build release demo test bench bench-quick bench-dlopen soak fuzz templates clean

all: build

deps:
	@scripts/install-deps.sh

# zero-serve (`zero serve`, the HTTP server) and zero-mcp (`zero mcp`) are binaries of
# their own beside zero: their libraries stay out of the binary the git hooks start.
build: deps
	$(SWIFT) build --product zero
	$(SWIFT) build --product zero-serve
	$(SWIFT) build --product zero-mcp

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product zero
	$(SWIFT) build $(RELEASE_FLAGS) --product zero-serve
	$(SWIFT) build $(RELEASE_FLAGS) --product zero-mcp

demo: build
	@scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/zero"

# --test adds the workflow linters (zizmor, check-jsonschema) in .build/tools/venv.
test: lint
	@scripts/install-deps.sh --test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The formatter's rules, from .swift-format; 'make format' applies them.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Fuzz Package.swift

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Fuzz Package.swift

# 1 000 mutating commands killed at random instants (test: 40), and 8 processes × 100 edits of one case
# (test: 2 × 25). Prints what each kill left.
soak: deps
	$(SWIFT) build --build-tests
	ZERO_SOAK_TRIALS=$${ZERO_SOAK_TRIALS:-1000} ZERO_SOAK_SUMMARY=.build/soak.json ZERO_SOAK_PROCESSES=8 ZERO_SOAK_EDITS=100 \
		$(SWIFT) test --skip-build --filter 'KillTests|concurrentEdits' 
	@cat .build/soak.json; echo

# libFuzzer on every reader for FUZZ_SECONDS each (default 60); make test runs a short seeded version.
fuzz: deps
	@scripts/fuzz.sh

bench:
	@scripts/install-deps.sh --bench
	python3 scripts/bench.py

bench-quick:
	@scripts/install-deps.sh --bench
	python3 scripts/bench.py --quick

# Start-up with libgit2 loaded by dlopen against the same binary linked to it.
bench-dlopen:
	@scripts/install-deps.sh --bench
	@scripts/bench-dlopen.sh

templates:
	python3 scripts/embed-templates.py

clean:
	rm -rf .build

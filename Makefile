# Information Alchemist — every target a newcomer needs. `make run` and `make test` install what they need.
SHELL := /bin/bash
GO ?= go
BIN := bin/alchemist
DEBIAN_PACKAGES := gcc g++ libc6-dev pkg-config libgl-dev libegl-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth libgl1-mesa-dri libglx-mesa0 libegl-mesa0 xdotool
# Fuzz targets get a short run in `make test`: a fixed number of executions, because a time budget can
# end while a worker is mid-input and fail with "context deadline exceeded" on a busy machine. Raise it
# (or give a duration, e.g. FUZZTIME=5m) for a real fuzzing session.
FUZZTIME ?= 50000x
RUN_ARGS ?= --demo 5000

.PHONY: all deps build run test test-unit test-fuzz bench lint fmt clean

all: build

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root (or install: $$missing)" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@command -v $(GO) >/dev/null || { echo "make deps: Go 1.26 is required (https://go.dev/dl)" >&2; exit 1; }

build: deps
	$(GO) build -o $(BIN) ./cmd/alchemist

# Starts the GUI on the embedded NATS server with a demo graph. Without a display, use
# `xvfb-run -a make run RUN_ARGS="--demo 5000 --screenshot out.png --frames 30"`.
run: build
	./$(BIN) run $(RUN_ARGS)

test: deps
	$(GO) vet ./...
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$bad" ]; then echo "gofmt needed: $$bad" >&2; exit 1; fi
	xvfb-run -a -s "-screen 0 1280x1024x24" $(GO) test -count=1 -timeout 25m ./...
	$(MAKE) --no-print-directory test-fuzz

test-fuzz:
	@./test/fuzz.sh $(FUZZTIME)

bench: deps
	xvfb-run -a -s "-screen 0 1280x1024x24" $(GO) test -run '^$$' -bench . -benchmem -benchtime 3x -timeout 60m ./... | tee bench.out

lint:
	@bad=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$bad" ]; then echo "gofmt needed: $$bad" >&2; exit 1; fi
	$(GO) vet ./...
	$(GO) test -count=1 -run TestImportRules ./test/...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin bench.out

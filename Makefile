SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= config/outcomed.yaml
DEBUG_BIN = .build/debug

.PHONY: setup build release test run examples clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

test: setup
	$(SWIFT) build
	$(SWIFT) test

run: build
	@scripts/run-local

examples: build
	$(DEBUG_BIN)/outcomed check --config $(CONFIG)
	$(DEBUG_BIN)/outcomed test config/rules-test.yaml
	@for event in config/examples/events/*.json; do \
		echo "== $$event"; \
		$(DEBUG_BIN)/outcomed explain "$$event" --config $(CONFIG) || exit $$?; \
	done

clean:
	rm -rf .build var

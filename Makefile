SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
UNITDIR ?= /etc/systemd/system
CONFDIR ?= /etc/outcomed
BUILD_DIR ?= .build/release
# The Swift runtime and Foundation are linked in, so the binary runs where only Debian's libraries are.
RELEASE_FLAGS ?= -c release --static-swift-stdlib --disable-local-rpath
CONFIG ?= config/outcomed.yaml
DEBUG_BIN = .build/debug

.PHONY: setup build release test run examples check-unit install install-files uninstall bench clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build $(RELEASE_FLAGS) --product outcomed

test: setup
	$(SWIFT) build
	$(SWIFT) test
	@scripts/check-unit $(DEBUG_BIN)

run: build
	@scripts/run-local

examples: build
	$(DEBUG_BIN)/outcomed check --config $(CONFIG)
	$(DEBUG_BIN)/outcomed test config/rules-test.yaml
	@for event in config/examples/events/*.json; do \
		echo "== $$event"; \
		$(DEBUG_BIN)/outcomed explain "$$event" --config $(CONFIG) || exit $$?; \
	done

bench: setup
	@scripts/setup bench
	$(SWIFT) build -c release
	@scripts/bench

check-unit: build
	@scripts/check-unit $(DEBUG_BIN)

install: release install-files

# Copies what is built; never overwrites an existing config.
install-files:
	install -D -m 0755 $(BUILD_DIR)/outcomed $(DESTDIR)$(PREFIX)/bin/outcomed
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed 's|/usr/local|$(PREFIX)|g' systemd/outcomed.service > $(DESTDIR)$(UNITDIR)/outcomed.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/outcomed.service
	install -d -m 0755 $(DESTDIR)$(CONFDIR)
	install -d -m 0700 $(DESTDIR)$(CONFDIR)/credentials
	@if [ -e $(DESTDIR)$(CONFDIR)/outcomed.yaml ]; then \
		echo "keeping the existing $(DESTDIR)$(CONFDIR)/outcomed.yaml"; \
	else \
		install -m 0644 config/outcomed.yaml $(DESTDIR)$(CONFDIR)/outcomed.yaml; \
	fi
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/outcomed/README.md
	install -D -m 0644 config/prometheus-alerts.yaml $(DESTDIR)$(PREFIX)/share/doc/outcomed/prometheus-alerts.yaml

# Removes what install added, but not the config, the credentials or the state.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/outcomed $(DESTDIR)$(UNITDIR)/outcomed.service
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/outcomed

clean:
	rm -rf .build var

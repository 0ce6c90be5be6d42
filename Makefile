SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
UNITDIR ?= /etc/systemd/system
CONFDIR ?= /etc/outcomed
BUILD_DIR ?= .build/release
# The Swift runtime and Foundation are linked in, so the binary runs where only Debian's libraries are.
RELEASE_FLAGS ?= -c release --static-swift-stdlib --disable-local-rpath
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# Where swift-argument-parser's generate-manual plugin writes; dated by the last commit, not the clock.
MAN_PAGE = .build/plugins/GenerateManual/outputs/outcomed/outcomed.1
MAN_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null || date +%F)
GENERATE_MANUAL = $(SWIFT) package plugin generate-manual --configuration debug --date $(MAN_DATE) >/dev/null
DEB_DIR = .build/deb
CONFIG ?= config/outcomed.yaml
DEBUG_BIN = .build/debug
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 30

.PHONY: setup build release man deb test fuzz run run-cluster examples check-unit install install-files uninstall bench clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build $(RELEASE_FLAGS) --product outcomed

# The man page comes from the argument parser itself; the debug build describes the same commands.
man: build
	$(GENERATE_MANUAL)

# A Debian package of the release build, then the checks an administrator would make (root: chroot).
deb: release man
	@scripts/setup deb
	@deb=$$(scripts/build-deb $(BUILD_DIR)/outcomed $(MAN_PAGE) $(DEB_DIR)) && scripts/check-deb "$$deb"

test: setup
	$(SWIFT) build
	@scripts/with-postgres $(SWIFT) test
	$(GENERATE_MANUAL)
	@FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) scripts/fuzz
	@scripts/check-unit $(DEBUG_BIN)

# Runs each libFuzzer target for FUZZ_SECONDS (both at once); see "Fuzzing" in the README.
fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz

run: build
	@scripts/run-local

# Two instances on a throwaway PostgreSQL (SPEC §10), to watch one die and the other carry on.
run-cluster: build
	@scripts/run-cluster

examples: build
	$(DEBUG_BIN)/outcomed check --config $(CONFIG)
	$(DEBUG_BIN)/outcomed test config/rules-test.yaml --min-coverage 100
	@for event in config/examples/events/*.json; do \
		echo "== $$event"; \
		$(DEBUG_BIN)/outcomed explain "$$event" --config $(CONFIG) || exit $$?; \
	done

# The same flags as release: bench measures the binary that ships, and switching
# --static-swift-stdlib on or off rebuilds every package (8 minutes here).
bench: setup
	@scripts/setup bench
	$(SWIFT) build $(RELEASE_FLAGS)
	@scripts/bench

check-unit: man
	@scripts/check-unit $(DEBUG_BIN)

install: release man install-files

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
	install -D -m 0644 config/prometheus-alerts.yaml $(DESTDIR)$(PREFIX)/share/outcomed/prometheus-alerts.yaml
	@if [ -f config/grafana-dashboard.json ]; then \
		install -m 0644 config/grafana-dashboard.json $(DESTDIR)$(PREFIX)/share/outcomed/grafana-dashboard.json; \
	fi
	install -D -m 0644 $(MAN_PAGE) $(DESTDIR)$(MANDIR)/man1/outcomed.1
	install -d -m 0755 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(BUILD_DIR)/outcomed --generate-completion-script bash > $(DESTDIR)$(BASHCOMPDIR)/outcomed
	$(BUILD_DIR)/outcomed --generate-completion-script zsh > $(DESTDIR)$(ZSHCOMPDIR)/_outcomed
	$(BUILD_DIR)/outcomed --generate-completion-script fish > $(DESTDIR)$(FISHCOMPDIR)/outcomed.fish

# Removes what install added, but not the config, the credentials or the state.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/outcomed $(DESTDIR)$(UNITDIR)/outcomed.service
	rm -rf $(DESTDIR)$(PREFIX)/share/doc/outcomed $(DESTDIR)$(PREFIX)/share/outcomed
	rm -f $(DESTDIR)$(MANDIR)/man1/outcomed.1 $(DESTDIR)$(BASHCOMPDIR)/outcomed \
		$(DESTDIR)$(ZSHCOMPDIR)/_outcomed $(DESTDIR)$(FISHCOMPDIR)/outcomed.fish

clean:
	rm -rf .build .build-fuzz var

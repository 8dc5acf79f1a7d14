# quarry: see README.md. `make`, `make run`, `make test`.
PREFIX   ?= /usr/local
CC       ?= cc
# Linked: PKGS. OpenBLAS and libpq are only compiled against (their headers) and
# loaded with dlopen on first use (src/base/blas_dl.h, src/remote/pq_dl.h): a
# start that needs neither pays for neither (issue 16). deps still installs them.
PKGS     := sqlite3 readline ncursesw zlib
DEB_PKGS := build-essential pkg-config libncurses-dev libreadline-dev libsqlite3-dev \
            libopenblas-dev zlib1g-dev gnuplot-nox tmux sqlite3 man-db clang libclang-rt-14-dev \
            postgresql-15 libpq-dev
# Debian packages the benchmarks need (make bench), never make test.
BENCH_PKGS := hyperfine python3-pandas python3-numpy python3-matplotlib time gnuplot-nox

VERSION  := 0.1.0
WARN     := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DQUARRY_VERSION='"$(VERSION)"'
PKG_CFLAGS := $(shell pkg-config --cflags sqlite3 openblas zlib libpq 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lreadline -lncursesw -lz)
OPT      ?= -O2 -g
# Layers the compiler enforces (docs/STYLE.md section 1): the engine sees only its
# own headers, commands/ sees src/ and its own, ui/ and the tests see all
# three. tests/sh/layers.sh checks that these lines say so.
INC_src      := -Isrc
INC_commands := -Isrc -Icommands
INC_ui       := -Isrc -Icommands -Iui
INC_tests    := -Isrc -Icommands -Iui
INC_bench    := -Isrc
layer     = $(INC_$(firstword $(subst /, ,$<)))
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(PKG_CFLAGS) $(layer) $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm -lpthread $(LDLIBS)

ENGINE   := $(sort $(wildcard src/*/*.c))
CMDS     := $(sort $(wildcard commands/*.c))
UI       := $(sort $(wildcard ui/*.c))
UNITS    := $(sort $(wildcard tests/unit/test_*.c))

B        := build/rel
A        := build/asan
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

all: quarry

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(A)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC asan $<"
	@$(CC) $(CFLAGS_ALL) $(SAN) -O1 -MMD -MP -c $< -o $@

# The parts of ui/ that know nothing of curses or readline, for unit tests.
UI_PURE  := ui/pane.c ui/render.c
LIBOBJ_B := $(ENGINE:%.c=$(B)/%.o) $(CMDS:%.c=$(B)/%.o)
LIBOBJ_A := $(ENGINE:%.c=$(A)/%.o) $(CMDS:%.c=$(A)/%.o)

quarry: $(LIBOBJ_B) $(UI:%.c=$(B)/%.o)
	@echo "  LD      $@"
	@$(CC) $(OPT) -o $@ $^ $(LDLIBS_ALL)

$(A)/quarry: $(LIBOBJ_A) $(UI:%.c=$(A)/%.o)
	@echo "  LD asan $@"
	@$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

$(A)/tests/unit/%: $(A)/tests/unit/%.o $(LIBOBJ_A) $(UI_PURE:%.c=$(A)/%.o)
	@echo "  LD asan $@"
	@$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

# ThreadSanitizer over the unit tests of the threaded code (not part of
# make test: a second full build). gcc's function multiversioning is off
# under TSan (its resolvers run before TSan is ready).
T        := build/tsan
TSAN     := -fsanitize=thread -fno-omit-frame-pointer
TSAN_UNITS := test_load_pipe test_load test_load_hostile test_frame test_kmeans_pass test_cluster \
              test_forest test_itemcf test_nn_fast test_fcrun_threads \
              test_blas_dl test_prep
LIBOBJ_T := $(ENGINE:%.c=$(T)/%.o) $(CMDS:%.c=$(T)/%.o)

$(T)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC tsan $<"
	@$(CC) $(CFLAGS_ALL) $(TSAN) -O1 -MMD -MP -c $< -o $@

$(T)/tests/unit/%: $(T)/tests/unit/%.o $(LIBOBJ_T) $(UI_PURE:%.c=$(T)/%.o)
	@echo "  LD tsan $@"
	@$(CC) $(TSAN) -o $@ $^ $(LDLIBS_ALL)

tsan: $(TSAN_UNITS:%=$(T)/tests/unit/%)
	@for t in $(TSAN_UNITS); do \
	    TSAN_OPTIONS=halt_on_error=1 $(T)/tests/unit/$$t > $(T)/$$t.log 2>&1 || \
	        { tail -40 $(T)/$$t.log; echo "tsan: $$t failed"; exit 1; }; \
	    tail -1 $(T)/$$t.log; \
	done

.SECONDARY:

-include $(shell find build -name '*.d' 2>/dev/null)

# --- Debian packages -------------------------------------------------------
missing = $(shell for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
            | grep -q 'ok installed' || echo $$p; done)

deps:
	@miss="$(call missing,$(DEB_PKGS))"; \
	if [ -z "$$miss" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing $$miss"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$miss; \
	else \
	    echo "deps: missing Debian packages; run:"; \
	    echo "    sudo apt-get update && sudo apt-get install -y $$miss"; exit 1; \
	fi

bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(BENCH_PKGS)"

# --- the README's two commands ----------------------------------------------
# Their builds use every processor unless make was given -j itself.
NPROC := $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
PAR    = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))
run: deps
	@$(MAKE) --no-print-directory $(PAR) quarry
	./quarry --init sample-data/load.qry

# The release binary too: cancel, budget and oom time it, and tests run side
# by side must not each build (and relink under the others) their own.
test: deps
	@$(MAKE) --no-print-directory $(PAR) quarry $(A)/quarry $(UNITS:%.c=$(A)/%)
	@$(MAKE) --no-print-directory $(PAR) fuzz-build
	@sh tests/run.sh $(A)/quarry

check: test

# The whole suite with ordinary tables only (issue 18: load and the commands
# make column tables by default; docs/COLUMNS.md). tests/sh/rows_kind.sh
# runs a part of it so in make test.
test-rows:
	@QUARRY_COLUMNS=off $(MAKE) --no-print-directory test

# --- the rest ---------------------------------------------------------------
sample-data/gen: sample-data/gen.c
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -o $@ $< -lm

sample-data: sample-data/gen
	./sample-data/gen sample-data

bench: quarry bench-deps
	sh bench/run.sh

# --- fuzzing (libFuzzer, clang) ----------------------------------------------
# Every tests/fuzz/fuzz_*.c is a target, built with its seeds in
# tests/fuzz/corpus/NAME. The engine and commands are compiled once with
# coverage, ASan and UBSan (build/fuzz/obj), then linked into each target.
# make test replays every corpus and fuzzes each target FUZZ_TEST_SECONDS
# (tests/run.sh); make fuzz runs each FUZZ_SECONDS (default 60), keeping
# what it learns in build/fuzz/corpus-NAME. Without clang and its libFuzzer
# runtime (the Debian packages clang and libclang-rt-14-dev), make test says
# so and skips the fuzz targets.
FUZZ      := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FZ        := build/fuzz
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
CLANG     ?= clang
FUZZ_CC   := $(CLANG) $(CSTD) -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -g -O1 $(FUZZ_SAN) $(PKG_CFLAGS)
FUZZ_BINS := $(FUZZ:tests/fuzz/%.c=$(FZ)/%)
LIBOBJ_F  := $(ENGINE:%.c=$(FZ)/obj/%.o) $(CMDS:%.c=$(FZ)/obj/%.o)

$(FZ)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC fuzz $<"
	@$(FUZZ_CC) -fsanitize=fuzzer-no-link $(layer) -MMD -MP -c $< -o $@

$(FUZZ_BINS): $(FZ)/%: tests/fuzz/%.c $(FZ)/obj/tests/fuzz/kit.o $(LIBOBJ_F)
	@echo "  LD fuzz $@"
	@$(FUZZ_CC) -fsanitize=fuzzer $(INC_tests) -MMD -MP -MF $@.d -MT $@ $(filter %.c %.o,$^) -o $@ $(LDLIBS_ALL)

# Build the targets if clang can link a libFuzzer program here, else say so.
fuzz-build:
	@mkdir -p $(FZ); printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) %s\n' \
	    '{ return 0; }' > $(FZ)/probe.c; \
	if $(CLANG) -fsanitize=fuzzer $(FZ)/probe.c -o $(FZ)/probe >$(FZ)/probe.log 2>&1; then \
	    $(MAKE) --no-print-directory $(FUZZ_BINS); \
	else echo "fuzz: SKIPPED: $(CLANG) cannot link a libFuzzer program here" \
	    "(sudo apt-get install -y clang libclang-rt-14-dev)"; rm -f $(FUZZ_BINS); fi

fuzz: $(FUZZ_BINS)
	@for f in $^; do n=$${f##*/}; mkdir -p $(FZ)/corpus-$$n $(FZ)/artifacts-$$n; \
	    echo "fuzz: $$n for $${FUZZ_SECONDS:-60} s"; \
	    $$f -max_total_time=$${FUZZ_SECONDS:-60} -timeout=20 -print_final_stats=1 \
	        -artifact_prefix=$(CURDIR)/$(FZ)/artifacts-$$n/ \
	        $(FZ)/corpus-$$n tests/fuzz/corpus/$$n || exit 1; done

install: quarry
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 quarry $(DESTDIR)$(PREFIX)/bin/quarry
	install -m 644 man/quarry.1 $(DESTDIR)$(PREFIX)/share/man/man1/quarry.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/quarry $(DESTDIR)$(PREFIX)/share/man/man1/quarry.1

clean:
	rm -rf build quarry sample-data/gen

.PHONY: tsan all deps bench-deps run test check test-rows sample-data bench fuzz fuzz-build install uninstall clean

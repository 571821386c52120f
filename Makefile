# ipcx — build, install, run and check.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR ?=

CC ?= cc
PKGS := libproc2 smartcols ncursesw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libproc2 is opened by lib/proc.c when a process name is first needed
# (dlopen); --as-needed keeps a library out of the program until code
# calls it directly.
PKG_LIBS := -Wl,--as-needed $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN := -Wall -Wextra $(if $(WERROR),-Werror)
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS)
LDLIBS := $(PKG_LIBS)

SRCS := $(wildcard cmd/*.c lib/*.c lib/kinds/*.c lib/check/*.c lib/tui/*.c)
OBJS := $(SRCS:%.c=build/%.o)
SAN_OBJS := $(SRCS:%.c=build-san/%.o)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
HELPERS := $(patsubst tests/helpers/%.c,build/helpers/%,$(wildcard tests/helpers/*.c))
UNITS := $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/*.c))
MANPAGES := $(wildcard man/*.1)

# The BPF process iterators (lib/bpf/), compiled by clang and wrapped by
# bpftool into a light skeleton: a header that loads them with bare
# bpf(2) calls, with no libbpf at run time and no parsing of the
# kernel's BTF in the program (the kernel relocates the fields itself).
# x86-64 only: the blocked call is read from x86-64 registers.
# Each iterator is built into a skeleton of its own, from the one source,
# so that the three load side by side.
ifeq ($(shell uname -m),x86_64)
BPF_ITERS := task file vma
BPF_SKEL := $(BPF_ITERS:%=build/bpf/ps_%.lskel.h)
# kept between builds, though only the skeletons are asked for
.SECONDARY: $(BPF_ITERS:%=build/bpf/ps_%.bpf.o)
build/lib/pscan_bpf.o build-san/lib/pscan_bpf.o: $(BPF_SKEL)
build/lib/pscan_bpf.o build-san/lib/pscan_bpf.o: ALL_CFLAGS += -DIPCX_BPF -Ibuild/bpf
endif

PS_ITER_task := 1
PS_ITER_file := 2
PS_ITER_vma := 4
build/bpf/ps_%.bpf.o: lib/bpf/pscan.bpf.c $(wildcard lib/bpf/*.h)
	@mkdir -p $(dir $@)
	clang -O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86 -DPS_ITERS=$(PS_ITER_$*) -Ilib/bpf -c -o $@ $<

build/bpf/ps_%.lskel.h: build/bpf/ps_%.bpf.o
	bpftool gen skeleton -L $< name ps_$*_bpf > $@.tmp && mv $@.tmp $@

.PHONY: all deps run check test unit san helpers install uninstall clean

all: ipcx

ipcx: $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LDFLAGS) $(LDLIBS)

build/%.o: %.c $(wildcard lib/*.h lib/bpf/*.h lib/kinds/*.h lib/check/*.h lib/tui/*.h cmd/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The same program built with AddressSanitizer and UBSan, for the second test pass.
ipcx-san: $(SAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $(SAN_OBJS) $(LDFLAGS) $(LDLIBS)

build-san/%.o: %.c $(wildcard lib/*.h lib/bpf/*.h lib/kinds/*.h lib/check/*.h lib/tui/*.h cmd/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

build/helpers/%: tests/helpers/%.c $(wildcard tests/helpers/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lrt -lpthread

# A unit test links the sanitized objects of lib/ (not cmd/, which has main),
# so it must depend on those objects, not on the plain ones.
UNIT_OBJS := $(filter-out build-san/cmd/%,$(SAN_OBJS))
build/unit/%: tests/unit/%.c tests/unit/tap.h $(wildcard lib/*.h) $(UNIT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Ilib -o $@ $< $(UNIT_OBJS) $(LDFLAGS) $(LDLIBS)

helpers: $(HELPERS)
san: ipcx-san
unit: $(UNITS)

deps:
	@sh tools/deps.sh

run: deps
	@$(MAKE) --no-print-directory ipcx
	./ipcx ls

# Every test: C unit tests, then the bats suites with the plain and the
# sanitized build, inside private IPC and mount namespaces.
check: deps
	@$(MAKE) --no-print-directory ipcx ipcx-san helpers unit
	@sh tests/run.sh

test: check

install: ipcx
	install -Dm755 ipcx $(DESTDIR)$(BINDIR)/ipcx
	for m in $(MANPAGES); do install -Dm644 $$m $(DESTDIR)$(MANDIR)/man1/$$(basename $$m); done
	install -Dm644 completions/ipcx.bash $(DESTDIR)$(BASHCOMPDIR)/ipcx
	install -Dm644 completions/_ipcx $(DESTDIR)$(ZSHCOMPDIR)/_ipcx
	install -Dm644 completions/ipcx.fish $(DESTDIR)$(FISHCOMPDIR)/ipcx.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipcx
	for m in $(MANPAGES); do rm -f $(DESTDIR)$(MANDIR)/man1/$$(basename $$m); done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ipcx $(DESTDIR)$(ZSHCOMPDIR)/_ipcx $(DESTDIR)$(FISHCOMPDIR)/ipcx.fish

clean:
	rm -rf build build-san ipcx ipcx-san

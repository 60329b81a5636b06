# minilinux - one static C /init, a tiny kernel, one bootable image.
# `make help` lists targets and variables.

ARCH        ?= amd64
PORT        ?= 8080
ACCEL       ?= auto
MEM         ?= 128M
# Per architecture: the serial console and the kernel image file.
# amd64 shows the console on the screen too (tty0: the UEFI framebuffer or
# VGA text); the serial port, named last, stays /dev/console.
ifeq ($(ARCH),amd64)
CONSOLE := ttyS0
SCREEN  := console=tty0
KIMAGE  := bzImage
else ifeq ($(ARCH),arm64)
CONSOLE := ttyAMA0
SCREEN  :=
KIMAGE  := vmlinuz.efi
else
$(error ARCH=$(ARCH) is not supported; use ARCH=amd64 or ARCH=arm64)
endif
# panic=1: a kernel panic reboots, so that the loader falls back to the
# previous slot after a failed trial (docs/update.md).
CMDLINE     ?= $(if $(SCREEN),$(SCREEN) )console=$(CONSOLE) quiet panic=1
# The image's version: console, admin API, update bundles.
VERSION     ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)
# The largest UKI an A/B slot takes (bytes): the ESP holds two and the
# loader; a bigger bundle is refused (docs/update.md).
SLOT_SIZE   ?= 2883584
# Legacy BIOS boot of the disk image as well as UEFI (GRUB in the ESP's
# reserved sectors; docs/update.md): amd64 only.
BIOS        ?= $(if $(filter amd64,$(ARCH)),yes,no)
# The HTTPS admin API (docs/admin.md): ADMIN=no leaves it out of /init.
ADMIN       ?= yes
ADMIN_PORT  ?= 9443
# The keys directory (git-ignored, made on the first build; docs/keys.md).
KEYS        ?= keys
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
# The update bundle's epoch (docs/update.md): an appliance takes no bundle
# older than the version it runs. Set it later than the running version's
# to install an older source on purpose.
UPDATE_EPOCH ?= $(SOURCE_DATE_EPOCH)

OUT   ?= out
BUILD := build
AOUT  := $(OUT)/$(ARCH)

WARN   := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wformat=2 -Wwrite-strings -Wno-format-nonliteral
ifdef CI
WARN   += -Werror
endif
DEFS   := -D_GNU_SOURCE
INIT_CC     ?= musl-gcc
INIT_CFLAGS ?= -Oz -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
               -fno-unwind-tables -fno-stack-protector -static
# One R+X and one RW segment, no padding between them, no build id.
INIT_LDFLAGS ?= -Wl,--gc-sections -static -s -Wl,-z,noseparate-code -Wl,--build-id=none

# musl-gcc hides /usr/include; the kernel's UAPI headers (linux-libc-dev)
# are made visible through a directory of links to them alone. These
# include paths are always added, whatever INIT_CFLAGS says.
KINC := $(BUILD)/kinc
INIT_INCS = -Iinit -isystem $(KINC)
# BearSSL (TLS and signatures) from Debian's static archive; its headers
# are linked into $(KINC) beside the UAPI ones. --gc-sections keeps only
# what /init calls.
BEARSSL_A = /usr/lib/$(BEARSSL_TRIPLET)/libbearssl.a
BEARSSL_TRIPLET := x86_64-linux-gnu

# $(OUT)/init runs on this host (tests, build-time checks); the image's
# /init is $(IMAGE_INIT): the same file on amd64, cross-built on arm64.
ifeq ($(ARCH),arm64)
IMAGE_INIT := $(AOUT)/init
DEPS_ARCH  := $(BUILD)/.deps-arm64
else
IMAGE_INIT := $(OUT)/init
DEPS_ARCH  :=
endif

# init/main.c dispatches; init/pid1/ is PID 1, init/net/ and init/http/
# the roles that read network input, init/lib/ shared I/O helpers,
# init/pure/ the modules without I/O (README: Layout).
INIT_SRCS := $(sort $(wildcard init/*.c init/*/*.c))
ifeq ($(filter yes no,$(BIOS)),)
$(error BIOS=$(BIOS): use BIOS=yes or BIOS=no)
endif
ifeq ($(ARCH)$(BIOS),arm64yes)
$(error BIOS=yes is for ARCH=amd64: arm64 machines have no legacy BIOS; use BIOS=no)
endif
ifeq ($(ADMIN),no)
INIT_SRCS := $(filter-out init/admin/% init/pid1/control.c,$(INIT_SRCS))
DEFS      += -DMINILINUX_NO_ADMIN
else ifneq ($(ADMIN),yes)
$(error ADMIN=$(ADMIN): use ADMIN=yes or ADMIN=no)
endif
DEFS      += -DADMIN_PORT=$(ADMIN_PORT)
INIT_HDRS := $(sort $(wildcard init/*/*.h))

# Unit tests and fuzz targets link only the modules they test.
UNIT_CC     ?= gcc
SAN         := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_TESTS  := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(sort $(wildcard tests/unit/test_*.c)))
P := init/pure
MODS_test_arp         := $(P)/arp.c
MODS_test_bundle      := $(P)/bundle.c
MODS_test_biosboot    := $(P)/biosboot.c $(P)/bundle.c
MODS_test_config      := $(P)/config.c $(P)/log_ring.c $(P)/signame.c
MODS_test_dns         := $(P)/dns.c
MODS_test_dhcp_msg    := $(P)/dhcp_msg.c
MODS_test_dhcp_state  := $(P)/dhcp_state.c $(P)/dhcp_msg.c
MODS_test_fmt         :=
MODS_test_gpt         := $(P)/gpt.c
MODS_test_http_parse  := $(P)/http_parse.c
MODS_test_http_fields := $(P)/http_fields.c
MODS_test_ipconfig    := $(P)/netcfg.c $(P)/dhcp_msg.c
MODS_test_netlink     := $(P)/nl_msg.c init/lib/netlink.c
MODS_test_sntp        := $(P)/sntp.c
MODS_test_syslog_fmt  := $(P)/syslog_fmt.c
MODS_fuzz_bundle      := $(P)/bundle.c
MODS_fuzz_biosboot    := $(P)/biosboot.c $(P)/bundle.c
MODS_fuzz_config      := $(P)/config.c
MODS_fuzz_dns         := $(P)/dns.c
MODS_fuzz_dhcp_msg    := $(P)/dhcp_msg.c
MODS_fuzz_dhcp_state  := $(P)/dhcp_state.c $(P)/dhcp_msg.c
MODS_fuzz_gpt         := $(P)/gpt.c
MODS_fuzz_http_parse  := $(P)/http_parse.c
MODS_fuzz_http_fields := $(P)/http_fields.c
MODS_fuzz_netcfg      := $(P)/netcfg.c $(P)/dhcp_msg.c
MODS_fuzz_netlink     := $(P)/nl_msg.c
MODS_fuzz_sntp        := $(P)/sntp.c
MODS_fuzz_syslog_fmt  := $(P)/syslog_fmt.c

.PHONY: FORCE all help deps init keys kernel initramfs uki image bundle push iso installer qcow2 size run run-fresh run-direct test unit \
        host-tests boot-tests fuzz bench bench-http clean distclean run-micro
.DELETE_ON_ERROR:

all: image

help:
	@echo "minilinux targets:"
	@echo "  make image       build kernel, /init, initramfs, UKI, $(OUT)/minilinux.$(ARCH).img and .update"
	@echo "  make bundle      only the signed update bundle $(OUT)/minilinux.$(ARCH).update (make image makes it too)"
	@echo "  make push HOST=address  upload the bundle, reboot into it, wait for the commit or the rollback"
	@echo "  make run         build, then boot a working copy of the disk image (RUN_DISK, kept) with UEFI"
	@echo "  make run-fresh   the same, the working copy made again from the image (its data lost)"
	@echo "  make run-direct  build, then boot kernel + initramfs directly (no firmware)"
	@echo "  make run-micro   the same on QEMU's microvm machine (virtio-mmio, no PCI, no firmware)"
	@echo "  make iso         hybrid ISO $(OUT)/minilinux.$(ARCH).iso: UEFI and BIOS, CD or disk"
	@echo "  make installer   $(OUT)/minilinux.$(ARCH)-installer.iso: boots into an installer that writes"
	@echo "                   the image to a disk it asks for (INSTALL_DISK=vda: unattended); docs/install.md"
	@echo "  make qcow2       $(OUT)/minilinux.$(ARCH).qcow2 for Proxmox, libvirt, OpenStack"
	@echo "  make size        table of every component's size against the targets"
	@echo "  make test        the whole test suite (unit, host, boot); ends with 'N passed, M failed'"
	@echo "  make unit        unit tests of the pure modules under ASan + UBSan"
	@echo "  make fuzz        run the libFuzzer targets for long (FUZZ_SECONDS, default 300)"
	@echo "  make bench       boot time, memory floor, sizes, HTTP; writes BENCHMARKS.md"
	@echo "                   (BENCH_RUNS=5, BENCH_MEM=0 or BENCH_HTTP=0 to skip parts)"
	@echo "  make bench-http  built-in HTTP server against nginx (results in bench/results-http.md)"
	@echo "  make init        only $(IMAGE_INIT) (static, musl)"
	@echo "  make kernel      only the kernel"
	@echo "  make keys        only the keys directory $(KEYS)/ (made by the first build, then reused)"
	@echo "  make deps        install the Debian packages the build needs"
	@echo "  make clean       remove $(OUT)/ (keeps the kernel build tree)"
	@echo "  make distclean   remove $(OUT)/ and $(BUILD)/"
	@echo "variables:"
	@echo "  ARCH=amd64|arm64 ($(ARCH))  PORT=$(PORT) (host port forwarded to the guest's 8080)"
	@echo "  ACCEL=auto|kvm|tcg  MEM=$(MEM)  CMDLINE='$(CMDLINE)'"
	@echo "  RUN_DISK=$(RUN_DISK) (make run's working copy $(RUN_IMG), sparse)  RUN_FRESH=1"
	@echo "  KERNEL_FRAGMENTS='extra.config ...' (kernel config fragments applied last)"
	@echo "  ESP_FAT=small|32 (FAT32 ESP for picky firmware: a 33 MiB disk; docs/image.md)"
	@echo "  SLOT_SIZE=$(SLOT_SIZE) (bytes: the largest UKI an A/B slot takes)  ADMIN_PORT=$(ADMIN_PORT) HOST= (make push)"
	@echo "  VERSION=$(VERSION) (the image's version)  KEYS=$(KEYS) (keys directory, kept private)"
	@echo "  INSTALL_DISK=name (make installer: install to this disk, ask nothing)"
	@echo "  ADMIN=yes|no ($(ADMIN): the HTTPS admin API)  ADMIN_PORT=$(ADMIN_PORT) (its port, forwarded by make run)"
	@echo "  BIOS=yes|no ($(BIOS): the disk image boots under legacy BIOS as well as UEFI; amd64)"
	@echo "  OUT=$(OUT) (output directory; the kernel build tree in $(BUILD)/ is shared)"
	@echo "  APP=path/to/static-binary   run your own service (see README: Your own service)"
	@echo "  APP_ARGS='...' APP_ENV='K=V ...' APP_USER=nobody APP_CAPS=net_bind_service"
	@echo "  APP_RESTART=always|on-failure|never  APP_NETWORK=wait|no  HELLO=auto|yes|no"
	@echo "  SERVICES=path/to/services.conf      a services file of your own"

deps:
	@sh scripts/deps.sh all

# /init alone needs only a C compiler, musl and the kernel's UAPI headers.
$(BUILD)/.deps-init: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh init
	@touch $@

$(BUILD)/.deps-build: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh build
	@touch $@

$(BUILD)/.deps-arm64: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh arm64
	@touch $@

# ---- /init ---------------------------------------------------------------
init: $(IMAGE_INIT)

# Remade when the Makefile changes (the links it makes may have).
$(KINC)/.done: Makefile | $(BUILD)/.deps-init
	@mkdir -p $(KINC)
	ln -sfn /usr/include/linux $(KINC)/linux
	ln -sfn /usr/include/asm-generic $(KINC)/asm-generic
	ln -sfn /usr/include/$$(gcc -print-multiarch)/asm $(KINC)/asm
	ln -sfn /usr/include/bearssl.h $(KINC)/bearssl.h
	ln -sfn /usr/include/bearssl $(KINC)/bearssl
	@touch $@

# Rewritten only when ADMIN or ADMIN_PORT change, so that /init is rebuilt then.
$(OUT)/admin-build: FORCE
	@mkdir -p $(OUT)
	@[ "$$(cat $@ 2>/dev/null)" = "$(ADMIN) $(ADMIN_PORT)" ] || echo "$(ADMIN) $(ADMIN_PORT)" > $@

$(OUT)/init: BEARSSL_TRIPLET = $$(gcc -print-multiarch)
$(OUT)/init: $(INIT_SRCS) $(INIT_HDRS) Makefile $(KINC)/.done $(OUT)/admin-build | $(BUILD)/.deps-init
	@mkdir -p $(OUT)
	$(INIT_CC) $(WARN) $(DEFS) $(INIT_INCS) $(INIT_CFLAGS) -o $@ $(INIT_SRCS) $(BEARSSL_A) $(INIT_LDFLAGS)
	@echo ":: /init: $@ ($$(stat -c %s $@) bytes)"

ifeq ($(ARCH),arm64)
# musl for arm64 from Debian multiarch (musl-dev:arm64) through its gcc
# wrapper around aarch64-linux-gnu-gcc. 4 KiB segment alignment: the
# linker's default 64 KiB would pad the file by ~50 KiB.
# The arm64 UAPI headers come from linux-libc-dev:arm64.
ARM64_INIT_CC ?= aarch64-linux-musl-gcc
ARM64_KINC := $(BUILD)/kinc-cross-arm64
$(ARM64_KINC)/.done: Makefile | $(DEPS_ARCH)
	@mkdir -p $(ARM64_KINC)
	ln -sfn /usr/include/linux $(ARM64_KINC)/linux
	ln -sfn /usr/include/asm-generic $(ARM64_KINC)/asm-generic
	ln -sfn /usr/include/aarch64-linux-gnu/asm $(ARM64_KINC)/asm
	ln -sfn /usr/include/bearssl.h $(ARM64_KINC)/bearssl.h
	ln -sfn /usr/include/bearssl $(ARM64_KINC)/bearssl
	@touch $@

$(IMAGE_INIT): KINC := $(ARM64_KINC)
$(IMAGE_INIT): BEARSSL_TRIPLET := aarch64-linux-gnu
$(IMAGE_INIT): $(INIT_SRCS) $(INIT_HDRS) Makefile $(ARM64_KINC)/.done $(OUT)/admin-build | $(DEPS_ARCH)
	@mkdir -p $(dir $@)
	$(ARM64_INIT_CC) $(WARN) $(DEFS) $(INIT_INCS) $(INIT_CFLAGS) -o $@ $(INIT_SRCS) $(BEARSSL_A) $(INIT_LDFLAGS) \
		-Wl,-z,max-page-size=4096
	@echo ":: /init: $@ ($$(stat -c %s $@) bytes)"
endif

# ---- kernel --------------------------------------------------------------
kernel: $(AOUT)/$(KIMAGE)

$(AOUT)/$(KIMAGE): kernel/base.config kernel/$(ARCH).config image/kernel.sh $(KERNEL_FRAGMENTS) | $(BUILD)/.deps-build $(DEPS_ARCH)
	sh image/kernel.sh $(ARCH) $@

# ---- initramfs, UKI, disk image, ISO, qcow2 ------------------------------
ESP_FAT ?= small
export ESP_FAT

initramfs: $(AOUT)/initramfs.cpio.xz

# What the image runs (the built-in server, the user's APP, or a services
# file); re-evaluated every time, rewritten only when it changes.
export APP APP_ARGS APP_ENV APP_USER APP_CAPS APP_RESTART APP_NETWORK HELLO SERVICES
$(AOUT)/extra.list: $(OUT)/init image/services.sh FORCE
	@sh image/services.sh $(ARCH) $(OUT)/init $(AOUT)

# The keys: only what is missing is made, nothing is overwritten.
KEY_FILES := $(KEYS)/admin-password $(KEYS)/admin.key $(KEYS)/admin.crt $(KEYS)/update.key $(KEYS)/update.pub
keys: $(KEY_FILES)
$(KEY_FILES) &: image/keys.sh | $(BUILD)/.deps-build
	@sh image/keys.sh $(KEYS)

# The system files (version, keys material), rewritten only when changed.
$(AOUT)/system.list: image/system.sh $(KEY_FILES) FORCE
	@mkdir -p $(AOUT)
	@ADMIN=$(ADMIN) UPDATE_EPOCH=$(UPDATE_EPOCH) sh image/system.sh $(AOUT) '$(VERSION)' $(KEYS) $(SLOT_SIZE)

$(AOUT)/initramfs.cpio.xz: $(IMAGE_INIT) image/initramfs.sh $(AOUT)/$(KIMAGE) $(AOUT)/extra.list \
		$(AOUT)/system.list $(OUT)/data.seed
	EXTRA_LIST=$(AOUT)/extra.list SYSTEM_LIST=$(AOUT)/system.list SEED=$(OUT)/data.seed \
		sh image/initramfs.sh $(IMAGE_INIT) $@

# The data partition's ext4 seed, made by mke2fs (docs/storage.md).
$(OUT)/data.seed: image/seed.sh image/mke2fs.conf | $(BUILD)/.deps-build
	@mkdir -p $(OUT)
	sh image/seed.sh $@

FORCE:

uki: $(AOUT)/minilinux.efi

$(AOUT)/minilinux.efi: $(AOUT)/$(KIMAGE) $(AOUT)/initramfs.cpio.xz image/uki.sh Makefile
	sh image/uki.sh $(ARCH) $(AOUT)/$(KIMAGE) $(AOUT)/initramfs.cpio.xz "$(CMDLINE)" $@

# Rewritten only when ESP_FAT or BIOS change, so that the disk is rebuilt then.
$(AOUT)/esp-fat: FORCE
	@mkdir -p $(AOUT)
	@[ "$$(cat $@ 2>/dev/null)" = "$(ESP_FAT) $(BIOS)" ] || echo "$(ESP_FAT) $(BIOS)" > $@

image: $(OUT)/minilinux.$(ARCH).img $(OUT)/minilinux.$(ARCH).update
ifeq ($(ADMIN),yes)
	@echo ":: admin API: keys and password in $(KEYS)/ (keep them, and the image, private); after make run:"
	@echo "   curl --cacert $(KEYS)/admin.crt -u admin:\$$(cat $(KEYS)/admin-password) https://localhost:$(ADMIN_PORT)/api/status"
endif

$(OUT)/minilinux.$(ARCH).img: $(AOUT)/minilinux.efi image/disk.sh image/esp.sh image/grub.cfg $(AOUT)/esp-fat \
		$(if $(filter yes,$(BIOS)),$(OUT)/init) Makefile
	BIOS=$(BIOS) BIOS_INIT=$(OUT)/init sh image/disk.sh $(ARCH) $< $@ $(SLOT_SIZE) '$(VERSION)'

# The signed update bundle of the same UKI (docs/update.md).
bundle: $(OUT)/minilinux.$(ARCH).update
$(OUT)/minilinux.$(ARCH).update: $(AOUT)/minilinux.efi image/bundle.sh $(KEY_FILES)
	UPDATE_EPOCH=$(UPDATE_EPOCH) sh image/bundle.sh $(ARCH) '$(VERSION)' $< $(KEYS)/update.key $(SLOT_SIZE) $@

# Upload the bundle to a running appliance, reboot it into the trial and
# wait for the commit or the rollback (docs/update.md).
push: $(OUT)/minilinux.$(ARCH).update
	@[ -n "$(HOST)" ] || { echo "make push: HOST=address is required" >&2; exit 2; }
	sh scripts/push.sh $(HOST) $(ADMIN_PORT) $(KEYS) $<

iso: $(OUT)/minilinux.$(ARCH).iso

$(OUT)/minilinux.$(ARCH).iso: $(AOUT)/minilinux.efi $(AOUT)/bzImage $(AOUT)/initramfs.cpio.xz \
		image/iso.sh image/esp.sh $(AOUT)/esp-fat
	sh image/iso.sh $(ARCH) $(AOUT)/minilinux.efi $(AOUT)/bzImage $(AOUT)/initramfs.cpio.xz "$(CMDLINE)" $@

# The installer ISO (docs/install.md): the disk image inside its
# initramfs. Rebuilt when INSTALL_DISK changes (the stamp file).
INSTALL_DISK ?=
installer: $(OUT)/minilinux.$(ARCH)-installer.iso

$(AOUT)/install-disk: FORCE
	@mkdir -p $(AOUT)
	@[ "$$(cat $@ 2>/dev/null)" = "$(INSTALL_DISK)" ] && [ -f $@ ] || echo "$(INSTALL_DISK)" > $@

$(OUT)/minilinux.$(ARCH)-installer.iso: $(AOUT)/$(KIMAGE) $(IMAGE_INIT) $(AOUT)/extra.list $(OUT)/data.seed \
		$(AOUT)/system.list $(OUT)/minilinux.$(ARCH).img $(AOUT)/install-disk image/installer.sh image/iso.sh image/esp.sh \
		image/initramfs.sh image/uki.sh Makefile
	INSTALL_DISK=$(INSTALL_DISK) SYSTEM_LIST=$(AOUT)/system.list sh image/installer.sh $(ARCH) $(AOUT)/$(KIMAGE) $(IMAGE_INIT) \
		$(AOUT)/extra.list $(OUT)/data.seed $(OUT)/minilinux.$(ARCH).img "$(CMDLINE)" $@

qcow2: $(OUT)/minilinux.$(ARCH).qcow2

$(OUT)/minilinux.$(ARCH).qcow2: $(OUT)/minilinux.$(ARCH).img image/qcow2.sh
	sh image/qcow2.sh $< $@

# The ISO (ISOLINUX for BIOS) is amd64 only.
size: image qcow2 $(if $(filter amd64,$(ARCH)),iso)
	@sh image/size.sh $(OUT) $(ARCH)

# ---- running -------------------------------------------------------------
# make run boots a working copy of the image, grown (sparse) to RUN_DISK
# so that the data partition has room, and kept across runs: a rebuilt
# image refreshes its system partition, its data stays. RUN_FRESH=1 or
# make run-fresh starts again from the image (docs/storage.md).
RUN_DISK ?= 1G
RUN_ADMIN := $(if $(filter yes,$(ADMIN)),--admin-port $(ADMIN_PORT):$(ADMIN_PORT))
RUN_IMG  := $(OUT)/run/minilinux.$(ARCH).img
run: image
	sh scripts/run-disk.sh $(OUT)/minilinux.$(ARCH).img $(RUN_IMG) $(RUN_DISK) $(if $(RUN_FRESH),fresh)
	sh scripts/qemu.sh --disk $(RUN_IMG) --persist --port $(PORT) --accel $(ACCEL) --mem $(MEM) \
		$(if $(filter amd64,$(ARCH)),--watchdog) --arch $(ARCH) $(RUN_ADMIN)

run-fresh:
	@$(MAKE) --no-print-directory run RUN_FRESH=1

run-direct: $(AOUT)/$(KIMAGE) $(AOUT)/initramfs.cpio.xz
	sh scripts/qemu.sh --kernel $(AOUT)/$(KIMAGE) --initrd $(AOUT)/initramfs.cpio.xz \
		--append "$(CMDLINE)" --port $(PORT) --accel $(ACCEL) --mem $(MEM) --arch $(ARCH) $(RUN_ADMIN)

# microvm: the kind of machine Firecracker-class hosts offer (amd64).
run-micro: $(AOUT)/$(KIMAGE) $(AOUT)/initramfs.cpio.xz
	sh scripts/qemu.sh --micro --kernel $(AOUT)/$(KIMAGE) --initrd $(AOUT)/initramfs.cpio.xz \
		--append "$(CMDLINE)" --port $(PORT) --accel $(ACCEL) --mem $(MEM) --arch $(ARCH)

# ---- tests ---------------------------------------------------------------
.SECONDEXPANSION:
$(BUILD)/unit/%: tests/unit/%.c $$(MODS_$$*) $(INIT_HDRS) tests/unit/check.h
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(WARN) $(DEFS) -g -O1 $(SAN) -Iinit -o $@ $< $(MODS_$*)

# libFuzzer targets: tests/fuzz/fuzz_NAME.c, seeds in tests/fuzz/corpus/NAME/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 300
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))

$(BUILD)/fuzz/%: tests/fuzz/%.c $$(MODS_$$*) $(INIT_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(DEFS) -g -O1 -fsanitize=fuzzer,address,undefined -Iinit -o $@ $< $(MODS_$*)

fuzz: $(FUZZ_TARGETS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

unit: $(UNIT_TESTS)
	@sh tests/run.sh unit $(UNIT_TESTS)

# The roles on the host: needs $(OUT)/init and the test packages.
host-tests: $(OUT)/init
	@sh scripts/deps.sh test
	@sh tests/run.sh host

# Whole images in QEMU, amd64 and arm64.
boot-tests: image iso installer qcow2
	@sh scripts/deps.sh test
	@$(MAKE) --no-print-directory ARCH=arm64 image
	@sh tests/run.sh boot

test: image iso installer qcow2
	@sh scripts/deps.sh test
	@$(MAKE) --no-print-directory ARCH=arm64 image
	@$(MAKE) --no-print-directory $(UNIT_TESTS) $(FUZZ_TARGETS)
	@sh tests/run.sh all $(UNIT_TESTS) $(FUZZ_TARGETS)

# ---- benchmarks ----------------------------------------------------------
bench: image
	@sh scripts/deps.sh test
	sh bench/run.sh BENCHMARKS.md

bench-http: $(OUT)/init
	@sh scripts/deps.sh test
	bash bench/http.sh bench/results-http.md

clean:
	rm -rf $(OUT)

distclean:
	rm -rf $(OUT) $(BUILD)

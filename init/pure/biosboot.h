/* biosboot.h - booting the slots' UKIs under legacy BIOS (docs/update.md).
 * Pure: no I/O, no allocation.
 *
 * Under BIOS, GRUB (core.img in the ESP's reserved sectors) cannot run a
 * UKI, but it can read byte ranges of one: the kernel (.linux) and the
 * initramfs (.initrd) are sections at 512-byte aligned offsets in the PE
 * file, and GRUB reads them through a loopback device over the file in
 * its blocklist notation (SECTOR+COUNT). This module finds those
 * sections, checks the command line, writes the GRUB script that boots
 * the entries in systemd-boot's order (grub/slots.cfg on the ESP), and
 * reads back which trial GRUB has already started (grub/grubenv). */
#ifndef MINILINUX_BIOSBOOT_H
#define MINILINUX_BIOSBOOT_H

#include <stddef.h>
#include <stdint.h>

/* What is read of a UKI for its headers and section table. */
#define BIOS_PE_HEAD      4096
#define BIOS_CMDLINE_MAX  1024	/* the longest .cmdline taken */
#define BIOS_NAME_MAX     128
#define BIOS_ENTRIES_MAX  3
/* The variable GRUB sets (save_env) before it starts a trial. */
#define BIOS_ENV_TRIED    "ml_tried"

struct bios_pe {
	uint32_t linux_sector, linux_sectors;	/* .linux as SECTOR+COUNT */
	uint32_t initrd_sector, initrd_sectors;	/* .initrd */
	uint32_t cmdline_off, cmdline_len;	/* .cmdline, in bytes */
};

/* Find .linux, .initrd and .cmdline in the first LEN bytes of a PE file
 * of FILE_SIZE bytes. 0, or -1 with *WHY: not PE, a section missing, not
 * 512-byte aligned, or outside the file. */
int bios_pe_parse(const uint8_t *head, size_t len, uint64_t file_size, struct bios_pe *pe,
		  const char **why);

/* A command line GRUB can be given in double quotes: printable ASCII
 * without '"', '\\' or '$', at most BIOS_CMDLINE_MAX - 1 bytes. */
int bios_cmdline_ok(const char *s, size_t len);

struct bios_entry {
	char name[BIOS_NAME_MAX];	/* the file in EFI/Linux */
	struct bios_pe pe;
	char cmdline[BIOS_CMDLINE_MAX];
	int once;			/* a trial: started at most once */
};

/* grub/slots.cfg for N entries in boot order into OUT: GRUB tries each
 * (ml_boot, defined in grub/grub.cfg) until one starts; the first, if
 * ONCE, only when GRUB has not started it before, and it records that it
 * has (save_env) before it does. Its length, or -1 when it does not fit or
 * an entry's name or command line could not be quoted. */
int bios_cfg_format(const struct bios_entry *e, int n, char *out, size_t cap);

/* The value of BIOS_ENV_TRIED in a GRUB environment block (ENV, LEN
 * bytes: "# GRUB Environment Block" and key=value lines) into NAME; its
 * length, 0 when unset, -1 when it does not fit or is not printable
 * ASCII. */
int bios_env_tried(const char *env, size_t len, char *name, size_t cap);

#endif

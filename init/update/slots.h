/* slots.h - the two system slots on the ESP, as PID 1 and the update
 * role see them: the UKIs in EFI/Linux (named by pure/bundle.c), which of
 * them runs, the other's state, and /run/update/status (docs/update.md). */
#ifndef MINILINUX_SLOTS_H
#define MINILINUX_SLOTS_H

#include "pure/biosboot.h"
#include "pure/bundle.h"

#define SLOTS_ESP_DIR       "/boot"	/* where PID 1 mounts the ESP */
#define SLOTS_LINUX_DIR     "EFI/Linux"	/* the UKIs, relative to the ESP */
#define SLOTS_STATE_DIR     "minilinux"	/* our own files on the ESP */
/* Written by a trial that gives up ("VERSION reason"), read and removed by
 * the version that boots next. */
#define SLOTS_TRIAL_FAILURE "minilinux/trial-failure"
/* The last failed update, kept until an update is committed. */
#define SLOTS_LAST_FAILURE  "minilinux/last-failure"
/* The upload in progress: not a .efi name, so never bootable. */
#define SLOTS_STAGING       "EFI/Linux/staging.tmp"
#define SLOTS_RUN_DIR       "/run/update"
#define SLOTS_STATUS        "/run/update/status"
#define SLOTS_SOCKET        "/run/update/sock"
#define SLOTS_PUBKEY        "/etc/minilinux/update.pub"
#define SLOTS_SLOT_SIZE     "/etc/minilinux/slot-size"
#define SLOTS_EPOCH         "/etc/minilinux/epoch"
#define SLOTS_VERSION       "/etc/minilinux/version"
/* Under BIOS (docs/update.md): GRUB's files on the ESP. grub.cfg and
 * grubenv come with the image; slots.cfg is written here. */
#define SLOTS_GRUB_DIR      "grub"
#define SLOTS_GRUB_CFG      "grub/slots.cfg"
#define SLOTS_GRUB_ENV      "grub/grubenv"
#define SLOTS_MAX           8	/* entries looked at in EFI/Linux */
#define SLOTS_FAILURE_MAX   256

struct slots {
	struct bundle_entry e[SLOTS_MAX];
	char name[SLOTS_MAX][BUNDLE_ENTRY_MAX];
	int n;
	int own;	/* the entry of the running version, or -1 */
	int other;	/* the newest other entry, or -1 */
	char last_failure[SLOTS_FAILURE_MAX];
};

/* Read the ESP (directory fd ESPFD) for the running VERSION. 0, or -1
 * with errno when EFI/Linux cannot be read. */
int slots_scan(int espfd, const char *version, struct slots *s);
/* "good", "staged", "trying" or "bad" for entry I (see slots.c). */
const char *slots_state(const struct slots *s, int i);
/* "a" or "b": the slot of entry I, by its generation's parity. */
const char *slots_letter(const struct slots *s, int i);
/* Rename entry I to E's name, fsync the directory. 0, or -1 with errno. */
int slots_rename(int espfd, struct slots *s, int i, const struct bundle_entry *e);
/* Read a small file relative to DIRFD into BUF (NUL-terminated, trailing
 * newlines cut); its length, or -1 with errno. */
int slots_read_small(int dirfd, const char *path, char *buf, size_t len);
/* Replace PATH (relative to DIRFD) with LEN bytes of BUF: a temporary,
 * fsync, rename. MODE for a new file. 0, or -1 with errno. */
int slots_write_file(int dirfd, const char *path, const char *buf, size_t len, int mode);
/* Write /run/update/status (key=value lines) at PATH. 0, or -1 with errno. */
int slots_write_status(const char *path, const struct slots *s, const char *version);
/* Under BIOS: write grub/slots.cfg for the entries in S, in systemd-boot's
 * order, when the ESP has a grub/ directory and the file would change; the
 * number of entries it lists (those GRUB can start) in *LISTED if not NULL.
 * 1 written, 0 unchanged or no BIOS boot, -1 with errno. */
int slots_bios_sync(int espfd, const struct slots *s, int *listed);
/* 1 when the ESP has a grub/ directory: the disk boots under BIOS too. */
int slots_bios_enabled(int espfd);
/* Read the UKI at PATH (relative to ESPFD) as GRUB would boot it into B
 * (all but its name). 0, or -1 with *WHY. */
int slots_bios_read(int espfd, const char *path, struct bios_entry *b, const char **why);
/* Under BIOS: a trial GRUB has started (grubenv) that is not running now
 * never committed: count its tries down to none, as systemd-boot would
 * have. 1 when an entry was renamed, 0 when none, -1 with errno. */
int slots_bios_mark_tried(int espfd, struct slots *s);
/* One console line: the running version, slot, and the other slot. */
void slots_log(const struct slots *s, const char *version);

#endif

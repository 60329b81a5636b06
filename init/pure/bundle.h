/* bundle.h - update bundles and the slot file names on the ESP
 * (docs/update.md). Pure: no I/O, no allocation.
 *
 * A bundle is HEADER (BUNDLE_HEADER_SIZE bytes) + a raw ECDSA P-256
 * signature (r || s, BUNDLE_SIG_SIZE bytes) over the SHA-256 of the
 * header + the UKI (uki_len bytes); the header holds the UKI's SHA-256, so
 * the signature is checked before a byte of the UKI is written. Integers
 * are little-endian:
 *   0   8  magic "MLUPDATE"
 *   8   4  format version (BUNDLE_FORMAT)
 *  12   4  header size (BUNDLE_HEADER_SIZE)
 *  16   8  UKI length in bytes
 *  24  16  architecture, "amd64" or "arm64", NUL-padded
 *  40  64  version, 1 to 64 of [A-Za-z0-9._+~-], NUL-padded
 * 104  32  SHA-256 of the UKI
 * 136   8  epoch: when the version was built (seconds since 1970, the
 *          commit's time by default); a machine takes no bundle older
 *          than the version it runs (a downgrade)
 * 144  16  zero */
#ifndef MINILINUX_BUNDLE_H
#define MINILINUX_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define BUNDLE_MAGIC        "MLUPDATE"
#define BUNDLE_FORMAT       1
#define BUNDLE_HEADER_SIZE  160
#define BUNDLE_SIG_SIZE     64
#define BUNDLE_HASH_SIZE    32
#define BUNDLE_ARCH_MAX     16
#define BUNDLE_VERSION_MAX  64
/* The smallest UKI that can be one: a PE header. */
#define BUNDLE_UKI_MIN      512

struct bundle_header {
	uint32_t format;
	uint64_t uki_len;
	char arch[BUNDLE_ARCH_MAX + 1];
	char version[BUNDLE_VERSION_MAX + 1];
	uint8_t uki_sha256[BUNDLE_HASH_SIZE];
	uint64_t epoch;
};

/* Parse the first LEN bytes of a bundle. Returns 0 (H filled), -2 when
 * LEN < BUNDLE_HEADER_SIZE (incomplete), or -1 with *WHY. */
int bundle_parse_header(const uint8_t *buf, size_t len, struct bundle_header *h,
			const char **why);

/* May H be staged here? ARCH is this machine's, SLOT_MAX the slot size,
 * TOTAL the bundle's length as announced (content length). Returns 0, or
 * an HTTP status (400 wrong architecture or length, 413 larger than the
 * slot) with *WHY. */
int bundle_check(const struct bundle_header *h, const char *arch, uint64_t slot_max,
		 uint64_t total, const char **why);

/* 1 if S (LEN bytes) is a version: 1..64 of [A-Za-z0-9._+~-]. */
int bundle_version_ok(const char *s, size_t len);
/* 1 if every one of the LEN bytes of S is of that alphabet. */
int bundle_chars_ok(const char *s, size_t len);

/* A slot's file name in EFI/Linux: "minilinux-GEN-VERSION[+LEFT[-DONE]].efi",
 * GEN in 9 digits with leading zeros. GEN orders the entries: systemd-boot
 * sorts entries with tries left by file name, newest first, and boots the
 * first; the zeros make that order the same whether names are compared as
 * strings or as versions. A '+' in VERSION is written '_' (the loader reads '+' as the
 * boot counter). */
#define BUNDLE_ENTRY_PREFIX "minilinux-"
#define BUNDLE_ENTRY_MAX    128
#define BUNDLE_GEN_MAX      999999999u
struct bundle_entry {
	unsigned gen;
	char version[BUNDLE_VERSION_MAX + 1];	/* as in the name ('_' for '+') */
	int counted;		/* has a boot counter */
	unsigned left, done;	/* tries left and done */
};
/* Parse a file name; 0, or -1 when it is not a slot's. */
int bundle_entry_parse(const char *name, size_t len, struct bundle_entry *e);
/* Write E's file name into OUT; its length, or -1 if it does not fit. */
int bundle_entry_format(const struct bundle_entry *e, char *out, size_t len);
/* VERSION as it appears in a file name ('+' -> '_'), into OUT (65 bytes). */
void bundle_entry_version(const char *version, char out[BUNDLE_VERSION_MAX + 1]);

#endif

/* gpt.h - the GUID Partition Table (UEFI 2.10 chapter 5): parse and
 * validate the protective MBR, both headers and their entry arrays, and
 * plan changes to it as a bounded list of sector writes that the caller
 * carries out. Pure: no I/O, no allocation; the caller reads the sectors
 * and writes what the plan says.
 *
 * Bounds contract: gpt_parse reads only HEAD[0..head_len) and
 * TAIL[0..tail_len); gpt_plan writes only BUF[0..len). Every planned
 * write lies inside the disk (LBA + count <= nsectors) and outside every
 * partition of the table (the GPT's own sectors only); the plan checks
 * that itself before it returns. */
#ifndef MINILINUX_GPT_H
#define MINILINUX_GPT_H

#include <stddef.h>
#include <stdint.h>

#define GPT_MAX_ARRAY_BYTES 16384	/* 128 entries of 128 bytes: what every tool writes */
#define GPT_MAX_ENTRIES     (GPT_MAX_ARRAY_BYTES / 128)
#define GPT_ENTRY_MIN       128
#define GPT_HEADER_SIZE     92	/* UEFI 2.10 table 5.5 */
#define GPT_NAME_UNITS      36	/* UTF-16LE code units of a partition name */
#define GPT_MAX_WRITES      5	/* backup array, backup header, primary array, primary header, PMBR */
#define GPT_MAX_SECTOR      4096
/* What gpt_parse needs: HEAD is the first GPT_HEAD_BYTES of the disk,
 * TAIL the last GPT_TAIL_BYTES (or the whole disk when it is smaller). */
#define GPT_HEAD_BYTES(ssz) (2 * (size_t)(ssz) + GPT_MAX_ARRAY_BYTES)
#define GPT_TAIL_BYTES(ssz) ((size_t)(ssz) + GPT_MAX_ARRAY_BYTES)
/* The caller's buffer for a plan: PMBR, two headers, two arrays. */
#define GPT_PLAN_BYTES      (3 * GPT_MAX_SECTOR + 2 * GPT_MAX_ARRAY_BYTES)

enum gpt_status { GPT_OK = 0, GPT_NONE = 1, GPT_BAD = -1 };

struct gpt_part {
	unsigned index;		/* entry number, 0-based (Linux partition = index + 1) */
	uint8_t type[16], guid[16];	/* as on disk (mixed-endian) */
	uint64_t first, last;	/* LBAs, inclusive */
	uint64_t attrs;
	uint16_t name[GPT_NAME_UNITS];
};

struct gpt {
	uint32_t ssz;		/* logical sector size: 512 or 4096 */
	uint64_t nsectors;	/* of the disk now */
	int primary_ok, backup_ok;	/* valid headers and arrays */
	int backup_at_end;	/* the backup header is the disk's last LBA */
	int pmbr_sole;		/* the MBR's only partition is the protective one */
	uint32_t pmbr_size;	/* its SizeInLBA */
	uint8_t disk_guid[16];
	uint64_t first_usable, last_usable;
	uint64_t alternate_lba;	/* the header in use's AlternateLBA */
	uint64_t primary_array_lba;	/* where the primary array is (or goes) */
	uint32_t nentries, entry_size, array_bytes;
	struct gpt_part part[GPT_MAX_ENTRIES];	/* used entries, in entry order */
	unsigned nparts;
	uint8_t array[GPT_MAX_ARRAY_BYTES];	/* the array in use, as on disk */
	uint8_t mbr[GPT_MAX_SECTOR];	/* LBA 0 as read */
};

enum gpt_op { GPT_OP_NONE, GPT_OP_ADD, GPT_OP_GROW };

struct gpt_request {
	enum gpt_op op;		/* NONE: only move the backup to the disk's end */
	unsigned grow_index;	/* GROW: this entry, which must end last */
	uint8_t type[16], guid[16];	/* ADD: the new entry */
	uint16_t name[GPT_NAME_UNITS];
	uint64_t align;		/* sectors: start and end + 1 of the new/grown partition */
	uint64_t min_start;	/* ADD: LBA the new partition starts at or after */
	uint64_t min_size;	/* ADD: sectors; less room than this is ENOSPC */
};

struct gpt_write {
	uint64_t lba;
	uint32_t nsectors;
	uint32_t off;		/* into the caller's buffer */
};

struct gpt_plan {
	struct gpt_write w[GPT_MAX_WRITES];
	unsigned n;		/* 0: nothing to write */
	int index;		/* the added or grown entry, -1 if none */
	uint64_t first, last;	/* its new extent */
	uint64_t old_last;	/* GROW: its extent before */
};

/* CRC-32 (ISO 3309 / IEEE 802.3, reflected 0xEDB88320), as the GPT uses
 * it: gpt_crc32(0, buf, len) is the whole checksum. */
uint32_t gpt_crc32(uint32_t crc, const void *buf, size_t len);
/* Parse the disk's GPT. GPT_OK: G holds the table (from the primary, or
 * from the backup when the primary is bad); GPT_NONE: no partition table
 * at all (no MBR signature, no GPT header); GPT_BAD: anything else (a
 * damaged or unsupported table, an MBR disk), with the reason in *WHY. */
enum gpt_status gpt_parse(struct gpt *g, const uint8_t *head, size_t head_len,
			  const uint8_t *tail, size_t tail_len, uint32_t ssz,
			  uint64_t nsectors, const char **why);
/* Plan RQ on G: 0 with P filled (P->n writes in BUF, which must hold
 * GPT_PLAN_BYTES), or -1: errno ENOSPC (no room), EINVAL (bad request or
 * a table this cannot change safely), with the reason in *WHY. */
int gpt_plan(const struct gpt *g, const struct gpt_request *rq, struct gpt_plan *p,
	     uint8_t *buf, size_t len, const char **why);
/* The used entry of TYPE whose name is NAME (ASCII), or NULL. */
const struct gpt_part *gpt_find(const struct gpt *g, const uint8_t type[16], const char *name);
/* ASCII NAME into a UTF-16LE partition name (truncated, zero-padded). */
void gpt_name_set(uint16_t name[GPT_NAME_UNITS], const char *ascii);
/* "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" into on-disk bytes; -1 if malformed. */
int gpt_guid_parse(const char *s, uint8_t out[16]);
/* On-disk bytes into the text form (37 bytes with the NUL). */
void gpt_guid_format(const uint8_t g[16], char out[37]);

extern const uint8_t gpt_type_esp[16];	/* EFI System Partition */
extern const uint8_t gpt_type_srv[16];	/* DPS "Server Data Partition" (/srv) */

#endif

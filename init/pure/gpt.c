/* gpt.c - the GUID Partition Table (UEFI 2.10 chapter 5).
 *
 * The table is trusted only after every check a hostile disk could fail:
 * MBR signature and a protective 0xEE record (5.2.3), header signature,
 * size, CRC and MyLBA (5.3.2), usable range inside the disk, the entry
 * array inside the caller's window, outside the usable range and with its
 * CRC, entry size 128 * 2^n (table 5.5), and every used entry inside the
 * usable range and overlapping no other. A disk that fails any check is
 * never written.
 *
 * A plan writes the GPT's own sectors only, backup first: a new backup
 * array and header at the disk's last LBAs (5.3.1: the backup header is
 * the last LBA), then the primary array and header, whose CRCs make the
 * primary header the commit point, then the protective MBR's size field.
 * Cut anywhere, one of the two tables is whole: the old primary, or the
 * new backup, which gpt_parse falls back to when the primary is bad. */
#include "pure/gpt.h"

#include <errno.h>
#include <string.h>

/* C12A7328-F81F-11D2-BA4B-00A0C93EC93B (UEFI 2.10 table 5.7) */
const uint8_t gpt_type_esp[16] = {
	0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
	0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b,
};
/* 3B8F8425-20E0-4F3B-907F-1A25A76F98E8 (Discoverable Partitions
 * Specification: "Server Data Partition", mounted on /srv) */
const uint8_t gpt_type_srv[16] = {
	0x25, 0x84, 0x8f, 0x3b, 0xe0, 0x20, 0x3b, 0x4f,
	0x90, 0x7f, 0x1a, 0x25, 0xa7, 0x6f, 0x98, 0xe8,
};

static const uint8_t gpt_sig[8] = { 'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T' };

/* Header fields (UEFI 2.10 table 5.5), byte offsets. */
#define H_SIG       0
#define H_REV       8
#define H_SIZE      12
#define H_CRC       16
#define H_MYLBA     24
#define H_ALT       32
#define H_FIRST     40
#define H_LAST      48
#define H_GUID      56
#define H_ENTLBA    72
#define H_NENT      80
#define H_ENTSZ     84
#define H_ARRCRC    88
/* Entry fields (table 5.6). */
#define E_TYPE      0
#define E_GUID      16
#define E_FIRST     32
#define E_LAST      40
#define E_ATTRS     48
#define E_NAME      56

static uint32_t crc_table[256];
static int crc_ready;

uint32_t gpt_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c;
	size_t i;
	int k;

	if (!crc_ready) {
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
		crc_ready = 1;
	}
	crc = ~crc;
	for (i = 0; i < len; i++)
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static int all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* A validated header, before its array is looked at. */
struct hdr {
	uint64_t my, alt, first, last, entlba;
	uint32_t nent, entsz, arrcrc, bytes, sectors;
	uint8_t guid[16];
};

/* UEFI 2.10 5.3.2: check the header in H (one sector) found at MY_LBA. */
static int hdr_check(const uint8_t *h, uint32_t ssz, uint64_t nsectors, uint64_t my_lba,
		     struct hdr *o, const char **why)
{
	uint8_t tmp[GPT_MAX_SECTOR];
	uint32_t size, crc;
	uint64_t bytes;

	if (memcmp(h + H_SIG, gpt_sig, 8) != 0) {
		*why = "no GPT header signature";
		return -1;
	}
	size = get32(h + H_SIZE);
	if (size < GPT_HEADER_SIZE || size > ssz) {
		*why = "GPT header size out of range";
		return -1;
	}
	memcpy(tmp, h, size);
	memset(tmp + H_CRC, 0, 4);
	crc = gpt_crc32(0, tmp, size);
	if (crc != get32(h + H_CRC)) {
		*why = "GPT header CRC mismatch";
		return -1;
	}
	o->my = get64(h + H_MYLBA);
	o->alt = get64(h + H_ALT);
	o->first = get64(h + H_FIRST);
	o->last = get64(h + H_LAST);
	o->entlba = get64(h + H_ENTLBA);
	o->nent = get32(h + H_NENT);
	o->entsz = get32(h + H_ENTSZ);
	o->arrcrc = get32(h + H_ARRCRC);
	memcpy(o->guid, h + H_GUID, 16);
	if (o->my != my_lba) {
		*why = "GPT header MyLBA is not where it was read";
		return -1;
	}
	if (o->alt >= nsectors || o->alt == o->my || o->alt == 0) {
		*why = "GPT AlternateLBA outside the disk";
		return -1;
	}
	if (o->first < 2 || o->first > o->last || o->last >= nsectors) {
		*why = "GPT usable range outside the disk";
		return -1;
	}
	/* Table 5.5: 128 * 2^n bytes. */
	if (o->entsz < GPT_ENTRY_MIN || (o->entsz & (o->entsz - 1)) != 0 || o->nent == 0) {
		*why = "GPT entry size or count invalid";
		return -1;
	}
	bytes = (uint64_t)o->nent * o->entsz;
	if (bytes > GPT_MAX_ARRAY_BYTES) {
		*why = "GPT entry array larger than 16 KiB: not supported";
		return -1;
	}
	o->bytes = (uint32_t)bytes;
	o->sectors = (uint32_t)((bytes + ssz - 1) / ssz);
	if (o->entlba < 1 || o->entlba >= nsectors || o->sectors > nsectors - o->entlba) {
		*why = "GPT entry array outside the disk";
		return -1;
	}
	/* The array, the header and the usable range must not overlap. */
	if ((o->entlba <= o->last && o->entlba + o->sectors > o->first) ||
	    (o->my >= o->entlba && o->my < o->entlba + o->sectors) ||
	    (o->my >= o->first && o->my <= o->last) ||
	    (o->alt >= o->first && o->alt <= o->last)) {
		*why = "GPT header, entry array and usable range overlap";
		return -1;
	}
	return 0;
}

/* Check the array ARR of header O and fill G's entries from it. */
static int array_check(struct gpt *g, const struct hdr *o, const uint8_t *arr, const char **why)
{
	const uint8_t *e;
	struct gpt_part *p;
	unsigned i, j;

	if (gpt_crc32(0, arr, o->bytes) != o->arrcrc) {
		*why = "GPT entry array CRC mismatch";
		return -1;
	}
	g->nparts = 0;
	for (i = 0; i < o->nent; i++) {
		e = arr + (size_t)i * o->entsz;
		if (all_zero(e + E_TYPE, 16))
			continue;	/* 5.3.3: an unused entry */
		if (g->nparts == GPT_MAX_ENTRIES) {
			*why = "too many GPT entries";
			return -1;
		}
		p = &g->part[g->nparts];
		p->index = i;
		memcpy(p->type, e + E_TYPE, 16);
		memcpy(p->guid, e + E_GUID, 16);
		p->first = get64(e + E_FIRST);
		p->last = get64(e + E_LAST);
		p->attrs = get64(e + E_ATTRS);
		for (j = 0; j < GPT_NAME_UNITS; j++)
			p->name[j] = (uint16_t)(e[E_NAME + 2 * j] | e[E_NAME + 2 * j + 1] << 8);
		if (p->first > p->last || p->first < o->first || p->last > o->last) {
			*why = "GPT entry outside the usable range";
			return -1;
		}
		for (j = 0; j < g->nparts; j++)
			if (p->first <= g->part[j].last && g->part[j].first <= p->last) {
				*why = "GPT entries overlap";
				return -1;
			}
		g->nparts++;
	}
	return 0;
}

/* UEFI 2.10 5.2.3: a protective MBR, or a hybrid one with a 0xEE record. */
static int pmbr_check(struct gpt *g, const uint8_t *mbr)
{
	int i, ee = -1, others = 0;

	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return -1;
	for (i = 0; i < 4; i++) {
		const uint8_t *r = mbr + 446 + 16 * i;

		if (r[4] == 0xee && ee < 0)
			ee = i;
		else if (r[4] != 0)
			others++;
	}
	if (ee < 0)
		return -1;
	g->pmbr_sole = ee == 0 && others == 0 && get32(mbr + 446 + 8) == 1;
	g->pmbr_size = get32(mbr + 446 + 12);
	return 0;
}

enum gpt_status gpt_parse(struct gpt *g, const uint8_t *head, size_t head_len,
			  const uint8_t *tail, size_t tail_len, uint32_t ssz,
			  uint64_t nsectors, const char **why)
{
	const char *pwhy = NULL, *bwhy = NULL;
	struct hdr ph, bh;
	const uint8_t *arr;
	uint64_t tail_lba;
	int have_sig;

	memset(g, 0, sizeof(*g));
	*why = NULL;
	if ((ssz != 512 && ssz != 4096) || nsectors < 4 || head_len < 2 * (size_t)ssz ||
	    tail_len < ssz || tail_len % ssz || tail_len / ssz > nsectors) {
		*why = "disk too small or sector size not 512 or 4096";
		return GPT_BAD;
	}
	g->ssz = ssz;
	g->nsectors = nsectors;
	/* The tail window holds the last tail_len / ssz sectors. */
	tail_lba = nsectors - tail_len / ssz;
	have_sig = memcmp(head + ssz, gpt_sig, 8) == 0 ||
		   memcmp(tail + tail_len - ssz, gpt_sig, 8) == 0;
	if (head[510] != 0x55 || head[511] != 0xaa) {
		if (!have_sig) {
			*why = "no partition table";
			return GPT_NONE;
		}
		*why = "GPT without a protective MBR";
		return GPT_BAD;
	}
	memcpy(g->mbr, head, ssz);
	if (pmbr_check(g, head) < 0) {
		*why = "an MBR partition table, not GPT";
		return GPT_BAD;
	}

	/* The primary at LBA 1, its array inside the head window. */
	if (hdr_check(head + ssz, ssz, nsectors, 1, &ph, &pwhy) == 0) {
		if (ph.entlba + ph.sectors > head_len / ssz)
			pwhy = "GPT primary entry array beyond the first 18 KiB: not supported";
		else if (array_check(g, &ph, head + ph.entlba * ssz, &pwhy) == 0)
			g->primary_ok = 1;
	}
	/* The backup at the last LBA, its array inside the tail window. */
	if (hdr_check(tail + tail_len - ssz, ssz, nsectors, nsectors - 1, &bh, &bwhy) == 0) {
		if (bh.alt != 1)
			bwhy = "GPT backup header's AlternateLBA is not 1";
		else if (bh.entlba < tail_lba)
			bwhy = "GPT backup entry array outside the last 17 KiB: not supported";
		else if (g->primary_ok) {
			/* Only checked, not used: the primary's entries stay. */
			if (gpt_crc32(0, tail + (bh.entlba - tail_lba) * ssz, bh.bytes) != bh.arrcrc)
				bwhy = "GPT backup entry array CRC mismatch";
			else
				g->backup_ok = 1;
		} else if (array_check(g, &bh, tail + (bh.entlba - tail_lba) * ssz, &bwhy) == 0) {
			g->backup_ok = 1;
		}
	}
	if (!g->primary_ok && !g->backup_ok) {
		*why = pwhy ? pwhy : bwhy;
		return GPT_BAD;
	}
	if (g->primary_ok) {
		const struct hdr *h = &ph;

		if (g->backup_ok && (memcmp(bh.guid, ph.guid, 16) != 0 || bh.arrcrc != ph.arrcrc ||
				     bh.first != ph.first || bh.last != ph.last))
			g->backup_ok = 0;	/* disagrees: the primary wins (5.3.2) */
		g->backup_at_end = g->backup_ok || ph.alt == nsectors - 1;
		arr = head + ph.entlba * ssz;
		g->first_usable = h->first;
		g->last_usable = h->last;
		g->alternate_lba = h->alt;
		g->primary_array_lba = h->entlba;
		g->nentries = h->nent;
		g->entry_size = h->entsz;
		g->array_bytes = h->bytes;
		memcpy(g->disk_guid, h->guid, 16);
	} else {
		/* The primary is rebuilt from the backup, its array at LBA 2;
		 * that must fit before the usable range. */
		arr = tail + (bh.entlba - tail_lba) * ssz;
		if (2 + (uint64_t)bh.sectors > bh.first) {
			*why = "GPT backup leaves no room for the primary entry array";
			return GPT_BAD;
		}
		g->backup_at_end = 1;
		g->first_usable = bh.first;
		g->last_usable = bh.last;
		g->alternate_lba = 1;
		g->primary_array_lba = 2;
		g->nentries = bh.nent;
		g->entry_size = bh.entsz;
		g->array_bytes = bh.bytes;
		memcpy(g->disk_guid, bh.guid, 16);
	}
	memcpy(g->array, arr, g->array_bytes);
	return GPT_OK;
}

static int name_eq(const uint16_t *name, const char *ascii)
{
	size_t i;

	for (i = 0; i < GPT_NAME_UNITS; i++) {
		if (name[i] != (uint8_t)ascii[i])
			return 0;
		if (!ascii[i])
			return 1;
	}
	return ascii[i] == '\0';
}

const struct gpt_part *gpt_find(const struct gpt *g, const uint8_t type[16], const char *name)
{
	unsigned i;

	for (i = 0; i < g->nparts; i++)
		if (memcmp(g->part[i].type, type, 16) == 0 && (!name || name_eq(g->part[i].name, name)))
			return &g->part[i];
	return NULL;
}

void gpt_name_set(uint16_t name[GPT_NAME_UNITS], const char *ascii)
{
	size_t i;

	memset(name, 0, GPT_NAME_UNITS * sizeof(name[0]));
	for (i = 0; i < GPT_NAME_UNITS && ascii[i]; i++)
		name[i] = (uint8_t)ascii[i];
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The text form's byte order: the first three fields little-endian on
 * disk (UEFI 2.10 appendix A). */
static const uint8_t guid_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

int gpt_guid_parse(const char *s, uint8_t out[16])
{
	uint8_t b[16];
	int i, n = 0, hi, lo;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		hi = hexval((unsigned char)s[i]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[i + 1]);
		if (lo < 0)
			return -1;
		b[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	if (s[36] != '\0')
		return -1;
	for (i = 0; i < 16; i++)
		out[guid_order[i]] = b[i];
	return 0;
}

void gpt_guid_format(const uint8_t g[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	int i, n = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[n++] = '-';
		out[n++] = hex[g[guid_order[i]] >> 4];
		out[n++] = hex[g[guid_order[i]] & 15];
	}
	out[n] = '\0';
}

static void hdr_build(uint8_t *h, uint32_t ssz, const struct gpt *g, uint64_t my, uint64_t alt,
		      uint64_t last_usable, uint64_t entlba, uint32_t arrcrc)
{
	memset(h, 0, ssz);
	memcpy(h + H_SIG, gpt_sig, 8);
	put32(h + H_REV, 0x00010000);
	put32(h + H_SIZE, GPT_HEADER_SIZE);
	put64(h + H_MYLBA, my);
	put64(h + H_ALT, alt);
	put64(h + H_FIRST, g->first_usable);
	put64(h + H_LAST, last_usable);
	memcpy(h + H_GUID, g->disk_guid, 16);
	put64(h + H_ENTLBA, entlba);
	put32(h + H_NENT, g->nentries);
	put32(h + H_ENTSZ, g->entry_size);
	put32(h + H_ARRCRC, arrcrc);
	put32(h + H_CRC, gpt_crc32(0, h, GPT_HEADER_SIZE));
}

static void plan_add(struct gpt_plan *p, uint64_t lba, uint32_t nsectors, uint32_t off)
{
	p->w[p->n].lba = lba;
	p->w[p->n].nsectors = nsectors;
	p->w[p->n].off = off;
	p->n++;
}

int gpt_plan(const struct gpt *g, const struct gpt_request *rq, struct gpt_plan *p,
	     uint8_t *buf, size_t len, const char **why)
{
	uint32_t ssz = g->ssz, asec, crc, i;
	uint64_t last_lba, barr, last_usable, max_end, align, first = 0, last = 0;
	const struct gpt_part *grow = NULL;
	uint8_t *arr, *e;
	int changed;

	memset(p, 0, sizeof(*p));
	p->index = -1;
	*why = NULL;
	if (len < GPT_PLAN_BYTES || (ssz != 512 && ssz != 4096) || g->array_bytes == 0 ||
	    g->array_bytes > GPT_MAX_ARRAY_BYTES) {
		*why = "bad plan arguments";
		errno = EINVAL;
		return -1;
	}
	align = rq->align ? rq->align : 1;
	asec = (g->array_bytes + ssz - 1) / ssz;
	last_lba = g->nsectors - 1;
	if (asec + 1 > last_lba) {
		*why = "disk too small";
		errno = EINVAL;
		return -1;
	}
	barr = last_lba - asec;
	last_usable = barr - 1;
	max_end = g->first_usable - 1;
	for (i = 0; i < g->nparts; i++)
		if (g->part[i].last > max_end)
			max_end = g->part[i].last;
	/* The disk never shrinks under a partition. */
	if (last_usable < max_end || last_usable < g->first_usable ||
	    g->primary_array_lba + asec > g->first_usable) {
		*why = "the disk is smaller than its partition table";
		errno = EINVAL;
		return -1;
	}
	arr = buf + 3 * GPT_MAX_SECTOR;	/* the array, padded to whole sectors */
	memset(arr, 0, (size_t)asec * ssz);
	memcpy(arr, g->array, g->array_bytes);
	changed = !g->primary_ok || !g->backup_ok || !g->backup_at_end ||
		  g->alternate_lba != last_lba || last_usable != g->last_usable;

	if (rq->op == GPT_OP_GROW) {
		for (i = 0; i < g->nparts; i++)
			if (g->part[i].index == rq->grow_index)
				grow = &g->part[i];
		if (!grow || grow->last != max_end) {
			*why = "only the last partition can grow";
			errno = EINVAL;
			return -1;
		}
		first = grow->first;
		last = (last_usable + 1) / align * align;
		last = last > 0 ? last - 1 : 0;
		p->old_last = grow->last;
		if (last > grow->last) {
			e = arr + (size_t)grow->index * g->entry_size;
			put64(e + E_LAST, last);
			changed = 1;
		} else {
			last = grow->last;
		}
		p->index = (int)grow->index;
	} else if (rq->op == GPT_OP_ADD) {
		uint64_t start = max_end + 1;

		if (all_zero(rq->type, 16)) {
			*why = "a new partition needs a type";
			errno = EINVAL;
			return -1;
		}
		for (i = 0; i < g->nentries; i++)
			if (all_zero(arr + (size_t)i * g->entry_size, 16))
				break;
		if (i == g->nentries) {
			*why = "no free GPT entry";
			errno = ENOSPC;
			return -1;
		}
		if (start < rq->min_start)
			start = rq->min_start;
		if (start > UINT64_MAX - align) {
			*why = "no free space";
			errno = ENOSPC;
			return -1;
		}
		start = (start + align - 1) / align * align;
		last = (last_usable + 1) / align * align;
		if (last <= start || last - start < (rq->min_size ? rq->min_size : 1)) {
			*why = "no free space";
			errno = ENOSPC;
			return -1;
		}
		last--;
		first = start;
		e = arr + (size_t)i * g->entry_size;
		memset(e, 0, g->entry_size);
		memcpy(e + E_TYPE, rq->type, 16);
		memcpy(e + E_GUID, rq->guid, 16);
		put64(e + E_FIRST, first);
		put64(e + E_LAST, last);
		for (i = 0; i < GPT_NAME_UNITS; i++) {
			e[E_NAME + 2 * i] = (uint8_t)rq->name[i];
			e[E_NAME + 2 * i + 1] = (uint8_t)(rq->name[i] >> 8);
		}
		p->index = (int)((e - arr) / g->entry_size);
		changed = 1;
	} else if (rq->op != GPT_OP_NONE) {
		*why = "unknown operation";
		errno = EINVAL;
		return -1;
	}
	p->first = first;
	p->last = last;
	if (!changed)
		return 0;

	crc = gpt_crc32(0, arr, g->array_bytes);
	/* Backup array and header at the end, then the primary. */
	plan_add(p, barr, asec, 3 * GPT_MAX_SECTOR);
	hdr_build(buf + GPT_MAX_SECTOR, ssz, g, last_lba, 1, last_usable, barr, crc);
	plan_add(p, last_lba, 1, GPT_MAX_SECTOR);
	plan_add(p, g->primary_array_lba, asec, 3 * GPT_MAX_SECTOR);
	hdr_build(buf + 2 * GPT_MAX_SECTOR, ssz, g, 1, last_lba, last_usable,
		  g->primary_array_lba, crc);
	plan_add(p, 1, 1, 2 * GPT_MAX_SECTOR);
	/* The protective MBR covers the whole disk (5.2.3: SizeInLBA is
	 * the disk's size minus one, or 0xFFFFFFFF); a hybrid MBR is left. */
	if (g->pmbr_sole) {
		uint64_t want = g->nsectors - 1 > 0xffffffffu ? 0xffffffffu : g->nsectors - 1;

		if (g->pmbr_size != want) {
			memcpy(buf, g->mbr, ssz);
			put32(buf + 446 + 12, (uint32_t)want);
			plan_add(p, 0, 1, 0);
		}
	}

	/* The contract, checked here as well: inside the disk, inside the
	 * buffer, outside every partition (the new one included). */
	for (i = 0; i < p->n; i++) {
		const struct gpt_write *w = &p->w[i];
		unsigned j;

		if (w->nsectors == 0 || w->lba >= g->nsectors || w->nsectors > g->nsectors - w->lba ||
		    (size_t)w->off + (size_t)w->nsectors * ssz > len)
			goto bad;
		for (j = 0; j < g->nparts; j++)
			if (w->lba <= g->part[j].last && g->part[j].first < w->lba + w->nsectors)
				goto bad;
		if (p->index >= 0 && w->lba <= p->last && p->first < w->lba + w->nsectors)
			goto bad;
	}
	return 0;
bad:
	p->n = 0;
	*why = "internal error: a planned write would leave the GPT's own sectors";
	errno = EINVAL;
	return -1;
}

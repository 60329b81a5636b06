/* test_gpt.c - the GPT parser and planner on tables built here, on one
 * sfdisk wrote (the fuzz corpus), and on damaged and hostile ones. Plans
 * are applied to the disk in memory and the result parsed again. */
#include "check.h"
#include "pure/gpt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB(ssz) (1048576u / (ssz))

static uint8_t *disk;
static size_t disk_bytes;

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

struct tpart { uint64_t first, last; const uint8_t *type; const char *name; };

/* A table as sfdisk would write it: 128 entries, backup at the end. */
static void mk_header(uint8_t *h, uint64_t my, uint64_t alt, uint64_t first, uint64_t last,
		      uint64_t entlba, uint32_t arrcrc)
{
	memset(h, 0, 92);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x10000);
	put32(h + 12, 92);
	put64(h + 24, my);
	put64(h + 32, alt);
	put64(h + 40, first);
	put64(h + 48, last);
	memset(h + 56, 0xab, 16);
	put64(h + 72, entlba);
	put32(h + 80, 128);
	put32(h + 84, 128);
	put32(h + 88, arrcrc);
	put32(h + 16, gpt_crc32(0, h, 92));
}

static void mk_disk(uint32_t ssz, uint64_t nsectors, const struct tpart *parts, int n)
{
	uint8_t arr[GPT_MAX_ARRAY_BYTES];
	uint32_t asec = GPT_MAX_ARRAY_BYTES / ssz, crc;
	uint64_t last = nsectors - 1;
	int i, j;

	free(disk);
	disk_bytes = (size_t)nsectors * ssz;
	disk = calloc(1, disk_bytes);
	memset(arr, 0, sizeof(arr));
	for (i = 0; i < n; i++) {
		uint8_t *e = arr + 128 * i;

		memcpy(e, parts[i].type, 16);
		memset(e + 16, i + 1, 16);
		put64(e + 32, parts[i].first);
		put64(e + 40, parts[i].last);
		for (j = 0; parts[i].name[j]; j++)
			e[56 + 2 * j] = (uint8_t)parts[i].name[j];
	}
	crc = gpt_crc32(0, arr, sizeof(arr));
	disk[446 + 4] = 0xee;
	put32(disk + 446 + 8, 1);
	put32(disk + 446 + 12, nsectors - 1 > 0xffffffffu ? 0xffffffffu : (uint32_t)(nsectors - 1));
	disk[510] = 0x55;
	disk[511] = 0xaa;
	memcpy(disk + 2 * ssz, arr, sizeof(arr));
	mk_header(disk + ssz, 1, last, 2 + asec, last - asec - 1, 2, crc);
	memcpy(disk + (last - asec) * ssz, arr, sizeof(arr));
	mk_header(disk + last * ssz, last, 1, 2 + asec, last - asec - 1, last - asec, crc);
}

/* The disk grew: zeros appended, the old backup where it was. */
static void grow_disk(size_t new_bytes)
{
	disk = realloc(disk, new_bytes);
	memset(disk + disk_bytes, 0, new_bytes - disk_bytes);
	disk_bytes = new_bytes;
}

static enum gpt_status parse(struct gpt *g, uint32_t ssz, const char **why)
{
	size_t head = GPT_HEAD_BYTES(ssz), tail = GPT_TAIL_BYTES(ssz);

	if (head > disk_bytes)
		head = disk_bytes;
	if (tail > disk_bytes)
		tail = disk_bytes / ssz * ssz;
	return gpt_parse(g, disk, head, disk + disk_bytes - tail, tail, ssz, disk_bytes / ssz, why);
}

static uint8_t planbuf[GPT_PLAN_BYTES];

static int apply(const struct gpt *g, const struct gpt_plan *p)
{
	unsigned i;

	for (i = 0; i < p->n; i++) {
		if ((p->w[i].lba + p->w[i].nsectors) * g->ssz > disk_bytes)
			return -1;
		memcpy(disk + p->w[i].lba * g->ssz, planbuf + p->w[i].off, (size_t)p->w[i].nsectors * g->ssz);
	}
	return 0;
}

static struct gpt g, g2;

static void test_crc_guid(void)
{
	uint8_t b[16];
	char s[37];

	CHECK(gpt_crc32(0, "123456789", 9) == 0xcbf43926u);	/* the check value */
	CHECK(gpt_guid_parse("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", b) == 0);
	CHECK(memcmp(b, gpt_type_esp, 16) == 0);
	CHECK(gpt_guid_parse("3b8f8425-20e0-4f3b-907f-1a25a76f98e8", b) == 0);
	CHECK(memcmp(b, gpt_type_srv, 16) == 0);
	gpt_guid_format(gpt_type_srv, s);
	CHECK(strcmp(s, "3b8f8425-20e0-4f3b-907f-1a25a76f98e8") == 0);
	CHECK(gpt_guid_parse("3b8f8425-20e0-4f3b-907f-1a25a76f98e", b) < 0);
	CHECK(gpt_guid_parse("3b8f8425x20e0-4f3b-907f-1a25a76f98e8", b) < 0);
	CHECK(gpt_guid_parse("3b8f8425-20e0-4f3b-907f-1a25a76f98e8a", b) < 0);
	CHECK(gpt_guid_parse("3b8f8425-20e0-4f3b-907f-1a25a76f98eg", b) < 0);
}

static void test_basic(uint32_t ssz)
{
	struct tpart esp = { 40 * 512 / ssz + 0, 4095 * 512 / ssz, gpt_type_esp, "minilinux-esp" };
	struct gpt_request rq;
	struct gpt_plan p;
	const struct gpt_part *d;
	const char *why;
	uint64_t n = 64 * MIB(ssz);

	esp.first = ssz == 512 ? 40 : 6;
	esp.last = 4 * MIB(ssz) - 1;
	mk_disk(ssz, n, &esp, 1);
	CHECK(parse(&g, ssz, &why) == GPT_OK);
	CHECK(g.primary_ok && g.backup_ok && g.backup_at_end);
	CHECK(g.nparts == 1 && gpt_find(&g, gpt_type_esp, "minilinux-esp") != NULL);
	CHECK(gpt_find(&g, gpt_type_esp, "minilinux") == NULL);
	CHECK(gpt_find(&g, gpt_type_srv, NULL) == NULL);

	/* Nothing to do on a disk whose table is whole and at its end. */
	memset(&rq, 0, sizeof(rq));
	CHECK(gpt_plan(&g, &rq, &p, planbuf, sizeof(planbuf), &why) == 0 && p.n == 0);

	/* Add the data partition in the free space, 1 MiB aligned, after 16 MiB. */
	rq.op = GPT_OP_ADD;
	memcpy(rq.type, gpt_type_srv, 16);
	memset(rq.guid, 0x5a, 16);
	gpt_name_set(rq.name, "minilinux-data");
	rq.align = MIB(ssz);
	rq.min_start = 16 * MIB(ssz);
	rq.min_size = 16 * MIB(ssz);
	CHECK(gpt_plan(&g, &rq, &p, planbuf, sizeof(planbuf), &why) == 0);
	CHECK(p.n == 4);	/* the MBR already covers the disk */
	CHECK(p.index == 1 && p.first == 16 * MIB(ssz));
	CHECK((p.last + 1) % MIB(ssz) == 0 && p.last < n - 33);
	CHECK(apply(&g, &p) == 0);
	CHECK(parse(&g2, ssz, &why) == GPT_OK && g2.primary_ok && g2.backup_ok && g2.backup_at_end);
	d = gpt_find(&g2, gpt_type_srv, "minilinux-data");
	CHECK(d && d->first == p.first && d->last == p.last && d->index == 1);
	CHECK(g2.nparts == 2 && g2.part[0].first == esp.first && g2.part[0].last == esp.last);

	/* Once there it is found, and there is nothing to grow. */
	memset(&rq, 0, sizeof(rq));
	rq.op = GPT_OP_GROW;
	rq.grow_index = 1;
	rq.align = MIB(ssz);
	CHECK(gpt_plan(&g2, &rq, &p, planbuf, sizeof(planbuf), &why) == 0 && p.n == 0);
	CHECK(p.index == 1 && p.last == d->last && p.old_last == d->last);
	/* The ESP is not the last partition: it cannot grow. */
	rq.grow_index = 0;
	CHECK(gpt_plan(&g2, &rq, &p, planbuf, sizeof(planbuf), &why) < 0 && errno == EINVAL);

	/* The disk grows by 100 MiB: the backup moves, the partition grows. */
	grow_disk(disk_bytes + 100 * (size_t)1048576);
	CHECK(parse(&g, ssz, &why) == GPT_OK);
	CHECK(g.primary_ok && !g.backup_at_end && g.nsectors == n + 100 * MIB(ssz));
	rq.grow_index = 1;
	CHECK(gpt_plan(&g, &rq, &p, planbuf, sizeof(planbuf), &why) == 0);
	CHECK(p.n == 5);	/* and the protective MBR's size */
	CHECK(p.old_last == d->last && p.last > d->last && (p.last + 1) % MIB(ssz) == 0);
	CHECK(p.w[0].lba > p.last && p.w[1].lba == g.nsectors - 1);
	CHECK(apply(&g, &p) == 0);
	CHECK(parse(&g2, ssz, &why) == GPT_OK && g2.primary_ok && g2.backup_ok && g2.backup_at_end);
	d = gpt_find(&g2, gpt_type_srv, "minilinux-data");
	CHECK(d && d->last == p.last && g2.last_usable == g2.nsectors - 2 - GPT_MAX_ARRAY_BYTES / ssz);
	CHECK((disk[446 + 12] | disk[446 + 13] << 8 | disk[446 + 14] << 16 | (uint32_t)disk[446 + 15] << 24) ==
	      g2.nsectors - 1);

	/* A full disk: no room for another partition. */
	memset(&rq, 0, sizeof(rq));
	rq.op = GPT_OP_ADD;
	memcpy(rq.type, gpt_type_srv, 16);
	rq.align = MIB(ssz);
	rq.min_size = MIB(ssz);
	CHECK(gpt_plan(&g2, &rq, &p, planbuf, sizeof(planbuf), &why) < 0 && errno == ENOSPC);
}

static void test_damaged(void)
{
	struct tpart esp = { 40, 4095, gpt_type_esp, "minilinux-esp" };
	struct gpt_request rq;
	struct gpt_plan p;
	const char *why;
	uint64_t n = 32 * 2048;
	uint8_t save[512];

	/* The primary header damaged: the backup is used, the primary rebuilt. */
	mk_disk(512, n, &esp, 1);
	disk[512 + 60] ^= 1;
	CHECK(parse(&g, 512, &why) == GPT_OK && !g.primary_ok && g.backup_ok && g.nparts == 1);
	memset(&rq, 0, sizeof(rq));
	CHECK(gpt_plan(&g, &rq, &p, planbuf, sizeof(planbuf), &why) == 0 && p.n == 4);
	CHECK(apply(&g, &p) == 0);
	CHECK(parse(&g2, 512, &why) == GPT_OK && g2.primary_ok && g2.backup_ok);
	/* The primary array damaged. */
	mk_disk(512, n, &esp, 1);
	disk[1024 + 40] ^= 0x80;
	CHECK(parse(&g, 512, &why) == GPT_OK && !g.primary_ok && g.backup_ok);
	/* Both damaged: never touched. */
	disk[(n - 1) * 512 + 30] ^= 1;
	CHECK(parse(&g, 512, &why) == GPT_BAD && why != NULL);
	/* The backup damaged: the primary is used, the backup rewritten. */
	mk_disk(512, n, &esp, 1);
	disk[(n - 1) * 512 + 30] ^= 1;
	CHECK(parse(&g, 512, &why) == GPT_OK && g.primary_ok && !g.backup_ok);
	CHECK(gpt_plan(&g, &rq, &p, planbuf, sizeof(planbuf), &why) == 0 && p.n == 4);
	CHECK(apply(&g, &p) == 0 && parse(&g2, 512, &why) == GPT_OK && g2.backup_ok);

	/* Blank: no table. An MBR disk, or a GPT without its MBR: refused. */
	memset(disk, 0, disk_bytes);
	CHECK(parse(&g, 512, &why) == GPT_NONE);
	disk[510] = 0x55;
	disk[511] = 0xaa;
	disk[446 + 4] = 0x83;
	CHECK(parse(&g, 512, &why) == GPT_BAD);
	mk_disk(512, n, &esp, 1);
	disk[510] = 0;
	CHECK(parse(&g, 512, &why) == GPT_BAD);

	/* Hostile: overlapping entries, an entry outside the usable range, a
	 * huge array, a disk smaller than its table. */
	{
		struct tpart two[2] = { { 40, 4095, gpt_type_esp, "a" }, { 4000, 8000, gpt_type_srv, "b" } };

		mk_disk(512, n, two, 2);
		CHECK(parse(&g, 512, &why) == GPT_BAD);
		two[1].first = 4096;
		two[1].last = n - 10;
		mk_disk(512, n, two, 2);
		CHECK(parse(&g, 512, &why) == GPT_BAD);
	}
	mk_disk(512, n, &esp, 1);
	put32(disk + 512 + 80, 0x10000000);
	put32(disk + 512 + 16, 0);
	put32(disk + 512 + 16, gpt_crc32(0, disk + 512, 92));
	CHECK(parse(&g, 512, &why) == GPT_OK && !g.primary_ok);	/* the backup is fine */
	mk_disk(512, n, &esp, 1);
	memcpy(save, disk + (n - 1) * 512, 512);
	disk_bytes -= 2048 * 512;	/* shrunk: the primary's AlternateLBA is past the end */
	CHECK(parse(&g, 512, &why) == GPT_BAD);
	disk_bytes += 2048 * 512;
	(void)save;
}

/* A table sfdisk made (tests/fuzz/corpus/gpt/sfdisk: 2 flag bytes, then
 * the disk), as image/disk.sh makes the image's. */
static void test_sfdisk(void)
{
	static uint8_t buf[1 << 20];
	FILE *f = fopen("tests/fuzz/corpus/gpt/sfdisk", "rb");
	size_t n;
	const char *why;

	CHECK(f != NULL);
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	CHECK(n > 2 && (n - 2) % 512 == 0);
	free(disk);
	disk_bytes = n - 2;
	disk = malloc(disk_bytes);
	memcpy(disk, buf + 2, disk_bytes);
	CHECK(parse(&g, 512, &why) == GPT_OK && g.primary_ok && g.backup_ok && g.backup_at_end);
	CHECK(gpt_find(&g, gpt_type_esp, "minilinux-esp") != NULL);
}

/* Every length of the head window, and every byte of the primary header
 * flipped: no crash, no read outside (ASan), never a half-parsed table. */
static void test_truncated(void)
{
	struct tpart esp = { 40, 4095, gpt_type_esp, "minilinux-esp" };
	uint64_t n = 8192;
	size_t len, i;
	const char *why;
	uint8_t *copy;

	mk_disk(512, n, &esp, 1);
	for (len = 0; len <= GPT_HEAD_BYTES(512); len += 64) {
		copy = malloc(len ? len : 1);
		memcpy(copy, disk, len);
		if (gpt_parse(&g, copy, len, disk + disk_bytes - 512, 512, 512, n, &why) == GPT_OK)
			CHECK(g.nparts == 1);
		free(copy);
	}
	for (i = 512; i < 1024; i++) {
		disk[i] ^= 0x41;
		if (parse(&g, 512, &why) == GPT_OK)
			CHECK(g.nparts == 1 && g.part[0].first == 40);
		disk[i] ^= 0x41;
	}
}

int main(void)
{
	test_crc_guid();
	test_basic(512);
	test_basic(4096);
	test_damaged();
	test_sfdisk();
	test_truncated();
	free(disk);
	return check_done("test_gpt");
}

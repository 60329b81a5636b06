/* fuzz_gpt.c - libFuzzer target: a hostile disk's GPT, parsed, a change
 * planned, the plan applied to the disk in memory.
 *
 * Input: byte 0: bits 0-1 the operation (none, add, grow the last
 * partition), bit 2 a 4096-byte sector disk; byte 1: how far the disk
 * grew (byte1 * 8 sectors); then the disk's sectors.
 *
 * Asserted: every planned write is inside the (grown) disk and inside
 * the plan buffer, overlaps no partition of the table (nor the new or
 * grown one); the result parses again as a whole GPT (both tables, the
 * backup at the end) with every old partition where it was, and the
 * added or grown one where the plan said. */
#include "pure/gpt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t planbuf[GPT_PLAN_BYTES];
static struct gpt g, g2;

static enum gpt_status parse(struct gpt *t, const uint8_t *d, size_t bytes, uint32_t ssz)
{
	size_t head = GPT_HEAD_BYTES(ssz), tail = GPT_TAIL_BYTES(ssz);
	const char *why;

	if (head > bytes)
		head = bytes;
	if (tail > bytes)
		tail = bytes / ssz * ssz;
	return gpt_parse(t, d, head, d + bytes - tail, tail, ssz, bytes / ssz, &why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gpt_request rq;
	struct gpt_plan p;
	const struct gpt_part *q;
	uint32_t ssz;
	size_t bytes, grow;
	uint8_t *disk;
	const char *why;
	unsigned i, j;
	int r;

	if (size < 2)
		return 0;
	ssz = data[0] & 4 ? 4096 : 512;
	grow = (size_t)data[1] * 8 * ssz;
	bytes = (size - 2) / ssz * ssz;
	if (bytes < 4 * ssz)
		return 0;
	disk = calloc(1, bytes + grow);
	if (!disk)
		return 0;
	memcpy(disk, data + 2, bytes);
	bytes += grow;
	if (parse(&g, disk, bytes, ssz) != GPT_OK) {
		free(disk);
		return 0;
	}
	memset(&rq, 0, sizeof(rq));
	rq.align = data[0] & 8 ? 8 : 1;
	if ((data[0] & 3) == 1) {
		rq.op = GPT_OP_ADD;
		memcpy(rq.type, gpt_type_srv, 16);
		memset(rq.guid, 0x77, 16);
		gpt_name_set(rq.name, "minilinux-data");
		rq.min_start = data[0] >> 4;
		rq.min_size = 2;
	} else if ((data[0] & 3) == 2 && g.nparts) {
		rq.op = GPT_OP_GROW;
		for (i = 1, j = 0; i < g.nparts; i++)
			if (g.part[i].last > g.part[j].last)
				j = i;
		rq.grow_index = g.part[j].index;
	}
	r = gpt_plan(&g, &rq, &p, planbuf, sizeof(planbuf), &why);
	if (r < 0) {
		free(disk);
		return 0;
	}
	if (p.n > GPT_MAX_WRITES)
		__builtin_trap();
	for (i = 0; i < p.n; i++) {
		const struct gpt_write *w = &p.w[i];

		if (w->nsectors == 0 || w->lba + w->nsectors > bytes / ssz ||
		    (size_t)w->off + (size_t)w->nsectors * ssz > sizeof(planbuf))
			__builtin_trap();
		for (j = 0; j < g.nparts; j++)
			if (w->lba <= g.part[j].last && g.part[j].first < w->lba + w->nsectors)
				__builtin_trap();
		if (p.index >= 0 && w->lba <= p.last && p.first < w->lba + w->nsectors)
			__builtin_trap();
		memcpy(disk + w->lba * ssz, planbuf + w->off, (size_t)w->nsectors * ssz);
	}
	if (p.n == 0) {
		free(disk);
		return 0;
	}
	/* Written: a whole table, the old partitions unmoved. */
	if (parse(&g2, disk, bytes, ssz) != GPT_OK || !g2.primary_ok || !g2.backup_ok ||
	    !g2.backup_at_end)
		__builtin_trap();
	for (i = 0; i < g.nparts; i++) {
		for (j = 0; j < g2.nparts; j++)
			if (g2.part[j].index == g.part[i].index)
				break;
		if (j == g2.nparts || g2.part[j].first != g.part[i].first ||
		    (g2.part[j].last != g.part[i].last && (int)g.part[i].index != p.index))
			__builtin_trap();
	}
	if (p.index >= 0) {
		q = NULL;
		for (j = 0; j < g2.nparts; j++)
			if ((int)g2.part[j].index == p.index)
				q = &g2.part[j];
		if (!q || q->first != p.first || q->last != p.last || q->last < p.old_last)
			__builtin_trap();
	}
	free(disk);
	return 0;
}

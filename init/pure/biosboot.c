/* biosboot.c - the slots under legacy BIOS (biosboot.h, docs/update.md). */
#include "pure/biosboot.h"
#include "pure/bundle.h"

#include <stdio.h>
#include <string.h>

#define SECTOR 512u

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

int bios_pe_parse(const uint8_t *head, size_t len, uint64_t file_size, struct bios_pe *pe,
		  const char **why)
{
	static const char *const want[] = { ".linux", ".initrd", ".cmdline" };
	uint32_t off[3] = { 0 }, size[3] = { 0 };
	uint32_t lfanew, nsect, optsize, i, k;
	int found = 0;

	memset(pe, 0, sizeof(*pe));
	*why = "not a PE file";
	if (len < 0x40 || head[0] != 'M' || head[1] != 'Z')
		return -1;
	lfanew = get32(head + 0x3c);
	if (lfanew > len || len - lfanew < 24 || memcmp(head + lfanew, "PE\0\0", 4) != 0)
		return -1;
	nsect = get16(head + lfanew + 6);
	optsize = get16(head + lfanew + 20);
	if ((uint64_t)lfanew + 24 + optsize + (uint64_t)nsect * 40 > len) {
		*why = "section table beyond the headers read";
		return -1;
	}
	for (i = 0; i < nsect; i++) {
		const uint8_t *s = head + lfanew + 24 + optsize + (size_t)i * 40;

		for (k = 0; k < 3; k++) {
			size_t n = strlen(want[k]);

			/* Names are 8 bytes, NUL-padded. */
			if (memcmp(s, want[k], n) != 0 || (n < 8 && s[n] != '\0'))
				continue;
			if (found & (1 << k)) {
				*why = "a section twice";
				return -1;
			}
			found |= 1 << k;
			/* VirtualSize is the data's length; SizeOfRawData is
			 * rounded up to the file alignment. */
			size[k] = get32(s + 8);
			off[k] = get32(s + 20);
			if (size[k] > get32(s + 16) || (uint64_t)off[k] + size[k] > file_size) {
				*why = "a section beyond the end of the file";
				return -1;
			}
		}
	}
	if (found != 7) {
		*why = "no .linux, .initrd or .cmdline section";
		return -1;
	}
	if (off[0] % SECTOR || off[1] % SECTOR) {
		*why = ".linux or .initrd not at a 512-byte boundary";
		return -1;
	}
	if (size[0] == 0 || size[1] == 0) {
		*why = "an empty .linux or .initrd";
		return -1;
	}
	/* GRUB reads whole sectors: the last one must be in the file too. */
	if ((uint64_t)off[0] + (size[0] + SECTOR - 1) / SECTOR * SECTOR > file_size ||
	    (uint64_t)off[1] + (size[1] + SECTOR - 1) / SECTOR * SECTOR > file_size) {
		*why = "the last sector of .linux or .initrd beyond the end of the file";
		return -1;
	}
	if (size[2] >= BIOS_CMDLINE_MAX) {
		*why = "the command line is too long";
		return -1;
	}
	pe->linux_sector = off[0] / SECTOR;
	pe->linux_sectors = (size[0] + SECTOR - 1) / SECTOR;
	pe->initrd_sector = off[1] / SECTOR;
	pe->initrd_sectors = (size[1] + SECTOR - 1) / SECTOR;
	pe->cmdline_off = off[2];
	pe->cmdline_len = size[2];
	return 0;
}

int bios_cmdline_ok(const char *s, size_t len)
{
	size_t i;

	if (len >= BIOS_CMDLINE_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\' || s[i] == '$')
			return 0;
	return 1;
}

/* A slot's file name: the versions' alphabet (bundle.h), nothing GRUB
 * would read as script. */
static int name_ok(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len < BIOS_NAME_MAX && bundle_chars_ok(s, len);
}

int bios_cfg_format(const struct bios_entry *e, int n, char *out, size_t cap)
{
	size_t used = 0;
	int i, r;

#define PUT(...) do { \
	r = snprintf(out + used, cap - used, __VA_ARGS__); \
	if (r < 0 || (size_t)r >= cap - used) \
		return -1; \
	used += (size_t)r; \
} while (0)
	if (cap == 0 || n < 0 || n > BIOS_ENTRIES_MAX)
		return -1;
	out[0] = '\0';
	PUT("# Written by /init: the slots in boot order, for GRUB under BIOS (docs/update.md).\n");
	for (i = 0; i < n; i++) {
		const char *indent = "";

		if (!name_ok(e[i].name) || !bios_cmdline_ok(e[i].cmdline, strlen(e[i].cmdline)))
			return -1;
		if (i == 0 && e[i].once) {
			/* One start of a trial: if it never gets to commit,
			 * the next boot is the entry after it. */
			PUT("if [ \"$%s\" != \"%s\" ]; then\n\tset %s=\"%s\"\n\tsave_env -f $prefix/grubenv %s\n",
			    BIOS_ENV_TRIED, e[i].name, BIOS_ENV_TRIED, e[i].name, BIOS_ENV_TRIED);
			indent = "\t";
		}
		PUT("%sml_boot \"/EFI/Linux/%s\" %u+%u %u+%u \"%s\"\n", indent, e[i].name,
		    e[i].pe.linux_sector, e[i].pe.linux_sectors, e[i].pe.initrd_sector,
		    e[i].pe.initrd_sectors, e[i].cmdline);
		if (*indent)
			PUT("fi\n");
	}
	PUT("echo \"minilinux: no system on this disk could be started\"\n");
#undef PUT
	return (int)used;
}

int bios_env_tried(const char *env, size_t len, char *name, size_t cap)
{
	static const char key[] = BIOS_ENV_TRIED "=";
	size_t i = 0, klen = sizeof(key) - 1;

	while (i < len) {
		const char *line = env + i, *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i;

		if (llen >= klen && memcmp(line, key, klen) == 0) {
			size_t vlen = llen - klen, k;

			if (vlen >= cap)
				return -1;
			/* GRUB writes a file name here: printable, no NUL. */
			for (k = 0; k < vlen; k++)
				if (line[klen + k] < 0x20 || line[klen + k] > 0x7e)
					return -1;
			memcpy(name, line + klen, vlen);
			name[vlen] = '\0';
			return (int)vlen;
		}
		i += llen + 1;
	}
	if (cap)
		name[0] = '\0';
	return 0;
}

/* test_biosboot.c - pure/biosboot.c: the sections of a UKI as GRUB reads
 * them under BIOS, the command lines it can be given, slots.cfg, and
 * grubenv. */
#include "pure/biosboot.h"
#include "check.h"

#include <stdint.h>
#include <string.h>

static uint8_t pe[BIOS_PE_HEAD];

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

/* A PE header at 0x80 with an optional header of 0xf0 bytes and the
 * sections NAMES at (offset, size) pairs. */
static void mkpe(int n, const char *const *names, const uint32_t *off, const uint32_t *size)
{
	uint8_t *s;
	int i;

	memset(pe, 0, sizeof(pe));
	pe[0] = 'M';
	pe[1] = 'Z';
	put32(pe + 0x3c, 0x80);
	memcpy(pe + 0x80, "PE\0\0", 4);
	put16(pe + 0x80 + 6, (uint32_t)n);
	put16(pe + 0x80 + 20, 0xf0);
	for (i = 0; i < n; i++) {
		s = pe + 0x80 + 24 + 0xf0 + 40 * i;
		memcpy(s, names[i], strlen(names[i]));
		put32(s + 8, size[i]);
		put32(s + 16, (size[i] + 511) / 512 * 512);
		put32(s + 20, off[i]);
	}
}

static const char *const uki[] = { ".text", ".osrel", ".cmdline", ".linux", ".initrd" };

static void t_pe(void)
{
	uint32_t off[] = { 0x400, 0x11400, 0x11600, 0x11800, 0x21cc00 };
	uint32_t size[] = { 0x1000, 0x36, 0x13, 0x20b400, 0xede8 };
	struct bios_pe p;
	const char *why;

	mkpe(5, uki, off, size);
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == 0);
	CHECK(p.linux_sector == 0x11800 / 512 && p.linux_sectors == 0x20b400 / 512);
	CHECK(p.initrd_sector == 0x21cc00 / 512 && p.initrd_sectors == (0xede8 + 511) / 512);
	CHECK(p.cmdline_off == 0x11600 && p.cmdline_len == 0x13);
	/* The initramfs's last sector must be in the file. */
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x21cc00 + 0xede8, &p, &why) == -1);
	/* Truncated: a section beyond the end. */
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x100000, &p, &why) == -1);
	/* Headers cut short. */
	CHECK(bios_pe_parse(pe, 0x200, 0x22eb61, &p, &why) == -1);
	CHECK(bios_pe_parse(pe, 0x30, 0x22eb61, &p, &why) == -1);
	/* An unaligned .initrd. */
	off[4] = 0x21cc10;
	mkpe(5, uki, off, size);
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == -1 && strstr(why, "512"));
	off[4] = 0x21cc00;
	/* No .initrd. */
	mkpe(4, uki, off, size);
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == -1);
	/* ".linuxx" is not ".linux". */
	{
		const char *const odd[] = { ".text", ".osrel", ".cmdline", ".linuxx", ".initrd" };

		mkpe(5, odd, off, size);
		CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == -1);
	}
	/* Not PE at all. */
	mkpe(5, uki, off, size);
	pe[0] = 'X';
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == -1);
	mkpe(5, uki, off, size);
	put32(pe + 0x3c, 0xffffff00u);
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == -1);
	/* A section table that claims more sections than were read. */
	mkpe(5, uki, off, size);
	put16(pe + 0x80 + 6, 0xffff);
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == -1);
	/* VirtualSize above SizeOfRawData. */
	mkpe(5, uki, off, size);
	put32(pe + 0x80 + 24 + 0xf0 + 40 * 3 + 8, 0x20b401 + 0x200);
	CHECK(bios_pe_parse(pe, sizeof(pe), 0x22eb61, &p, &why) == -1);
}

static void t_cmdline(void)
{
	CHECK(bios_cmdline_ok("console=tty0 console=ttyS0 quiet panic=1", 40));
	CHECK(bios_cmdline_ok("", 0));
	CHECK(!bios_cmdline_ok("a\"b", 3));
	CHECK(!bios_cmdline_ok("a$b", 3));
	CHECK(!bios_cmdline_ok("a\\b", 3));
	CHECK(!bios_cmdline_ok("a\nb", 3));
	CHECK(!bios_cmdline_ok("a\x80", 2));
}

static void t_cfg(void)
{
	struct bios_entry e[2];
	char out[4096];
	int n;

	memset(e, 0, sizeof(e));
	strcpy(e[0].name, "minilinux-000000002-v2+1.efi");
	e[0].pe = (struct bios_pe){ 140, 4530, 4670, 244, 0, 0 };
	strcpy(e[0].cmdline, "console=ttyS0 panic=1");
	e[0].once = 1;
	strcpy(e[1].name, "minilinux-000000001-v1.efi");
	e[1].pe = (struct bios_pe){ 140, 4529, 4669, 240, 0, 0 };
	strcpy(e[1].cmdline, "console=ttyS0 panic=1");
	n = bios_cfg_format(e, 2, out, sizeof(out));
	CHECK(n > 0 && (size_t)n == strlen(out));
	CHECK(strstr(out, "if [ \"$ml_tried\" != \"minilinux-000000002-v2+1.efi\" ]; then\n"
		      "\tset ml_tried=\"minilinux-000000002-v2+1.efi\"\n"
		      "\tsave_env -f $prefix/grubenv ml_tried\n"
		      "\tml_boot \"/EFI/Linux/minilinux-000000002-v2+1.efi\" 140+4530 4670+244 "
		      "\"console=ttyS0 panic=1\"\nfi\n"
		      "ml_boot \"/EFI/Linux/minilinux-000000001-v1.efi\" 140+4529 4669+240 "
		      "\"console=ttyS0 panic=1\"\n") != NULL);
	/* Once only applies to the first. */
	e[0].once = 0;
	e[1].once = 1;
	n = bios_cfg_format(e, 2, out, sizeof(out));
	CHECK(n > 0 && !strstr(out, "save_env"));
	/* Too small a buffer, a name or command line that cannot be quoted. */
	CHECK(bios_cfg_format(e, 2, out, 100) == -1);
	strcpy(e[1].cmdline, "x=\"; reboot");
	CHECK(bios_cfg_format(e, 2, out, sizeof(out)) == -1);
	strcpy(e[1].cmdline, "ok");
	strcpy(e[1].name, "a b.efi");
	CHECK(bios_cfg_format(e, 2, out, sizeof(out)) == -1);
	CHECK(bios_cfg_format(e, 0, out, sizeof(out)) > 0 && strstr(out, "no system"));
	CHECK(bios_cfg_format(e, 4, out, sizeof(out)) == -1);
}

static void t_env(void)
{
	static const char env[] = "# GRUB Environment Block\nml_tried=minilinux-000000002-v2+1.efi\n###";
	static const char none[] = "# GRUB Environment Block\nother=1\n#####";
	char name[64];

	CHECK(bios_env_tried(env, sizeof(env) - 1, name, sizeof(name)) == 28 &&
	      strcmp(name, "minilinux-000000002-v2+1.efi") == 0);
	CHECK(bios_env_tried(none, sizeof(none) - 1, name, sizeof(name)) == 0 && name[0] == '\0');
	CHECK(bios_env_tried(env, sizeof(env) - 1, name, 10) == -1);
	/* A key that only starts the same is another key. */
	CHECK(bios_env_tried("ml_tried_x=1\n", 13, name, sizeof(name)) == 0);
	/* A value with a NUL or a control character is no file name. */
	CHECK(bios_env_tried("ml_tried=a\0b\n", 13, name, sizeof(name)) == -1);
	CHECK(bios_env_tried("ml_tried=a\rb\n", 13, name, sizeof(name)) == -1);
	/* The last line without a newline. */
	CHECK(bios_env_tried("ml_tried=a", 10, name, sizeof(name)) == 1 && strcmp(name, "a") == 0);
}

int main(void)
{
	t_pe();
	t_cmdline();
	t_cfg();
	t_env();
	return check_done("test_biosboot");
}

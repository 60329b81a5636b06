/* test_bundle.c - the update bundle's header and the slots' file names:
 * good, bad and truncated headers (placed against a PROT_NONE page, so a
 * read past the end faults), the checks against this machine, and the
 * boot counter in file names as systemd-boot writes it. */
#include "check.h"
#include "pure/bundle.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint8_t *guard_base;
static size_t guard_room;

static int guard_init(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *m;

	m = mmap(NULL, pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE) < 0)
		return -1;
	guard_base = m;
	guard_room = pg;
	return 0;
}

static const uint8_t *guard_put(const uint8_t *s, size_t len)
{
	uint8_t *p = guard_base + guard_room - len;

	memcpy(p, s, len);
	return p;
}

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void make_header(uint8_t *b, const char *arch, const char *version, uint64_t uki_len)
{
	memset(b, 0, BUNDLE_HEADER_SIZE);
	memcpy(b, "MLUPDATE", 8);
	b[8] = BUNDLE_FORMAT;
	b[12] = BUNDLE_HEADER_SIZE;
	put64(b + 16, uki_len);
	memcpy(b + 24, arch, strlen(arch));
	memcpy(b + 40, version, strlen(version));
	memset(b + 104, 0xab, 32);
}

static int parse_why(const uint8_t *b, size_t len, struct bundle_header *h, const char **why)
{
	*why = NULL;
	return bundle_parse_header(guard_put(b, len), len, h, why);
}

static void test_header(void)
{
	uint8_t b[BUNDLE_HEADER_SIZE], c[BUNDLE_HEADER_SIZE];
	struct bundle_header h;
	const char *why;
	size_t i;
	int bad;

	make_header(b, "amd64", "1.2.3+git~rc-1_x", 1500000);
	CHECK(parse_why(b, sizeof(b), &h, &why) == 0);
	CHECK(strcmp(h.arch, "amd64") == 0 && strcmp(h.version, "1.2.3+git~rc-1_x") == 0);
	CHECK(h.uki_len == 1500000 && h.format == BUNDLE_FORMAT && h.uki_sha256[31] == 0xab);
	/* Every prefix is incomplete, never an error and never a read past it. */
	for (i = 0, bad = 0; i < sizeof(b); i++)
		bad += parse_why(b, i, &h, &why) != -2;
	CHECK(bad == 0);
	/* A 64-character version fills its field: no NUL needed. */
	make_header(b, "arm64", "0123456789012345678901234567890123456789012345678901234567890123", 600);
	CHECK(parse_why(b, sizeof(b), &h, &why) == 0 && strlen(h.version) == 64);

	make_header(b, "amd64", "v1", 1000);
	memcpy(c, b, sizeof(c)); c[0] = 'X';
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && why && strstr(why, "magic"));
	memcpy(c, b, sizeof(c)); c[8] = 2;
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "format"));
	memcpy(c, b, sizeof(c)); c[12] = 128;
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "header size"));
	memcpy(c, b, sizeof(c)); put64(c + 16, 100);
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "small"));
	memcpy(c, b, sizeof(c)); memset(c + 24, 0, 16);
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "architecture"));
	memcpy(c, b, sizeof(c)); c[30] = 'x';	/* a byte after the NUL */
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "architecture"));
	memcpy(c, b, sizeof(c)); c[41] = '/';
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "version"));
	memcpy(c, b, sizeof(c)); memset(c + 40, 0, 64);
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "version"));
	memcpy(c, b, sizeof(c)); c[50] = 'x';
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "version"));
	memcpy(c, b, sizeof(c)); c[159] = 1;
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "reserved"));
	memcpy(c, b, sizeof(c)); c[144] = 1;
	CHECK(parse_why(c, sizeof(c), &h, &why) == -1 && strstr(why, "reserved"));
	/* The epoch: 8 bytes at 136, little-endian. */
	memcpy(c, b, sizeof(c)); put64(c + 136, 0x0102030405060708ull);
	CHECK(parse_why(c, sizeof(c), &h, &why) == 0 && h.epoch == 0x0102030405060708ull);
}

static void test_check(void)
{
	uint8_t b[BUNDLE_HEADER_SIZE];
	struct bundle_header h;
	const char *why;
	uint64_t total = BUNDLE_HEADER_SIZE + 4096 + BUNDLE_SIG_SIZE;

	make_header(b, "amd64", "v2", 4096);
	CHECK(parse_why(b, sizeof(b), &h, &why) == 0);
	CHECK(bundle_check(&h, "amd64", 4096, total, &why) == 0);
	CHECK(bundle_check(&h, "arm64", 4096, total, &why) == 400 && strstr(why, "architecture"));
	CHECK(bundle_check(&h, "amd64", 4095, total, &why) == 413 && strstr(why, "slot"));
	CHECK(bundle_check(&h, "amd64", 4096, total - 1, &why) == 400 && strstr(why, "length"));
	CHECK(bundle_check(&h, "amd64", 4096, total + 1, &why) == 400);
	/* A length near 2^64 cannot wrap the sum. */
	h.uki_len = UINT64_MAX - 10;
	CHECK(bundle_check(&h, "amd64", UINT64_MAX, 100, &why) != 0);
}

static int entry(const char *name, struct bundle_entry *e)
{
	return bundle_entry_parse(name, strlen(name), e);
}

static void test_entry(void)
{
	struct bundle_entry e;
	char out[BUNDLE_ENTRY_MAX], v[BUNDLE_VERSION_MAX + 1];

	CHECK(entry("minilinux-1-v1.efi", &e) == 0 && e.gen == 1 && strcmp(e.version, "v1") == 0 &&
	      !e.counted);
	CHECK(entry("minilinux-12-1.0-3-gabc.efi", &e) == 0 && e.gen == 12 &&
	      strcmp(e.version, "1.0-3-gabc") == 0);
	CHECK(entry("minilinux-2-v2+1.efi", &e) == 0 && e.counted && e.left == 1 && e.done == 0);
	CHECK(entry("minilinux-2-v2+0-1.efi", &e) == 0 && e.counted && e.left == 0 && e.done == 1);
	CHECK(entry("minilinux-2-v2+0-1.EFI", &e) == 0 && e.left == 0);
	CHECK(bundle_entry_format(&e, out, sizeof(out)) > 0 && strcmp(out, "minilinux-000000002-v2+0-1.efi") == 0);
	e.counted = 0;
	CHECK(bundle_entry_format(&e, out, sizeof(out)) > 0 && strcmp(out, "minilinux-000000002-v2.efi") == 0);
	e.counted = 1; e.left = 1; e.done = 0;
	CHECK(bundle_entry_format(&e, out, sizeof(out)) > 0 && strcmp(out, "minilinux-000000002-v2+1.efi") == 0);
	CHECK(bundle_entry_format(&e, out, 10) == -1);
	CHECK(entry("minilinux-000000013-v1.efi", &e) == 0 && e.gen == 13);
	bundle_entry_version("1.0+git", v);
	CHECK(strcmp(v, "1.0_git") == 0);
	/* Not ours, or malformed: refused. */
	CHECK(entry("linux.efi", &e) == -1);
	CHECK(entry("minilinux-1-v1.efx", &e) == -1);
	CHECK(entry("minilinux--v1.efi", &e) == -1);
	CHECK(entry("minilinux-x-v1.efi", &e) == -1);
	CHECK(entry("minilinux-1-.efi", &e) == -1);
	CHECK(entry("minilinux-1-v1+.efi", &e) == -1);
	CHECK(entry("minilinux-1-v1+1-.efi", &e) == -1);
	CHECK(entry("minilinux-1-v1+a.efi", &e) == -1);
	CHECK(entry("minilinux-1-v/1.efi", &e) == -1);
	CHECK(entry("minilinux-1234567890-v1.efi", &e) == -1);
	CHECK(entry("staging.tmp", &e) == -1);
}

int main(void)
{
	if (guard_init() < 0)
		return 1;
	test_header();
	test_check();
	test_entry();
	return check_done("bundle");
}

/* bundle.c - the update bundle's header and the slots' file names
 * (bundle.h has the layout; docs/update.md the whole format).
 *
 * Bounds contract: bundle_parse_header reads at most BUNDLE_HEADER_SIZE
 * bytes and only after checking LEN; bundle_entry_parse reads only
 * name[0..len). Every field is checked both ways: the magic, the format,
 * the header size, a UKI length of at least BUNDLE_UKI_MIN, an
 * architecture and a version from a fixed alphabet and NUL-padded (no byte
 * after the first NUL), and zero reserved bytes. */
#include "pure/bundle.h"

#include <stdio.h>
#include <string.h>

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

int bundle_version_ok(const char *s, size_t len)
{
	return len > 0 && len <= BUNDLE_VERSION_MAX && bundle_chars_ok(s, len);
}

int bundle_chars_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '+' || c == '~' || c == '-'))
			return 0;
	}
	return 1;
}

/* A NUL-padded text field of MAX bytes: its length, or -1 if a non-NUL
 * byte follows the first NUL. */
static int field_len(const uint8_t *p, size_t max)
{
	size_t n = 0, i;

	while (n < max && p[n])
		n++;
	for (i = n; i < max; i++)
		if (p[i])
			return -1;
	return (int)n;
}

int bundle_parse_header(const uint8_t *buf, size_t len, struct bundle_header *h,
			const char **why)
{
	int alen, vlen;
	size_t i;

	if (len < BUNDLE_HEADER_SIZE)
		return -2;
	memset(h, 0, sizeof(*h));
	if (memcmp(buf, BUNDLE_MAGIC, 8) != 0) {
		*why = "not an update bundle (bad magic)";
		return -1;
	}
	h->format = get32(buf + 8);
	if (h->format != BUNDLE_FORMAT) {
		*why = "unsupported bundle format version";
		return -1;
	}
	if (get32(buf + 12) != BUNDLE_HEADER_SIZE) {
		*why = "bad bundle header size";
		return -1;
	}
	h->uki_len = get64(buf + 16);
	if (h->uki_len < BUNDLE_UKI_MIN) {
		*why = "bundle's UKI too small";
		return -1;
	}
	alen = field_len(buf + 24, BUNDLE_ARCH_MAX);
	if (alen <= 0 || !bundle_version_ok((const char *)buf + 24, (size_t)alen)) {
		*why = "bad architecture field";
		return -1;
	}
	memcpy(h->arch, buf + 24, (size_t)alen);
	vlen = field_len(buf + 40, BUNDLE_VERSION_MAX);
	if (vlen <= 0 || !bundle_version_ok((const char *)buf + 40, (size_t)vlen)) {
		*why = "bad version field";
		return -1;
	}
	memcpy(h->version, buf + 40, (size_t)vlen);
	memcpy(h->uki_sha256, buf + 104, BUNDLE_HASH_SIZE);
	h->epoch = get64(buf + 136);
	for (i = 144; i < BUNDLE_HEADER_SIZE; i++) {
		if (buf[i]) {
			*why = "reserved header bytes not zero";
			return -1;
		}
	}
	return 0;
}

int bundle_check(const struct bundle_header *h, const char *arch, uint64_t slot_max,
		 uint64_t total, const char **why)
{
	if (strcmp(h->arch, arch) != 0) {
		*why = "bundle is for another architecture";
		return 400;
	}
	if (h->uki_len > slot_max) {
		*why = "bundle larger than the slot";
		return 413;
	}
	if (h->uki_len > UINT64_MAX - BUNDLE_HEADER_SIZE - BUNDLE_SIG_SIZE ||
	    total != BUNDLE_HEADER_SIZE + h->uki_len + BUNDLE_SIG_SIZE) {
		*why = "length does not match the bundle header (truncated or padded)";
		return 400;
	}
	return 0;
}

void bundle_entry_version(const char *version, char out[BUNDLE_VERSION_MAX + 1])
{
	size_t i;

	for (i = 0; i < BUNDLE_VERSION_MAX && version[i]; i++)
		out[i] = version[i] == '+' ? '_' : version[i];
	out[i] = '\0';
}

/* Digits S[0..len) as a number <= MAX; -1 if not one. */
static long parse_uint(const char *s, size_t len, unsigned long max)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v <= max ? (long)v : -1;
}

int bundle_entry_parse(const char *name, size_t len, struct bundle_entry *e)
{
	static const char pre[] = BUNDLE_ENTRY_PREFIX, suf[] = ".efi";
	size_t pl = sizeof(pre) - 1, sl = sizeof(suf) - 1, i, stem, dash, plus;
	long n;

	memset(e, 0, sizeof(e[0]));
	if (len < pl + sl + 3 || memcmp(name, pre, pl) != 0)
		return -1;
	/* The loader matches ".efi" in any case (FAT names). */
	for (i = 0; i < sl; i++) {
		char c = name[len - sl + i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != suf[i])
			return -1;
	}
	stem = len - sl;
	for (dash = pl; dash < stem && name[dash] != '-'; dash++)
		;
	if (dash >= stem || (n = parse_uint(name + pl, dash - pl, BUNDLE_GEN_MAX)) < 0)
		return -1;
	e->gen = (unsigned)n;
	for (plus = dash + 1; plus < stem && name[plus] != '+'; plus++)
		;
	if (plus - (dash + 1) > BUNDLE_VERSION_MAX || plus == dash + 1)
		return -1;
	memcpy(e->version, name + dash + 1, plus - (dash + 1));
	if (!bundle_version_ok(e->version, plus - (dash + 1)))
		return -1;
	if (plus < stem) {
		/* "+LEFT" or "+LEFT-DONE" (systemd's Automatic Boot Assessment). */
		size_t m;

		for (m = plus + 1; m < stem && name[m] != '-'; m++)
			;
		if ((n = parse_uint(name + plus + 1, m - plus - 1, BUNDLE_GEN_MAX)) < 0)
			return -1;
		e->left = (unsigned)n;
		if (m < stem) {
			if ((n = parse_uint(name + m + 1, stem - m - 1, BUNDLE_GEN_MAX)) < 0)
				return -1;
			e->done = (unsigned)n;
		}
		e->counted = 1;
	}
	return 0;
}

int bundle_entry_format(const struct bundle_entry *e, char *out, size_t len)
{
	char v[BUNDLE_VERSION_MAX + 1];
	int n;

	bundle_entry_version(e->version, v);
	if (!e->counted)
		n = snprintf(out, len, BUNDLE_ENTRY_PREFIX "%09u-%s.efi", e->gen, v);
	else if (e->done)
		n = snprintf(out, len, BUNDLE_ENTRY_PREFIX "%09u-%s+%u-%u.efi", e->gen, v, e->left, e->done);
	else
		n = snprintf(out, len, BUNDLE_ENTRY_PREFIX "%09u-%s+%u.efi", e->gen, v, e->left);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

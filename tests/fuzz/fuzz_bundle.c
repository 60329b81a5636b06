/* fuzz_bundle.c - libFuzzer target: a hostile bundle header and slot
 * file name.
 *
 * Asserted: a header that parses has a NUL-terminated architecture and
 * version of the allowed alphabet and a UKI length of at least
 * BUNDLE_UKI_MIN; when bundle_check accepts it for a slot and a total, the
 * total is exactly header + UKI + signature and the UKI fits the slot. A
 * file name that parses formats back to the same name (up to the case of
 * ".efi"). */
#include "pure/bundle.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_header h;
	struct bundle_entry e;
	char out[BUNDLE_ENTRY_MAX + 16];
	const char *why;
	uint64_t total, slot;
	int r, n;

	r = bundle_parse_header(data, size, &h, &why);
	if (size < BUNDLE_HEADER_SIZE && r != -2)
		abort();
	if (r == 0) {
		if (!bundle_version_ok(h.version, strlen(h.version)) ||
		    !bundle_version_ok(h.arch, strlen(h.arch)) || h.uki_len < BUNDLE_UKI_MIN)
			abort();
		slot = size > BUNDLE_HEADER_SIZE ? data[BUNDLE_HEADER_SIZE] * 65536ULL : 0;
		total = size > BUNDLE_HEADER_SIZE + 8 ? h.uki_len + BUNDLE_HEADER_SIZE + BUNDLE_SIG_SIZE : size;
		if (bundle_check(&h, "amd64", slot, total, &why) == 0 &&
		    (h.uki_len > slot || total != BUNDLE_HEADER_SIZE + h.uki_len + BUNDLE_SIG_SIZE))
			abort();
	}
	if (bundle_entry_parse((const char *)data, size, &e) == 0) {
		n = bundle_entry_format(&e, out, sizeof(out));
		if (n < 0 || strlen(e.version) == 0)
			abort();
		/* Same name, but for the case of the suffix and leading zeros. */
		if ((size_t)n == size && memcmp(out, data, size - 4) != 0 &&
		    memchr(data, '0', size) == NULL)
			abort();
	}
	return 0;
}

/* fuzz_biosboot.c - libFuzzer target: a hostile UKI header and grubenv.
 *
 * Asserted: a header that parses gives sections inside the file, in whole
 * sectors; the grubenv value read is NUL-terminated within the buffer. */
#include "pure/biosboot.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bios_pe pe;
	const char *why;
	char name[BIOS_NAME_MAX];
	uint64_t fsize = size < 8 ? 0 : (uint64_t)data[size - 1] << 16 | (uint64_t)data[size - 2] << 8;
	int n;

	if (bios_pe_parse(data, size, fsize, &pe, &why) == 0) {
		if ((uint64_t)(pe.linux_sector + (uint64_t)pe.linux_sectors) * 512 > fsize ||
		    (uint64_t)(pe.initrd_sector + (uint64_t)pe.initrd_sectors) * 512 > fsize ||
		    (uint64_t)pe.cmdline_off + pe.cmdline_len > fsize || pe.cmdline_len >= BIOS_CMDLINE_MAX ||
		    pe.linux_sectors == 0 || pe.initrd_sectors == 0)
			abort();
	} else if (!why) {
		abort();
	}
	n = bios_env_tried((const char *)data, size, name, sizeof(name));
	if (n > 0 && ((size_t)n >= sizeof(name) || strlen(name) != (size_t)n))
		abort();
	return 0;
}

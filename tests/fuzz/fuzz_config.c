/* libFuzzer: the services file parser and the command line overrides. */
#include "pure/config.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	size_t half = size / 2;

	config_init(&c);
	config_parse(&c, (const char *)data, half, NULL, NULL);
	config_apply_cmdline(&c, (const char *)data + half, size - half, NULL, NULL);
	return 0;
}

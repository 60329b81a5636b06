/* fuzz_netcfg.c - libFuzzer target: the kernel's ip= parameter as the DHCP
 * role reads it from /proc/cmdline. Invariants: the result is -1, 0 or 1;
 * -1 always says why; 1 is a unicast address with a prefix of 1..32, at
 * most NETCFG_MAX_DNS servers, and a NUL-terminated valid host name. */
#include "pure/dhcp_msg.h"
#include "pure/netcfg.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netcfg nc;
	const char *why = NULL;
	uint32_t h;
	char *buf;
	size_t i;
	int r;

	if (size > NETCFG_CMDLINE_MAX)
		return 0;
	/* exactly size bytes, not terminated: the parser must honour len */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&nc, 0xa5, sizeof(nc));
	r = netcfg_parse_cmdline(buf, size, "eth0", &nc, &why);
	if (r < -1 || r > 1 || (r == -1 && (!why || !*why)))
		__builtin_trap();
	if (r == 1) {
		h = ntohl(nc.addr);
		if (h >> 24 == 0 || h >> 24 == 127 || h >> 28 >= 14 ||
		    nc.plen < 1 || nc.plen > 32 || nc.ndns > NETCFG_MAX_DNS ||
		    nc.gw == nc.addr ||
		    !memchr(nc.hostname, 0, sizeof(nc.hostname)))
			__builtin_trap();
		if (nc.hostname[0] &&
		    !dhcp_name_valid(nc.hostname, strlen(nc.hostname)))
			__builtin_trap();
		for (i = 0; i < nc.ndns; i++)
			if (nc.dns[i] == 0)
				__builtin_trap();
	}
	free(buf);
	return 0;
}

/* fuzz_dhcp_msg.c - libFuzzer target: the DHCP packet parser, on its own
 * and behind the IPv4/UDP frame parser. */
#include "pure/dhcp_msg.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_reply r;
	const uint8_t *pl;
	const char *why;
	size_t plen, i;

	if (dhcp_msg_parse(data, size, &r, &why) == 0) {
		/* what the parser accepts is bounded and terminated */
		if (r.nrouters > DHCP_MAX_ROUTERS || r.ndns > DHCP_MAX_DNS ||
		    r.nntp > DHCP_MAX_NTP || r.nroutes > DHCP_MAX_ROUTES ||
		    !memchr(r.hostname, 0, sizeof(r.hostname)) ||
		    !memchr(r.domain, 0, sizeof(r.domain)) ||
		    !memchr(r.search, 0, sizeof(r.search)))
			__builtin_trap();
		for (i = 0; i < r.nroutes; i++)
			if (r.routes[i].plen > 32)
				__builtin_trap();
		if ((r.have & DHCP_HAVE_HOSTNAME) &&
		    !dhcp_name_valid(r.hostname, strlen(r.hostname)))
			__builtin_trap();
	}
	if (dhcp_frame_parse(data, size, 1, &pl, &plen, &why) == 0) {
		if (pl < data || pl + plen > data + size)
			__builtin_trap();
		(void)dhcp_msg_parse(pl, plen, &r, &why);
	}
	return 0;
}

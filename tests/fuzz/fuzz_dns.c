/* fuzz_dns.c - libFuzzer target: arbitrary responses to a query. The
 * first byte picks the type (A or AAAA) and how many addresses fit, the
 * next two are the query id, the rest the response, copied to the end of
 * an exact-size heap block (ASan sees any read past it). Invariants:
 * never more addresses than fit; a result (>= 0) only for RCODE 0, QR
 * set and our id; every address has the length of the type; every
 * refusal has a reason. */
#include "pure/dns.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_addr out[8];
	const char *why = NULL;
	uint16_t type, id;
	uint8_t *m;
	size_t max, len, i;
	int n, rcode;

	if (size < 3)
		return 0;
	type = data[0] & 1 ? DNS_TYPE_AAAA : DNS_TYPE_A;
	max = (data[0] >> 1) % 9;
	id = (uint16_t)(data[1] << 8 | data[2]);
	len = size - 3;
	m = malloc(len ? len : 1);
	memcpy(m, data + 3, len);
	n = dns_parse_response(m, len, id, "logs.test", type, out, max, &rcode, &why);
	if (!why || n < -1 || (n >= 0 && (size_t)n > max))
		__builtin_trap();
	if (n >= 0 && (len < DNS_HDR_LEN || rcode != 0 || (m[3] & 0x0f) != 0 || !(m[2] & 0x80) ||
		       (uint16_t)(m[0] << 8 | m[1]) != id))
		__builtin_trap();
	for (i = 0; n > 0 && i < (size_t)n; i++)
		if (out[i].len != (type == DNS_TYPE_AAAA ? 16 : 4))
			__builtin_trap();
	free(m);
	return 0;
}

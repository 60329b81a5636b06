/* fuzz_http_fields.c - libFuzzer target for the admin API's header field
 * look-up, Basic credentials and same-origin check: the input, copied
 * into a block of exactly its size, is a request head; every result must
 * lie inside it, and the credentials inside their buffer. */
#include "pure/http_fields.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "Authorization", "Origin", "Host", "Sec-Fetch-Site" };
	const char *v[4];
	size_t vl[4], i, ulen, pwlen;
	unsigned char cred[136];
	const unsigned char *pw;
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (i = 0; i < 4; i++) {
		v[i] = http_field(buf, size, names[i], &vl[i]);
		if (v[i] && (v[i] < buf || v[i] + vl[i] > buf + size))
			abort();
	}
	if (v[0] && http_basic_credentials(v[0], vl[0], cred, sizeof(cred), &ulen, &pw, &pwlen) == 0 &&
	    (ulen > sizeof(cred) || pw != cred + ulen + 1 || pw + pwlen > cred + sizeof(cred)))
		abort();
	if (http_same_origin(v[1], v[1] ? vl[1] : 0, v[2], v[2] ? vl[2] : 0, v[3], v[3] ? vl[3] : 0) &&
	    v[1] && !(v[2] && vl[1] == vl[2] + 8))
		abort();
	free(buf);
	return 0;
}

/* fuzz_http_parse.c - libFuzzer target for the request head parser and the
 * chunked body skipper. The input is copied into a buffer of exactly its
 * size, so ASan reports any read past the end. */
#include "pure/http_parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request req;
	struct http_chunked ch;
	char *buf = malloc(size ? size : 1);
	size_t off, step;
	long n;
	int r, done = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = http_parse_request(buf, size, &req);
	if (r >= 0) {
		if ((size_t)r > size || r > HTTP_MAX_HEAD)
			abort();
		if (req.method + req.method_len > buf + r ||
		    req.target + req.target_len > buf + r)
			abort();
		/* What follows the head, as a chunked body, fed in pieces
		 * whose sizes come from the first byte. */
		http_chunked_init(&ch);
		step = size ? (size_t)(data[0] % 7) + 1 : 1;
		for (off = (size_t)r; off < size && !done; off += (size_t)n) {
			size_t len = size - off < step ? size - off : step;

			n = http_chunked_skip(&ch, buf + off, len, &done);
			if (n < 0)
				break;
			if ((size_t)n > len || (n == 0 && !done))
				abort();
		}
	} else if (r == HTTP_PARSE_ERROR) {
		if (req.status < 400 || req.status > 505)
			abort();
	} else if (r != HTTP_PARSE_INCOMPLETE || size >= HTTP_MAX_HEAD) {
		abort();	/* a full buffer must never be "incomplete" */
	}
	free(buf);
	return 0;
}

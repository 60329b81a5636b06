/* log_ring.c - the newest bytes of a stream, in fixed storage. */
#include "pure/log_ring.h"

#include <string.h>

void log_ring_append(struct log_ring *r, const char *data, size_t len)
{
	size_t n;

	/* Only the newest LOG_RING_SIZE bytes can be kept. */
	if (len > LOG_RING_SIZE) {
		data += len - LOG_RING_SIZE;
		len = LOG_RING_SIZE;
	}
	while (len) {
		n = LOG_RING_SIZE - r->head;
		if (n > len)
			n = len;
		memcpy(r->buf + r->head, data, n);
		r->head = (r->head + n) % LOG_RING_SIZE;
		data += n;
		len -= n;
		r->len = r->len + n > LOG_RING_SIZE ? LOG_RING_SIZE : r->len + n;
	}
}

size_t log_ring_copy(const struct log_ring *r, char *out, size_t outlen)
{
	size_t start = (r->head + LOG_RING_SIZE - r->len) % LOG_RING_SIZE;
	size_t n = r->len < outlen ? r->len : outlen, first;

	/* The oldest bytes are dropped when OUT is smaller than the ring. */
	start = (start + (r->len - n)) % LOG_RING_SIZE;
	first = LOG_RING_SIZE - start;
	if (first > n)
		first = n;
	memcpy(out, r->buf + start, first);
	memcpy(out + first, r->buf, n - first);
	return n;
}

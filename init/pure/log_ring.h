/* log_ring.h - a bounded in-memory log: the newest LOG_RING_SIZE bytes of
 * a service's output. Pure; no allocation. */
#ifndef MINILINUX_LOG_RING_H
#define MINILINUX_LOG_RING_H

#include <stddef.h>

#define LOG_RING_SIZE 4096

struct log_ring {
	char buf[LOG_RING_SIZE];
	size_t head;	/* next write position */
	size_t len;	/* bytes held, at most LOG_RING_SIZE */
};

void log_ring_append(struct log_ring *r, const char *data, size_t len);
/* Copy the held bytes, oldest first, into OUT; returns the count. */
size_t log_ring_copy(const struct log_ring *r, char *out, size_t outlen);
#endif

/* log.h - console lines for PID 1 and its built-in roles.
 *
 * Every line goes out in one write(2) so that lines from PID 1 and its
 * children never interleave mid-line on the console. */
#ifndef MINILINUX_LOG_H
#define MINILINUX_LOG_H

#define LOG_LINE_MAX 512

/* ":: <message>" - a step or state change worth a console line. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ":: <message>: <strerror(errno)>" - something failed; errno preserved. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ":: <message>" - something failed, no errno involved: the same line as
 * log_info, the name says why it is written. */
#define log_warnx log_info




/* "SIGTERM" for 15, and so on for 1-31; "SIG?" for others. */
const char *log_signal_name(int sig);

/* A bounded in-memory log: the newest LOG_RING_SIZE bytes of a service's
 * output. Pure; no allocation. */
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

/* log.c - console lines, one write(2) per line. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void log_vline(const char *fmt, va_list ap, int errnum)
{
	char buf[LOG_LINE_MAX];
	size_t len;
	int n;

	memcpy(buf, ":: ", 3);
	len = 3;
	n = vsnprintf(buf + len, sizeof(buf) - len, fmt, ap);
	if (n > 0)
		len += (size_t)n;
	if (errnum && len < sizeof(buf)) {
		n = snprintf(buf + len, sizeof(buf) - len, ": %s", strerror(errnum));
		if (n > 0)
			len += (size_t)n;
	}
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;	/* truncated: keep room for the newline */
	buf[len++] = '\n';
	(void)!write(STDERR_FILENO, buf, len);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vline(fmt, ap, 0);
	va_end(ap);
	errno = saved;
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vline(fmt, ap, saved);
	va_end(ap);
	errno = saved;
}

const char *log_signal_name(int sig)
{
	/* Linux numbering, the same on x86 and arm64; NUL-separated so the
	 * table costs its letters and nothing more. */
	static const char names[] =
		"SIGHUP\0SIGINT\0SIGQUIT\0SIGILL\0SIGTRAP\0SIGABRT\0SIGBUS\0SIGFPE\0"
		"SIGKILL\0SIGUSR1\0SIGSEGV\0SIGUSR2\0SIGPIPE\0SIGALRM\0SIGTERM\0"
		"SIGSTKFLT\0SIGCHLD\0SIGCONT\0SIGSTOP\0SIGTSTP\0SIGTTIN\0SIGTTOU\0"
		"SIGURG\0SIGXCPU\0SIGXFSZ\0SIGVTALRM\0SIGPROF\0SIGWINCH\0SIGIO\0"
		"SIGPWR\0SIGSYS\0";
	const char *p = names;

	if (sig < 1 || sig > 31)
		return "SIG?";
	while (--sig)
		p += strlen(p) + 1;
	return p;
}

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

/* log.c - console lines, one write(2) per line. */
#include "lib/log.h"

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

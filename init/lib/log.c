/* log.c - console lines, one write(2) per line.
 *
 * In PID 1 the console is non-blocking (log_console_nonblock): a serial
 * console at 115200 baud carries about 11 KB/s, and a console that is
 * stuck (flow control, nobody reading a pipe) must not stop PID 1 from
 * reaping and shutting down. A line that would block is dropped, counted,
 * and the count is reported once the console takes lines again. */
#include "lib/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static unsigned long log_dropped;	/* lines lost to a full console */
void (*log_hook)(int severity, const char *line, size_t len);
int log_mirror_fd = -1;

void log_report_dropped(void)
{
	char buf[64];
	int n;

	if (!log_dropped)
		return;
	n = snprintf(buf, sizeof(buf), ":: console: %lu lines dropped\n", log_dropped);
	if (n > 0 && write(STDERR_FILENO, buf, (size_t)n) > 0)
		log_dropped = 0;
}

void log_write(const char *buf, size_t len)
{
	int saved = errno;

	if (log_mirror_fd >= 0)
		(void)!write(log_mirror_fd, buf, len);
	log_report_dropped();
	/* Still full: this line goes too (the report must come first). */
	if (log_dropped)
		log_dropped++;
	else if (write(STDERR_FILENO, buf, len) < 0 && errno == EAGAIN)
		log_dropped++;
	errno = saved;
}

int log_console_nonblock(void)
{
	int fd;

	/* Opening /proc/self/fd/2 opens the pipe, terminal or console anew:
	 * a new open file description, whose flags are ours alone. */
	fd = open("/proc/self/fd/2", O_WRONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fd != STDERR_FILENO) {
		if (dup2(fd, STDERR_FILENO) < 0) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static void log_vline(const char *fmt, va_list ap, int errnum, int severity)
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
	log_write(buf, len);
	if (log_hook)
		log_hook(severity, buf + 3, len - 4);
}

/* The three entry points differ only in errno and severity (RFC 5424
 * 6.2.1: 6 informational, 4 warning). */
#define LOG_ENTRY(name, errnum, severity) \
void name(const char *fmt, ...) \
{ \
	va_list ap; \
	int saved = errno; \
 \
	va_start(ap, fmt); \
	log_vline(fmt, ap, (errnum) ? saved : 0, severity); \
	va_end(ap); \
	errno = saved; \
}

LOG_ENTRY(log_info, 0, 6)
LOG_ENTRY(log_warnx, 0, 4)
LOG_ENTRY(log_warn, 1, 4)

/* log.h - console lines for PID 1 and its built-in roles.
 *
 * Every line goes out in one write(2) so that lines from PID 1 and its
 * children never interleave mid-line on the console. */
#ifndef MINILINUX_LOG_H
#define MINILINUX_LOG_H

#include <stddef.h>

#define LOG_LINE_MAX 512

/* ":: <message>" - a step or state change worth a console line. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ":: <message>: <strerror(errno)>" - something failed; errno preserved. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ":: <message>" - something failed, no errno involved: the same line as
 * log_info, the name says why it is written (and its syslog severity). */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Set by PID 1 only: each of its lines (without ":: " and the newline)
 * with its syslog severity (6 info, 4 warning), for the remote log. */
extern void (*log_hook)(int severity, const char *line, size_t len);

/* A second console that gets every line too (the screen's terminal when
 * the command line names it besides the serial console), or -1. Writes to
 * it never block and are not counted when dropped. */
extern int log_mirror_fd;

/* One whole line (BUF ends with its newline) to the console. */
void log_write(const char *buf, size_t len);
/* For PID 1, which must never block on a slow or stuck console: stderr
 * becomes a descriptor of its own (reopened, so whoever shares the old
 * open file description keeps it blocking) with O_NONBLOCK. From then on
 * a line that would block is dropped and counted. 0, or -1 with errno
 * (stderr unchanged). */
int log_console_nonblock(void);
/* ":: console: N lines dropped", if lines were dropped and the console
 * takes the report now. Also done before the next line is written. */
void log_report_dropped(void);

#endif

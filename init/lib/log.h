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


#endif

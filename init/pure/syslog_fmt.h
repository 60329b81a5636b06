/* syslog_fmt.h - one RFC 5424 syslog message, for sending over UDP
 * (RFC 5426), and RFC 3339 timestamps. Pure: no I/O, no clock, no time
 * zone database; the time and the zone offset are passed in. */
#ifndef MINILINUX_SYSLOG_FMT_H
#define MINILINUX_SYSLOG_FMT_H

#include <stddef.h>
#include <stdint.h>

/* RFC 5424 6.1: a receiver must take 480 bytes and should take 2048;
 * over UDP (RFC 5426 3.2) what fits an unfragmented IPv4 datagram on any
 * link (576 - 28) is safe. Longer messages are cut at this length. */
#define SYSLOG_MSG_MAX      548
#define SYSLOG_TIME_MAX     33	/* "2026-12-01T07:56:01.123456+00:00" + NUL */
#define SYSLOG_HOSTNAME_MAX 255	/* RFC 5424 6.2.4 */
#define SYSLOG_APPNAME_MAX  48	/* RFC 5424 6.2.5 */
#define SYSLOG_PROCID_MAX   128	/* RFC 5424 6.2.6 */
#define SYSLOG_MSGID_MAX    32	/* RFC 5424 6.2.7 */

/* RFC 5424 6.2.1 */
#define SYSLOG_FAC_DAEMON   3
enum syslog_severity {
	SYSLOG_EMERG, SYSLOG_ALERT, SYSLOG_CRIT, SYSLOG_ERR,
	SYSLOG_WARNING, SYSLOG_NOTICE, SYSLOG_INFO, SYSLOG_DEBUG,
};

struct syslog_msg {
	int facility;		/* 0-23 */
	int severity;		/* 0-7 */
	int64_t sec;		/* Unix time */
	long usec;		/* 0-999999 */
	int tzoff_min;		/* the zone's offset east of UTC, minutes */
	const char *host, *app, *procid, *msgid;	/* NULL or "" -> "-" */
	const char *msg;
	size_t msglen;
};

/* RFC 3339 5.6 date-time with microseconds: "...Z" for offset 0, else
 * "+HH:MM" / "-HH:MM". Years outside 0000-9999 are clamped. Writes a
 * NUL-terminated string; returns its length, or 0 if LEN is too small
 * (less than SYSLOG_TIME_MAX). */
size_t syslog_fmt_time(char *buf, size_t len, int64_t sec, long usec, int tzoff_min);

/* "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG" (RFC 5424 6):
 * header fields are PRINTUSASCII (other bytes become '_') cut to their
 * RFC lengths; MSG is cut to what fits in LEN, a trailing newline
 * dropped, control bytes made spaces. Not NUL-terminated; returns the
 * length, or 0 if LEN cannot hold a header. */
size_t syslog_format(char *buf, size_t len, const struct syslog_msg *m);

#endif

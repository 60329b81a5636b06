/* syslog_fmt.c - RFC 5424 messages and RFC 3339 timestamps.
 *
 * Dates come from the days-since-epoch arithmetic of the proleptic
 * Gregorian calendar (eras of 400 years, 146097 days), so that no time
 * zone database or C library time function is needed; leap seconds do
 * not exist in Unix time and so never appear here. */
#include "pure/syslog_fmt.h"

#include <string.h>

static char *put_num(char *p, long v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, long *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (long)(yoe + era * 400 + (*m <= 2));
}

size_t syslog_fmt_time(char *buf, size_t len, int64_t sec, long usec, int tzoff_min)
{
	/* 0000-01-01 and 9999-12-31T23:59:59 in Unix time */
	const int64_t lo = -62167219200LL, hi = 253402300799LL;
	int64_t days, rem;
	long y;
	int m, d, off;
	char *p = buf;

	if (len < SYSLOG_TIME_MAX)
		return 0;
	if (tzoff_min < -24 * 60 || tzoff_min > 24 * 60)
		tzoff_min = 0;
	if (usec < 0 || usec > 999999)
		usec = 0;
	if (sec > hi - tzoff_min * 60)
		sec = hi - tzoff_min * 60;
	if (sec < lo - tzoff_min * 60)
		sec = lo - tzoff_min * 60;
	sec += tzoff_min * 60;	/* local time */
	days = sec / 86400;
	rem = sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	p = put_num(p, y, 4);
	*p++ = '-';
	p = put_num(p, m, 2);
	*p++ = '-';
	p = put_num(p, d, 2);
	*p++ = 'T';
	p = put_num(p, (long)(rem / 3600), 2);
	*p++ = ':';
	p = put_num(p, (long)(rem / 60 % 60), 2);
	*p++ = ':';
	p = put_num(p, (long)(rem % 60), 2);
	*p++ = '.';
	p = put_num(p, usec, 6);
	if (tzoff_min == 0) {
		*p++ = 'Z';
	} else {
		off = tzoff_min < 0 ? -tzoff_min : tzoff_min;
		*p++ = tzoff_min < 0 ? '-' : '+';
		p = put_num(p, off / 60, 2);
		*p++ = ':';
		p = put_num(p, off % 60, 2);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* One header field: PRINTUSASCII (RFC 5424 6), at most MAX bytes, "-" when
 * empty. OUT has room for MAX + 1 bytes (the field and a space). */
static char *put_field(char *out, const char *s, size_t max)
{
	size_t i;

	if (!s || !*s) {
		*out++ = '-';
		*out++ = ' ';
		return out;
	}
	for (i = 0; s[i] && i < max; i++)
		out[i] = s[i] > 32 && s[i] < 127 ? s[i] : '_';
	out[i] = ' ';
	return out + i + 1;
}

size_t syslog_format(char *buf, size_t len, const struct syslog_msg *m)
{
	/* the longest header: "<191>1 " + time + the four fields + "- " */
	char hdr[8 + SYSLOG_TIME_MAX + SYSLOG_HOSTNAME_MAX + SYSLOG_APPNAME_MAX +
		 SYSLOG_PROCID_MAX + SYSLOG_MSGID_MAX + 8];
	char *p = hdr;
	size_t n, i, msglen = m->msglen;
	int pri = (m->facility & 31) * 8 + (m->severity & 7);

	if (m->facility < 0 || m->facility > 23)
		pri = SYSLOG_FAC_DAEMON * 8 + (m->severity & 7);
	*p++ = '<';
	if (pri >= 100)
		*p++ = (char)('0' + pri / 100);
	if (pri >= 10)
		*p++ = (char)('0' + pri / 10 % 10);
	*p++ = (char)('0' + pri % 10);
	memcpy(p, ">1 ", 3);	/* RFC 5424 6.2.2: VERSION 1 */
	p += 3;
	p += syslog_fmt_time(p, SYSLOG_TIME_MAX, m->sec, m->usec, m->tzoff_min);
	*p++ = ' ';
	p = put_field(p, m->host, SYSLOG_HOSTNAME_MAX);
	p = put_field(p, m->app, SYSLOG_APPNAME_MAX);
	p = put_field(p, m->procid, SYSLOG_PROCID_MAX);
	p = put_field(p, m->msgid, SYSLOG_MSGID_MAX);
	memcpy(p, "- ", 2);	/* no STRUCTURED-DATA */
	p += 2;
	n = (size_t)(p - hdr);
	if (n > len)
		return 0;
	memcpy(buf, hdr, n);
	while (msglen && (m->msg[msglen - 1] == '\n' || m->msg[msglen - 1] == '\r'))
		msglen--;
	if (msglen > len - n)
		msglen = len - n;
	/* RFC 5424 6.4: MSG without a BOM is any bytes; control bytes other
	 * than these would confuse line-based receivers and terminals. */
	for (i = 0; i < msglen; i++) {
		unsigned char c = (unsigned char)m->msg[i];

		buf[n + i] = c < 32 || c == 127 ? ' ' : (char)c;
	}
	return n + msglen;
}

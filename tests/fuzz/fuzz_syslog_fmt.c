/* fuzz_syslog_fmt.c - libFuzzer target: RFC 5424 messages from arbitrary
 * fields. The input: 8 bytes of time, 1 of severity and facility, 2 of
 * zone offset, 2 of buffer length, then NUL-separated host, app, procid
 * and message. Invariants: never more than the buffer; a result begins
 * "<PRI>1 " with the right PRI; the header (up to the MSG) is printable
 * US-ASCII with exactly 7 spaces; the message has no control bytes; the
 * timestamp is always 27 or 32 bytes. */
#include "pure/syslog_fmt.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char field[4][300];
	char buf[SYSLOG_MSG_MAX + 16], ts[SYSLOG_TIME_MAX];
	struct syslog_msg m;
	size_t n, len, i, f = 0, k = 0, spaces = 0, tl;
	int64_t sec = 0;

	if (size < 13)
		return 0;
	for (i = 0; i < 8; i++)
		sec = (int64_t)((uint64_t)sec << 8 | data[i]);
	memset(&m, 0, sizeof(m));
	m.severity = data[8] & 7;
	m.facility = data[8] >> 3;
	m.tzoff_min = (int16_t)(data[9] << 8 | data[10]);
	len = (size_t)(data[11] << 8 | data[12]) % sizeof(buf);
	data += 13;
	size -= 13;
	memset(field, 0, sizeof(field));
	for (i = 0; i < size && f < 3; i++) {
		if (data[i] == 0 || k == sizeof(field[0]) - 1) {
			f++;
			k = 0;
			continue;
		}
		field[f][k++] = (char)data[i];
	}
	m.sec = sec;
	m.usec = (long)(sec & 0xfffff);
	m.host = field[0];
	m.app = field[1];
	m.procid = field[2];
	m.msg = (const char *)data + i;
	m.msglen = size - i;
	tl = syslog_fmt_time(ts, sizeof(ts), m.sec, m.usec, m.tzoff_min);
	if (tl != 27 && tl != 32)
		__builtin_trap();
	n = syslog_format(buf, len, &m);
	if (n > len)
		__builtin_trap();
	if (n == 0)
		return 0;
	if (buf[0] != '<')
		__builtin_trap();
	for (i = 0; i < n && spaces < 7; i++) {
		if (buf[i] == ' ')
			spaces++;
		else if (buf[i] < 33 || buf[i] > 126)
			__builtin_trap();
	}
	if (spaces != 7 && !(spaces == 6 && i == n))
		__builtin_trap();
	for (; i < n; i++)
		if ((unsigned char)buf[i] < 32 || buf[i] == 127)
			__builtin_trap();
	return 0;
}

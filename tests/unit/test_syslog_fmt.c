/* test_syslog_fmt.c - RFC 3339 timestamps (checked against known dates
 * and against gmtime_r for a spread of times) and RFC 5424 messages. */
#include "check.h"
#include "pure/syslog_fmt.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void test_time(void)
{
	char b[SYSLOG_TIME_MAX], want[64];
	struct tm tm;
	int64_t t;
	time_t tt;

	CHECK(syslog_fmt_time(b, sizeof(b) - 1, 0, 0, 0) == 0);
	CHECK(syslog_fmt_time(b, sizeof(b), 0, 0, 0) == 27 && strcmp(b, "1970-01-01T00:00:00.000000Z") == 0);
	syslog_fmt_time(b, sizeof(b), 978307200, 5, 0);
	CHECK(strcmp(b, "2001-01-01T00:00:00.000005Z") == 0);
	syslog_fmt_time(b, sizeof(b), 951782400, 0, 0);	/* leap day 2000 */
	CHECK(strcmp(b, "2000-02-29T00:00:00.000000Z") == 0);
	syslog_fmt_time(b, sizeof(b), 1796083200 - 1, 999999, 60);
	CHECK(strcmp(b, "2026-12-01T00:59:59.999999+01:00") == 0);
	syslog_fmt_time(b, sizeof(b), 1796083200, 0, -330);
	CHECK(strcmp(b, "2026-11-30T18:30:00.000000-05:30") == 0);
	syslog_fmt_time(b, sizeof(b), -1, 0, 0);
	CHECK(strcmp(b, "1969-12-31T23:59:59.000000Z") == 0);
	syslog_fmt_time(b, sizeof(b), INT64_MAX, 0, 0);
	CHECK(strcmp(b, "9999-12-31T23:59:59.000000Z") == 0);
	syslog_fmt_time(b, sizeof(b), INT64_MIN, 0, 0);
	CHECK(strcmp(b, "0000-01-01T00:00:00.000000Z") == 0);
	for (t = -2208988800LL; t < 4102444800LL; t += 7777777) {
		tt = (time_t)t;
		gmtime_r(&tt, &tm);
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.000000Z", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		syslog_fmt_time(b, sizeof(b), t, 0, 0);
		CHECK(strcmp(b, want) == 0);
	}
}

static void test_format(void)
{
	char b[SYSLOG_MSG_MAX + 1];
	struct syslog_msg m = { SYSLOG_FAC_DAEMON, SYSLOG_WARNING, 978307200, 0, 0,
				"box", "web", "42", NULL, "hello\n", 6 };
	const char *want = "<28>1 2001-01-01T00:00:00.000000Z box web 42 - - hello";
	char big[2000];
	size_t n;

	n = syslog_format(b, sizeof(b), &m);
	CHECK(n == strlen(want) && memcmp(b, want, n) == 0);
	m.facility = 0;
	m.severity = SYSLOG_EMERG;
	m.host = "";
	m.app = "a b\x01";
	m.procid = NULL;
	m.msg = "x\ty";
	m.msglen = 3;
	n = syslog_format(b, sizeof(b), &m);
	b[n] = 0;
	CHECK(strcmp(b, "<0>1 2001-01-01T00:00:00.000000Z - a_b_ - - - x y") == 0);
	m.facility = 23;
	m.severity = SYSLOG_DEBUG;
	n = syslog_format(b, sizeof(b), &m);
	CHECK(memcmp(b, "<191>1 ", 7) == 0);
	/* a long message is cut to the buffer */
	memset(big, 'm', sizeof(big));
	m.msg = big;
	m.msglen = sizeof(big);
	CHECK(syslog_format(b, SYSLOG_MSG_MAX, &m) == SYSLOG_MSG_MAX);
	CHECK(syslog_format(b, 20, &m) == 0);
	/* an overlong app name is cut to 48 */
	memset(big, 'a', 100);
	big[100] = 0;
	m.app = big;
	m.msg = "z";
	m.msglen = 1;
	n = syslog_format(b, sizeof(b), &m);
	b[n] = 0;
	CHECK(strstr(b, " - ") && strlen(strchr(b, 'a')) == 48 + strlen(" - - - z"));
}

int main(void)
{
	test_time();
	test_format();
	return check_done("test_syslog_fmt");
}

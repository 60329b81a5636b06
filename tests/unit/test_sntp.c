/* test_sntp.c - SNTP packets: the request's bytes, each refusal of a
 * reply, kiss codes, offset and delay (also across the 2036 era
 * boundary), Unix time conversions. */
#include "check.h"
#include "pure/sntp.h"

#include <string.h>

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* A good reply to a request sent with XMT. */
static void mkreply(uint8_t *b, uint64_t xmt)
{
	memset(b, 0, SNTP_PKT_LEN);
	b[0] = 0 << 6 | 4 << 3 | 4;
	b[1] = 2;	/* stratum */
	memcpy(b + 12, "GPS\0", 4);
	put64(b + 24, xmt);
	put64(b + 32, 0xe0000000ull << 32);
	put64(b + 40, (0xe0000000ull << 32) + 1);
}

static enum sntp_verdict check(const uint8_t *b, size_t len, uint64_t sent,
			       enum sntp_kiss *kiss, const char **why)
{
	struct sntp_reply r;

	return sntp_check_reply(b, len, sent, &r, kiss, why);
}

static void test_request(void)
{
	uint8_t b[64];

	CHECK(sntp_build_request(b, 47, 1) == -1);
	CHECK(sntp_build_request(b, sizeof(b), 0x0102030405060708ull) == SNTP_PKT_LEN);
	CHECK(b[0] == 0x23);	/* LI 0, VN 4, mode 3 */
	CHECK(b[40] == 1 && b[47] == 8);
	CHECK(b[1] == 0 && b[24] == 0 && b[32] == 0);
}

static void test_checks(void)
{
	const uint64_t sent = 0x1122334455667788ull;
	enum sntp_kiss kiss;
	const char *why = NULL;
	uint8_t b[SNTP_PKT_LEN + 20];
	struct sntp_reply r;
	size_t i;

	mkreply(b, sent);
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_OK);
	CHECK(sntp_check_reply(b, SNTP_PKT_LEN, sent, &r, &kiss, &why) == SNTP_OK &&
	      r.stratum == 2 && r.vn == 4 && r.org == sent);
	/* extension fields after the header: ignored */
	memset(b + SNTP_PKT_LEN, 0xaa, 20);
	CHECK(check(b, sizeof(b), sent, &kiss, &why) == SNTP_OK);
	/* every shorter length is too short */
	for (i = 0; i < SNTP_PKT_LEN; i++)
		CHECK(check(b, i, sent, &kiss, &why) == SNTP_BAD && strstr(why, "short"));

	mkreply(b, sent);
	b[0] = 4 << 3 | 3;	/* mode 3: a client's packet */
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD && strstr(why, "mode"));
	b[0] = 4 << 3 | 5;	/* broadcast */
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD);
	b[0] = 2 << 3 | 4;
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD && strstr(why, "version"));
	b[0] = 5 << 3 | 4;
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD && strstr(why, "version"));
	b[0] = 3 << 3 | 4;	/* version 3 is fine */
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_OK);
	b[0] = 3 << 6 | 4 << 3 | 4;
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD && strstr(why, "leap"));
	b[0] = 1 << 6 | 4 << 3 | 4;	/* a leap second ahead: fine */
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_OK);

	mkreply(b, sent);
	b[1] = 16;
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD && strstr(why, "stratum"));
	b[1] = 15;
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_OK);
	b[1] = 0;
	memcpy(b + 12, "RATE", 4);
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_KOD && kiss == SNTP_KISS_RATE);
	memcpy(b + 12, "DENY", 4);
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_KOD && kiss == SNTP_KISS_DENY);
	memcpy(b + 12, "RSTR", 4);
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_KOD && kiss == SNTP_KISS_DENY);
	memcpy(b + 12, "INIT", 4);
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_KOD && kiss == SNTP_KISS_OTHER);
	/* a kiss with the wrong origin is not believed */
	CHECK(check(b, SNTP_PKT_LEN, sent + 1, &kiss, &why) == SNTP_BAD && strstr(why, "origin"));

	mkreply(b, sent);
	CHECK(check(b, SNTP_PKT_LEN, sent ^ 1, &kiss, &why) == SNTP_BAD && strstr(why, "origin"));
	CHECK(check(b, SNTP_PKT_LEN, 0, &kiss, &why) == SNTP_BAD);	/* nothing outstanding */
	memset(b + 40, 0, 8);
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD && strstr(why, "transmit"));
	mkreply(b, sent);
	memset(b + 32, 0, 8);
	CHECK(check(b, SNTP_PKT_LEN, sent, &kiss, &why) == SNTP_BAD && strstr(why, "receive"));
}

static void test_offset(void)
{
	struct sntp_reply r;
	int64_t off, delay;
	uint64_t t1 = sntp_from_unix(1700000000, 0);

	memset(&r, 0, sizeof(r));
	/* server 10 s ahead, 20 ms each way, 1 ms in the server */
	r.rec = t1 + sntp_from_unix(10, 20000000) - sntp_from_unix(0, 0);
	r.xmt = r.rec + (sntp_from_unix(0, 1000000) - sntp_from_unix(0, 0));
	sntp_offset(&r, t1, t1 + (sntp_from_unix(0, 41000000) - sntp_from_unix(0, 0)), &off, &delay);
	CHECK(off > 9999999990LL && off < 10000000010LL);
	CHECK(delay > 39999990 && delay < 40000010);

	/* server 3 s behind */
	r.rec = t1 - (3ull << 32);
	r.xmt = r.rec;
	sntp_offset(&r, t1, t1, &off, &delay);
	CHECK(off == -3000000000LL && delay == 0);

	/* across the era boundary: our clock just before 2036-02-07, the
	 * server's just after (seconds wrapped to small numbers) */
	t1 = 0xfffffffeull << 32;
	r.rec = 2ull << 32;
	r.xmt = r.rec;
	sntp_offset(&r, t1, t1, &off, &delay);
	CHECK(off == 4000000000LL);
	/* a clock 68 years off still gives a number, without overflow */
	r.rec = t1 + (0x7fffffffull << 32);
	r.xmt = r.rec;
	sntp_offset(&r, t1, t1, &off, &delay);
	CHECK(off > 0);
	CHECK(sntp_fixed_to_ns(INT64_MIN) < 0 && sntp_fixed_to_ns(INT64_MAX) > 0);
	CHECK(sntp_fixed_to_ns(-(1LL << 31)) == -500000000LL);
}

static void test_unix(void)
{
	int64_t s;
	long ns;

	CHECK(sntp_from_unix(0, 0) >> 32 == SNTP_UNIX_OFFSET);
	sntp_to_unix(sntp_from_unix(1700000000, 500000000), &s, &ns);
	CHECK(s == 1700000000 && ns >= 499999999 && ns <= 500000000);
	/* after 2036: era 1 */
	sntp_to_unix(sntp_from_unix(2200000000LL, 0), &s, &ns);
	CHECK(s == 2200000000LL);
	sntp_to_unix(sntp_from_unix(978307200, 0), &s, &ns);	/* 2001-01-01 */
	CHECK(s == 978307200);
}

int main(void)
{
	test_request();
	test_checks();
	test_offset();
	test_unix();
	return check_done("test_sntp");
}

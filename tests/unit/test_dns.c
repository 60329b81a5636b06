/* test_dns.c - DNS queries and responses: the query's bytes, refused
 * names; a response with addresses, CNAME chains (in order, reversed,
 * looping), compression pointers (backwards only, hop-bounded), each
 * refusal (id, QR, opcode, TC, RCODE, question), every truncation of a
 * good response refused, responses placed against the end of a heap
 * copy (ASan). */
#include "check.h"
#include "pure/dns.h"

#include <stdlib.h>
#include <string.h>

static uint8_t msg[DNS_UDP_MAX];
static size_t mlen;

static void put(const void *p, size_t n)
{
	memcpy(msg + mlen, p, n);
	mlen += n;
}

static void put16(unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(b, 2);
}

/* Header and the question for "logs.test" (at offset 12), TYPE. */
static void start(uint16_t id, unsigned flags, unsigned an, unsigned type)
{
	mlen = 0;
	put16(id);
	put16(flags);
	put16(1);
	put16(an);
	put16(0);
	put16(0);
	put("\4logs\4test\0", 11);
	put16(type);
	put16(DNS_CLASS_IN);
}

/* A record: NAME (wire bytes), TYPE, TTL, RDATA. */
static void rr(const void *name, size_t nl, unsigned type, uint32_t ttl, const void *rd, size_t rl)
{
	put(name, nl);
	put16(type);
	put16(DNS_CLASS_IN);
	put16(ttl >> 16);
	put16(ttl & 0xffff);
	put16((unsigned)rl);
	put(rd, rl);
}

static const uint8_t PTR_Q[2] = { 0xc0, 12 };	/* -> "logs.test" */

static int parse(const char *name, uint16_t type, struct dns_addr *out, size_t max, int *rcode)
{
	const char *why;
	uint8_t *copy = malloc(mlen ? mlen : 1);
	int n;

	/* against the end of an exact-size heap copy: ASan sees any overread */
	memcpy(copy, msg, mlen);
	n = dns_parse_response(copy, mlen, 0x1234, name, type, out, max, rcode, &why);
	free(copy);
	return n;
}

static void test_query(void)
{
	uint8_t b[DNS_QUERY_MAX];
	char longname[300];
	int n;

	n = dns_build_query(b, sizeof(b), 0xabcd, "Logs.Test.", DNS_TYPE_A);
	CHECK(n == 12 + 11 + 4);
	CHECK(memcmp(b, "\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12) == 0);
	CHECK(memcmp(b + 12, "\4logs\4test\0\0\1\0\1", 15) == 0);
	n = dns_build_query(b, sizeof(b), 1, "a", DNS_TYPE_AAAA);
	CHECK(n == 12 + 3 + 4 && b[12 + 3 + 1] == 28);
	CHECK(dns_build_query(b, 20, 1, "logs.test", DNS_TYPE_A) == -1);
	CHECK(dns_build_query(b, sizeof(b), 1, "", DNS_TYPE_A) == -1);
	CHECK(dns_build_query(b, sizeof(b), 1, ".", DNS_TYPE_A) == -1);
	CHECK(dns_build_query(b, sizeof(b), 1, "a..b", DNS_TYPE_A) == -1);
	CHECK(dns_build_query(b, sizeof(b), 1, ".a", DNS_TYPE_A) == -1);
	CHECK(dns_build_query(b, sizeof(b), 1, "a b", DNS_TYPE_A) == -1);
	CHECK(dns_build_query(b, sizeof(b), 1, "a\\.b", DNS_TYPE_A) == -1);
	CHECK(dns_build_query(b, sizeof(b), 1, "a", DNS_TYPE_CNAME) == -1);
	memset(longname, 'a', 64);
	longname[64] = '\0';
	CHECK(dns_build_query(b, sizeof(b), 1, longname, DNS_TYPE_A) == -1);
	longname[63] = '\0';
	CHECK(dns_build_query(b, sizeof(b), 1, longname, DNS_TYPE_A) == 12 + 65 + 4);
	/* 63, 63, 63, 62: 256 bytes on the wire, one too many; 61 last: 255 */
	memset(longname, 'a', 255);
	longname[63] = longname[127] = longname[191] = '.';
	longname[254] = '\0';
	CHECK(dns_build_query(b, sizeof(b), 1, longname, DNS_TYPE_A) == -1);
	longname[253] = '\0';
	CHECK(dns_build_query(b, sizeof(b), 1, longname, DNS_TYPE_A) == 12 + 255 + 4);
}

static void test_answers(void)
{
	struct dns_addr a[4];
	int rc, n;
	size_t full, k;

	start(0x1234, 0x8180, 3, DNS_TYPE_A);
	rr(PTR_Q, 2, DNS_TYPE_A, 300, "\300\0\2\2", 4);
	rr("\4LOGS\4TEST\0", 11, DNS_TYPE_A, 60, "\300\0\2\3", 4);
	rr(PTR_Q, 2, DNS_TYPE_AAAA, 60, "0123456789abcdef", 16);	/* other type: ignored */
	n = parse("logs.test", DNS_TYPE_A, a, 4, &rc);
	CHECK(n == 2 && rc == 0);
	CHECK(a[0].len == 4 && memcmp(a[0].addr, "\300\0\2\2", 4) == 0 && a[0].ttl == 300);
	CHECK(memcmp(a[1].addr, "\300\0\2\3", 4) == 0 && a[1].ttl == 60);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 1, &rc) == 1);
	CHECK(parse("LOGS.test.", DNS_TYPE_A, a, 4, &rc) == 2);
	/* every truncation refused, never read past */
	full = mlen;
	for (k = 0; k < full; k++) {
		mlen = k;
		CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	}
	mlen = full;
	/* refusals */
	CHECK(parse("other.test", DNS_TYPE_A, a, 4, &rc) == -1);
	CHECK(parse("logs.test", DNS_TYPE_AAAA, a, 4, &rc) == -1);
	msg[0] ^= 1;
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1 && rc == -1);
	msg[0] ^= 1;
	msg[2] &= 0x7f;	/* QR clear: a query */
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	msg[2] |= 0x80 | 0x08;	/* opcode 1 */
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	msg[2] = 0x83;	/* TC */
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	msg[2] = 0x81;
	msg[3] = 0x83;	/* NXDOMAIN */
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1 && rc == DNS_RCODE_NXDOMAIN);
	msg[3] = 0x80;
	msg[5] = 2;	/* two questions */
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	msg[5] = 1;
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == 2);
	/* no answers: 0, not an error */
	start(0x1234, 0x8180, 0, DNS_TYPE_AAAA);
	CHECK(parse("logs.test", DNS_TYPE_AAAA, a, 4, &rc) == 0 && rc == 0);
	/* AAAA; a wrong rdata length refused */
	start(0x1234, 0x8180, 1, DNS_TYPE_AAAA);
	rr(PTR_Q, 2, DNS_TYPE_AAAA, 5, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1", 16);
	CHECK(parse("logs.test", DNS_TYPE_AAAA, a, 4, &rc) == 1 && a[0].len == 16 &&
	      a[0].addr[15] == 1);
	start(0x1234, 0x8180, 1, DNS_TYPE_A);
	rr(PTR_Q, 2, DNS_TYPE_A, 5, "\1\2\3", 3);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	/* a TTL with the top bit: 0 (RFC 2181 8) */
	start(0x1234, 0x8180, 1, DNS_TYPE_A);
	rr(PTR_Q, 2, DNS_TYPE_A, 0x80000001u, "\1\2\3\4", 4);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == 1 && a[0].ttl == 0);
}

static void test_cname(void)
{
	struct dns_addr a[4];
	size_t off_t1;
	uint8_t p1[2];
	int rc;

	/* logs.test CNAME t1.test; t1.test A 1.2.3.4 */
	start(0x1234, 0x8180, 2, DNS_TYPE_A);
	off_t1 = mlen + 12;	/* the rdata of the first record */
	rr(PTR_Q, 2, DNS_TYPE_CNAME, 30, "\2t1\4test\0", 9);
	p1[0] = 0xc0;
	p1[1] = (uint8_t)off_t1;
	rr(p1, 2, DNS_TYPE_A, 300, "\1\2\3\4", 4);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == 1 && a[0].addr[3] == 4 && a[0].ttl == 30);
	/* reversed order: the address first */
	start(0x1234, 0x8180, 2, DNS_TYPE_A);
	rr("\2t1\4test\0", 9, DNS_TYPE_A, 300, "\1\2\3\5", 4);
	rr(PTR_Q, 2, DNS_TYPE_CNAME, 30, "\2t1\xc0\x11", 5);	/* t1 + ptr to "test" */
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == 1 && a[0].addr[3] == 5);
	/* an address for the name itself is not taken once it is an alias */
	start(0x1234, 0x8180, 2, DNS_TYPE_A);
	rr(PTR_Q, 2, DNS_TYPE_CNAME, 30, "\2t1\4test\0", 9);
	rr(PTR_Q, 2, DNS_TYPE_A, 30, "\1\1\1\1", 4);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == 0);
	/* a loop: logs.test -> t1.test -> logs.test */
	start(0x1234, 0x8180, 2, DNS_TYPE_A);
	rr(PTR_Q, 2, DNS_TYPE_CNAME, 30, "\2t1\4test\0", 9);
	rr("\2t1\4test\0", 9, DNS_TYPE_CNAME, 30, PTR_Q, 2);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	/* a CNAME whose name runs past its rdata */
	start(0x1234, 0x8180, 1, DNS_TYPE_A);
	rr(PTR_Q, 2, DNS_TYPE_CNAME, 30, "\2t1\4test\0", 5);
	put("\0", 1);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
}

static void test_pointers(void)
{
	struct dns_addr a[4];
	int rc, i, n;

	/* a pointer to itself, and one forwards */
	start(0x1234, 0x8180, 1, DNS_TYPE_A);
	msg[mlen] = 0xc0;
	msg[mlen + 1] = (uint8_t)mlen;
	mlen += 2;
	put("\0\1\0\1\0\0\0\1\0\4\1\2\3\4", 14);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	start(0x1234, 0x8180, 1, DNS_TYPE_A);
	msg[mlen] = 0xc0;
	msg[mlen + 1] = (uint8_t)(mlen + 2);
	mlen += 2;
	put("\0\1\0\1\0\0\0\1\0\4\1\2\3\4", 14);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	/* into the header */
	start(0x1234, 0x8180, 1, DNS_TYPE_A);
	rr("\xc0\x02", 2, DNS_TYPE_A, 1, "\1\2\3\4", 4);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	/* a question that is a pointer: refused (only backwards) */
	mlen = 0;
	put16(0x1234);
	put16(0x8180);
	put16(1);
	put16(0);
	put16(0);
	put16(0);
	put("\xc0\x0c", 2);
	put16(1);
	put16(1);
	CHECK(parse("logs.test", DNS_TYPE_A, a, 4, &rc) == -1);
	/* chains of pointers, each backwards, kept in a TXT record's rdata;
	 * the answer's name is one more pointer: HOPS_MAX in all is good,
	 * one more is refused */
	for (i = DNS_PTR_HOPS_MAX; i <= DNS_PTR_HOPS_MAX + 1; i++) {
		uint8_t chain[2 * DNS_PTR_HOPS_MAX], last[2];
		size_t base, prev = 12;
		int k;

		start(0x1234, 0x8180, 2, DNS_TYPE_A);
		base = mlen + 2 + 10;	/* where the rdata lands */
		for (k = 0; k < i - 1; k++) {
			chain[2 * k] = 0xc0;
			chain[2 * k + 1] = (uint8_t)prev;
			prev = base + 2 * (size_t)k;
		}
		rr(PTR_Q, 2, 16, 1, chain, 2 * (size_t)(i - 1));
		last[0] = 0xc0;
		last[1] = (uint8_t)prev;
		rr(last, 2, DNS_TYPE_A, 1, "\1\2\3\4", 4);
		n = parse("logs.test", DNS_TYPE_A, a, 4, &rc);
		CHECK(n == (i == DNS_PTR_HOPS_MAX ? 1 : -1));
	}
}

int main(void)
{
	test_query();
	test_answers();
	test_cname();
	test_pointers();
	return check_done("test_dns");
}

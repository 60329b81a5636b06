/* test_dhcp_msg.c - the DHCP message parser against a table of well-formed
 * and malformed packets, and the builders. */
#include "check.h"
#include "pure/dhcp_msg.h"

#include <arpa/inet.h>
#include <string.h>

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* A BOOTREPLY header with the cookie; options appended by the caller. */
static size_t reply_head(uint8_t *p, uint32_t xid)
{
	memset(p, 0, 240);
	p[0] = 2; p[1] = 1; p[2] = 6;
	p[4] = (uint8_t)(xid >> 24); p[5] = (uint8_t)(xid >> 16);
	p[6] = (uint8_t)(xid >> 8); p[7] = (uint8_t)xid;
	p[16] = 10; p[17] = 0; p[18] = 2; p[19] = 15;	/* yiaddr */
	memcpy(p + 28, mac, 6);
	p[236] = 99; p[237] = 130; p[238] = 83; p[239] = 99;
	return 240;
}

static size_t put(uint8_t *p, size_t off, const uint8_t *b, size_t n)
{
	memcpy(p + off, b, n);
	return off + n;
}

struct pcase {
	const char *name;
	size_t olen;		/* bytes of options after the cookie */
	uint8_t opts[80];
	int ok;
};

/* message type ACK first in every case */
#define ACK 53, 1, 5

static const struct pcase cases[] = {
	{ "minimal ACK", 4, { ACK, 255 }, 1 },
	{ "padding then END", 7, { 0, 0, ACK, 0, 255 }, 1 },
	{ "truncated option (code, no length)", 4, { ACK, 1 }, 0 },
	{ "length runs past the packet", 8, { ACK, 1, 200, 255, 255, 255 }, 0 },
	{ "missing END", 9, { ACK, 1, 4, 255, 255, 255, 0 }, 0 },
	{ "no message type", 1, { 255 }, 0 },
	{ "message type zero length", 3, { 53, 0, 255 }, 0 },
	{ "message type out of range", 4, { 53, 1, 9, 255 }, 0 },
	{ "zero-length options are ignored", 10, { ACK, 1, 0, 3, 0, 12, 0, 255 }, 1 },
	{ "overload value invalid", 7, { ACK, 52, 1, 7, 255 }, 0 },
	{ "option 121 prefix > 32 ignored", 15, { ACK, 121, 9, 33, 10, 0, 0, 0, 10, 0, 0, 1, 255 }, 1 },
};

static void test_table(void)
{
	uint8_t p[600];
	struct dhcp_reply r;
	const char *why;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = reply_head(p, 1);
		n = put(p, n, cases[i].opts, cases[i].olen);
		why = NULL;
		if ((dhcp_msg_parse(p, n, &r, &why) == 0) != cases[i].ok) {
			fprintf(stderr, "case '%s': %s\n", cases[i].name,
			    why ? why : "accepted");
			CHECK(0);
		} else {
			CHECK(1);
			CHECK(cases[i].ok || why != NULL);
		}
	}
	/* option 121 with prefix > 32: the option is dropped, not the rest */
	n = reply_head(p, 1);
	n = put(p, n, cases[10].opts, cases[10].olen);
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0);
	CHECK(!(r.have & DHCP_HAVE_ROUTES) && (r.ignored & DHCP_HAVE_ROUTES));
	CHECK(r.nroutes == 0);
}

static void test_header_checks(void)
{
	uint8_t p[DHCP_MSG_MAX + 10];
	struct dhcp_reply r;
	const char *why;
	size_t n;
	static const uint8_t ack[] = { ACK, 255 };

	n = put(p, reply_head(p, 7), ack, sizeof(ack));
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0);
	CHECK(r.xid == 7 && r.type == DHCPACK && memcmp(r.chaddr, mac, 6) == 0);
	CHECK(r.yiaddr == inet_addr("10.0.2.15"));

	p[236] = 98;	/* wrong cookie */
	CHECK(dhcp_msg_parse(p, n, &r, &why) < 0 && strstr(why, "cookie"));
	p[236] = 99;
	p[0] = 1;	/* BOOTREQUEST */
	CHECK(dhcp_msg_parse(p, n, &r, &why) < 0);
	p[0] = 2;
	p[2] = 16;	/* hlen */
	CHECK(dhcp_msg_parse(p, n, &r, &why) < 0);
	p[2] = 6;
	CHECK(dhcp_msg_parse(p, 239, &r, &why) < 0);	/* too short */
	CHECK(dhcp_msg_parse(p, 0, &r, &why) < 0);
	/* an oversized message is refused whatever it holds */
	memset(p + n, 0, sizeof(p) - n);
	CHECK(dhcp_msg_parse(p, DHCP_MSG_MAX, &r, &why) == 0);
	CHECK(dhcp_msg_parse(p, DHCP_MSG_MAX + 1, &r, &why) < 0 &&
	    strstr(why, "oversized"));
}

static void test_full_ack(void)
{
	uint8_t p[600];
	struct dhcp_reply r;
	const char *why;
	size_t n = reply_head(p, 42);
	static const uint8_t o[] = {
		ACK,
		54, 4, 10, 0, 2, 2,
		51, 4, 0, 0, 0x0e, 0x10,	/* 3600 */
		58, 4, 0, 0, 0x07, 0x08,	/* 1800 */
		59, 4, 0, 0, 0x0c, 0x4e,	/* 3150 */
		1, 4, 255, 255, 255, 0,
		3, 8, 10, 0, 2, 2, 10, 0, 2, 1,
		/* RFC 3396: DNS split in two pieces */
		6, 4, 10, 0, 2, 3,
		26, 2, 0x05, 0xdc,
		28, 4, 10, 0, 2, 255,
		6, 4, 10, 0, 2, 4,
		12, 4, 'h', 'o', 's', 't',
		15, 8, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
		42, 4, 10, 0, 2, 5,
		255
	};

	n = put(p, n, o, sizeof(o));
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0);
	CHECK(r.server_id == inet_addr("10.0.2.2"));
	CHECK(r.lease == 3600 && r.t1 == 1800 && r.t2 == 3150);
	CHECK((r.have & (DHCP_HAVE_LEASE | DHCP_HAVE_T1 | DHCP_HAVE_T2)) ==
	    (DHCP_HAVE_LEASE | DHCP_HAVE_T1 | DHCP_HAVE_T2));
	CHECK(r.mask == inet_addr("255.255.255.0"));
	CHECK(r.nrouters == 2 && r.routers[0] == inet_addr("10.0.2.2"));
	CHECK(r.ndns == 2 && r.dns[0] == inet_addr("10.0.2.3") &&
	    r.dns[1] == inet_addr("10.0.2.4"));
	CHECK(r.mtu == 1500 && (r.have & DHCP_HAVE_MTU));
	CHECK(r.broadcast == inet_addr("10.0.2.255"));
	CHECK(strcmp(r.hostname, "host") == 0);
	CHECK(strcmp(r.domain, "example") == 0);	/* trailing NUL tolerated */
	CHECK(r.nntp == 1 && r.ntp[0] == inet_addr("10.0.2.5"));
}

static void test_overload(void)
{
	uint8_t p[600];
	struct dhcp_reply r;
	const char *why;
	size_t n = reply_head(p, 1);
	static const uint8_t o[] = { ACK, 52, 1, 3, 255 };
	static const uint8_t file[] = { 3, 4, 10, 0, 2, 2, 255 };
	static const uint8_t sname[] = { 6, 4, 10, 0, 2, 3, 255 };

	n = put(p, n, o, sizeof(o));
	memcpy(p + 108, file, sizeof(file));
	memcpy(p + 44, sname, sizeof(sname));
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0);
	CHECK(r.nrouters == 1 && r.routers[0] == inet_addr("10.0.2.2"));
	CHECK(r.ndns == 1 && r.dns[0] == inet_addr("10.0.2.3"));

	/* without option 52 the fields are not options */
	n = reply_head(p, 1);
	n = put(p, n, (const uint8_t[]){ ACK, 255 }, 4);
	memcpy(p + 108, file, sizeof(file));
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0 && r.nrouters == 0);

	/* option 52 inside the file field points at itself: refused */
	n = reply_head(p, 1);
	n = put(p, n, (const uint8_t[]){ ACK, 52, 1, 1, 255 }, 7);
	memcpy(p + 108, (const uint8_t[]){ 52, 1, 1, 255 }, 4);
	CHECK(dhcp_msg_parse(p, n, &r, &why) < 0);

	/* file field without END */
	n = reply_head(p, 1);
	n = put(p, n, (const uint8_t[]){ ACK, 52, 1, 1, 255 }, 7);
	memset(p + 108, 0, 128);
	p[108] = 3; p[109] = 4;
	p[108 + 126] = 1; p[108 + 127] = 1;	/* runs past the field */
	CHECK(dhcp_msg_parse(p, n, &r, &why) < 0);
}

static void test_routes_search(void)
{
	uint8_t p[600];
	struct dhcp_reply r;
	const char *why;
	size_t n = reply_head(p, 1);
	static const uint8_t o[] = {
		ACK,
		3, 4, 10, 0, 2, 9,	/* ignored when 121 is there */
		121, 18,
		0, 10, 0, 2, 1,			/* default via 10.0.2.1 */
		24, 192, 168, 7, 10, 0, 2, 1,	/* 192.168.7.0/24 */
		32, 10, 0, 2, 7,
		121, 4, 0, 0, 0, 0,		/* RFC 3396 continuation */
		119, 15, 3, 'f', 'o', 'o', 3, 'c', 'o', 'm', 0,
		3, 'b', 'a', 'r', 0xc0, 4,	/* compressed: bar.com */
		255
	};

	n = put(p, n, o, sizeof(o));
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0);
	CHECK(r.have & DHCP_HAVE_ROUTES);
	CHECK(r.nroutes == 3);
	CHECK(r.routes[0].plen == 0 && r.routes[0].gw == inet_addr("10.0.2.1"));
	CHECK(r.routes[1].plen == 24 && r.routes[1].dst == inet_addr("192.168.7.0"));
	CHECK(r.routes[2].plen == 32 && r.routes[2].dst == inet_addr("10.0.2.7") &&
	    r.routes[2].gw == 0);
	CHECK(strcmp(r.search, "foo.com bar.com") == 0);

	/* a forward or self pointer in option 119 is refused */
	n = reply_head(p, 1);
	n = put(p, n, (const uint8_t[]){ ACK, 119, 2, 0xc0, 0, 255 }, 8);
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0);
	CHECK(!(r.have & DHCP_HAVE_SEARCH) && (r.ignored & DHCP_HAVE_SEARCH));
}

static void test_strings(void)
{
	uint8_t p[600];
	struct dhcp_reply r;
	const char *why;
	size_t n = reply_head(p, 1);

	n = put(p, n, (const uint8_t[]){ ACK, 12, 6, 'a', ';', 'r', 'm', ' ', 'x', 255 }, 12);
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0);
	CHECK(!(r.have & DHCP_HAVE_HOSTNAME) && (r.ignored & DHCP_HAVE_HOSTNAME));
	CHECK(r.hostname[0] == 0);

	CHECK(dhcp_name_valid("a-b.example", 11));
	CHECK(!dhcp_name_valid("-ab", 3));
	CHECK(!dhcp_name_valid("ab-", 3));
	CHECK(!dhcp_name_valid("a..b", 4));
	CHECK(!dhcp_name_valid(".a", 2));
	CHECK(!dhcp_name_valid("a_b", 3));
	CHECK(!dhcp_name_valid("", 0));
	CHECK(!dhcp_name_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64));
}

static void test_build(void)
{
	uint8_t buf[DHCP_FRAME_MAX];
	struct dhcp_request rq;
	const uint8_t *pl;
	size_t plen;
	const char *why;
	int n, f;

	memset(&rq, 0, sizeof(rq));
	rq.type = DHCPREQUEST;
	rq.xid = 0x01020304;
	memcpy(rq.chaddr, mac, 6);
	rq.requested = inet_addr("10.0.2.15");
	rq.server_id = inet_addr("10.0.2.2");
	rq.client_id_len = (uint8_t)dhcp_msg_client_id(rq.client_id,
	    sizeof(rq.client_id), 2, mac);
	CHECK(rq.client_id_len == 15 && rq.client_id[0] == 255);
	n = dhcp_msg_build(buf + DHCP_FRAME_HDR_LEN, DHCP_MSG_MAX, &rq);
	CHECK(n >= DHCP_BOOTP_MIN_LEN);
	CHECK(buf[28] == 1 && buf[28 + 4] == 1 && buf[28 + 7] == 4);
	CHECK(buf[28 + 240] == 53 && buf[28 + 242] == DHCPREQUEST);
	CHECK(dhcp_msg_build(buf, 100, &rq) < 0);

	f = dhcp_frame_build(buf, sizeof(buf), (size_t)n, 0, 0xffffffffu, 68, 68);
	CHECK(f == n + 28);
	CHECK(dhcp_frame_parse(buf, (size_t)f, 1, &pl, &plen, &why) == 0);
	CHECK(plen == (size_t)n && pl == buf + 28);
	buf[28 + 100] ^= 1;	/* corrupt the payload: UDP checksum fails */
	CHECK(dhcp_frame_parse(buf, (size_t)f, 1, &pl, &plen, &why) < 0);
	CHECK(dhcp_frame_parse(buf, (size_t)f, 0, &pl, &plen, &why) == 0);
	CHECK(dhcp_frame_parse(buf, 27, 0, &pl, &plen, &why) < 0);
	buf[8] ^= 1;		/* IP header checksum */
	CHECK(dhcp_frame_parse(buf, (size_t)f, 0, &pl, &plen, &why) < 0);
	buf[8] ^= 1;
	buf[22] = 0; buf[23] = 67;	/* to port 67 */
	CHECK(dhcp_frame_parse(buf, (size_t)f, 0, &pl, &plen, &why) < 0);
}

/* Where option CODE starts in a built message's options, or -1. */
static int opt_at(const uint8_t *m, int len, uint8_t code)
{
	int i = 240;

	while (i + 1 < len && m[i] != 255) {
		if (m[i] == 0) {
			i++;
			continue;
		}
		if (m[i] == code)
			return i;
		i += 2 + m[i + 1];
	}
	return -1;
}

/* RFC 4039: option 80, empty, in a DISCOVER only; parsed back as a flag. */
static void test_rapid_commit(void)
{
	uint8_t buf[DHCP_MSG_MAX], p[600];
	struct dhcp_request rq;
	struct dhcp_reply r;
	const char *why;
	size_t n;
	int len, at;

	memset(&rq, 0, sizeof(rq));
	rq.type = DHCPDISCOVER;
	rq.xid = 7;
	memcpy(rq.chaddr, mac, 6);
	rq.rapid_commit = 1;
	len = dhcp_msg_build(buf, sizeof(buf), &rq);
	at = opt_at(buf, len, 80);
	CHECK(len > 0 && at > 0 && buf[at + 1] == 0);
	rq.rapid_commit = 0;
	len = dhcp_msg_build(buf, sizeof(buf), &rq);
	CHECK(len > 0 && opt_at(buf, len, 80) < 0);
	rq.type = DHCPREQUEST;	/* never in a REQUEST, even if asked */
	rq.rapid_commit = 1;
	len = dhcp_msg_build(buf, sizeof(buf), &rq);
	CHECK(len > 0 && opt_at(buf, len, 80) < 0);

	n = reply_head(p, 7);
	n = put(p, n, (const uint8_t[]){ ACK, 80, 0, 255 }, 6);
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0 &&
	    (r.have & DHCP_HAVE_RAPID_COMMIT) && !(r.ignored & DHCP_HAVE_RAPID_COMMIT));
	n = reply_head(p, 7);
	n = put(p, n, (const uint8_t[]){ ACK, 255 }, 4);
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0 && !(r.have & DHCP_HAVE_RAPID_COMMIT));
	/* option 80 with data is not the rapid commit option: ignored */
	n = reply_head(p, 7);
	n = put(p, n, (const uint8_t[]){ ACK, 80, 1, 0, 255 }, 7);
	CHECK(dhcp_msg_parse(p, n, &r, &why) == 0 &&
	    !(r.have & DHCP_HAVE_RAPID_COMMIT) && (r.ignored & DHCP_HAVE_RAPID_COMMIT));
}

int main(void)
{
	test_table();
	test_header_checks();
	test_full_ack();
	test_overload();
	test_routes_search();
	test_strings();
	test_build();
	test_rapid_commit();
	return check_done("dhcp_msg");
}

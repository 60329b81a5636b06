/* dns.h - DNS stub-resolver messages (RFC 1035 4.1, RFC 3596): an A or
 * AAAA query built into a caller buffer, and the response checked and
 * read. No I/O, no allocation.
 *
 * dns_parse_response returns addresses only for a response to our query:
 * the same id, QR set, opcode QUERY, not truncated, RCODE 0 (NOERROR),
 * one question equal to ours (name case-insensitively, type, class IN);
 * answers for the name, or for the end of a CNAME chain from it within
 * the answer section (at most DNS_CNAME_MAX links). Compression pointers
 * (RFC 1035 4.1.4) must point backwards, past the header, at most
 * DNS_PTR_HOPS_MAX in one name: no loops. Every length is checked before
 * it is read; nothing past LEN is read. */
#ifndef MINILINUX_DNS_H
#define MINILINUX_DNS_H

#include <stddef.h>
#include <stdint.h>

#define DNS_HDR_LEN       12
#define DNS_NAME_MAX      255	/* RFC 1035 2.3.4: a name on the wire */
#define DNS_LABEL_MAX     63	/* RFC 1035 2.3.4 */
#define DNS_UDP_MAX       512	/* RFC 1035 4.2.1: a UDP message, no EDNS */
#define DNS_QUERY_MAX     (DNS_HDR_LEN + DNS_NAME_MAX + 4)
#define DNS_PTR_HOPS_MAX  16	/* compression pointers followed in one name */
#define DNS_CNAME_MAX     8	/* CNAME links followed */
#define DNS_PORT          53
#define DNS_TYPE_A        1
#define DNS_TYPE_CNAME    5
#define DNS_TYPE_AAAA     28	/* RFC 3596 2.1 */
#define DNS_CLASS_IN      1
#define DNS_RCODE_NXDOMAIN 3

struct dns_addr {
	uint8_t len;		/* 4: IPv4 (A), 16: IPv6 (AAAA) */
	uint8_t addr[16];	/* LEN bytes, network order */
	uint32_t ttl;		/* s: the least along the CNAME chain */
};

/* A recursive (RD) query for NAME ("host.example", a final dot allowed)
 * of TYPE (DNS_TYPE_A or DNS_TYPE_AAAA) with ID into BUF: its length, or
 * -1 (EINVAL: not a host name; ENOBUFS: LEN too small). */
int dns_build_query(uint8_t *buf, size_t len, uint16_t id, const char *name, uint16_t type);

/* The response MSG of LEN bytes to the query (ID, NAME, TYPE): the number
 * of addresses put in OUT (at most MAX, 0 if the name has none of TYPE),
 * or -1 with WHY (static text). *RCODE gets the response code whenever
 * the header could be read (else -1): NXDOMAIN tells "no such name". */
int dns_parse_response(const uint8_t *msg, size_t len, uint16_t id, const char *name,
		       uint16_t type, struct dns_addr *out, size_t max, int *rcode,
		       const char **why);

#endif

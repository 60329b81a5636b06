/* dhcp_msg.h - DHCPv4 messages (RFC 2131/2132) and their IPv4+UDP frames:
 * build and parse in caller buffers, no I/O, no allocation. */
#ifndef MINILINUX_DHCP_MSG_H
#define MINILINUX_DHCP_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define DHCP_FIXED_LEN		236	/* RFC 2131 2: op .. file */
#define DHCP_COOKIE_LEN		4
#define DHCP_MIN_LEN		(DHCP_FIXED_LEN + DHCP_COOKIE_LEN)
#define DHCP_BOOTP_MIN_LEN	300	/* RFC 1542 2.1: pad to the BOOTP size */
#define DHCP_MSG_MAX		1472	/* 1500 - IPv4 - UDP; larger is dropped */
#define DHCP_FRAME_HDR_LEN	28	/* IPv4 header without options + UDP */
#define DHCP_FRAME_MAX		(DHCP_FRAME_HDR_LEN + DHCP_MSG_MAX)

#define DHCP_MAX_ROUTERS	4
#define DHCP_MAX_DNS		4
#define DHCP_MAX_NTP		4
#define DHCP_MAX_ROUTES		16	/* option 121 entries */
#define DHCP_MAX_FRAGS		128	/* option pieces in one message */
#define DHCP_HOSTNAME_MAX	64
#define DHCP_DOMAIN_MAX		254
#define DHCP_SEARCH_MAX		256	/* option 119 as "a.example b.example" */
#define DHCP_CLIENT_ID_MAX	32

#define DHCP_INFINITE		0xffffffffu	/* RFC 2131 3.3 */

/* RFC 2132 9.6 message types */
enum {
	DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE,
	DHCPACK, DHCPNAK, DHCPRELEASE, DHCPINFORM
};

/* Options actually present and valid in a parsed reply. */
#define DHCP_HAVE_MASK		0x0001u
#define DHCP_HAVE_LEASE		0x0002u
#define DHCP_HAVE_T1		0x0004u
#define DHCP_HAVE_T2		0x0008u
#define DHCP_HAVE_SERVER_ID	0x0010u
#define DHCP_HAVE_BROADCAST	0x0020u
#define DHCP_HAVE_MTU		0x0040u
#define DHCP_HAVE_HOSTNAME	0x0080u
#define DHCP_HAVE_DOMAIN	0x0100u
#define DHCP_HAVE_SEARCH	0x0200u
#define DHCP_HAVE_ROUTES	0x0400u	/* option 121 */
#define DHCP_HAVE_RAPID_COMMIT	0x0800u	/* option 80, RFC 4039 */

struct dhcp_route {
	uint32_t dst;		/* network byte order, like all addresses here */
	uint32_t gw;		/* 0: on-link */
	uint8_t plen;
};

struct dhcp_reply {
	uint8_t op, htype, hlen, type;
	uint32_t xid;
	uint32_t ciaddr, yiaddr, siaddr;
	uint8_t chaddr[16];
	unsigned have;		/* DHCP_HAVE_* */
	unsigned ignored;	/* DHCP_HAVE_* bits of options present but invalid */
	uint32_t mask, broadcast, server_id;
	uint32_t lease, t1, t2;	/* seconds */
	uint16_t mtu;
	uint8_t nrouters, ndns, nntp, nroutes;
	uint32_t routers[DHCP_MAX_ROUTERS];
	uint32_t dns[DHCP_MAX_DNS];
	uint32_t ntp[DHCP_MAX_NTP];
	struct dhcp_route routes[DHCP_MAX_ROUTES];
	char hostname[DHCP_HOSTNAME_MAX];
	char domain[DHCP_DOMAIN_MAX + 1];
	char search[DHCP_SEARCH_MAX];
};

/* What the client sends. Zero fields are left out. */
struct dhcp_request {
	uint8_t type;
	uint8_t chaddr[6];
	uint16_t secs;
	uint32_t xid;
	uint32_t ciaddr;
	uint32_t requested;	/* option 50 */
	uint32_t server_id;	/* option 54 */
	uint16_t max_size;	/* option 57 */
	uint8_t rapid_commit;	/* option 80 (RFC 4039), DISCOVER only */
	uint8_t client_id_len;
	uint8_t client_id[DHCP_CLIENT_ID_MAX];	/* option 61 */
};

/* Build a message into buf; returns its length, or -1 (EMSGSIZE). */
int dhcp_msg_build(uint8_t *buf, size_t size, const struct dhcp_request *rq);

/* Parse a BOOTREPLY; 0, or -1 with *why set to a short reason. */
int dhcp_msg_parse(const uint8_t *buf, size_t len, struct dhcp_reply *r,
    const char **why);

/* RFC 4361 6.1 client identifier: 255, IAID, DUID-LL (RFC 8415 11.4). */
size_t dhcp_msg_client_id(uint8_t *out, size_t size, uint32_t iaid,
    const uint8_t mac[6]);

/* Prefix the message at buf + DHCP_FRAME_HDR_LEN (len bytes) with IPv4 and
 * UDP headers, checksums included; returns the frame length or -1. */
int dhcp_frame_build(uint8_t *buf, size_t size, size_t len, uint32_t src,
    uint32_t dst, uint16_t sport, uint16_t dport);

/* Check an IPv4 UDP frame to port 68; sets the payload. verify_udp says
 * whether the UDP checksum is complete (not left to offload). */
int dhcp_frame_parse(const uint8_t *buf, size_t len, int verify_udp,
    const uint8_t **payload, size_t *plen, const char **why);

/* RFC 1123 2.1 host name / domain: letters, digits, '-', dots between. */
int dhcp_name_valid(const char *s, size_t len);

#endif

/* nl_msg.h - rtnetlink requests built in caller-owned buffers.
 *
 * The nl_build_* functions are pure: they write one request into a buffer
 * and return its length (or -1, EMSGSIZE). The nl_parse_* functions check
 * every header and attribute against the bytes received. No I/O here
 * (lib/netlink.c sends and receives). Addresses are IPv4 in network order. */
#ifndef MINILINUX_NL_MSG_H
#define MINILINUX_NL_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define NL_REQ_MAX	256	/* one request */
#define NL_RECV_MAX	8192	/* one datagram of replies or events */
#define NL_RDNSS_MAX	3	/* addresses kept from one RDNSS option */

/* Multicast group masks for nl_open(): 1 << (RTNLGRP_* - 1). */
#define NL_GROUP(g)		(1u << ((g) - 1))
#define NL_GROUP_LINK		NL_GROUP(RTNLGRP_LINK)
#define NL_GROUP_ND_USEROPT	NL_GROUP(RTNLGRP_ND_USEROPT)

/* ---- pure builders ---- */
struct nlmsghdr *nl_msg_start(void *buf, size_t size, uint16_t type,
    uint16_t flags, uint32_t seq, size_t hdrlen);
int nl_attr_put(struct nlmsghdr *nlh, size_t size, uint16_t type,
    const void *data, size_t len);

/* RTM_NEWLINK: set IFF_UP (up != 0) and, when mtu != 0, the MTU. */
int nl_build_link_set(void *buf, size_t size, uint32_t seq, int ifindex,
    int up, uint32_t mtu);
/* RTM_GETLINK for one interface. */
int nl_build_link_get(void *buf, size_t size, uint32_t seq, int ifindex);
/* RTM_NEWADDR (add) / RTM_DELADDR: addr/plen, broadcast brd (0: none). */
int nl_build_addr(void *buf, size_t size, uint32_t seq, int add, int ifindex,
    uint32_t addr, unsigned plen, uint32_t brd);
/* RTM_GETADDR dump of IPv4 addresses. */
int nl_build_addr_dump(void *buf, size_t size, uint32_t seq);
/* RTM_NEWROUTE / RTM_DELROUTE in the main table: dst/plen via gw (0:
 * on-link), onlink sets RTNH_F_ONLINK for a gateway outside every subnet. */
int nl_build_route(void *buf, size_t size, uint32_t seq, int add, int ifindex,
    uint32_t dst, unsigned plen, uint32_t gw, int onlink);

/* ---- pure parsers ---- */
struct nl_link {
	int ifindex;
	unsigned flags;		/* IFF_* */
	int carrier;		/* IFF_LOWER_UP */
	uint32_t mtu;
	uint8_t addr[6];
	int have_addr;
	char name[16];
};

struct nl_rdnss {
	int ifindex;
	uint32_t lifetime;	/* seconds, 0: withdraw */
	size_t n;
	uint8_t addr[NL_RDNSS_MAX][16];
};

/* The answer to one request, across the datagrams that carry it. */
struct nl_reply {
	uint32_t seq, portid;	/* of the request, and our socket */
	int intr;		/* a part of the dump had NLM_F_DUMP_INTR */
};

void nl_reply_init(struct nl_reply *st, uint32_t seq, uint32_t portid);
/* One datagram [buf, buf + len) as recvmsg() returned it, with its
 * msg_flags. Messages that are no answer to the request (events, stale
 * answers) are skipped; each other message of the answer is handed to cb
 * (when not NULL), which returns nonzero to end there. Returns 1 to read
 * on, 0 when the answer is complete, or -1 with errno: the kernel's error
 * for the request; EMSGSIZE if the answer was cut (MSG_TRUNC: the datagram
 * was larger than the buffer); EAGAIN if the dump was interrupted
 * (NLM_F_DUMP_INTR: the table changed meanwhile; ask again); EBADMSG if
 * the answer is malformed. */
int nl_reply_feed(struct nl_reply *st, const uint8_t *buf, size_t len,
    int msg_flags, int (*cb)(const struct nlmsghdr *, void *), void *arg);

/* Walk messages: returns the next message in [*buf, *buf + *len) and
 * advances, or NULL at the end or on a malformed header. */
const struct nlmsghdr *nl_msg_next(const uint8_t **buf, size_t *len);
/* 0 ACK / -1 with errno from an NLMSG_ERROR matching seq and port; 1 if
 * the message is no answer to that request. */
int nl_parse_ack(const struct nlmsghdr *nlh, uint32_t seq, uint32_t portid);
/* RTM_NEWLINK / RTM_DELLINK: 0, -1 malformed. */
int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *li);
/* RTM_NEWADDR: family AF_INET, ifindex, address and prefix length. */
int nl_parse_addr(const struct nlmsghdr *nlh, int *ifindex, uint32_t *addr,
    unsigned *plen);
/* RTM_NEWNDUSEROPT carrying an RDNSS option (RFC 8106 5.1): 0, -1 when
 * malformed or no RDNSS. */
int nl_parse_rdnss(const struct nlmsghdr *nlh, struct nl_rdnss *rd);

#endif

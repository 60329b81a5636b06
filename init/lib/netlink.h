/* netlink.h - rtnetlink I/O: open a socket, send one request built by
 * pure/nl_msg.c, wait for the answer whose sequence number and port id
 * match. Addresses are IPv4 in network order. */
#ifndef MINILINUX_NETLINK_H
#define MINILINUX_NETLINK_H

#include "pure/nl_msg.h"

/* Every request has an answer within NL_TIMEOUT_MS or fails (ETIMEDOUT).
 * The kernel handles rtnetlink requests inside sendmsg(), so the answer,
 * or a dump's first part, is queued by the time the wait starts: the
 * deadline only ends waits for an answer that will not come. */
#define NL_TIMEOUT_MS	1000
/* A dump interrupted by a change of the table (NLM_F_DUMP_INTR) is asked
 * again this many times in all, then fails with EAGAIN. */
#define NL_DUMP_TRIES	3

/* ---- I/O ---- */
/* A NETLINK_ROUTE socket bound to the multicast groups (RTNLGRP_* bits). */
int nl_open(uint32_t groups_mask);
/* Send one request built above and wait for its ACK; 0 / -1 with errno
 * (ETIMEDOUT: no answer in time; EMSGSIZE: the answer did not fit in
 * NL_RECV_MAX). */
int nl_request(int fd, void *req, size_t len);

int nl_link_up_name(const char *ifname);
int nl_link_up(int ifindex);
int nl_link_set_mtu(int ifindex, uint32_t mtu);
int nl_link_get(int ifindex, struct nl_link *li);
/* The first IPv4 address on ifindex: 0, or -1 (ENOENT if none). */
int nl_addr_get(int ifindex, uint32_t *addr, unsigned *plen);
int nl_addr_add(int ifindex, uint32_t addr, unsigned plen, uint32_t brd);
int nl_addr_del(int ifindex, uint32_t addr, unsigned plen);
int nl_route_add(int ifindex, uint32_t dst, unsigned plen, uint32_t gw,
    int onlink);
int nl_route_del(int ifindex, uint32_t dst, unsigned plen, uint32_t gw);

#endif

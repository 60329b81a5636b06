/* netlink.h - rtnetlink I/O: open a socket, send one request built by
 * pure/nl_msg.c, wait for the answer whose sequence number and port id
 * match. Addresses are IPv4 in network order. */
#ifndef MINILINUX_NETLINK_H
#define MINILINUX_NETLINK_H

#include "pure/nl_msg.h"

/* ---- I/O ---- */
/* A NETLINK_ROUTE socket bound to the multicast groups (RTNLGRP_* bits). */
int nl_open(uint32_t groups_mask);
/* Send one request built above and wait for its ACK; 0 / -1 with errno. */
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

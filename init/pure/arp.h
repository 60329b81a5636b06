/* arp.h - ARP probes for address conflict detection (RFC 5227), pure. */
#ifndef MINILINUX_ARP_H
#define MINILINUX_ARP_H

#include <stddef.h>
#include <stdint.h>

#define ARP_PKT_LEN	28	/* Ethernet/IPv4 ARP, RFC 826 */

/* An ARP probe for addr (network order): sender IP 0 (RFC 5227 2.1.1). */
size_t arp_build_probe(uint8_t *buf, size_t size, const uint8_t mac[6],
    uint32_t addr);
/* An ARP announcement of addr: sender and target IP addr (RFC 5227 2.3). */
size_t arp_build_announce(uint8_t *buf, size_t size, const uint8_t mac[6],
    uint32_t addr);
/* 1 if the packet shows another host using or probing addr, else 0. */
int arp_is_conflict(const uint8_t *buf, size_t len, const uint8_t mac[6],
    uint32_t addr);

#endif

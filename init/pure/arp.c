/* arp.c - ARP probe build and conflict check (RFC 5227 2.1). */
#include "pure/arp.h"

#include <string.h>

/* Offsets in an Ethernet/IPv4 ARP packet (RFC 826). */
#define ARP_OFF_OP	6
#define ARP_OFF_SHA	8
#define ARP_OFF_SPA	14
#define ARP_OFF_THA	18
#define ARP_OFF_TPA	24

static const uint8_t arp_head[6] = { 0, 1, 8, 0, 6, 4 };	/* Ethernet, IPv4 */

size_t arp_build_probe(uint8_t *buf, size_t size, const uint8_t mac[6],
    uint32_t addr)
{
	if (size < ARP_PKT_LEN)
		return 0;
	memset(buf, 0, ARP_PKT_LEN);
	memcpy(buf, arp_head, sizeof(arp_head));
	buf[ARP_OFF_OP + 1] = 1;		/* request */
	memcpy(buf + ARP_OFF_SHA, mac, 6);
	memcpy(buf + ARP_OFF_TPA, &addr, 4);	/* sender and target MAC/IP 0 */
	return ARP_PKT_LEN;
}

size_t arp_build_announce(uint8_t *buf, size_t size, const uint8_t mac[6],
    uint32_t addr)
{
	if (arp_build_probe(buf, size, mac, addr) == 0)
		return 0;
	memcpy(buf + ARP_OFF_SPA, &addr, 4);
	return ARP_PKT_LEN;
}

int arp_is_conflict(const uint8_t *buf, size_t len, const uint8_t mac[6],
    uint32_t addr)
{
	uint32_t spa, tpa;

	if (len < ARP_PKT_LEN || memcmp(buf, arp_head, sizeof(arp_head)) != 0)
		return 0;
	if (memcmp(buf + ARP_OFF_SHA, mac, 6) == 0)
		return 0;			/* our own probe */
	memcpy(&spa, buf + ARP_OFF_SPA, 4);
	memcpy(&tpa, buf + ARP_OFF_TPA, 4);
	/* RFC 5227 2.1.1: any ARP from addr, or another host's probe for it */
	if (spa == addr)
		return 1;
	return buf[ARP_OFF_OP] == 0 && buf[ARP_OFF_OP + 1] == 1 && spa == 0 &&
	    tpa == addr;
}

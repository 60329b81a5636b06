/* test_arp.c - ARP probes and announcements (RFC 5227) and the conflict
 * check, byte by byte. */
#include "check.h"
#include "pure/arp.h"

#include <arpa/inet.h>
#include <string.h>

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t other[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };

/* An ARP packet: op, sender MAC/IP, target IP. */
static void mk(uint8_t *p, uint8_t op, const uint8_t *sha, uint32_t spa, uint32_t tpa)
{
	static const uint8_t head[6] = { 0, 1, 8, 0, 6, 4 };

	memset(p, 0, ARP_PKT_LEN);
	memcpy(p, head, 6);
	p[7] = op;
	memcpy(p + 8, sha, 6);
	memcpy(p + 14, &spa, 4);
	memcpy(p + 24, &tpa, 4);
}

int main(void)
{
	uint8_t p[ARP_PKT_LEN + 4], q[ARP_PKT_LEN];
	uint32_t addr = inet_addr("10.0.2.15"), zero = 0;

	/* RFC 5227 2.1.1: a probe is a request with sender IP 0 */
	CHECK(arp_build_probe(p, sizeof(p), mac, addr) == ARP_PKT_LEN);
	mk(q, 1, mac, 0, addr);
	CHECK(memcmp(p, q, ARP_PKT_LEN) == 0);
	CHECK(arp_build_probe(p, ARP_PKT_LEN - 1, mac, addr) == 0);
	/* 2.3: an announcement has sender and target IP both the address */
	CHECK(arp_build_announce(p, sizeof(p), mac, addr) == ARP_PKT_LEN);
	mk(q, 1, mac, addr, addr);
	CHECK(memcmp(p, q, ARP_PKT_LEN) == 0);
	CHECK(arp_build_announce(p, ARP_PKT_LEN - 1, mac, addr) == 0);

	/* another host's reply for the address: conflict */
	mk(p, 2, other, addr, inet_addr("10.0.2.2"));
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 1);
	/* any ARP from it, request or announcement */
	mk(p, 1, other, addr, addr);
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 1);
	/* another host probing for it at the same time */
	mk(p, 1, other, zero, addr);
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 1);
	/* our own frames (we use the address while we probe): no conflict */
	mk(p, 2, mac, addr, inet_addr("10.0.2.2"));
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 0);
	mk(p, 1, mac, zero, addr);
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 0);
	/* someone asking who has the address (a neighbour, sender IP set) */
	mk(p, 1, other, inet_addr("10.0.2.2"), addr);
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 0);
	/* traffic about other addresses */
	mk(p, 2, other, inet_addr("10.0.2.16"), addr);
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 0);
	/* short or not Ethernet/IPv4 */
	mk(p, 2, other, addr, addr);
	CHECK(arp_is_conflict(p, ARP_PKT_LEN - 1, mac, addr) == 0);
	p[1] = 6;
	CHECK(arp_is_conflict(p, ARP_PKT_LEN, mac, addr) == 0);
	return check_done("arp");
}

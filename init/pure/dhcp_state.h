/* dhcp_state.h - the DHCPv4 client state machine (RFC 2131 4.4), pure.
 *
 * Inputs are events with the current time (milliseconds on a monotonic
 * clock); outputs are actions the I/O shell (dhcp.c) carries out: send a
 * message, probe an address with ARP, configure or remove the lease. The
 * core never reads a clock, a socket or a random device, so tests drive it
 * with canned replies and a fake clock. */
#ifndef MINILINUX_DHCP_STATE_H
#define MINILINUX_DHCP_STATE_H

#include "pure/dhcp_msg.h"

#include <stdint.h>

#define DHCP_NEVER		UINT64_MAX
#define DHCP_MAX_ACTIONS	8
#define DHCP_RTO_FIRST_MS	4000	/* RFC 2131 4.1: 4 s, doubling ... */
#define DHCP_RTO_MAX_MS		64000	/* ... up to 64 s */
#define DHCP_RTO_JITTER_MS	1000	/* ... randomized by +-1 s */
#define DHCP_REQUEST_TRIES	4	/* REQUESTING / REBOOTING sends */
#define DHCP_RENEW_MIN_MS	60000	/* RFC 2131 4.4.5: down to 60 s */
#define DHCP_DECLINE_WAIT_MS	10000	/* RFC 2131 3.1.5: at least 10 s */
#define DHCP_NAK_WAIT_MAX_MS	64000	/* NAK backoff cap */
#define DHCP_LEASE_MIN_S	20	/* shorter leases are raised (as dhcpcd) */
/* RFC 5227 2.1.1 asks for PROBE_NUM 3 probes 1-2 s apart and an
 * ANNOUNCE_WAIT of 2 s: about 5 s, sized for slow, lossy links. Here the
 * check takes 120 ms. A conflicting host's kernel answers an ARP
 * request at once: well under a millisecond on a wired LAN or a virtual
 * switch, a few ms through a bridge, so a 100 ms wait after the last probe
 * leaves a wide margin; a second probe 20 ms after the first covers the
 * loss of one frame (and a first send held up by ENETDOWN retries: the
 * wait counts from the last probe). The server has usually checked the
 * address too (an ICMP echo, RFC 2131 2.2).
 *
 * The check runs while the address is already in use (CHECKING comes
 * after CONFIGURE), as optimistic DAD does for IPv6 (RFC 4429): the
 * services start serving at once, and a conflict found in the check
 * still removes the address, sends a DECLINE and starts over. The cost is
 * that for those 120 ms two hosts may answer for the address
 * (docs/boot-time.md). One announcement (RFC 5227 2.3) ends the check. */
#define DHCP_ARP_PROBE_NUM	2
#define DHCP_ARP_PROBE_GAP_MS	20
#define DHCP_ARP_WAIT_MS	100

enum dhcp_state {
	DHCP_S_NOCARRIER,	/* link down: wait, the lease keeps running */
	DHCP_S_INIT,
	DHCP_S_SELECTING,
	DHCP_S_REQUESTING,
	DHCP_S_CHECKING,	/* RFC 5227 probe of the leased address, in use */
	DHCP_S_BOUND,
	DHCP_S_RENEWING,
	DHCP_S_REBINDING,
	DHCP_S_INIT_REBOOT,
	DHCP_S_REBOOTING,
	DHCP_S_STOPPED,
	DHCP_S_COUNT
};

enum dhcp_act_type {
	DHCP_ACT_STATE,		/* from -> to, for the log */
	DHCP_ACT_LOG,		/* text: why something happened */
	DHCP_ACT_SEND,		/* req to dst (0: broadcast), from src */
	DHCP_ACT_ARP_PROBE,	/* addr */
	DHCP_ACT_ARP_ANNOUNCE,	/* addr */
	DHCP_ACT_CONFIGURE,	/* apply sm->lease */
	DHCP_ACT_UNCONFIGURE,	/* remove addr/plen and what came with it */
};

struct dhcp_action {
	enum dhcp_act_type type;
	enum dhcp_state from, to;
	const char *text;
	uint32_t dst, src, addr;
	uint8_t plen;
	struct dhcp_request req;
};

struct dhcp_actions {
	unsigned n;
	struct dhcp_action a[DHCP_MAX_ACTIONS];
};

struct dhcp_sm {
	enum dhcp_state state;
	uint64_t deadline;	/* next dhcp_sm_timer(), DHCP_NEVER: none */
	uint64_t rng;
	unsigned time_div;	/* test only: lease times divided by this */
	uint8_t mac[6];
	uint8_t client_id_len;
	uint8_t client_id[DHCP_CLIENT_ID_MAX];

	uint32_t xid;
	uint64_t xact_start;	/* first send of this transaction */
	uint64_t req_start;	/* first REQUEST: the lease counts from it */
	unsigned tries;
	uint32_t rto;		/* current retransmission base, ms */
	unsigned naks;
	unsigned probes;

	uint32_t offer_addr, offer_server;
	uint16_t discover_secs;	/* the REQUEST repeats it */

	int have_lease;
	struct dhcp_reply lease;	/* the ACK in force (or being probed) */
	uint64_t t1_at, t2_at, expire_at;

	uint32_t cfg_addr;		/* what is on the interface now */
	uint8_t cfg_plen;
	uint32_t reboot_addr;		/* INIT-REBOOT asks for this */
};

const char *dhcp_state_name(enum dhcp_state s);
const char *dhcp_type_name(uint8_t type);

void dhcp_sm_init(struct dhcp_sm *sm, const uint8_t mac[6], uint32_t iaid,
    uint64_t seed, unsigned time_div);
/* Start; known_addr/plen: an address already on the link (a restart). */
void dhcp_sm_start(struct dhcp_sm *sm, uint64_t now, int carrier,
    uint32_t known_addr, unsigned known_plen, struct dhcp_actions *out);
/* Call when now >= sm->deadline. */
void dhcp_sm_timer(struct dhcp_sm *sm, uint64_t now, struct dhcp_actions *out);
/* A parsed reply: 0, or -1 dropped with *why. */
int dhcp_sm_reply(struct dhcp_sm *sm, uint64_t now, const struct dhcp_reply *r,
    struct dhcp_actions *out, const char **why);
void dhcp_sm_carrier(struct dhcp_sm *sm, uint64_t now, int up,
    struct dhcp_actions *out);
/* Someone else answered for the address being probed. */
void dhcp_sm_arp_conflict(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out);
/* Clean shutdown: RELEASE (RFC 2131 4.4.6), remove the address. */
void dhcp_sm_stop(struct dhcp_sm *sm, uint64_t now, struct dhcp_actions *out);

/* Lease helpers. */
unsigned dhcp_lease_plen(const struct dhcp_reply *r);
uint32_t dhcp_lease_broadcast(const struct dhcp_reply *r);
/* Routes to install: option 121 when present, else a default route via
 * the first router (RFC 3442 p.5). Returns the count. */
size_t dhcp_lease_routes(const struct dhcp_reply *r, struct dhcp_route *out,
    size_t max);

#endif

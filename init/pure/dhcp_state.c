/* dhcp_state.c - RFC 2131 client states as one state_transition() and
 * per-event handlers. Pure: see dhcp_state.h. Times are milliseconds. */
#include "pure/dhcp_state.h"

#include <string.h>

/* Arrays of characters, not of pointers: smaller, and no relocations. */
static const char dhcp_state_names[DHCP_S_COUNT][12] = {
	[DHCP_S_NOCARRIER] = "NO-CARRIER",
	[DHCP_S_INIT] = "INIT",
	[DHCP_S_SELECTING] = "SELECTING",
	[DHCP_S_REQUESTING] = "REQUESTING",
	[DHCP_S_CHECKING] = "CHECKING",
	[DHCP_S_BOUND] = "BOUND",
	[DHCP_S_RENEWING] = "RENEWING",
	[DHCP_S_REBINDING] = "REBINDING",
	[DHCP_S_INIT_REBOOT] = "INIT-REBOOT",
	[DHCP_S_REBOOTING] = "REBOOTING",
	[DHCP_S_STOPPED] = "STOPPED",
};

static const char dhcp_type_names[][9] = {
	"type 0", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK",
	"RELEASE", "INFORM"
};

const char *dhcp_state_name(enum dhcp_state s)
{
	return (unsigned)s < DHCP_S_COUNT ? dhcp_state_names[s] : "?";
}

const char *dhcp_type_name(uint8_t type)
{
	return type <= DHCPINFORM ? dhcp_type_names[type] : "unknown type";
}

/* ---- helpers ------------------------------------------------------------ */

static uint32_t be32(uint32_t net)	/* network order -> host order */
{
	const uint8_t *b = (const uint8_t *)&net;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

static uint32_t net32(uint32_t host)
{
	uint8_t b[4] = { (uint8_t)(host >> 24), (uint8_t)(host >> 16),
	    (uint8_t)(host >> 8), (uint8_t)host };
	uint32_t v;

	memcpy(&v, b, 4);
	return v;
}

static uint32_t sm_random(struct dhcp_sm *sm)	/* xorshift64* */
{
	sm->rng ^= sm->rng >> 12;
	sm->rng ^= sm->rng << 25;
	sm->rng ^= sm->rng >> 27;
	return (uint32_t)((sm->rng * 2685821657736338717ull) >> 32);
}

static struct dhcp_action *act_push(struct dhcp_actions *out,
    enum dhcp_act_type type)
{
	struct dhcp_action *a;

	if (out->n == DHCP_MAX_ACTIONS)
		return NULL;	/* cannot happen: no event emits that many */
	a = &out->a[out->n++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	return a;
}

static void act_log(struct dhcp_actions *out, const char *text)
{
	struct dhcp_action *a = act_push(out, DHCP_ACT_LOG);

	if (a)
		a->text = text;
}

static void state_transition(struct dhcp_sm *sm, enum dhcp_state to,
    struct dhcp_actions *out)
{
	struct dhcp_action *a;

	if (sm->state == to)
		return;
	a = act_push(out, DHCP_ACT_STATE);
	if (a) {
		a->from = sm->state;
		a->to = to;
	}
	sm->state = to;
}

/* RFC 2131 4.1: the delay before the next retransmission; base doubles
 * from 4 s to 64 s, randomized by -1..+1 s. */
static uint64_t rto_next(struct dhcp_sm *sm)
{
	uint32_t base = sm->rto ? sm->rto : DHCP_RTO_FIRST_MS;
	uint32_t jitter = sm_random(sm) % (2 * DHCP_RTO_JITTER_MS + 1);

	sm->rto = base >= DHCP_RTO_MAX_MS / 2 ? DHCP_RTO_MAX_MS : base * 2;
	return (uint64_t)base - DHCP_RTO_JITTER_MS + jitter;
}

static uint64_t scaled(const struct dhcp_sm *sm, uint32_t secs)
{
	return (uint64_t)secs * 1000u / (sm->time_div ? sm->time_div : 1);
}

static void new_xact(struct dhcp_sm *sm, uint64_t now)
{
	sm->xid = sm_random(sm);
	sm->xact_start = now;
	sm->req_start = now;
	sm->tries = 0;
	sm->rto = 0;
}

/* Fill a send action for this transaction. */
static struct dhcp_action *send_msg(struct dhcp_sm *sm, uint64_t now,
    uint8_t type, struct dhcp_actions *out)
{
	struct dhcp_action *a = act_push(out, DHCP_ACT_SEND);
	uint64_t secs = (now - sm->xact_start) / 1000;

	if (!a)
		return NULL;
	a->req.type = type;
	a->req.xid = sm->xid;
	a->req.secs = secs > 0xffff ? 0xffff : (uint16_t)secs;
	memcpy(a->req.chaddr, sm->mac, 6);
	a->req.client_id_len = sm->client_id_len;
	memcpy(a->req.client_id, sm->client_id, sm->client_id_len);
	a->req.max_size = DHCP_FRAME_MAX;	/* RFC 2132 9.10 */
	sm->tries++;
	return a;
}

static void unconfigure(struct dhcp_sm *sm, struct dhcp_actions *out)
{
	struct dhcp_action *a;

	if (!sm->cfg_addr)
		return;
	a = act_push(out, DHCP_ACT_UNCONFIGURE);
	if (a) {
		a->addr = sm->cfg_addr;
		a->plen = sm->cfg_plen;
	}
	sm->cfg_addr = 0;
	sm->cfg_plen = 0;
}

static void drop_lease(struct dhcp_sm *sm, struct dhcp_actions *out)
{
	unconfigure(sm, out);
	sm->have_lease = 0;
	sm->reboot_addr = 0;
}

static int addr_usable(uint32_t a)
{
	uint32_t h = be32(a);

	/* not 0/8, loopback, multicast/class E or broadcast */
	return (h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) < 14;
}

/* ---- sending in each state --------------------------------------------- */

static void send_discover(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out)
{
	struct dhcp_action *a = send_msg(sm, now, DHCPDISCOVER, out);

	if (a) {
		sm->discover_secs = a->req.secs;
		a->req.rapid_commit = 1;	/* RFC 4039: ACK at once if you can */
	}
	sm->deadline = now + rto_next(sm);
}

/* RFC 2131 4.3.2 table 4 / 4.4.1: REQUEST in SELECTING: server id and
 * requested address, ciaddr 0, same xid and broadcast as the DISCOVER. */
static void send_request_selecting(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out)
{
	struct dhcp_action *a = send_msg(sm, now, DHCPREQUEST, out);

	if (a) {
		a->req.requested = sm->offer_addr;
		a->req.server_id = sm->offer_server;
		a->req.secs = sm->discover_secs;	/* RFC 2131 4.4.1 */
	}
	sm->deadline = now + rto_next(sm);
}

/* INIT-REBOOT: requested address, no server id, ciaddr 0, broadcast. */
static void send_request_reboot(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out)
{
	struct dhcp_action *a = send_msg(sm, now, DHCPREQUEST, out);

	if (a)
		a->req.requested = sm->reboot_addr;
	sm->deadline = now + rto_next(sm);
}

/* RFC 2131 4.4.5: RENEWING unicasts to the server, REBINDING broadcasts;
 * both with ciaddr and neither server id nor requested address. The next
 * try is half the time left until T2 (or expiry), at least 60 s. */
static void send_request_extend(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out)
{
	struct dhcp_action *a = send_msg(sm, now, DHCPREQUEST, out);
	uint64_t until = sm->state == DHCP_S_RENEWING ? sm->t2_at : sm->expire_at;
	uint64_t wait, min = DHCP_RENEW_MIN_MS / (sm->time_div ? sm->time_div : 1);

	if (a) {
		a->req.ciaddr = sm->lease.yiaddr;
		a->src = sm->lease.yiaddr;
		if (sm->state == DHCP_S_RENEWING)
			a->dst = sm->lease.server_id;
	}
	wait = until > now ? (until - now) / 2 : 0;
	if (wait < min)
		wait = min;
	sm->deadline = until != DHCP_NEVER && now + wait > until ? until : now + wait;
}

static void start_selecting(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out)
{
	state_transition(sm, DHCP_S_SELECTING, out);
	new_xact(sm, now);
	send_discover(sm, now, out);
}

static void start_reboot(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out)
{
	state_transition(sm, DHCP_S_INIT_REBOOT, out);
	state_transition(sm, DHCP_S_REBOOTING, out);
	new_xact(sm, now);
	send_request_reboot(sm, now, out);
}

/* Go to INIT and start discovery after wait ms. */
static void restart_init(struct dhcp_sm *sm, uint64_t now, uint64_t wait,
    struct dhcp_actions *out)
{
	if (wait == 0) {
		state_transition(sm, DHCP_S_INIT, out);
		start_selecting(sm, now, out);
		return;
	}
	state_transition(sm, DHCP_S_INIT, out);
	sm->deadline = now + wait;
}

/* RFC 2131 4.4.1 and 4.4.5: lease times count from the first send of the
 * request; T1/T2 default to 0.5 and 0.875 of the lease and are replaced
 * by the defaults unless 0 < T1 < T2 < lease. */
static void lease_times(struct dhcp_sm *sm)
{
	const struct dhcp_reply *r = &sm->lease;
	uint64_t base = sm->req_start;
	uint32_t t1, t2;

	if (r->lease == DHCP_INFINITE) {
		sm->t1_at = sm->t2_at = sm->expire_at = DHCP_NEVER;
		return;
	}
	if (sm->lease.lease < DHCP_LEASE_MIN_S)
		sm->lease.lease = DHCP_LEASE_MIN_S;
	t1 = (r->have & DHCP_HAVE_T1) ? r->t1 : r->lease / 2;
	t2 = (r->have & DHCP_HAVE_T2) ? r->t2 : (uint32_t)((uint64_t)r->lease * 7 / 8);
	if (!(t1 > 0 && t1 < t2 && t2 < r->lease)) {
		t1 = r->lease / 2;
		t2 = (uint32_t)((uint64_t)r->lease * 7 / 8);
	}
	sm->t1_at = base + scaled(sm, t1);
	sm->t2_at = base + scaled(sm, t2);
	sm->expire_at = base + scaled(sm, r->lease);
}

/* Put the lease on the interface (replacing another address). */
static void configure_lease(struct dhcp_sm *sm, struct dhcp_actions *out)
{
	struct dhcp_action *a;

	if (sm->cfg_addr && sm->cfg_addr != sm->lease.yiaddr)
		unconfigure(sm, out);
	a = act_push(out, DHCP_ACT_CONFIGURE);
	if (a) {
		a->addr = sm->lease.yiaddr;
		a->plen = (uint8_t)dhcp_lease_plen(&sm->lease);
	}
	sm->cfg_addr = sm->lease.yiaddr;
	sm->cfg_plen = (uint8_t)dhcp_lease_plen(&sm->lease);
	sm->reboot_addr = sm->lease.yiaddr;
	sm->have_lease = 1;
	sm->naks = 0;
}

static void bind_lease(struct dhcp_sm *sm, uint64_t now, struct dhcp_actions *out)
{
	configure_lease(sm, out);
	state_transition(sm, DHCP_S_BOUND, out);
	sm->deadline = sm->t1_at > now ? sm->t1_at : now;
}

/* ---- events ------------------------------------------------------------- */

void dhcp_sm_init(struct dhcp_sm *sm, const uint8_t mac[6], uint32_t iaid,
    uint64_t seed, unsigned time_div)
{
	memset(sm, 0, sizeof(*sm));
	sm->state = DHCP_S_INIT;
	sm->deadline = DHCP_NEVER;
	sm->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
	sm->time_div = time_div ? time_div : 1;
	memcpy(sm->mac, mac, 6);
	sm->client_id_len = (uint8_t)dhcp_msg_client_id(sm->client_id,
	    sizeof(sm->client_id), iaid, mac);
}

void dhcp_sm_start(struct dhcp_sm *sm, uint64_t now, int carrier,
    uint32_t known_addr, unsigned known_plen, struct dhcp_actions *out)
{
	out->n = 0;
	if (known_addr && addr_usable(known_addr)) {
		/* RFC 2131 3.2: a client that remembers its address reboots
		 * with it; it stays on the interface meanwhile. */
		sm->cfg_addr = known_addr;
		sm->cfg_plen = (uint8_t)known_plen;
		sm->reboot_addr = known_addr;
	}
	if (!carrier) {
		state_transition(sm, DHCP_S_NOCARRIER, out);
		sm->deadline = DHCP_NEVER;
		return;
	}
	/* RFC 2131 4.4.1 suggests a random 1-10 s wait before the first
	 * DISCOVER; not waiting is what makes a quick boot. */
	if (sm->reboot_addr)
		start_reboot(sm, now, out);
	else
		start_selecting(sm, now, out);
}

void dhcp_sm_timer(struct dhcp_sm *sm, uint64_t now, struct dhcp_actions *out)
{
	out->n = 0;
	if (now < sm->deadline)
		return;
	switch (sm->state) {
	case DHCP_S_INIT:
		start_selecting(sm, now, out);
		break;
	case DHCP_S_SELECTING:
		send_discover(sm, now, out);
		break;
	case DHCP_S_REQUESTING:
		if (sm->tries >= DHCP_REQUEST_TRIES) {
			act_log(out, "no answer to REQUEST");
			restart_init(sm, now, 0, out);
		} else {
			send_request_selecting(sm, now, out);
		}
		break;
	case DHCP_S_CHECKING:
		if (sm->probes < DHCP_ARP_PROBE_NUM) {
			struct dhcp_action *a = act_push(out, DHCP_ACT_ARP_PROBE);

			if (a)
				a->addr = sm->lease.yiaddr;
			sm->probes++;
			sm->deadline = now + (sm->probes < DHCP_ARP_PROBE_NUM ?
			    DHCP_ARP_PROBE_GAP_MS : DHCP_ARP_WAIT_MS);
		} else {
			/* RFC 5227 2.3: no conflict; announce the address. */
			struct dhcp_action *a = act_push(out, DHCP_ACT_ARP_ANNOUNCE);

			if (a)
				a->addr = sm->lease.yiaddr;
			state_transition(sm, DHCP_S_BOUND, out);
			sm->deadline = sm->t1_at > now ? sm->t1_at : now;
		}
		break;
	case DHCP_S_BOUND:
		/* RFC 2131 4.4.5: at T1, RENEWING. */
		state_transition(sm, DHCP_S_RENEWING, out);
		new_xact(sm, now);
		/* fall through */
	case DHCP_S_RENEWING:
		if (now >= sm->t2_at) {
			state_transition(sm, DHCP_S_REBINDING, out);
			new_xact(sm, now);
		} else {
			send_request_extend(sm, now, out);
			break;
		}
		/* fall through */
	case DHCP_S_REBINDING:
		if (now >= sm->expire_at) {
			act_log(out, "lease expired");
			drop_lease(sm, out);
			restart_init(sm, now, 0, out);
		} else {
			send_request_extend(sm, now, out);
		}
		break;
	case DHCP_S_REBOOTING:
		if (sm->tries < DHCP_REQUEST_TRIES) {
			send_request_reboot(sm, now, out);
			break;
		}
		/* RFC 2131 3.2 step 4: no answer; keep an unexpired lease. */
		if (sm->have_lease && now < sm->expire_at) {
			act_log(out, "no answer to INIT-REBOOT; keeping the lease");
			state_transition(sm, DHCP_S_BOUND, out);
			sm->deadline = sm->t1_at > now ? sm->t1_at : now;
		} else {
			act_log(out, "no answer to INIT-REBOOT");
			if (sm->have_lease)
				drop_lease(sm, out);	/* expired meanwhile */
			sm->reboot_addr = 0;
			restart_init(sm, now, 0, out);
		}
		break;
	case DHCP_S_NOCARRIER:
		if (sm->have_lease && now >= sm->expire_at) {
			act_log(out, "lease expired");
			drop_lease(sm, out);
		}
		sm->deadline = DHCP_NEVER;
		break;
	case DHCP_S_INIT_REBOOT:
	case DHCP_S_STOPPED:
	case DHCP_S_COUNT:
		sm->deadline = DHCP_NEVER;
		break;
	}
}

static int reply_acceptable(const struct dhcp_sm *sm, const struct dhcp_reply *r,
    const char **why)
{
	if (r->xid != sm->xid) {
		*why = "xid does not match";
		return 0;
	}
	if (memcmp(r->chaddr, sm->mac, 6) != 0) {
		*why = "chaddr is not ours";
		return 0;
	}
	switch (sm->state) {
	case DHCP_S_SELECTING:
		if (r->type == DHCPOFFER)
			return 1;
		/* RFC 4039 4: an ACK with option 80 answers our DISCOVER
		 * (which asked for it); it must name its server. */
		if (r->type == DHCPACK && (r->have & DHCP_HAVE_RAPID_COMMIT) &&
		    (r->have & DHCP_HAVE_SERVER_ID))
			return 1;
		break;
	case DHCP_S_REQUESTING:
		if ((r->type == DHCPACK || r->type == DHCPNAK) &&
		    (!(r->have & DHCP_HAVE_SERVER_ID) ||
		    r->server_id == sm->offer_server))
			return 1;
		if (r->type == DHCPACK || r->type == DHCPNAK) {
			*why = "answer from another server";
			return 0;
		}
		break;
	case DHCP_S_REBOOTING:
	case DHCP_S_RENEWING:
	case DHCP_S_REBINDING:
		if (r->type == DHCPACK || r->type == DHCPNAK)
			return 1;
		break;
	default:
		break;
	}
	*why = "message type not expected in this state";
	return 0;
}

int dhcp_sm_reply(struct dhcp_sm *sm, uint64_t now, const struct dhcp_reply *r,
    struct dhcp_actions *out, const char **why)
{
	static const char *dummy;

	out->n = 0;
	if (!why)
		why = &dummy;
	if (!reply_acceptable(sm, r, why))
		return -1;

	if (r->type == DHCPNAK) {
		/* RFC 2131 3.1.4 / 4.4.5: NAK: stop using the address and
		 * start over; back off so a broken server is not hammered. */
		uint64_t wait = (uint64_t)DHCP_RTO_FIRST_MS << (sm->naks < 4 ? sm->naks : 4);

		if (wait > DHCP_NAK_WAIT_MAX_MS)
			wait = DHCP_NAK_WAIT_MAX_MS;
		if (sm->naks == 0)
			wait = 0;	/* the first NAK restarts at once */
		sm->naks++;
		act_log(out, "NAK from the server");
		drop_lease(sm, out);
		restart_init(sm, now, wait, out);
		return 0;
	}
	if (!addr_usable(r->yiaddr)) {
		*why = "unusable yiaddr";
		return -1;
	}
	if (r->type == DHCPOFFER) {
		if (!(r->have & DHCP_HAVE_SERVER_ID)) {
			*why = "OFFER without server id";
			return -1;
		}
		sm->offer_addr = r->yiaddr;
		sm->offer_server = r->server_id;
		sm->req_start = now;
		state_transition(sm, DHCP_S_REQUESTING, out);
		sm->tries = 0;
		sm->rto = 0;
		send_request_selecting(sm, now, out);
		return 0;
	}
	/* DHCPACK */
	if (!(r->have & DHCP_HAVE_LEASE)) {
		*why = "ACK without lease time";
		return -1;
	}
	if (sm->state == DHCP_S_SELECTING) {
		/* RFC 4039: the ACK stands for OFFER and ACK together; the
		 * lease counts from the DISCOVER. */
		sm->offer_addr = r->yiaddr;
		sm->offer_server = r->server_id;
		act_log(out, "rapid commit: ACK to the DISCOVER");
		state_transition(sm, DHCP_S_REQUESTING, out);
	}
	sm->lease = *r;
	if (!(sm->lease.have & DHCP_HAVE_SERVER_ID)) {
		/* RFC 2131 4.3.1: servers must send it; fall back. */
		sm->lease.server_id = sm->state == DHCP_S_REQUESTING ?
		    sm->offer_server : r->siaddr;
	}
	lease_times(sm);
	if (sm->state == DHCP_S_REQUESTING) {
		/* RFC 4429-style: use the address now, RFC 5227 probe it
		 * meanwhile (dhcp_state.h); the first probe goes at once. */
		state_transition(sm, DHCP_S_CHECKING, out);
		configure_lease(sm, out);
		sm->probes = 0;
		sm->deadline = now;
		return 0;
	}
	bind_lease(sm, now, out);
	return 0;
}

void dhcp_sm_carrier(struct dhcp_sm *sm, uint64_t now, int up,
    struct dhcp_actions *out)
{
	out->n = 0;
	if (sm->state == DHCP_S_STOPPED)
		return;
	if (!up) {
		if (sm->state == DHCP_S_NOCARRIER)
			return;
		state_transition(sm, DHCP_S_NOCARRIER, out);
		sm->deadline = !sm->have_lease ? DHCP_NEVER :
		    sm->expire_at > now ? sm->expire_at : now;
		return;
	}
	if (sm->state != DHCP_S_NOCARRIER)
		return;
	/* RFC 2131 3.2: back on a link, confirm the address we had. */
	if (sm->have_lease && now >= sm->expire_at) {
		act_log(out, "lease expired");
		drop_lease(sm, out);
	}
	state_transition(sm, DHCP_S_INIT, out);
	if (sm->reboot_addr)
		start_reboot(sm, now, out);
	else
		start_selecting(sm, now, out);
}

void dhcp_sm_arp_conflict(struct dhcp_sm *sm, uint64_t now,
    struct dhcp_actions *out)
{
	struct dhcp_action *a;
	uint32_t addr = sm->lease.yiaddr, server = sm->lease.server_id;

	out->n = 0;
	if (sm->state != DHCP_S_CHECKING)
		return;
	/* RFC 5227 2.1.1 / RFC 2131 3.1.5: stop using the address (it is
	 * on the interface already), DECLINE it, wait 10 s before INIT. */
	act_log(out, "leased address is in use by another host: DECLINE");
	drop_lease(sm, out);
	a = send_msg(sm, now, DHCPDECLINE, out);
	if (a) {
		a->req.requested = addr;
		a->req.server_id = server;
	}
	restart_init(sm, now, DHCP_DECLINE_WAIT_MS, out);
}

void dhcp_sm_stop(struct dhcp_sm *sm, uint64_t now, struct dhcp_actions *out)
{
	struct dhcp_action *a;

	out->n = 0;
	if (sm->have_lease && sm->cfg_addr &&
	    (sm->state == DHCP_S_BOUND || sm->state == DHCP_S_RENEWING ||
	    sm->state == DHCP_S_REBINDING || sm->state == DHCP_S_CHECKING)) {
		/* RFC 2131 4.4.6: unicast to the server, ciaddr set. */
		new_xact(sm, now);
		a = send_msg(sm, now, DHCPRELEASE, out);
		if (a) {
			a->req.ciaddr = sm->lease.yiaddr;
			a->req.server_id = sm->lease.server_id;
			a->src = sm->lease.yiaddr;
			a->dst = sm->lease.server_id;
		}
		drop_lease(sm, out);
	}
	state_transition(sm, DHCP_S_STOPPED, out);
	sm->deadline = DHCP_NEVER;
}

/* ---- lease helpers ------------------------------------------------------ */

unsigned dhcp_lease_plen(const struct dhcp_reply *r)
{
	uint32_t m, a = be32(r->yiaddr);
	unsigned n = 0;

	if (!(r->have & DHCP_HAVE_MASK)) {
		/* no mask: the historical class of the address */
		if (a >> 31 == 0)
			return 8;
		return (a >> 30) == 2 ? 16 : 24;
	}
	for (m = be32(r->mask); m & 0x80000000u; m <<= 1)
		n++;
	return n;
}

uint32_t dhcp_lease_broadcast(const struct dhcp_reply *r)
{
	unsigned plen = dhcp_lease_plen(r);
	uint32_t host = plen >= 32 ? 0 : 0xffffffffu >> plen;

	if (r->have & DHCP_HAVE_BROADCAST)
		return r->broadcast;
	if (plen >= 31)
		return 0;	/* RFC 3021: no broadcast on /31 or /32 */
	return net32(be32(r->yiaddr) | host);
}

size_t dhcp_lease_routes(const struct dhcp_reply *r, struct dhcp_route *out,
    size_t max)
{
	size_t i, n = 0;

	if (r->have & DHCP_HAVE_ROUTES) {
		/* RFC 3442: option 121 present: option 3 is ignored. */
		for (i = 0; i < r->nroutes && n < max; i++)
			out[n++] = r->routes[i];
		return n;
	}
	if (r->nrouters && max > 0) {
		out[0].dst = 0;
		out[0].plen = 0;
		out[0].gw = r->routers[0];
		n = 1;
	}
	return n;
}

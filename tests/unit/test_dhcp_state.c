/* test_dhcp_state.c - the client state machine driven with canned replies
 * and a fake clock: nothing sleeps, nothing touches the network. */
#include "check.h"
#include "pure/dhcp_state.h"

#include <arpa/inet.h>
#include <string.h>

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcp_sm sm;
static struct dhcp_actions acts;
static uint32_t ADDR, SERVER, ADDR2;

static const struct dhcp_action *find(enum dhcp_act_type t, unsigned nth)
{
	unsigned i;

	for (i = 0; i < acts.n; i++)
		if (acts.a[i].type == t && nth-- == 0)
			return &acts.a[i];
	return NULL;
}

static const struct dhcp_action *sent(uint8_t type)
{
	const struct dhcp_action *a = find(DHCP_ACT_SEND, 0);

	return a && a->req.type == type ? a : NULL;
}

static struct dhcp_reply mk(uint8_t type, uint32_t yiaddr, uint32_t lease)
{
	struct dhcp_reply r;

	memset(&r, 0, sizeof(r));
	r.op = 2; r.htype = 1; r.hlen = 6;
	r.type = type;
	r.xid = sm.xid;
	memcpy(r.chaddr, mac, 6);
	r.yiaddr = yiaddr;
	r.server_id = SERVER;
	r.have = DHCP_HAVE_SERVER_ID | DHCP_HAVE_MASK;
	r.mask = inet_addr("255.255.255.0");
	if (lease) {
		r.lease = lease;
		r.have |= DHCP_HAVE_LEASE;
	}
	r.nrouters = 1;
	r.routers[0] = SERVER;
	return r;
}

static int reply(const struct dhcp_reply *r, uint64_t now)
{
	const char *why = NULL;
	int rc = dhcp_sm_reply(&sm, now, r, &acts, &why);

	CHECK(rc == 0 || why != NULL);
	return rc;
}

/* Run the clock to the next deadline. */
static uint64_t tick(void)
{
	uint64_t t = sm.deadline;

	dhcp_sm_timer(&sm, t, &acts);
	return t;
}

/* From start to BOUND at time t0 with a lease of `lease` seconds. */
static void bind_at(uint64_t t0, uint32_t lease)
{
	struct dhcp_reply r;
	uint64_t t;

	dhcp_sm_init(&sm, mac, 2, 12345, 1);
	dhcp_sm_start(&sm, t0, 1, 0, 0, &acts);
	r = mk(DHCPOFFER, ADDR, lease);
	reply(&r, t0 + 10);
	r = mk(DHCPACK, ADDR, lease);
	reply(&r, t0 + 20);
	for (t = 0; sm.state == DHCP_S_CHECKING && t < 10; t++)
		tick();
}

static void test_selecting_and_retransmit(void)
{
	uint64_t t, prev, base = 4000;
	const struct dhcp_action *a;
	int i;

	dhcp_sm_init(&sm, mac, 2, 99, 1);
	dhcp_sm_start(&sm, 1000, 1, 0, 0, &acts);
	CHECK(sm.state == DHCP_S_SELECTING);
	a = find(DHCP_ACT_STATE, 0);
	CHECK(a && a->from == DHCP_S_INIT && a->to == DHCP_S_SELECTING);
	a = sent(DHCPDISCOVER);
	CHECK(a && a->dst == 0 && a->req.ciaddr == 0 && a->req.xid == sm.xid);
	CHECK(a && a->req.client_id_len == 15 && a->req.client_id[0] == 255);
	/* RFC 2131 4.1: 4, 8, 16, 32, 64, 64 s, each +-1 s */
	prev = 1000;
	for (i = 0; i < 7; i++) {
		CHECK(sm.deadline >= prev + base - 1000 && sm.deadline <= prev + base + 1000);
		t = tick();
		CHECK(sent(DHCPDISCOVER) != NULL);
		CHECK(sm.state == DHCP_S_SELECTING);
		prev = t;
		base = base * 2 > 64000 ? 64000 : base * 2;
	}
	/* the timer does nothing before its deadline */
	dhcp_sm_timer(&sm, sm.deadline - 1, &acts);
	CHECK(acts.n == 0);
}

static void test_checks_on_replies(void)
{
	struct dhcp_reply r;
	const struct dhcp_action *a;
	uint32_t xid;

	dhcp_sm_init(&sm, mac, 2, 7, 1);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	xid = sm.xid;
	r = mk(DHCPOFFER, ADDR, 3600);
	r.xid = xid + 1;
	CHECK(reply(&r, 5) < 0);
	r.xid = xid;
	r.chaddr[5] ^= 1;
	CHECK(reply(&r, 5) < 0);
	r = mk(DHCPACK, ADDR, 3600);		/* ACK while SELECTING */
	CHECK(reply(&r, 5) < 0 && sm.state == DHCP_S_SELECTING);
	r = mk(DHCPNAK, 0, 0);			/* NAK while SELECTING */
	CHECK(reply(&r, 5) < 0 && sm.state == DHCP_S_SELECTING);
	r = mk(DHCPOFFER, ADDR, 3600);
	r.have &= ~DHCP_HAVE_SERVER_ID;
	CHECK(reply(&r, 5) < 0);
	r = mk(DHCPOFFER, inet_addr("224.0.0.1"), 3600);
	CHECK(reply(&r, 5) < 0);

	r = mk(DHCPOFFER, ADDR, 3600);
	CHECK(reply(&r, 5) == 0 && sm.state == DHCP_S_REQUESTING);
	a = sent(DHCPREQUEST);
	CHECK(a && a->dst == 0 && a->req.requested == ADDR &&
	    a->req.server_id == SERVER && a->req.ciaddr == 0 && a->req.xid == xid);
	r = mk(DHCPOFFER, ADDR, 3600);		/* second OFFER: dropped */
	CHECK(reply(&r, 6) < 0);
	r = mk(DHCPACK, ADDR, 3600);		/* from another server */
	r.server_id = ADDR2;
	CHECK(reply(&r, 6) < 0);
	r = mk(DHCPACK, ADDR, 0);		/* no lease time */
	CHECK(reply(&r, 6) < 0 && sm.state == DHCP_S_REQUESTING);

	/* REQUESTING gives up after DHCP_REQUEST_TRIES sends */
	tick(); tick(); tick();
	CHECK(sm.state == DHCP_S_REQUESTING);
	tick();
	CHECK(sm.state == DHCP_S_SELECTING && sent(DHCPDISCOVER) != NULL);
}

static void test_probe_and_bind(void)
{
	struct dhcp_reply r;
	const struct dhcp_action *a;
	uint64_t t;
	int i;

	dhcp_sm_init(&sm, mac, 2, 7, 1);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	r = mk(DHCPOFFER, ADDR, 3600);
	reply(&r, 100);
	r = mk(DHCPACK, ADDR, 3600);
	/* the address is used at once and probed meanwhile (RFC 4429-style) */
	CHECK(reply(&r, 200) == 0 && sm.state == DHCP_S_CHECKING);
	a = find(DHCP_ACT_CONFIGURE, 0);
	CHECK(a && a->addr == ADDR && a->plen == 24);
	CHECK(find(DHCP_ACT_ARP_PROBE, 0) == NULL && sm.deadline == 200);
	for (i = 0; i < DHCP_ARP_PROBE_NUM; i++) {
		tick();
		a = find(DHCP_ACT_ARP_PROBE, 0);
		CHECK(a && a->addr == ADDR && sm.state == DHCP_S_CHECKING);
		CHECK(find(DHCP_ACT_CONFIGURE, 0) == NULL);
	}
	/* bound once the wait after the last probe is over, not before */
	CHECK(sm.deadline == 200 + (DHCP_ARP_PROBE_NUM - 1) *
	    DHCP_ARP_PROBE_GAP_MS + DHCP_ARP_WAIT_MS);
	tick();
	CHECK(sm.state == DHCP_S_BOUND);
	/* RFC 5227 2.3: an announcement, and no second CONFIGURE */
	a = find(DHCP_ACT_ARP_ANNOUNCE, 0);
	CHECK(a && a->addr == ADDR);
	CHECK(find(DHCP_ACT_CONFIGURE, 0) == NULL && find(DHCP_ACT_SEND, 0) == NULL);
	/* times count from the first REQUEST (sent at 100) */
	CHECK(sm.t1_at == 100 + 1800000 && sm.t2_at == 100 + 3150000);
	CHECK(sm.expire_at == 100 + 3600000 && sm.deadline == sm.t1_at);
	/* a conflict once BOUND is not this check's business */
	dhcp_sm_arp_conflict(&sm, sm.deadline - 1, &acts);
	CHECK(acts.n == 0 && sm.state == DHCP_S_BOUND);

	/* conflict: the address comes off, DECLINE, and wait 10 s in INIT */
	dhcp_sm_init(&sm, mac, 2, 7, 1);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	r = mk(DHCPOFFER, ADDR, 3600);
	reply(&r, 100);
	r = mk(DHCPACK, ADDR, 3600);
	reply(&r, 200);
	for (i = 0; i < DHCP_ARP_PROBE_NUM; i++)
		tick();
	/* an answer to the last probe, late in the wait, still counts */
	t = sm.deadline - 1;
	dhcp_sm_arp_conflict(&sm, t, &acts);
	a = find(DHCP_ACT_UNCONFIGURE, 0);
	CHECK(a && a->addr == ADDR && a->plen == 24);
	a = sent(DHCPDECLINE);
	CHECK(a && a->req.requested == ADDR && a->req.server_id == SERVER &&
	    a->req.ciaddr == 0 && a->dst == 0 && a->src == 0);
	CHECK(find(DHCP_ACT_CONFIGURE, 0) == NULL && !sm.have_lease);
	CHECK(sm.state == DHCP_S_INIT && sm.deadline == t + DHCP_DECLINE_WAIT_MS);
	tick();
	CHECK(sm.state == DHCP_S_SELECTING && sent(DHCPDISCOVER));
	/* the next lease is a fresh DISCOVER, not an INIT-REBOOT of the
	 * declined address */
	CHECK(sent(DHCPDISCOVER)->req.requested == 0);
	r = mk(DHCPOFFER, ADDR2, 3600);
	reply(&r, sm.deadline - 10);
	r = mk(DHCPACK, ADDR2, 3600);
	reply(&r, sm.deadline - 5);
	a = find(DHCP_ACT_CONFIGURE, 0);
	CHECK(a && a->addr == ADDR2 && find(DHCP_ACT_UNCONFIGURE, 0) == NULL);

	/* a stop during the check releases the lease it is using */
	dhcp_sm_stop(&sm, sm.deadline, &acts);
	a = sent(DHCPRELEASE);
	CHECK(a && a->req.ciaddr == ADDR2 && find(DHCP_ACT_UNCONFIGURE, 0) != NULL);
}

/* RFC 4039: DISCOVER asks for rapid commit; an ACK with option 80 in
 * SELECTING is the lease, an ACK without it is not. */
static void test_rapid_commit(void)
{
	struct dhcp_reply r;
	const struct dhcp_action *a;
	uint64_t t0 = 500;

	dhcp_sm_init(&sm, mac, 2, 21, 1);
	dhcp_sm_start(&sm, t0, 1, 0, 0, &acts);
	a = sent(DHCPDISCOVER);
	CHECK(a && a->req.rapid_commit == 1);
	r = mk(DHCPACK, ADDR, 3600);
	CHECK(reply(&r, t0 + 5) < 0 && sm.state == DHCP_S_SELECTING);
	r.have |= DHCP_HAVE_RAPID_COMMIT;
	r.have &= ~DHCP_HAVE_SERVER_ID;	/* must name its server */
	CHECK(reply(&r, t0 + 5) < 0 && sm.state == DHCP_S_SELECTING);
	r.have |= DHCP_HAVE_SERVER_ID;
	CHECK(reply(&r, t0 + 7) == 0 && sm.state == DHCP_S_CHECKING);
	CHECK(find(DHCP_ACT_SEND, 0) == NULL);	/* no REQUEST */
	a = find(DHCP_ACT_CONFIGURE, 0);
	CHECK(a && a->addr == ADDR);
	/* the lease counts from the DISCOVER */
	CHECK(sm.t1_at == t0 + 1800000 && sm.expire_at == t0 + 3600000);
	/* a conflict declines to the server that committed */
	tick();
	dhcp_sm_arp_conflict(&sm, sm.deadline, &acts);
	a = sent(DHCPDECLINE);
	CHECK(a && a->req.requested == ADDR && a->req.server_id == SERVER);
	/* the REQUEST of a renewal does not carry option 80 */
	bind_at(0, 3600);
	tick();
	a = sent(DHCPREQUEST);
	CHECK(a && a->req.rapid_commit == 0);
}

static void test_renew_rebind_expire(void)
{
	const struct dhcp_action *a;
	struct dhcp_reply r;
	uint64_t t, t1, t2, exp;

	bind_at(0, 3600);
	CHECK(sm.state == DHCP_S_BOUND);
	t1 = sm.t1_at; t2 = sm.t2_at; exp = sm.expire_at;
	/* T1: RENEWING, unicast to the server with ciaddr */
	t = tick();
	CHECK(t == t1 && sm.state == DHCP_S_RENEWING);
	a = sent(DHCPREQUEST);
	CHECK(a && a->dst == SERVER && a->req.ciaddr == ADDR &&
	    a->req.server_id == 0 && a->req.requested == 0);
	/* RFC 2131 4.4.5: half the time to T2, at least 60 s */
	CHECK(sm.deadline == t + (t2 - t) / 2);
	while (sm.state == DHCP_S_RENEWING) {
		uint64_t d = sm.deadline;
		CHECK(d <= t2);
		CHECK(d == t2 || d - t >= 60000);
		t = tick();
	}
	/* T2: REBINDING, broadcast */
	CHECK(t == t2 && sm.state == DHCP_S_REBINDING);
	a = sent(DHCPREQUEST);
	CHECK(a && a->dst == 0 && a->req.ciaddr == ADDR);
	while (sm.state == DHCP_S_REBINDING)
		t = tick();
	/* expiry: the address goes, back to INIT and discovery */
	CHECK(t == exp);
	a = find(DHCP_ACT_UNCONFIGURE, 0);
	CHECK(a && a->addr == ADDR && a->plen == 24);
	CHECK(sm.state == DHCP_S_SELECTING && sent(DHCPDISCOVER) != NULL);
	CHECK(!sm.have_lease && sm.cfg_addr == 0);

	/* a renewal answered: BOUND again, new times from the request */
	bind_at(0, 3600);
	t = tick();
	r = mk(DHCPACK, ADDR, 7200);
	CHECK(reply(&r, t + 50) == 0 && sm.state == DHCP_S_BOUND);
	CHECK(find(DHCP_ACT_CONFIGURE, 0) != NULL);
	CHECK(find(DHCP_ACT_UNCONFIGURE, 0) == NULL);
	CHECK(sm.t1_at == t + 3600000 && sm.expire_at == t + 7200000);

	/* rebinding answered with another address: old one removed first */
	bind_at(0, 3600);
	tick();
	while (sm.state != DHCP_S_REBINDING)
		tick();
	r = mk(DHCPACK, ADDR2, 3600);
	CHECK(reply(&r, sm.t2_at + 5) == 0 && sm.state == DHCP_S_BOUND);
	a = find(DHCP_ACT_UNCONFIGURE, 0);
	CHECK(a && a->addr == ADDR);
	a = find(DHCP_ACT_CONFIGURE, 0);
	CHECK(a && a->addr == ADDR2);
	CHECK(acts.a[0].type == DHCP_ACT_UNCONFIGURE);
}

static void test_nak(void)
{
	const struct dhcp_action *a;
	struct dhcp_reply r;
	uint64_t t;

	bind_at(0, 3600);
	t = tick();				/* RENEWING */
	r = mk(DHCPNAK, 0, 0);
	CHECK(reply(&r, t + 10) == 0);
	a = find(DHCP_ACT_UNCONFIGURE, 0);
	CHECK(a && a->addr == ADDR);
	CHECK(sm.state == DHCP_S_SELECTING && sent(DHCPDISCOVER));
	/* a second NAK in a row backs off */
	r = mk(DHCPOFFER, ADDR, 3600);
	reply(&r, t + 20);
	r = mk(DHCPNAK, 0, 0);
	CHECK(reply(&r, t + 30) == 0 && sm.state == DHCP_S_INIT);
	CHECK(sm.deadline == t + 30 + 8000);
	CHECK(find(DHCP_ACT_SEND, 0) == NULL);
	tick();
	CHECK(sm.state == DHCP_S_SELECTING);
	r = mk(DHCPOFFER, ADDR, 3600);
	reply(&r, sm.deadline - 100);
	r = mk(DHCPNAK, 0, 0);
	reply(&r, 100000);
	CHECK(sm.deadline == 100000 + 16000);
}

static void test_t1_t2_sanity(void)
{
	struct dhcp_reply r;

	/* server T1/T2 used when 0 < T1 < T2 < lease */
	dhcp_sm_init(&sm, mac, 2, 1, 1);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	r = mk(DHCPOFFER, ADDR, 1000);
	reply(&r, 0);
	r = mk(DHCPACK, ADDR, 1000);
	r.t1 = 100; r.t2 = 200; r.have |= DHCP_HAVE_T1 | DHCP_HAVE_T2;
	reply(&r, 0);
	CHECK(sm.t1_at == 100000 && sm.t2_at == 200000 && sm.expire_at == 1000000);
	/* T1 > T2: defaults */
	dhcp_sm_init(&sm, mac, 2, 1, 1);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	r = mk(DHCPOFFER, ADDR, 1000);
	reply(&r, 0);
	r = mk(DHCPACK, ADDR, 1000);
	r.t1 = 300; r.t2 = 200; r.have |= DHCP_HAVE_T1 | DHCP_HAVE_T2;
	reply(&r, 0);
	CHECK(sm.t1_at == 500000 && sm.t2_at == 875000);
	/* T2 beyond the lease: defaults */
	r.t1 = 100; r.t2 = 1000;
	dhcp_sm_init(&sm, mac, 2, 1, 1);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	reply(&(struct dhcp_reply){ 0 }, 0);	/* garbage: dropped */
	r.type = DHCPOFFER; r.xid = sm.xid;
	reply(&r, 0);
	r.type = DHCPACK;
	reply(&r, 0);
	CHECK(sm.t1_at == 500000 && sm.t2_at == 875000);
	/* infinite lease: no timers once bound */
	bind_at(0, DHCP_INFINITE);
	CHECK(sm.state == DHCP_S_BOUND && sm.deadline == DHCP_NEVER);
	/* test time scale: 120 s lease / 10 */
	dhcp_sm_init(&sm, mac, 2, 1, 10);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	r = mk(DHCPOFFER, ADDR, 120);
	reply(&r, 0);
	r = mk(DHCPACK, ADDR, 120);
	reply(&r, 0);
	CHECK(sm.t1_at == 6000 && sm.expire_at == 12000);
}

static void test_carrier_and_reboot(void)
{
	const struct dhcp_action *a;
	struct dhcp_reply r;

	/* no carrier at start: wait */
	dhcp_sm_init(&sm, mac, 2, 1, 1);
	dhcp_sm_start(&sm, 0, 0, 0, 0, &acts);
	CHECK(sm.state == DHCP_S_NOCARRIER && find(DHCP_ACT_SEND, 0) == NULL);
	dhcp_sm_carrier(&sm, 50, 1, &acts);
	CHECK(sm.state == DHCP_S_SELECTING && sent(DHCPDISCOVER));

	/* carrier lost while bound: the address stays; back: INIT-REBOOT */
	bind_at(0, 3600);
	dhcp_sm_carrier(&sm, 1000, 0, &acts);
	CHECK(sm.state == DHCP_S_NOCARRIER);
	CHECK(find(DHCP_ACT_UNCONFIGURE, 0) == NULL);
	CHECK(sm.deadline == sm.expire_at);
	dhcp_sm_carrier(&sm, 2000, 1, &acts);
	CHECK(sm.state == DHCP_S_REBOOTING);
	a = sent(DHCPREQUEST);
	CHECK(a && a->dst == 0 && a->req.requested == ADDR && a->req.ciaddr == 0 &&
	    a->req.server_id == 0);
	r = mk(DHCPACK, ADDR, 3600);
	CHECK(reply(&r, 2100) == 0 && sm.state == DHCP_S_BOUND);
	CHECK(find(DHCP_ACT_CONFIGURE, 0) != NULL);
	/* no answer to INIT-REBOOT: keep the unexpired lease */
	dhcp_sm_carrier(&sm, 3000, 0, &acts);
	dhcp_sm_carrier(&sm, 4000, 1, &acts);
	tick(); tick(); tick(); tick();
	CHECK(sm.state == DHCP_S_BOUND && find(DHCP_ACT_UNCONFIGURE, 0) == NULL);
	/* lease runs out while the link is down */
	dhcp_sm_carrier(&sm, 5000, 0, &acts);
	tick();
	CHECK(find(DHCP_ACT_UNCONFIGURE, 0) != NULL && !sm.have_lease);
	dhcp_sm_carrier(&sm, sm.expire_at + 10, 1, &acts);
	CHECK(sm.state == DHCP_S_SELECTING);

	/* restart of the client: address found on the link, INIT-REBOOT */
	dhcp_sm_init(&sm, mac, 2, 1, 1);
	dhcp_sm_start(&sm, 0, 1, ADDR, 24, &acts);
	CHECK(sm.state == DHCP_S_REBOOTING);
	a = find(DHCP_ACT_STATE, 0);
	CHECK(a && a->to == DHCP_S_INIT_REBOOT);
	a = sent(DHCPREQUEST);
	CHECK(a && a->req.requested == ADDR);
	r = mk(DHCPNAK, 0, 0);
	CHECK(reply(&r, 100) == 0);
	a = find(DHCP_ACT_UNCONFIGURE, 0);
	CHECK(a && a->addr == ADDR && a->plen == 24);
	CHECK(sm.state == DHCP_S_SELECTING);
	/* restart, no answer: discovery, the address stays until replaced */
	dhcp_sm_init(&sm, mac, 2, 1, 1);
	dhcp_sm_start(&sm, 0, 1, ADDR, 24, &acts);
	tick(); tick(); tick(); tick();
	CHECK(sm.state == DHCP_S_SELECTING && find(DHCP_ACT_UNCONFIGURE, 0) == NULL);
	r = mk(DHCPOFFER, ADDR2, 3600);
	reply(&r, sm.deadline - 10);
	r = mk(DHCPACK, ADDR2, 3600);
	reply(&r, sm.deadline - 5);
	/* the old address comes off as the new one goes on, at the ACK */
	a = find(DHCP_ACT_UNCONFIGURE, 0);
	CHECK(a && a->addr == ADDR && sm.state == DHCP_S_CHECKING);
	CHECK(find(DHCP_ACT_CONFIGURE, 0) && find(DHCP_ACT_CONFIGURE, 0)->addr == ADDR2);
	while (sm.state == DHCP_S_CHECKING)
		tick();
	CHECK(sm.state == DHCP_S_BOUND && find(DHCP_ACT_UNCONFIGURE, 0) == NULL);
}

static void test_release(void)
{
	const struct dhcp_action *a;

	bind_at(0, 3600);
	dhcp_sm_stop(&sm, 1000, &acts);
	a = sent(DHCPRELEASE);
	CHECK(a && a->dst == SERVER && a->req.ciaddr == ADDR &&
	    a->req.server_id == SERVER);
	CHECK(find(DHCP_ACT_UNCONFIGURE, 0) != NULL);
	CHECK(sm.state == DHCP_S_STOPPED && sm.deadline == DHCP_NEVER);
	/* not bound: no RELEASE */
	dhcp_sm_init(&sm, mac, 2, 1, 1);
	dhcp_sm_start(&sm, 0, 1, 0, 0, &acts);
	dhcp_sm_stop(&sm, 10, &acts);
	CHECK(find(DHCP_ACT_SEND, 0) == NULL && sm.state == DHCP_S_STOPPED);
}

static void test_lease_helpers(void)
{
	struct dhcp_reply r = mk(DHCPACK, ADDR, 60);
	struct dhcp_route rt[4];

	CHECK(dhcp_lease_plen(&r) == 24);
	CHECK(dhcp_lease_broadcast(&r) == inet_addr("10.0.2.255"));
	CHECK(dhcp_lease_routes(&r, rt, 4) == 1 && rt[0].plen == 0 && rt[0].gw == SERVER);
	r.have |= DHCP_HAVE_ROUTES;
	r.nroutes = 1;
	r.routes[0].dst = inet_addr("192.168.0.0");
	r.routes[0].plen = 16;
	r.routes[0].gw = SERVER;
	CHECK(dhcp_lease_routes(&r, rt, 4) == 1 && rt[0].plen == 16);
	r.have &= ~DHCP_HAVE_MASK;
	CHECK(dhcp_lease_plen(&r) == 8);	/* class A */
	CHECK(strcmp(dhcp_state_name(DHCP_S_REBINDING), "REBINDING") == 0);
}

int main(void)
{
	ADDR = inet_addr("10.0.2.15");
	ADDR2 = inet_addr("10.0.2.16");
	SERVER = inet_addr("10.0.2.2");
	test_selecting_and_retransmit();
	test_checks_on_replies();
	test_probe_and_bind();
	test_rapid_commit();
	test_renew_rebind_expire();
	test_nak();
	test_t1_t2_sanity();
	test_carrier_and_reboot();
	test_release();
	test_lease_helpers();
	return check_done("dhcp_state");
}

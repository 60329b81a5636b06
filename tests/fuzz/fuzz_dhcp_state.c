/* fuzz_dhcp_state.c - libFuzzer target: the client state machine fed
 * arbitrary events and replies. The input is a list of records:
 *   byte 0: event (timer, reply, carrier, ARP conflict, stop)
 *   byte 1: time step, byte 2: flags (bit 0: give the reply our xid and
 *   chaddr so that it gets past those checks)
 *   bytes 3-4: reply length, then the reply bytes for the parser. */
#include "pure/dhcp_state.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void check(const struct dhcp_sm *sm, const struct dhcp_actions *a,
    uint64_t now)
{
	unsigned i;

	if (a->n > DHCP_MAX_ACTIONS || (unsigned)sm->state >= DHCP_S_COUNT)
		__builtin_trap();
	if (sm->deadline < now && sm->state != DHCP_S_CHECKING)
		__builtin_trap();	/* a timer in the past would spin */
	for (i = 0; i < a->n; i++) {
		if (a->a[i].type == DHCP_ACT_CONFIGURE && a->a[i].addr == 0)
			__builtin_trap();
		/* RFC 4039: only a DISCOVER asks for rapid commit */
		if (a->a[i].type == DHCP_ACT_SEND &&
		    (a->a[i].req.type == DHCPDISCOVER) != (a->a[i].req.rapid_commit != 0))
			__builtin_trap();
		/* probes and announcements are for the address in use */
		if ((a->a[i].type == DHCP_ACT_ARP_PROBE ||
		    a->a[i].type == DHCP_ACT_ARP_ANNOUNCE) &&
		    (a->a[i].addr == 0 || a->a[i].addr != sm->cfg_addr))
			__builtin_trap();
	}
	/* The address is in use while it is checked, and when bound. */
	if ((sm->state == DHCP_S_CHECKING || sm->state == DHCP_S_BOUND) &&
	    (!sm->have_lease || sm->cfg_addr != sm->lease.yiaddr || sm->cfg_addr == 0))
		__builtin_trap();
}

/* After a conflict in CHECKING: the address is off the interface, a
 * DECLINE for it went out, and the client waits in INIT. */
static void check_conflict(const struct dhcp_sm *sm, const struct dhcp_actions *a,
    uint32_t addr)
{
	int unconf = 0, decline = 0;
	unsigned i;

	for (i = 0; i < a->n; i++) {
		if (a->a[i].type == DHCP_ACT_UNCONFIGURE && a->a[i].addr == addr)
			unconf = 1;
		if (a->a[i].type == DHCP_ACT_SEND && a->a[i].req.type == DHCPDECLINE &&
		    a->a[i].req.requested == addr)
			decline = 1;
	}
	if (!unconf || !decline || sm->state != DHCP_S_INIT || sm->cfg_addr != 0 ||
	    sm->have_lease || sm->reboot_addr != 0)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_sm sm;
	struct dhcp_actions acts;
	struct dhcp_reply r;
	const char *why;
	uint64_t now = 1000;
	size_t len;

	dhcp_sm_init(&sm, mac, 1, 42, 1 + (size & 3));
	dhcp_sm_start(&sm, now, size & 4 ? 0 : 1, size & 8 ? 0x0f02000a : 0, 24,
	    &acts);
	check(&sm, &acts, now);
	while (size >= 5) {
		uint8_t ev = data[0], step = data[1], flags = data[2];

		len = (size_t)data[3] << 8 | data[4];
		data += 5;
		size -= 5;
		if (len > size)
			len = size;
		now += (uint64_t)step * step * 100;
		if (now >= sm.deadline) {
			dhcp_sm_timer(&sm, now, &acts);
			check(&sm, &acts, now);
		}
		switch (ev % 6) {
		case 0:
			if (sm.deadline != DHCP_NEVER && sm.deadline > now)
				now = sm.deadline;
			dhcp_sm_timer(&sm, now, &acts);
			break;
		case 1:
		case 2:
			if (dhcp_msg_parse(data, len, &r, &why) == 0) {
				if (flags & 1) {
					r.xid = sm.xid;
					memcpy(r.chaddr, mac, 6);
				}
				(void)dhcp_sm_reply(&sm, now, &r, &acts, &why);
			}
			break;
		case 3:
			dhcp_sm_carrier(&sm, now, flags & 1, &acts);
			break;
		case 4: {
			enum dhcp_state was = sm.state;
			uint32_t addr = sm.lease.yiaddr;

			dhcp_sm_arp_conflict(&sm, now, &acts);
			if (was == DHCP_S_CHECKING)
				check_conflict(&sm, &acts, addr);
			else if (acts.n != 0)
				__builtin_trap();	/* only the check acts on it */
			break;
		}
		case 5:
			if (flags == 0xff)
				dhcp_sm_stop(&sm, now, &acts);
			else
				acts.n = 0;
			break;
		}
		check(&sm, &acts, now);
		data += len;
		size -= len;
	}
	return 0;
}

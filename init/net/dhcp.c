/* dhcp.c - the DHCP client role: `init dhcp --iface IF ...`.
 *
 * This is the I/O shell around the pure state machine in dhcp_state.c: it
 * owns the sockets, the clock and the configuration of the link, feeds
 * events to the core and carries out the actions it returns.
 *
 *   packet socket (ETH_P_IP, BPF: UDP to port 68)  replies, and broadcasts
 *   UDP socket on port 68                           unicast RENEW/RELEASE
 *   packet socket (ETH_P_ARP)                       RFC 5227 probes
 *   rtnetlink (RTNLGRP_LINK, RTNLGRP_ND_USEROPT)    carrier, IPv6 RDNSS
 *   signalfd (SIGTERM, SIGINT)                      RELEASE and exit
 *
 * A static `ip=` on the kernel command line replaces DHCP altogether. IPv6
 * addresses come from the kernel (SLAAC); only the RDNSS servers of router
 * advertisements are read here, for resolv.conf.
 *
 * Under PID 1 the role runs as its own unprivileged uid with CAP_NET_ADMIN,
 * CAP_NET_RAW and CAP_NET_BIND_SERVICE as ambient capabilities; once the
 * sockets are bound it keeps CAP_NET_ADMIN and CAP_NET_RAW only, and
 * writes resolv.conf into /run/net, a directory its uid owns, and beside it
 * `ntp`: the lease's NTP servers (option 42), one address a line, for the
 * SNTP client. */
#include "pure/arp.h"
#include "pure/dhcp_msg.h"
#include "pure/dhcp_state.h"
#include "lib/log.h"
#include "pure/netcfg.h"
#include "lib/netlink.h"
#include "lib/roles.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define DHCP_MAX_RDNSS		3
#define DHCP_RESOLV_MAX		1024
#define DHCP_SEND_RETRIES	10	/* on ENETDOWN, ... */
#define DHCP_SEND_RETRY_MS	20	/* ... this far apart */
#define DHCP_DROP_LOG_MAX	20	/* drop lines a minute */
#define DHCP_LEASE_LINE_MAX	200
#define DHCP_RESOLV_DEFAULT	"/run/net/resolv.conf"	/* /etc/resolv.conf links here */
#define DHCP_TIME_DIV_MAX	1000
#define DHCP_READY_FD_MIN	3	/* never the console's stdin/out/err */

struct rdnss_entry {
	uint8_t addr[16];
	uint64_t expire;	/* DHCP_NEVER for an infinite lifetime */
};

/* Everything the role owns, sized at start-up. */
static struct {
	const char *ifname;
	int ifindex;
	uint8_t mac[6];
	int pfd, afd, ufd, nfd, sfd;
	int ready_fd;
	int carrier;
	const char *resolv;
	struct dhcp_sm sm;
	/* what is applied to the link now */
	int applied;
	uint32_t addr;
	unsigned plen;
	size_t nroutes;
	struct dhcp_route routes[DHCP_MAX_ROUTES];
	size_t ndns;
	uint32_t dns[DHCP_MAX_DNS];
	char search[DHCP_SEARCH_MAX];
	char lease_line[DHCP_LEASE_LINE_MAX];
	struct rdnss_entry rdnss[DHCP_MAX_RDNSS];
	char resolv_text[DHCP_RESOLV_MAX];
	size_t resolv_len;
	char ntp_path[256];	/* beside resolv.conf */
	char lease_path[256];	/* beside it too: the lease, for the admin API */
	char ntp_text[DHCP_MAX_NTP * INET_ADDRSTRLEN];
	size_t ntp_len;		/* (size_t)-1 before the first write */
	uint64_t drop_window;
	unsigned drops;
} dc;	/* in .bss: the fds are set in dhcp_main() */

static uint64_t now_ms(void)
{
	struct timespec ts;

	/* CLOCK_BOOTTIME: a lease runs on while the machine is suspended. */
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Dotted quad; buf holds INET_ADDRSTRLEN (musl's inet_ntop is larger). */
static const char *ip4(uint32_t a, char *buf)
{
	const uint8_t *b = (const uint8_t *)&a;
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		if (b[i] >= 100)
			*p++ = (char)('0' + b[i] / 100);
		if (b[i] >= 10)
			*p++ = (char)('0' + b[i] / 10 % 10);
		*p++ = (char)('0' + b[i] % 10);
		*p++ = i < 3 ? '.' : 0;
	}
	return buf;
}

/* IPv6 text as RFC 5952 4.2 writes it: the longest run of two or more
 * zero groups as "::". buf holds INET6_ADDRSTRLEN. */
static const char *ip6(const uint8_t *a, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	int g[8], i, j, best = -1, bestlen = 1, run;
	char *p = buf;

	for (i = 0; i < 8; i++)
		g[i] = a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i += run ? run : 1) {
		for (run = 0; i + run < 8 && g[i + run] == 0; run++)
			;
		if (run > bestlen) {
			best = i;
			bestlen = run;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			if (i == 0)
				*p++ = ':';
			i += bestlen - 1;
			continue;
		}
		for (j = 12; j > 0 && !(g[i] >> j & 15); j -= 4)
			;
		for (; j >= 0; j -= 4)
			*p++ = hex[g[i] >> j & 15];
		if (i < 7)
			*p++ = ':';
	}
	*p = 0;
	return buf;
}

/* ---- resolv.conf ---------------------------------------------------------- */

static int rdnss_live(const struct rdnss_entry *e)
{
	static const uint8_t zero[16];

	return memcmp(e->addr, zero, 16) != 0;
}

/* Write resolv.conf when its text changes: to a temporary file, then
 * rename(2), so readers never see half a file. */
static void dhcp_write_resolv(void)
{
	char text[DHCP_RESOLV_MAX], a[INET6_ADDRSTRLEN], tmp[256];
	size_t len = 0, i;
	int n, fd;

#define EMIT(...) do { \
	n = snprintf(text + len, sizeof(text) - len, __VA_ARGS__); \
	if (n > 0 && (size_t)n < sizeof(text) - len) \
		len += (size_t)n; \
} while (0)
	EMIT("# written by the minilinux DHCP client\n");
	if (dc.search[0])
		EMIT("search %s\n", dc.search);
	for (i = 0; i < dc.ndns; i++)
		EMIT("nameserver %s\n", ip4(dc.dns[i], a));
	for (i = 0; i < DHCP_MAX_RDNSS; i++)
		if (rdnss_live(&dc.rdnss[i]))
			EMIT("nameserver %s\n", ip6(dc.rdnss[i].addr, a));
#undef EMIT
	if (len == dc.resolv_len && memcmp(text, dc.resolv_text, len) == 0)
		return;
	n = snprintf(tmp, sizeof(tmp), "%s.tmp", dc.resolv);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		log_warnx("dhcp: resolv.conf path too long");
		return;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_warn("dhcp: %s", tmp);
		return;
	}
	n = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) < 0 || !n) {
		log_warn("dhcp: write %s", tmp);
		unlink(tmp);
		return;
	}
	if (rename(tmp, dc.resolv) < 0) {
		log_warn("dhcp: rename to %s", dc.resolv);
		unlink(tmp);
		return;
	}
	memcpy(dc.resolv_text, text, len);
	dc.resolv_len = len;
}

/* The NTP servers of the lease (RFC 2132 8.3), one a line, for the SNTP
 * client (which reads the file before every request): written whole, as
 * resolv.conf is. No lease, or none in it: an empty file. */
static void dhcp_write_ntp(const uint32_t *ntp, size_t nntp)
{
	char text[sizeof(dc.ntp_text)], a[INET_ADDRSTRLEN], tmp[sizeof(dc.ntp_path) + 4];
	size_t len = 0, i;
	int fd, ok;

	if (!dc.ntp_path[0])
		return;
	for (i = 0; i < nntp && i < DHCP_MAX_NTP; i++) {
		ip4(ntp[i], a);
		memcpy(text + len, a, strlen(a));
		len += strlen(a);
		text[len++] = '\n';
	}
	if (len == dc.ntp_len && memcmp(text, dc.ntp_text, len) == 0)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", dc.ntp_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_warn("dhcp: %s", tmp);
		return;
	}
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) < 0 || !ok || rename(tmp, dc.ntp_path) < 0) {
		log_warn("dhcp: write %s", dc.ntp_path);
		unlink(tmp);
		return;
	}
	memcpy(dc.ntp_text, text, len);
	dc.ntp_len = len;
}

/* ---- applying a configuration ------------------------------------------- */

static void dhcp_signal_ready(void)
{
	if (dc.ready_fd < 0)
		return;
	(void)!write(dc.ready_fd, "\n", 1);
	close(dc.ready_fd);
	dc.ready_fd = -1;
}

static uint32_t mask_net(unsigned plen)
{
	uint32_t m = plen ? 0xffffffffu << (32 - plen) : 0;

	return htonl(m);
}

static void dhcp_del_routes(void)
{
	size_t i;

	for (i = dc.nroutes; i-- > 0;)
		if (nl_route_del(dc.ifindex, dc.routes[i].dst, dc.routes[i].plen,
		    dc.routes[i].gw) < 0 && errno != ESRCH)
			log_warn("dhcp %s: delete route", dc.ifname);
	dc.nroutes = 0;
}

/* The one console line per lease change. */
static void dhcp_log_lease(uint32_t gw)
{
	char line[DHCP_LEASE_LINE_MAX], a[INET_ADDRSTRLEN];
	size_t len, i;
	int n;

	n = snprintf(line, sizeof(line), "Lease: %s/%u", ip4(dc.addr, a), dc.plen);
	len = n > 0 ? (size_t)n : 0;
	n = snprintf(line + len, sizeof(line) - len, " gw %s dns ",
	    gw ? ip4(gw, a) : "none");
	if (n > 0 && (size_t)n < sizeof(line) - len)
		len += (size_t)n;
	for (i = 0; i < dc.ndns; i++) {
		n = snprintf(line + len, sizeof(line) - len, "%s%s",
		    i ? "," : "", ip4(dc.dns[i], a));
		if (n > 0 && (size_t)n < sizeof(line) - len)
			len += (size_t)n;
	}
	if (dc.ndns == 0 && len + 5 < sizeof(line)) {
		memcpy(line + len, "none", 5);
		len += 4;
	}
	line[len] = 0;
	if (strcmp(line, dc.lease_line) != 0) {
		memcpy(dc.lease_line, line, len + 1);
		log_info("%s", line);
	}
}

/* Put an address, routes, MTU and DNS on the link. */
static void dhcp_apply(uint32_t addr, unsigned plen, uint32_t brd, uint16_t mtu,
    const struct dhcp_route *routes, size_t nroutes, const uint32_t *dns,
    size_t ndns, const char *search)
{
	uint32_t mask = mask_net(plen), gw = 0;
	size_t i;

	if (dc.applied && (dc.addr != addr || dc.plen != plen)) {
		dhcp_del_routes();
		if (nl_addr_del(dc.ifindex, dc.addr, dc.plen) < 0 &&
		    errno != EADDRNOTAVAIL)
			log_warn("dhcp %s: delete old address", dc.ifname);
	}
	if (mtu && nl_link_set_mtu(dc.ifindex, mtu) < 0)
		log_warn("dhcp %s: set MTU %u", dc.ifname, mtu);
	if (nl_addr_add(dc.ifindex, addr, plen, brd) < 0)
		log_warn("dhcp %s: add address", dc.ifname);
	if (dc.applied && dc.addr == addr) {
		/* drop routes the new lease no longer has */
		for (i = 0; i < dc.nroutes; i++) {
			size_t j;

			for (j = 0; j < nroutes; j++)
				if (routes[j].dst == dc.routes[i].dst &&
				    routes[j].plen == dc.routes[i].plen &&
				    routes[j].gw == dc.routes[i].gw)
					break;
			if (j == nroutes && nl_route_del(dc.ifindex,
			    dc.routes[i].dst, dc.routes[i].plen,
			    dc.routes[i].gw) < 0 && errno != ESRCH)
				log_warn("dhcp %s: delete route", dc.ifname);
		}
	}
	dc.nroutes = 0;
	for (i = 0; i < nroutes && i < DHCP_MAX_ROUTES; i++) {
		int onlink = routes[i].gw && (routes[i].gw & mask) != (addr & mask);

		if (nl_route_add(dc.ifindex, routes[i].dst, routes[i].plen,
		    routes[i].gw, onlink) < 0) {
			log_warn("dhcp %s: add route", dc.ifname);
			continue;
		}
		dc.routes[dc.nroutes++] = routes[i];
		if (routes[i].plen == 0 && !gw)
			gw = routes[i].gw;
	}
	dc.applied = 1;
	dc.addr = addr;
	dc.plen = plen;
	dc.ndns = ndns > DHCP_MAX_DNS ? DHCP_MAX_DNS : ndns;
	memcpy(dc.dns, dns, dc.ndns * sizeof(*dns));
	snprintf(dc.search, sizeof(dc.search), "%s", search);
	dhcp_write_resolv();
	dhcp_log_lease(gw);
	dhcp_signal_ready();
}

/* The lease for the admin API: "address=A/P" and "expires_boottime_s=N"
 * (CLOCK_BOOTTIME seconds); removed when the address goes. */
static void dhcp_write_lease(const struct dhcp_sm *sm)
{
	char text[96], a[INET_ADDRSTRLEN], tmp[sizeof(dc.lease_path) + 4];
	int fd, n, ok;

	if (!dc.lease_path[0])
		return;
	if (!sm) {
		unlink(dc.lease_path);
		return;
	}
	n = snprintf(text, sizeof(text), "address=%s/%u\nexpires_boottime_s=%llu\n",
	    ip4(sm->lease.yiaddr, a), dhcp_lease_plen(&sm->lease),
	    sm->expire_at == DHCP_NEVER ? 0xffffffffULL :
	    (unsigned long long)(sm->expire_at / 1000));
	snprintf(tmp, sizeof(tmp), "%s.tmp", dc.lease_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	ok = n > 0 && write(fd, text, (size_t)n) == n;
	if (close(fd) < 0 || !ok || rename(tmp, dc.lease_path) < 0)
		unlink(tmp);
}

static void dhcp_configure(const struct dhcp_sm *sm)
{
	const struct dhcp_reply *r = &sm->lease;
	struct dhcp_route routes[DHCP_MAX_ROUTES];
	size_t n = dhcp_lease_routes(r, routes, DHCP_MAX_ROUTES);

	if (r->ignored & DHCP_HAVE_HOSTNAME)
		log_warnx("dhcp %s: ignored an invalid host name from the server",
		    dc.ifname);
	if (r->ignored & ~DHCP_HAVE_HOSTNAME)
		log_warnx("dhcp %s: ignored invalid options from the server (0x%x)",
		    dc.ifname, r->ignored);
	dhcp_apply(r->yiaddr, dhcp_lease_plen(r), dhcp_lease_broadcast(r),
	    (r->have & DHCP_HAVE_MTU) ? r->mtu : 0, routes, n, r->dns, r->ndns,
	    (r->have & DHCP_HAVE_SEARCH) ? r->search :
	    (r->have & DHCP_HAVE_DOMAIN) ? r->domain : "");
	dhcp_write_ntp(r->ntp, r->nntp);
	dhcp_write_lease(sm);
}

static void dhcp_unconfigure(uint32_t addr, unsigned plen)
{
	char a[INET_ADDRSTRLEN];

	if (dc.applied && dc.addr == addr)
		dhcp_del_routes();
	if (nl_addr_del(dc.ifindex, addr, plen) < 0 && errno != EADDRNOTAVAIL)
		log_warn("dhcp %s: delete address", dc.ifname);
	log_info("dhcp %s: removed %s/%u", dc.ifname, ip4(addr, a), plen);
	dc.applied = 0;
	dc.ndns = 0;
	dc.search[0] = 0;
	dc.lease_line[0] = 0;
	dhcp_write_resolv();
	dhcp_write_ntp(NULL, 0);
	dhcp_write_lease(NULL);
}

/* ---- sending -------------------------------------------------------------- */

/* Broadcast one frame of the given protocol on the link. Right after
 * carrier the queueing discipline may not be attached yet (ENETDOWN):
 * retry briefly rather than lose a DHCP message (4 s to retransmit) or an
 * ARP probe. */
static int dhcp_send_link(int fd, uint16_t proto, const void *buf, size_t len)
{
	struct timespec pause = { 0, DHCP_SEND_RETRY_MS * 1000000L };
	struct sockaddr_ll ll;
	int tries;

	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(proto);
	ll.sll_ifindex = dc.ifindex;
	ll.sll_halen = 6;
	memset(ll.sll_addr, 0xff, 6);
	for (tries = 0; sendto(fd, buf, len, 0, (struct sockaddr *)&ll,
	    sizeof(ll)) < 0; tries++) {
		if (errno != ENETDOWN || tries == DHCP_SEND_RETRIES)
			return -1;
		nanosleep(&pause, NULL);
	}
	return 0;
}

static void dhcp_send(const struct dhcp_action *act)
{
	static uint8_t frame[DHCP_FRAME_MAX];
	struct sockaddr_in sin;
	int len, flen;

	len = dhcp_msg_build(frame + DHCP_FRAME_HDR_LEN,
	    sizeof(frame) - DHCP_FRAME_HDR_LEN, &act->req);
	if (len < 0) {
		log_warn("dhcp %s: build %s", dc.ifname, dhcp_type_name(act->req.type));
		return;
	}
	if (act->dst) {
		/* RFC 2131 4.4.5: unicast through the kernel's routing. */
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(DHCP_SERVER_PORT);
		sin.sin_addr.s_addr = act->dst;
		if (sendto(dc.ufd, frame + DHCP_FRAME_HDR_LEN, (size_t)len, 0,
		    (struct sockaddr *)&sin, sizeof(sin)) < 0)
			log_warn("dhcp %s: send %s", dc.ifname,
			    dhcp_type_name(act->req.type));
		return;
	}
	flen = dhcp_frame_build(frame, sizeof(frame), (size_t)len, act->src,
	    0xffffffffu, DHCP_CLIENT_PORT, DHCP_SERVER_PORT);
	if (flen < 0)
		return;
	if (dhcp_send_link(dc.pfd, ETH_P_IP, frame, (size_t)flen) < 0)
		log_warn("dhcp %s: send %s", dc.ifname,
		    dhcp_type_name(act->req.type));
}

static void dhcp_send_arp_probe(uint32_t addr)
{
	uint8_t pkt[ARP_PKT_LEN];
	size_t len = arp_build_probe(pkt, sizeof(pkt), dc.mac, addr);

	if (dhcp_send_link(dc.afd, ETH_P_ARP, pkt, len) < 0)
		log_warn("dhcp %s: send ARP probe", dc.ifname);
}

static void dhcp_run_actions(const struct dhcp_actions *acts)
{
	const struct dhcp_action *a;
	unsigned i;

	for (i = 0; i < acts->n; i++) {
		a = &acts->a[i];
		switch (a->type) {
		case DHCP_ACT_STATE:
			log_info("dhcp %s: %s -> %s", dc.ifname,
			    dhcp_state_name(a->from), dhcp_state_name(a->to));
			break;
		case DHCP_ACT_LOG:
			log_info("dhcp %s: %s", dc.ifname, a->text);
			break;
		case DHCP_ACT_SEND:
			dhcp_send(a);
			break;
		case DHCP_ACT_ARP_PROBE:
			dhcp_send_arp_probe(a->addr);
			break;
		case DHCP_ACT_CONFIGURE:
			dhcp_configure(&dc.sm);
			break;
		case DHCP_ACT_UNCONFIGURE:
			dhcp_unconfigure(a->addr, a->plen);
			break;
		}
	}
}

/* ---- receiving ------------------------------------------------------------ */

/* One console line per dropped packet, but at most DHCP_DROP_LOG_MAX a
 * minute: on a busy segment the replies to other clients reach us too. */
static int dhcp_drop_log(void)
{
	uint64_t now = now_ms();

	if (now - dc.drop_window >= 60000) {
		dc.drop_window = now;
		dc.drops = 0;
	}
	if (++dc.drops == DHCP_DROP_LOG_MAX + 1)
		log_warnx("dhcp %s: more packets dropped; quiet for a minute",
		    dc.ifname);
	return dc.drops <= DHCP_DROP_LOG_MAX;
}

static void dhcp_read_packet(void)
{
	static uint8_t buf[DHCP_FRAME_MAX + 1];
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} cbuf;
	struct sockaddr_ll from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh;
	struct cmsghdr *c;
	struct tpacket_auxdata aux;
	struct dhcp_reply r;
	struct dhcp_actions acts;
	const uint8_t *payload;
	const char *why = "";
	size_t plen;
	ssize_t n;
	int verify = 1;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &from;
	mh.msg_namelen = sizeof(from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf.b;
	mh.msg_controllen = sizeof(cbuf.b);
	n = recvmsg(dc.pfd, &mh, MSG_DONTWAIT);
	if (n < 0 || from.sll_pkttype == PACKET_OUTGOING)
		return;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
		    c->cmsg_len >= CMSG_LEN(sizeof(aux))) {
			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
			/* checksum left to offload (veth, virtio): not final */
			if (aux.tp_status & TP_STATUS_CSUMNOTREADY)
				verify = 0;
		}
	}
	if ((size_t)n > DHCP_FRAME_MAX) {
		if (dhcp_drop_log())
			log_warnx("dhcp %s: dropped packet: oversized", dc.ifname);
		return;
	}
	if (dhcp_frame_parse(buf, (size_t)n, verify, &payload, &plen, &why) < 0 ||
	    dhcp_msg_parse(payload, plen, &r, &why) < 0) {
		if (dhcp_drop_log())
			log_warnx("dhcp %s: dropped packet: %s", dc.ifname, why);
		return;
	}
	if (dhcp_sm_reply(&dc.sm, now_ms(), &r, &acts, &why) < 0) {
		if (dhcp_drop_log())
			log_warnx("dhcp %s: dropped %s in %s: %s", dc.ifname,
			    dhcp_type_name(r.type), dhcp_state_name(dc.sm.state), why);
		return;
	}
	dhcp_run_actions(&acts);
}

static void dhcp_read_arp(void)
{
	uint8_t buf[64];
	struct dhcp_actions acts;
	ssize_t n = recv(dc.afd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 || dc.sm.state != DHCP_S_CHECKING)
		return;
	if (arp_is_conflict(buf, (size_t)n, dc.mac, dc.sm.lease.yiaddr)) {
		dhcp_sm_arp_conflict(&dc.sm, now_ms(), &acts);
		dhcp_run_actions(&acts);
	}
}

static void dhcp_carrier(int up)
{
	struct dhcp_actions acts;

	if (up == dc.carrier)
		return;
	dc.carrier = up;
	log_info("dhcp %s: carrier %s", dc.ifname, up ? "up" : "down");
	dhcp_sm_carrier(&dc.sm, now_ms(), up, &acts);
	dhcp_run_actions(&acts);
}

static void dhcp_poll_carrier(void)
{
	struct nl_link li;

	if (nl_link_get(dc.ifindex, &li) == 0)
		dhcp_carrier(li.carrier);
	else if (dhcp_drop_log())
		log_warn("dhcp %s: get link", dc.ifname);
}

/* RFC 8106 5.1 / 6: keep at most DHCP_MAX_RDNSS; lifetime 0 removes. */
static void dhcp_rdnss(const struct nl_rdnss *rd)
{
	uint64_t now = now_ms();
	uint64_t exp = rd->lifetime == 0xffffffffu ? DHCP_NEVER :
	    now + (uint64_t)rd->lifetime * 1000u;
	size_t i, j;

	for (i = 0; i < rd->n; i++) {
		struct rdnss_entry *slot = NULL;

		for (j = 0; j < DHCP_MAX_RDNSS; j++)
			if (memcmp(dc.rdnss[j].addr, rd->addr[i], 16) == 0)
				slot = &dc.rdnss[j];
		if (!slot && rd->lifetime)
			for (j = 0; j < DHCP_MAX_RDNSS && !slot; j++)
				if (!rdnss_live(&dc.rdnss[j]))
					slot = &dc.rdnss[j];
		if (!slot)
			continue;
		if (rd->lifetime == 0) {
			memset(slot, 0, sizeof(*slot));
		} else {
			memcpy(slot->addr, rd->addr[i], 16);
			slot->expire = exp;
		}
	}
	dhcp_write_resolv();
}

static uint64_t dhcp_rdnss_expire(uint64_t now)
{
	uint64_t next = DHCP_NEVER;
	int changed = 0;
	size_t i;

	for (i = 0; i < DHCP_MAX_RDNSS; i++) {
		if (!rdnss_live(&dc.rdnss[i]))
			continue;
		if (dc.rdnss[i].expire <= now) {
			memset(&dc.rdnss[i], 0, sizeof(dc.rdnss[i]));
			changed = 1;
		} else if (dc.rdnss[i].expire < next) {
			next = dc.rdnss[i].expire;
		}
	}
	if (changed)
		dhcp_write_resolv();
	return next;
}

static void dhcp_read_netlink(void)
{
	_Alignas(4) uint8_t buf[NL_RECV_MAX];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh;
	const struct nlmsghdr *nlh;
	const uint8_t *p = buf;
	struct nl_link li;
	struct nl_rdnss rd;
	ssize_t n;
	size_t rem;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	n = recvmsg(dc.nfd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == ENOBUFS)	/* events lost: ask again */
			dhcp_poll_carrier();
		return;
	}
	rem = (size_t)n;
	while ((nlh = nl_msg_next(&p, &rem)) != NULL) {
		if (nl_parse_link(nlh, &li) == 0 && li.ifindex == dc.ifindex)
			dhcp_carrier(li.carrier);
		else if (nl_parse_rdnss(nlh, &rd) == 0 && rd.ifindex == dc.ifindex)
			dhcp_rdnss(&rd);
	}
	/* An event larger than NL_RECV_MAX was cut (what is left of it is not
	 * read above): as for lost events, ask for the link again. An RDNSS
	 * option cannot be asked for; the next advertisement repeats it. */
	if (mh.msg_flags & MSG_TRUNC) {
		if (dhcp_drop_log())
			log_warnx("dhcp %s: netlink event larger than %d bytes cut; "
			    "asking for the link again", dc.ifname, NL_RECV_MAX);
		dhcp_poll_carrier();
	}
}

/* ---- set-up --------------------------------------------------------------- */

static int dhcp_open_packet(void)
{
	/* Classic BPF on the IPv4 header (SOCK_DGRAM: no link header): UDP,
	 * not a later fragment, destination port 68. The parser checks all
	 * of it again (and drops a first fragment, MF set, with a line); the
	 * filter only keeps other traffic out of the queue. */
	static const struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),		/* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),		/* flags, offset */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0), /* offset */
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),		/* x = header length */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),		/* UDP dst port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0x40000),		/* accept */
		BPF_STMT(BPF_RET | BPF_K, 0),			/* drop */
	};
	struct sock_fprog fp = { sizeof(prog) / sizeof(prog[0]),
	    (struct sock_filter *)prog };
	struct sockaddr_ll ll;
	int one = 1, fd;

	/* Protocol 0 until the filter is on, so nothing unfiltered queues. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0)
		goto fail;
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_IP);
	ll.sll_ifindex = dc.ifindex;
	if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int dhcp_open_arp(void)
{
	struct sockaddr_ll ll;
	int fd;

	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    htons(ETH_P_ARP));
	if (fd < 0)
		return -1;
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETH_P_ARP);
	ll.sll_ifindex = dc.ifindex;
	if (bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* For unicast, routed like any other IP traffic (not bound to the
 * device: policy routing applies). Replies still arrive on the packet
 * socket; what reaches this socket is read and thrown away (it keeps the
 * kernel from answering the server with ICMP port unreachable). */
static int dhcp_open_udp(void)
{
	struct sockaddr_in sin;
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(DHCP_CLIENT_PORT);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int dhcp_open_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Keep CAP_NET_ADMIN (addresses, routes, MTU) and CAP_NET_RAW (packet
 * sockets) only, in every set, and no way to gain more: a bug in the
 * parsing of network input then cannot reach the rest of the system.
 * CAP_NET_BIND_SERVICE was for port 68, bound by now. Under PID 1 this
 * runs as an unprivileged uid whose supervisor already narrowed the
 * bounding set; dropping from it takes CAP_SETPCAP, which such a process
 * does not have, so EPERM is expected then and not an error. Started as
 * root (the tests), every set is narrowed here. */
static int dhcp_drop_privileges(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	const uint32_t keep = CAP_TO_MASK(CAP_NET_ADMIN) | CAP_TO_MASK(CAP_NET_RAW);
	int cap, in, setpcap;

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	setpcap = (d[CAP_TO_INDEX(CAP_SETPCAP)].effective &
	    CAP_TO_MASK(CAP_SETPCAP)) != 0;
	/* PR_CAPBSET_READ fails with EINVAL past the kernel's last one. */
	for (cap = 0; (in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0; cap++) {
		if (!in || cap == CAP_NET_ADMIN || cap == CAP_NET_RAW)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 &&
		    (errno != EPERM || setpcap))
			return -1;
	}
	/* Ambient capabilities would survive an execve(): none. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -1;
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = keep;	/* inheritable: none */
	if (syscall(SYS_capset, &h, d) < 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* IPv6: link-local and SLAAC addresses and routes from the kernel itself. */
static void dhcp_setup_ipv6(void)
{
	static const char sysctls[][18] = {	/* value, then name */
		"0disable_ipv6", "1accept_ra", "1autoconf", "1accept_ra_defrtr",
	};
	char path[96];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s",
		    dc.ifname, sysctls[i] + 1);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT && i == 0) {
				log_info("dhcp %s: no IPv6 in this kernel", dc.ifname);
				return;
			}
			log_warn("dhcp %s: %s", dc.ifname, path);
			continue;
		}
		if (write(fd, sysctls[i], 1) != 1)
			log_warn("dhcp %s: %s", dc.ifname, path);
		close(fd);
	}
}

static uint64_t dhcp_seed(void)
{
	uint64_t seed = 0;
	struct timespec ts;

	/* Never wait for entropy: GRND_INSECURE (Linux 5.6), then the clock. */
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK | 0x0004) != sizeof(seed) &&
	    getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec ^
		    (uint64_t)getpid() << 16;
	}
	seed ^= (uint64_t)dc.mac[2] << 40 | (uint64_t)dc.mac[3] << 32 |
	    (uint64_t)dc.mac[4] << 24 | (uint64_t)dc.mac[5] << 16;
	return seed;
}

static int dhcp_static(const struct netcfg *nc)
{
	struct dhcp_route def;
	uint32_t brd;

	if (nl_link_up(dc.ifindex) < 0) {
		log_warn("dhcp %s: link up", dc.ifname);
		return -1;
	}
	def.dst = 0;
	def.plen = 0;
	def.gw = nc->gw;
	brd = nc->plen < 31 ? (nc->addr | ~mask_net(nc->plen)) : 0;
	log_info("dhcp %s: static configuration from ip=, no DHCP", dc.ifname);
	dhcp_apply(nc->addr, nc->plen, brd, 0, &def, nc->gw ? 1 : 0, nc->dns,
	    nc->ndns, "");
	dhcp_write_ntp(NULL, 0);
	return 0;
}

/* ip= from the command line in PATH (0 if it cannot be read). */
static int dhcp_parse_cmdline_file(const char *path, const char *ifname, struct netcfg *nc,
    const char **why)
{
	char buf[NETCFG_CMDLINE_MAX];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return 0;
	return netcfg_parse_cmdline(buf, (size_t)n, ifname, nc, why);
}

static void usage(void)
{
	log_warnx("usage: init dhcp --iface IF [--ready-fd FD] [--resolv PATH] "
	    "[--cmdline PATH] [--test-time-div N]");
}

/* A decimal number in [min, max] and nothing else: 0, or -1. */
static int dhcp_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if ((unsigned long)(*p - '0') > max ||
		    v > (max - (unsigned long)(*p - '0')) / 10)
			return -1;	/* past max, and no overflow */
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (p == s || *p || p - s > 10 || v < min)
		return -1;
	*out = v;
	return 0;
}

int dhcp_main(int argc, char **argv)
{
	const char *cmdline = "/proc/cmdline";
	unsigned long v;
	unsigned time_div = 1;
	struct nl_link li;
	struct dhcp_actions acts;
	struct netcfg nc;
	struct pollfd pfds[5];
	uint32_t known = 0;
	unsigned known_plen = 0;
	const char *why = "";
	int i, r;

	dc.pfd = dc.afd = dc.ufd = dc.nfd = dc.sfd = dc.ready_fd = -1;
	dc.resolv = DHCP_RESOLV_DEFAULT;
	for (i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--iface") == 0)
			dc.ifname = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--ready-fd") == 0 &&
		    dhcp_parse_uint(argv[i + 1], DHCP_READY_FD_MIN, INT_MAX, &v) == 0)
			dc.ready_fd = (int)v, i++;
		else if (i + 1 < argc && strcmp(argv[i], "--resolv") == 0)
			dc.resolv = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--cmdline") == 0)
			cmdline = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--test-time-div") == 0 &&
		    dhcp_parse_uint(argv[i + 1], 1, DHCP_TIME_DIV_MAX, &v) == 0)
			time_div = (unsigned)v, i++;
		else {
			usage();
			return 2;
		}
	}
	if (!dc.ifname || strlen(dc.ifname) >= IF_NAMESIZE) {
		usage();
		return 2;
	}
	/* ntp beside resolv.conf: /run/net/ntp, or the test's directory */
	dc.ntp_len = (size_t)-1;
	{
		const char *slash = strrchr(dc.resolv, '/');
		int dl = slash ? (int)(slash - dc.resolv) + 1 : 0;

		if (snprintf(dc.ntp_path, sizeof(dc.ntp_path), "%.*sntp", dl, dc.resolv) >=
		    (int)sizeof(dc.ntp_path))
			dc.ntp_path[0] = 0;
		if (snprintf(dc.lease_path, sizeof(dc.lease_path), "%.*slease", dl, dc.resolv) >=
		    (int)sizeof(dc.lease_path))
			dc.lease_path[0] = 0;
	}
	/* Test only: shorten lease times. Never under PID 1. */
	if (time_div > 1 && (getpid() == 1 || getppid() == 1))
		time_div = 1;
	dc.ifindex = (int)if_nametoindex(dc.ifname);
	if (dc.ifindex == 0) {
		log_warn("dhcp: interface %s", dc.ifname);
		return 1;
	}
	if (nl_link_get(dc.ifindex, &li) < 0 || !li.have_addr) {
		log_warn("dhcp %s: no Ethernet address", dc.ifname);
		return 1;
	}
	memcpy(dc.mac, li.addr, 6);

	dhcp_setup_ipv6();
	dc.nfd = nl_open(NL_GROUP_LINK | NL_GROUP_ND_USEROPT);
	dc.sfd = dhcp_open_signals();
	if (dc.nfd < 0 || dc.sfd < 0) {
		log_warn("dhcp %s: netlink/signalfd", dc.ifname);
		return 1;
	}

	r = dhcp_parse_cmdline_file(cmdline, dc.ifname, &nc, &why);
	if (r < 0)
		log_warnx("dhcp %s: ignoring ip= on the kernel command line: %s; "
		    "using DHCP", dc.ifname, why);
	if (r > 0) {
		if (dhcp_static(&nc) < 0)
			return 1;
	} else {
		dc.pfd = dhcp_open_packet();
		dc.afd = dhcp_open_arp();
		dc.ufd = dhcp_open_udp();
		if (dc.pfd < 0 || dc.afd < 0 || dc.ufd < 0) {
			log_warn("dhcp %s: sockets", dc.ifname);
			return 1;
		}
		if (nl_link_up(dc.ifindex) < 0) {
			log_warn("dhcp %s: link up", dc.ifname);
			return 1;
		}
	}
	if (dhcp_drop_privileges() < 0) {
		log_warn("dhcp %s: dropping privileges", dc.ifname);
		return 1;
	}
	if (r <= 0) {
		if (time_div > 1)
			log_info("dhcp %s: test mode: lease times divided by %u",
			    dc.ifname, time_div);
		/* Events queued while the link came up are history: drop
		 * them, then ask for the state as it is now. */
		while (recv(dc.nfd, &acts, sizeof(acts), MSG_DONTWAIT) >= 0)
			;
		if (nl_addr_get(dc.ifindex, &known, &known_plen) < 0) {
			if (errno != ENOENT)
				log_warn("dhcp %s: get address", dc.ifname);
			known = 0;
		}
		if (nl_link_get(dc.ifindex, &li) == 0)
			dc.carrier = li.carrier;
		if (!dc.carrier)
			log_info("dhcp %s: waiting for carrier", dc.ifname);
		/* RFC 4361 6.1: an IAID that stays the same across restarts
		 * and reboots: the low 32 bits of the Ethernet address. */
		dhcp_sm_init(&dc.sm, dc.mac, (uint32_t)dc.mac[2] << 24 |
		    (uint32_t)dc.mac[3] << 16 | (uint32_t)dc.mac[4] << 8 | dc.mac[5],
		    dhcp_seed(), time_div);
		dhcp_sm_start(&dc.sm, now_ms(), dc.carrier, known, known_plen, &acts);
		dhcp_run_actions(&acts);
	} else {
		dc.sm.state = DHCP_S_STOPPED;
		dc.sm.deadline = DHCP_NEVER;
	}

	for (;;) {
		uint64_t now = now_ms(), next, wait;
		struct signalfd_siginfo si;
		nfds_t n = 0;
		int timeout;

		if (dc.sm.deadline <= now) {
			dhcp_sm_timer(&dc.sm, now, &acts);
			dhcp_run_actions(&acts);
			continue;
		}
		next = dhcp_rdnss_expire(now);
		if (dc.sm.deadline < next)
			next = dc.sm.deadline;
		wait = next == DHCP_NEVER ? (uint64_t)-1 : next - now;
		timeout = wait > 86400000u ? 86400000 : (int)wait;

		pfds[n].fd = dc.sfd; pfds[n++].events = POLLIN;
		pfds[n].fd = dc.nfd; pfds[n++].events = POLLIN;
		if (dc.pfd >= 0) {
			pfds[n].fd = dc.pfd; pfds[n++].events = POLLIN;
			pfds[n].fd = dc.afd; pfds[n++].events = POLLIN;
			pfds[n].fd = dc.ufd; pfds[n++].events = POLLIN;
		}
		if (poll(pfds, n, timeout) < 0) {
			if (errno != EINTR)
				log_warn("dhcp %s: poll", dc.ifname);
			continue;
		}
		if (pfds[0].revents & POLLIN &&
		    read(dc.sfd, &si, sizeof(si)) == sizeof(si)) {
			log_info("dhcp %s: signal %u: stopping", dc.ifname, si.ssi_signo);
			dhcp_sm_stop(&dc.sm, now_ms(), &acts);
			dhcp_run_actions(&acts);
			return 0;
		}
		if (pfds[1].revents & POLLIN)
			dhcp_read_netlink();
		if (n > 2) {
			if (pfds[2].revents & POLLIN)
				dhcp_read_packet();
			if (pfds[3].revents & POLLIN)
				dhcp_read_arp();
			if (pfds[4].revents & POLLIN) {
				uint8_t junk[64];
				(void)!recv(dc.ufd, junk, sizeof(junk), MSG_DONTWAIT);
			}
		}
	}
}

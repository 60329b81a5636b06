/* nl_msg.c - rtnetlink messages in the style of libmnl: requests built in
 * caller buffers, every header and attribute bounds-checked. Pure: no I/O. */
#include "pure/nl_msg.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if.h>
#include <string.h>
#include <sys/socket.h>

#define NL_ALIGN(len)	(((len) + 3u) & ~(size_t)3u)
#define NL_HDRLEN	NL_ALIGN(sizeof(struct nlmsghdr))
#define NL_ATTR_HDRLEN	NL_ALIGN(sizeof(struct nlattr))
#define ND_OPT_RDNSS	25	/* RFC 8106 5.1 (linux/ipv6 has no UAPI name for it) */

/* ---- builders ----------------------------------------------------------- */

struct nlmsghdr *nl_msg_start(void *buf, size_t size, uint16_t type,
    uint16_t flags, uint32_t seq, size_t hdrlen)
{
	struct nlmsghdr *nlh = buf;
	size_t len = NL_HDRLEN + NL_ALIGN(hdrlen);

	if (size < len) {
		errno = EMSGSIZE;
		return NULL;
	}
	memset(buf, 0, len);
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

int nl_attr_put(struct nlmsghdr *nlh, size_t size, uint16_t type,
    const void *data, size_t len)
{
	struct nlattr *a;
	size_t room = NL_ALIGN(NL_ATTR_HDRLEN + len);

	if (len > 0xffff - NL_ATTR_HDRLEN || nlh->nlmsg_len > size ||
	    size - nlh->nlmsg_len < room) {
		errno = EMSGSIZE;
		return -1;
	}
	a = (struct nlattr *)((uint8_t *)nlh + nlh->nlmsg_len);
	memset(a, 0, room);
	a->nla_type = type;
	a->nla_len = (uint16_t)(NL_ATTR_HDRLEN + len);
	memcpy((uint8_t *)a + NL_ATTR_HDRLEN, data, len);
	nlh->nlmsg_len += (uint32_t)room;
	return 0;
}

static void *nl_msg_payload(struct nlmsghdr *nlh)
{
	return (uint8_t *)nlh + NL_HDRLEN;
}

int nl_build_link_set(void *buf, size_t size, uint32_t seq, int ifindex,
    int up, uint32_t mtu)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	nlh = nl_msg_start(buf, size, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK,
	    seq, sizeof(*ifi));
	if (!nlh)
		return -1;
	ifi = nl_msg_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (up) {
		ifi->ifi_flags = IFF_UP;
		ifi->ifi_change = IFF_UP;
	}
	if (mtu && nl_attr_put(nlh, size, IFLA_MTU, &mtu, sizeof(mtu)) < 0)
		return -1;
	return (int)nlh->nlmsg_len;
}

int nl_build_link_get(void *buf, size_t size, uint32_t seq, int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	nlh = nl_msg_start(buf, size, RTM_GETLINK, NLM_F_REQUEST, seq,
	    sizeof(*ifi));
	if (!nlh)
		return -1;
	ifi = nl_msg_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return (int)nlh->nlmsg_len;
}

int nl_build_addr(void *buf, size_t size, uint32_t seq, int add, int ifindex,
    uint32_t addr, unsigned plen, uint32_t brd)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (plen > 32) {
		errno = EINVAL;
		return -1;
	}
	nlh = nl_msg_start(buf, size, add ? RTM_NEWADDR : RTM_DELADDR,
	    NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0),
	    seq, sizeof(*ifa));
	if (!nlh)
		return -1;
	ifa = nl_msg_payload(nlh);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	if (nl_attr_put(nlh, size, IFA_LOCAL, &addr, 4) < 0 ||
	    nl_attr_put(nlh, size, IFA_ADDRESS, &addr, 4) < 0)
		return -1;
	if (add && brd && nl_attr_put(nlh, size, IFA_BROADCAST, &brd, 4) < 0)
		return -1;
	return (int)nlh->nlmsg_len;
}

int nl_build_addr_dump(void *buf, size_t size, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	nlh = nl_msg_start(buf, size, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP,
	    seq, sizeof(*ifa));
	if (!nlh)
		return -1;
	ifa = nl_msg_payload(nlh);
	ifa->ifa_family = AF_INET;
	return (int)nlh->nlmsg_len;
}

int nl_build_route(void *buf, size_t size, uint32_t seq, int add, int ifindex,
    uint32_t dst, unsigned plen, uint32_t gw, int onlink)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	uint32_t oif = (uint32_t)ifindex;

	if (plen > 32) {
		errno = EINVAL;
		return -1;
	}
	nlh = nl_msg_start(buf, size, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0),
	    seq, sizeof(*rtm));
	if (!nlh)
		return -1;
	rtm = nl_msg_payload(nlh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (uint8_t)plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_DHCP;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (gw && onlink)
		rtm->rtm_flags = RTNH_F_ONLINK;
	if (plen && nl_attr_put(nlh, size, RTA_DST, &dst, 4) < 0)
		return -1;
	if (gw && nl_attr_put(nlh, size, RTA_GATEWAY, &gw, 4) < 0)
		return -1;
	if (nl_attr_put(nlh, size, RTA_OIF, &oif, 4) < 0)
		return -1;
	return (int)nlh->nlmsg_len;
}

/* ---- parsers ------------------------------------------------------------ */

const struct nlmsghdr *nl_msg_next(const uint8_t **buf, size_t *len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)*buf;
	size_t step;

	if (*len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
	    nlh->nlmsg_len > *len)
		return NULL;
	step = NL_ALIGN(nlh->nlmsg_len);
	if (step > *len)
		step = *len;
	*buf += step;
	*len -= step;
	return nlh;
}

int nl_parse_ack(const struct nlmsghdr *nlh, uint32_t seq, uint32_t portid)
{
	const struct nlmsgerr *e;

	if (nlh->nlmsg_seq != seq || (portid && nlh->nlmsg_pid != portid))
		return 1;
	if (nlh->nlmsg_type == NLMSG_DONE)
		return 0;
	if (nlh->nlmsg_type != NLMSG_ERROR)
		return 1;
	if (nlh->nlmsg_len < NL_HDRLEN + sizeof(*e)) {
		errno = EBADMSG;
		return -1;
	}
	e = (const struct nlmsgerr *)((const uint8_t *)nlh + NL_HDRLEN);
	if (e->error == 0)
		return 0;
	/* a kernel errno is 1..4095 (MAX_ERRNO); INT_MIN cannot be negated */
	errno = e->error < 0 && e->error > -4096 ? -e->error : EIO;
	return -1;
}

void nl_reply_init(struct nl_reply *st, uint32_t seq, uint32_t portid)
{
	st->seq = seq;
	st->portid = portid;
	st->intr = 0;
}

static int nl_reply_mine(const struct nl_reply *st, const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_seq == st->seq && nlh->nlmsg_pid == st->portid;
}

int nl_reply_feed(struct nl_reply *st, const uint8_t *buf, size_t len,
    int msg_flags, int (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	const struct nlmsghdr *nlh;
	const uint8_t *p = buf;
	size_t rem = len;
	int mine = 0, r;

	/* An answer and an event never share a datagram (one skb each): a
	 * cut one is ours if its first header says so. */
	if (msg_flags & MSG_TRUNC) {
		if (len >= sizeof(*nlh)) {
			nlh = (const struct nlmsghdr *)buf;
			if (nl_reply_mine(st, nlh)) {
				errno = EMSGSIZE;
				return -1;
			}
		}
		return 1;
	}
	while ((nlh = nl_msg_next(&p, &rem)) != NULL) {
		if (!nl_reply_mine(st, nlh))
			continue;	/* an event or a stale answer */
		mine = 1;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			st->intr = 1;
		r = nl_parse_ack(nlh, st->seq, st->portid);
		if (r < 0)
			return -1;
		if (r == 0) {
			if (st->intr) {
				errno = EAGAIN;
				return -1;
			}
			return 0;
		}
		if (cb && cb(nlh, arg) != 0)
			return 0;
	}
	/* A bad header: ours if it says so, or if it follows ours. */
	if (rem >= sizeof(*nlh))
		mine |= nl_reply_mine(st, (const struct nlmsghdr *)p);
	if (rem != 0 && mine) {
		errno = EBADMSG;
		return -1;
	}
	return 1;
}

/* Attribute cursor over [p, p + rem): the next valid attribute or NULL. */
static const struct nlattr *nl_attr_next(const uint8_t **p, size_t *rem)
{
	const struct nlattr *a = (const struct nlattr *)*p;
	size_t step;

	if (*rem < sizeof(*a) || a->nla_len < sizeof(*a) || a->nla_len > *rem)
		return NULL;
	step = NL_ALIGN(a->nla_len);
	if (step > *rem)
		step = *rem;
	*p += step;
	*rem -= step;
	return a;
}

static const void *nl_attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NL_ATTR_HDRLEN;
}

static size_t nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NL_ATTR_HDRLEN;
}

int nl_parse_link(const struct nlmsghdr *nlh, struct nl_link *li)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *a;
	const uint8_t *p;
	size_t rem;

	memset(li, 0, sizeof(*li));
	if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) ||
	    nlh->nlmsg_len < NL_HDRLEN + NL_ALIGN(sizeof(*ifi)))
		goto bad;
	ifi = (const struct ifinfomsg *)((const uint8_t *)nlh + NL_HDRLEN);
	li->ifindex = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	/* Carrier once the kernel reports the link operational (IFF_RUNNING
	 * is set by linkwatch, after the qdisc is attached): before that,
	 * sends fail with ENETDOWN. */
	li->carrier = nlh->nlmsg_type == RTM_NEWLINK &&
	    (ifi->ifi_flags & (IFF_UP | IFF_RUNNING | IFF_LOWER_UP)) ==
	    (IFF_UP | IFF_RUNNING | IFF_LOWER_UP);
	p = (const uint8_t *)ifi + NL_ALIGN(sizeof(*ifi));
	rem = nlh->nlmsg_len - NL_HDRLEN - NL_ALIGN(sizeof(*ifi));
	while ((a = nl_attr_next(&p, &rem)) != NULL) {
		switch (a->nla_type) {
		case IFLA_MTU:
			if (nl_attr_len(a) == 4)
				memcpy(&li->mtu, nl_attr_data(a), 4);
			break;
		case IFLA_ADDRESS:
			if (nl_attr_len(a) == 6) {
				memcpy(li->addr, nl_attr_data(a), 6);
				li->have_addr = 1;
			}
			break;
		case IFLA_IFNAME:
			if (nl_attr_len(a) > 0 && nl_attr_len(a) <= sizeof(li->name)) {
				memcpy(li->name, nl_attr_data(a), nl_attr_len(a));
				li->name[sizeof(li->name) - 1] = 0;
			}
			break;
		}
	}
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

int nl_parse_addr(const struct nlmsghdr *nlh, int *ifindex, uint32_t *addr,
    unsigned *plen)
{
	const struct ifaddrmsg *ifa;
	const struct nlattr *a;
	const uint8_t *p;
	size_t rem;
	int found = 0;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlh->nlmsg_len < NL_HDRLEN + NL_ALIGN(sizeof(*ifa)))
		goto bad;
	ifa = (const struct ifaddrmsg *)((const uint8_t *)nlh + NL_HDRLEN);
	if (ifa->ifa_family != AF_INET || ifa->ifa_prefixlen > 32)
		goto bad;
	p = (const uint8_t *)ifa + NL_ALIGN(sizeof(*ifa));
	rem = nlh->nlmsg_len - NL_HDRLEN - NL_ALIGN(sizeof(*ifa));
	while ((a = nl_attr_next(&p, &rem)) != NULL) {
		if ((a->nla_type == IFA_LOCAL ||
		    (a->nla_type == IFA_ADDRESS && !found)) && nl_attr_len(a) == 4) {
			memcpy(addr, nl_attr_data(a), 4);
			found = 1;
		}
	}
	if (!found)
		goto bad;
	*ifindex = (int)ifa->ifa_index;
	*plen = ifa->ifa_prefixlen;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

int nl_parse_rdnss(const struct nlmsghdr *nlh, struct nl_rdnss *rd)
{
	const struct nduseroptmsg *m;
	const uint8_t *p;
	size_t rem, olen, i;

	memset(rd, 0, sizeof(*rd));
	if (nlh->nlmsg_type != RTM_NEWNDUSEROPT ||
	    nlh->nlmsg_len < NL_HDRLEN + sizeof(*m))
		goto bad;
	m = (const struct nduseroptmsg *)((const uint8_t *)nlh + NL_HDRLEN);
	if (m->nduseropt_family != AF_INET6 ||
	    m->nduseropt_opts_len > nlh->nlmsg_len - NL_HDRLEN - sizeof(*m))
		goto bad;
	rd->ifindex = m->nduseropt_ifindex;
	p = (const uint8_t *)(m + 1);
	rem = m->nduseropt_opts_len;
	while (rem >= 8) {
		olen = (size_t)p[1] * 8;	/* RFC 4861 4.6: units of 8 octets */
		if (olen == 0 || olen > rem)
			goto bad;
		/* RFC 8106 5.1: length 3 + 2 * addresses, so odd and >= 3. */
		if (p[0] == ND_OPT_RDNSS && olen >= 24 && (p[1] & 1)) {
			rd->lifetime = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
			    (uint32_t)p[6] << 8 | p[7];
			for (i = 0; i < (olen - 8) / 16 && i < NL_RDNSS_MAX; i++)
				memcpy(rd->addr[i], p + 8 + 16 * i, 16);
			rd->n = i;
			return 0;
		}
		p += olen;
		rem -= olen;
	}
bad:
	errno = EBADMSG;
	return -1;
}


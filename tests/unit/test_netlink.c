/* test_netlink.c - rtnetlink builders and parsers, no socket involved. */
#include "check.h"
#include "lib/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

/* Find attribute type in the message after a family header of hdrlen. */
static const uint8_t *find_attr(const uint8_t *msg, size_t hdrlen, uint16_t type,
    uint16_t *len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)msg;
	size_t off = 16 + ((hdrlen + 3) & ~(size_t)3);
	uint16_t alen, atype;

	while (off + 4 <= nlh->nlmsg_len) {
		memcpy(&alen, msg + off, 2);
		memcpy(&atype, msg + off + 2, 2);
		if (alen < 4 || off + alen > nlh->nlmsg_len)
			return NULL;
		if (atype == type) {
			*len = (uint16_t)(alen - 4);
			return msg + off + 4;
		}
		off += (alen + 3u) & ~3u;
	}
	return NULL;
}

static void test_build(void)
{
	_Alignas(4) uint8_t buf[NL_REQ_MAX];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	uint32_t a = inet_addr("10.0.2.15"), b = inet_addr("10.0.2.255"), v;
	const uint8_t *p;
	uint16_t len;
	int n;

	n = nl_build_addr(buf, sizeof(buf), 7, 1, 3, a, 24, b);
	CHECK(n > 0 && (size_t)n == nlh->nlmsg_len && n % 4 == 0);
	CHECK(nlh->nlmsg_type == 20 && nlh->nlmsg_seq == 7);	/* RTM_NEWADDR */
	CHECK(nlh->nlmsg_flags & 4);				/* NLM_F_ACK */
	CHECK(buf[16] == AF_INET && buf[17] == 24);
	memcpy(&v, buf + 20, 4);
	CHECK(v == 3);						/* ifa_index */
	p = find_attr(buf, 8, 2, &len);				/* IFA_LOCAL */
	CHECK(p && len == 4 && memcmp(p, &a, 4) == 0);
	p = find_attr(buf, 8, 4, &len);				/* IFA_BROADCAST */
	CHECK(p && len == 4 && memcmp(p, &b, 4) == 0);
	CHECK(nl_build_addr(buf, sizeof(buf), 7, 1, 3, a, 33, 0) < 0);

	n = nl_build_route(buf, sizeof(buf), 8, 1, 3, 0, 0, inet_addr("10.0.2.2"), 0);
	CHECK(n > 0 && nlh->nlmsg_type == 24);
	CHECK(find_attr(buf, 12, 1, &len) == NULL);		/* default: no RTA_DST */
	p = find_attr(buf, 12, 5, &len);			/* RTA_GATEWAY */
	CHECK(p && len == 4);
	p = find_attr(buf, 12, 4, &len);			/* RTA_OIF */
	CHECK(p && len == 4 && memcmp(p, &(uint32_t){ 3 }, 4) == 0);

	n = nl_build_link_set(buf, sizeof(buf), 9, 2, 1, 1400);
	CHECK(n > 0 && nlh->nlmsg_type == 16);
	p = find_attr(buf, 16, 4, &len);			/* IFLA_MTU */
	CHECK(p && len == 4 && memcmp(p, &(uint32_t){ 1400 }, 4) == 0);

	/* every builder refuses a buffer that is too small */
	errno = 0;
	CHECK(nl_build_addr(buf, 30, 1, 1, 3, a, 24, b) < 0 && errno == EMSGSIZE);
	CHECK(nl_build_route(buf, 40, 1, 1, 3, a, 32, a, 1) < 0);
	CHECK(nl_build_link_set(buf, 10, 1, 1, 1, 0) < 0);
	CHECK(nl_msg_start(buf, 15, 1, 0, 1, 0) == NULL);
}

static void test_parse(void)
{
	_Alignas(4) uint8_t buf[256];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	const uint8_t *p;
	size_t rem;
	struct nl_link li;
	struct nl_rdnss rd;
	int32_t err;

	/* an ACK and an error, matched by seq and port */
	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_len = 36;
	nlh->nlmsg_type = 2;		/* NLMSG_ERROR */
	nlh->nlmsg_seq = 5;
	nlh->nlmsg_pid = 99;
	CHECK(nl_parse_ack(nlh, 5, 99) == 0);
	CHECK(nl_parse_ack(nlh, 6, 99) == 1);
	CHECK(nl_parse_ack(nlh, 5, 98) == 1);
	err = -EEXIST;
	memcpy(buf + 16, &err, 4);
	CHECK(nl_parse_ack(nlh, 5, 99) < 0 && errno == EEXIST);
	nlh->nlmsg_len = 18;		/* too short for nlmsgerr */
	CHECK(nl_parse_ack(nlh, 5, 99) < 0);

	/* message walking stops at a bad length */
	nlh->nlmsg_len = 300;
	p = buf;
	rem = 256;
	CHECK(nl_msg_next(&p, &rem) == NULL);
	nlh->nlmsg_len = 8;
	p = buf;
	CHECK(nl_msg_next(&p, &rem) == NULL);

	/* RTM_NEWLINK with flags UP|RUNNING|LOWER_UP, MTU and MAC */
	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = 16;
	buf[20] = 4;			/* ifi_index */
	memcpy(buf + 24, &(uint32_t){ 0x1 | 0x40 | 0x10000 }, 4);
	memcpy(buf + 32, &(uint16_t){ 8 }, 2);
	memcpy(buf + 34, &(uint16_t){ 4 }, 2);	/* IFLA_MTU */
	memcpy(buf + 36, &(uint32_t){ 1500 }, 4);
	memcpy(buf + 40, &(uint16_t){ 10 }, 2);
	memcpy(buf + 42, &(uint16_t){ 1 }, 2);	/* IFLA_ADDRESS */
	memcpy(buf + 44, "\x52\x54\x00\x01\x02\x03", 6);
	nlh->nlmsg_len = 52;
	CHECK(nl_parse_link(nlh, &li) == 0);
	CHECK(li.ifindex == 4 && li.carrier && li.mtu == 1500 && li.have_addr);
	CHECK(li.addr[5] == 3);
	/* an attribute longer than the message is not read */
	memcpy(buf + 40, &(uint16_t){ 200 }, 2);
	CHECK(nl_parse_link(nlh, &li) == 0 && !li.have_addr);
	/* without RUNNING: no carrier yet */
	memcpy(buf + 24, &(uint32_t){ 0x1 | 0x10000 }, 4);
	CHECK(nl_parse_link(nlh, &li) == 0 && !li.carrier);
	nlh->nlmsg_len = 20;
	CHECK(nl_parse_link(nlh, &li) < 0);

	/* RTM_NEWNDUSEROPT with an RDNSS option of two addresses */
	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_type = 68;
	buf[16] = AF_INET6;
	memcpy(buf + 18, &(uint16_t){ 40 }, 2);	/* opts_len */
	buf[20] = 4;				/* ifindex */
	buf[32] = 25; buf[33] = 5;		/* RDNSS, 5 * 8 bytes */
	buf[39] = 60;				/* lifetime 60 s */
	buf[40] = 0x20; buf[41] = 0x01; buf[55] = 1;
	buf[56] = 0x20; buf[57] = 0x01; buf[71] = 2;
	nlh->nlmsg_len = 72;
	CHECK(nl_parse_rdnss(nlh, &rd) == 0);
	CHECK(rd.ifindex == 4 && rd.lifetime == 60 && rd.n == 2);
	CHECK(rd.addr[1][15] == 2);
	/* option length past opts_len: refused */
	buf[33] = 7;
	CHECK(nl_parse_rdnss(nlh, &rd) < 0);
	/* opts_len past the message: refused */
	buf[33] = 5;
	memcpy(buf + 18, &(uint16_t){ 200 }, 2);
	CHECK(nl_parse_rdnss(nlh, &rd) < 0);
}

/* The I/O calls, in a private network namespace when we may make one. */
static void test_io(void)
{
	struct nl_link li;
	uint32_t a = inet_addr("10.77.0.1"), got;
	unsigned plen;
	int lo;

	errno = 0;
	CHECK(nl_link_up_name("minil-no-such-if") < 0 && errno != 0);
	if (getuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		printf("netlink: no private network namespace, I/O tests skipped\n");
		return;
	}
	lo = (int)if_nametoindex("lo");
	CHECK(lo > 0);
	CHECK(nl_link_get(lo, &li) == 0 && !(li.flags & IFF_UP));
	CHECK(nl_link_up_name("lo") == 0);
	CHECK(nl_link_get(lo, &li) == 0 && (li.flags & IFF_UP) && li.ifindex == lo);
	/* the kernel gives lo 127.0.0.1/8 when it comes up */
	CHECK(nl_addr_get(lo, &got, &plen) == 0 && got == inet_addr("127.0.0.1") &&
	    plen == 8);
	CHECK(nl_addr_del(lo, got, plen) == 0);
	CHECK(nl_addr_get(lo, &got, &plen) < 0 && errno == ENOENT);
	CHECK(nl_addr_add(lo, a, 24, inet_addr("10.77.0.255")) == 0);
	CHECK(nl_addr_add(lo, a, 24, inet_addr("10.77.0.255")) == 0);	/* replace */
	CHECK(nl_addr_get(lo, &got, &plen) == 0 && got == a && plen == 24);
	CHECK(nl_route_add(lo, inet_addr("10.78.0.0"), 16, inet_addr("10.77.0.2"), 0) == 0);
	CHECK(nl_route_del(lo, inet_addr("10.78.0.0"), 16, inet_addr("10.77.0.2")) == 0);
	CHECK(nl_route_del(lo, inet_addr("10.78.0.0"), 16, inet_addr("10.77.0.2")) < 0 &&
	    errno == ESRCH);
	CHECK(nl_link_set_mtu(lo, 9000) == 0);
	CHECK(nl_link_get(lo, &li) == 0 && li.mtu == 9000);
	CHECK(nl_addr_del(lo, a, 24) == 0);
	CHECK(nl_addr_del(lo, a, 24) < 0);
}

int main(void)
{
	test_build();
	test_parse();
	test_io();
	return check_done("netlink");
}

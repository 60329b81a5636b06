/* test_netlink.c - rtnetlink builders and parsers, the answer to a request
 * across datagrams, and the I/O calls in a private network namespace
 * (root only: without one these tests fail, they are not skipped). */
#include "check.h"
#include "lib/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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
	err = INT32_MIN;		/* no errno: EIO, not an overflow */
	memcpy(buf + 16, &err, 4);
	CHECK(nl_parse_ack(nlh, 5, 99) < 0 && errno == EIO);
	err = 5;			/* positive: not the kernel's either */
	memcpy(buf + 16, &err, 4);
	CHECK(nl_parse_ack(nlh, 5, 99) < 0 && errno == EIO);
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

/* Append a message of type/flags/seq/pid with plen payload bytes. */
static size_t put_msg(uint8_t *buf, size_t off, uint16_t type, uint16_t flags,
    uint32_t seq, uint32_t pid, size_t plen)
{
	struct nlmsghdr h;

	memset(&h, 0, sizeof(h));
	h.nlmsg_len = (uint32_t)(16 + plen);
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	h.nlmsg_seq = seq;
	h.nlmsg_pid = pid;
	memcpy(buf + off, &h, 16);
	memset(buf + off + 16, 0, plen);
	return off + ((16 + plen + 3) & ~(size_t)3);
}

static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	++*(int *)arg;
	return 0;
}

static int stop_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	++*(int *)arg;
	return 1;
}

/* The answer to a request: matched by seq and port, cut datagrams and
 * interrupted dumps refused, events in between skipped. */
static void test_reply(void)
{
	_Alignas(4) uint8_t buf[512];
	struct nl_reply st;
	int32_t err = -ENODEV;
	size_t n;
	int calls;

	/* an ACK for another request, an event, then ours */
	nl_reply_init(&st, 10, 77);
	n = put_msg(buf, 0, NLMSG_ERROR, 0, 9, 77, 20);
	n = put_msg(buf, n, RTM_NEWLINK, 0, 0, 0, 16);
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == 1);
	n = put_msg(buf, 0, NLMSG_ERROR, 0, 10, 78, 20);	/* other port */
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == 1);
	n = put_msg(buf, 0, NLMSG_ERROR, 0, 10, 77, 20);
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == 0);
	memcpy(buf + 16, &err, 4);
	errno = 0;
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == -1 && errno == ENODEV);

	/* a dump over two datagrams, then DONE */
	nl_reply_init(&st, 11, 77);
	calls = 0;
	n = put_msg(buf, 0, RTM_NEWADDR, NLM_F_MULTI, 11, 77, 24);
	n = put_msg(buf, n, RTM_NEWADDR, NLM_F_MULTI, 11, 77, 24);
	CHECK(nl_reply_feed(&st, buf, n, 0, count_cb, &calls) == 1 && calls == 2);
	n = put_msg(buf, 0, RTM_NEWADDR, NLM_F_MULTI, 11, 77, 24);
	n = put_msg(buf, n, NLMSG_DONE, NLM_F_MULTI, 11, 77, 4);
	CHECK(nl_reply_feed(&st, buf, n, 0, count_cb, &calls) == 0 && calls == 3);
	/* a callback that has what it wants ends the answer */
	calls = 0;
	n = put_msg(buf, 0, RTM_NEWLINK, 0, 11, 77, 16);
	n = put_msg(buf, n, RTM_NEWLINK, 0, 11, 77, 16);
	CHECK(nl_reply_feed(&st, buf, n, 0, stop_cb, &calls) == 0 && calls == 1);

	/* NLM_F_DUMP_INTR on any part: the whole dump is to be asked again */
	nl_reply_init(&st, 12, 77);
	n = put_msg(buf, 0, RTM_NEWADDR, NLM_F_MULTI | NLM_F_DUMP_INTR, 12, 77, 24);
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == 1 && st.intr);
	n = put_msg(buf, 0, NLMSG_DONE, NLM_F_MULTI, 12, 77, 4);
	errno = 0;
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == -1 && errno == EAGAIN);
	nl_reply_init(&st, 12, 77);	/* the flag on DONE alone */
	n = put_msg(buf, 0, NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, 12, 77, 4);
	errno = 0;
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == -1 && errno == EAGAIN);
	/* on an event it means nothing for us */
	nl_reply_init(&st, 12, 77);
	n = put_msg(buf, 0, RTM_NEWADDR, NLM_F_DUMP_INTR, 3, 0, 24);
	n = put_msg(buf, n, NLMSG_DONE, NLM_F_MULTI, 12, 77, 4);
	CHECK(nl_reply_feed(&st, buf, n, 0, NULL, NULL) == 0);

	/* MSG_TRUNC: our answer cut is an error, a cut event is skipped */
	nl_reply_init(&st, 13, 77);
	n = put_msg(buf, 0, RTM_NEWLINK, 0, 13, 77, 400);
	errno = 0;
	CHECK(nl_reply_feed(&st, buf, 64, MSG_TRUNC, NULL, NULL) == -1 &&
	    errno == EMSGSIZE);
	n = put_msg(buf, 0, RTM_NEWLINK, 0, 0, 0, 400);
	CHECK(nl_reply_feed(&st, buf, 64, MSG_TRUNC, NULL, NULL) == 1);
	CHECK(nl_reply_feed(&st, buf, 8, MSG_TRUNC, NULL, NULL) == 1);
	/* without the flag, a message longer than the datagram is malformed */
	n = put_msg(buf, 0, RTM_NEWLINK, 0, 13, 77, 400);
	errno = 0;
	CHECK(nl_reply_feed(&st, buf, 64, 0, NULL, NULL) == -1 && errno == EBADMSG);
	n = put_msg(buf, 0, RTM_NEWLINK, 0, 13, 77, 16);
	memset(buf + n, 0xff, 8);	/* garbage after our message */
	errno = 0;
	CHECK(nl_reply_feed(&st, buf, n + 8, 0, count_cb, &calls) == -1 &&
	    errno == EBADMSG);
	/* garbage that is no header of ours: not our answer */
	memset(buf, 0xff, 32);
	CHECK(nl_reply_feed(&st, buf, 32, 0, NULL, NULL) == 1);
}

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Requests that get no answer, or one too large, end in time. */
static void test_io_limits(int lo)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct timespec t0;
	struct nl_link li;
	char cmd[256];
	double ms;
	int fd, n, i, ok = 1, idx;

	/* RTM_NEWLINK without NLM_F_ACK: on success the kernel says nothing */
	fd = nl_open(0);
	CHECK(fd >= 0);
	n = nl_build_link_set(req, sizeof(req), 4242, lo, 1, 0);
	CHECK(n > 0);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	CHECK(nl_request(fd, req, (size_t)n) == -1 && errno == ETIMEDOUT);
	ms = elapsed_ms(&t0);
	CHECK(ms >= NL_TIMEOUT_MS - 1 && ms < NL_TIMEOUT_MS + 1000);
	/* the same socket still works for a request with an answer */
	n = nl_build_link_set(req, sizeof(req), 4243, lo, 1, 0);
	CHECK(nl_request(fd, req, (size_t)n) == 0);
	/* an event on a socket subscribed to links does not end the wait
	 * early, nor keep it going past the deadline */
	close(fd);
	fd = nl_open(NL_GROUP_LINK);
	CHECK(fd >= 0);
	n = nl_build_link_set(req, sizeof(req), 4244, lo, 0, 1500);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	CHECK(nl_request(fd, req, (size_t)n) == -1 && errno == ETIMEDOUT);
	ms = elapsed_ms(&t0);
	CHECK(ms >= NL_TIMEOUT_MS - 1 && ms < NL_TIMEOUT_MS + 1000);
	close(fd);

	/* An answer larger than NL_RECV_MAX: a link with many alternative
	 * names (RTM_NEWLINK carries them all). Cut: EMSGSIZE, not a wait
	 * for the rest that never comes. */
	if (system("ip link add minil-t0 type veth peer name minil-t1 2>/dev/null") != 0) {
		printf("netlink: cannot add a veth pair (ip link): test not run\n");
		CHECK(0);
		return;
	}
	for (i = 0; i < 80 && ok; i++) {
		snprintf(cmd, sizeof(cmd), "ip link property add dev minil-t0 "
		    "altname a%03d%0120d", i, 0);
		ok = system(cmd) == 0;
	}
	CHECK(ok);
	idx = (int)if_nametoindex("minil-t0");
	CHECK(idx > 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	CHECK(nl_link_get(idx, &li) == -1 && errno == EMSGSIZE);
	CHECK(elapsed_ms(&t0) < NL_TIMEOUT_MS);
	/* a link of ordinary size on the same system is still read */
	CHECK(nl_link_get(lo, &li) == 0 && li.ifindex == lo);
}

/* The I/O calls, in a private network namespace. */
static void test_io(void)
{
	struct nl_link li;
	uint32_t a = inet_addr("10.77.0.1"), got;
	unsigned plen;
	int lo;

	errno = 0;
	CHECK(nl_link_up_name("minil-no-such-if") < 0 && errno != 0);
	if (getuid() != 0 || unshare(CLONE_NEWNET) < 0) {
		/* CI runs as root: there these tests must run */
		printf("netlink: cannot make a private network namespace (%s): "
		    "I/O tests not run; run as root\n",
		    getuid() != 0 ? "not root" : strerror(errno));
		CHECK(0);
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
	test_io_limits(lo);
}

int main(void)
{
	test_build();
	test_parse();
	test_reply();
	/* a request that waits for ever before the deadline existed */
	alarm(30);
	test_io();
	return check_done("netlink");
}

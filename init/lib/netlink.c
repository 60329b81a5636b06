/* netlink.c - rtnetlink I/O: one request at a time, answers matched by
 * sequence number and port id. */
#include "lib/netlink.h"

#include <errno.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- I/O ---------------------------------------------------------------- */

static uint32_t nl_seq;

int nl_open(uint32_t groups_mask)
{
	struct sockaddr_nl sa;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups_mask;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static uint32_t nl_portid(int fd)
{
	struct sockaddr_nl sa;
	socklen_t sl = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &sl) < 0)
		return 0;
	return sa.nl_pid;
}

static uint32_t nl_next_seq(void)
{
	if (nl_seq == 0)
		nl_seq = (uint32_t)time(NULL);
	return ++nl_seq;
}

static int64_t nl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send req; then read until the answer to it, for at most NL_TIMEOUT_MS.
 * For a dump, each message of the answer is handed to cb (when not NULL),
 * which returns 0 to go on. */
static int nl_transact(int fd, void *req, size_t len,
    int (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	struct nlmsghdr *q = req;
	struct sockaddr_nl sa;
	_Alignas(4) uint8_t buf[NL_RECV_MAX];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh;
	struct nl_reply st;
	struct pollfd pfd;
	int64_t deadline;
	ssize_t n;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	nl_reply_init(&st, q->nlmsg_seq, nl_portid(fd));
	deadline = nl_now_ms() + NL_TIMEOUT_MS;
	for (;;) {
		int64_t left = deadline - nl_now_ms();

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &sa;
		mh.msg_namelen = sizeof(sa);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;	/* ENOBUFS: the answer may be lost too */
		}
		if (sa.nl_pid != 0)
			continue;	/* not from the kernel */
		r = nl_reply_feed(&st, buf, (size_t)n, mh.msg_flags, cb, arg);
		if (r <= 0)
			return r;
	}
}

int nl_request(int fd, void *req, size_t len)
{
	return nl_transact(fd, req, len, NULL, NULL);
}

/* Open, send one request, close. */
static int nl_oneshot(void *req, int len,
    int (*cb)(const struct nlmsghdr *, void *), void *arg)
{
	int fd, r, e;

	if (len < 0)
		return -1;
	fd = nl_open(0);
	if (fd < 0)
		return -1;
	r = nl_transact(fd, req, (size_t)len, cb, arg);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

int nl_link_up(int ifindex)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];

	return nl_oneshot(req, nl_build_link_set(req, sizeof(req), nl_next_seq(),
	    ifindex, 1, 0), NULL, NULL);
}

int nl_link_up_name(const char *ifname)
{
	unsigned idx = if_nametoindex(ifname);

	if (idx == 0)
		return -1;
	return nl_link_up((int)idx);
}

int nl_link_set_mtu(int ifindex, uint32_t mtu)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];

	return nl_oneshot(req, nl_build_link_set(req, sizeof(req), nl_next_seq(),
	    ifindex, 0, mtu), NULL, NULL);
}

static int nl_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	return nl_parse_link(nlh, arg) == 0 ? 1 : 0;
}

int nl_link_get(int ifindex, struct nl_link *li)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];

	li->ifindex = 0;
	if (nl_oneshot(req, nl_build_link_get(req, sizeof(req), nl_next_seq(),
	    ifindex), nl_link_cb, li) < 0)
		return -1;
	if (li->ifindex != ifindex) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

struct nl_addr_find {
	int ifindex, found;
	uint32_t addr;
	unsigned plen;
};

static int nl_addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_addr_find *f = arg;
	uint32_t addr;
	unsigned plen;
	int idx;

	if (!f->found && nl_parse_addr(nlh, &idx, &addr, &plen) == 0 &&
	    idx == f->ifindex) {
		f->addr = addr;
		f->plen = plen;
		f->found = 1;
	}
	return 0;	/* read the dump to its end */
}

int nl_addr_get(int ifindex, uint32_t *addr, unsigned *plen)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];
	struct nl_addr_find f;
	int tries, r;

	for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
		memset(&f, 0, sizeof(f));
		f.ifindex = ifindex;
		r = nl_oneshot(req, nl_build_addr_dump(req, sizeof(req),
		    nl_next_seq()), nl_addr_cb, &f);
		if (r == 0 || errno != EAGAIN)
			break;
	}
	if (r < 0)
		return -1;
	if (!f.found) {
		errno = ENOENT;
		return -1;
	}
	*addr = f.addr;
	*plen = f.plen;
	return 0;
}

int nl_addr_add(int ifindex, uint32_t addr, unsigned plen, uint32_t brd)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];

	return nl_oneshot(req, nl_build_addr(req, sizeof(req), nl_next_seq(), 1,
	    ifindex, addr, plen, brd), NULL, NULL);
}

int nl_addr_del(int ifindex, uint32_t addr, unsigned plen)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];

	return nl_oneshot(req, nl_build_addr(req, sizeof(req), nl_next_seq(), 0,
	    ifindex, addr, plen, 0), NULL, NULL);
}

int nl_route_add(int ifindex, uint32_t dst, unsigned plen, uint32_t gw,
    int onlink)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];

	return nl_oneshot(req, nl_build_route(req, sizeof(req), nl_next_seq(), 1,
	    ifindex, dst, plen, gw, onlink), NULL, NULL);
}

int nl_route_del(int ifindex, uint32_t dst, unsigned plen, uint32_t gw)
{
	_Alignas(4) uint8_t req[NL_REQ_MAX];

	return nl_oneshot(req, nl_build_route(req, sizeof(req), nl_next_seq(), 0,
	    ifindex, dst, plen, gw, 0), NULL, NULL);
}

/* fuzz_netlink.c - libFuzzer target: rtnetlink answers and events from
 * arbitrary bytes, through the message walker, every parser, and the
 * matching of an answer to its request. Checks invariants, not only that
 * nothing crashes: every message returned lies inside the input, the
 * cursor always moves on, parsed values stay in their bounds.
 *
 * Input: one byte of flags (bit 0: the datagram was cut, MSG_TRUNC), then
 * the datagram. The request it is matched against has seq 7, port 1234. */
#include "pure/nl_msg.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define FUZZ_SEQ	7
#define FUZZ_PORT	1234

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in_lo, *in_hi;

static void check_inside(const struct nlmsghdr *nlh)
{
	const uint8_t *m = (const uint8_t *)nlh;

	if (m < in_lo || (size_t)(in_hi - m) < sizeof(*nlh) ||
	    nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > (size_t)(in_hi - m))
		__builtin_trap();
}

static void check_parsers(const struct nlmsghdr *nlh)
{
	struct nl_link li;
	struct nl_rdnss rd;
	uint32_t addr;
	unsigned plen;
	int idx, r;

	errno = 0;
	if (nl_parse_link(nlh, &li) == 0) {
		if (!memchr(li.name, 0, sizeof(li.name)) ||
		    (li.carrier != 0 && li.carrier != 1) ||
		    (li.have_addr != 0 && li.have_addr != 1) ||
		    (li.carrier && nlh->nlmsg_type != RTM_NEWLINK))
			__builtin_trap();
	} else if (errno != EBADMSG) {
		__builtin_trap();
	}
	if (nl_parse_addr(nlh, &idx, &addr, &plen) == 0 &&
	    (plen > 32 || nlh->nlmsg_type != RTM_NEWADDR))
		__builtin_trap();
	if (nl_parse_rdnss(nlh, &rd) == 0 && (rd.n < 1 || rd.n > NL_RDNSS_MAX))
		__builtin_trap();
	errno = 0;
	r = nl_parse_ack(nlh, FUZZ_SEQ, FUZZ_PORT);
	if (r < -1 || r > 1 || (r == -1 && errno <= 0))
		__builtin_trap();
	if (r <= 0 && (nlh->nlmsg_seq != FUZZ_SEQ || nlh->nlmsg_pid != FUZZ_PORT))
		__builtin_trap();
}

static int answer_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	check_inside(nlh);
	/* only our answer is handed on, never an ACK, DONE or error */
	if (nlh->nlmsg_seq != FUZZ_SEQ || nlh->nlmsg_pid != FUZZ_PORT ||
	    nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
		__builtin_trap();
	return nlh->nlmsg_type == RTM_NEWLINK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh;
	struct nl_reply st;
	const uint8_t *p, *prev;
	uint8_t *buf;
	size_t len, rem;
	int flags, r;

	if (size < 1 || size > NL_RECV_MAX + 1)
		return 0;
	flags = data[0] & 1 ? MSG_TRUNC : 0;
	len = size - 1;
	/* exactly len bytes on the heap (aligned), so ASan sees overreads */
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	in_lo = buf;
	in_hi = buf + len;

	p = buf;
	rem = len;
	for (;;) {
		prev = p;
		nlh = nl_msg_next(&p, &rem);
		if (p + rem != in_hi)
			__builtin_trap();
		if (!nlh) {
			if (p != prev)
				__builtin_trap();
			break;
		}
		if ((const uint8_t *)nlh != prev || p <= prev ||
		    (size_t)(p - prev) < sizeof(*nlh))
			__builtin_trap();
		check_inside(nlh);
		check_parsers(nlh);
	}

	nl_reply_init(&st, FUZZ_SEQ, FUZZ_PORT);
	errno = 0;
	r = nl_reply_feed(&st, buf, len, flags, answer_cb, NULL);
	if (r < -1 || r > 1 || (r == -1 && errno <= 0) ||
	    (r == -1 && flags && errno != EMSGSIZE) || (flags && r == 0))
		__builtin_trap();
	free(buf);
	return 0;
}

/* dhcp_msg.c - DHCPv4 message build and parse.
 *
 * Parsing is two passes. The first walks the option areas in the order of
 * RFC 2131 4.1 (options, then file, then sname when option 52 says so) and
 * records every option piece (code, offset, length) with a cursor and a
 * remaining count. The second asks for each known option; its pieces are
 * concatenated as RFC 3396 requires, then decoded. Nothing is allocated and
 * no pointer is ever formed past the end of the packet. */
#include "pure/dhcp_msg.h"

#include <errno.h>
#include <string.h>

static const uint8_t dhcp_cookie[4] = { 99, 130, 83, 99 };	/* RFC 2131 3 */

/* Fixed header offsets, RFC 2131 2 figure 1. */
#define OFF_OP		0
#define OFF_HTYPE	1
#define OFF_HLEN	2
#define OFF_XID		4
#define OFF_SECS	8
#define OFF_FLAGS	10
#define OFF_CIADDR	12
#define OFF_YIADDR	16
#define OFF_SIADDR	20
#define OFF_CHADDR	28
#define OFF_SNAME	44
#define OFF_FILE	108
#define OFF_OPTIONS	240
#define SNAME_LEN	64
#define FILE_LEN	128

/* RFC 2132 option codes */
enum {
	OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6,
	OPT_HOSTNAME = 12, OPT_DOMAIN = 15, OPT_MTU = 26, OPT_BROADCAST = 28,
	OPT_NTP = 42, OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_OVERLOAD = 52,
	OPT_MSGTYPE = 53, OPT_SERVER_ID = 54, OPT_PARAMS = 55,
	OPT_MAX_SIZE = 57, OPT_T1 = 58, OPT_T2 = 59, OPT_CLIENT_ID = 61,
	OPT_RAPID_COMMIT = 80,
	OPT_SEARCH = 119, OPT_CLASSLESS = 121, OPT_END = 255
};

static const uint8_t dhcp_params[] = {
	OPT_MASK, OPT_CLASSLESS, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME,
	OPT_DOMAIN, OPT_MTU, OPT_BROADCAST, OPT_NTP, OPT_LEASE, OPT_SERVER_ID,
	OPT_T1, OPT_T2, OPT_SEARCH
};

static void put32(uint8_t *p, uint32_t v)	/* v in host order */
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Addresses stay in network byte order: copy the bytes as they are. */
static void put_addr(uint8_t *p, uint32_t a) { memcpy(p, &a, 4); }
static uint32_t get_addr(const uint8_t *p) { uint32_t a; memcpy(&a, p, 4); return a; }

/* The netmask of a prefix length, in network byte order. */
static uint32_t mask_of(unsigned plen)
{
	uint32_t m = plen ? 0xffffffffu << (32 - plen) : 0;
	uint8_t b[4];

	put32(b, m);
	return get_addr(b);
}

/* ---- building ----------------------------------------------------------- */

struct dhcp_out {
	uint8_t *buf;
	size_t size, len;
	int overflow;
};

static void out_opt(struct dhcp_out *o, uint8_t code, const void *data,
    size_t len)
{
	if (o->overflow || len > 255 || o->size - o->len < len + 2) {
		o->overflow = 1;
		return;
	}
	o->buf[o->len++] = code;
	o->buf[o->len++] = (uint8_t)len;
	memcpy(o->buf + o->len, data, len);
	o->len += len;
}

int dhcp_msg_build(uint8_t *buf, size_t size, const struct dhcp_request *rq)
{
	struct dhcp_out o = { buf, size, OFF_OPTIONS, 0 };
	uint8_t v[4];

	if (size < DHCP_BOOTP_MIN_LEN) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(buf, 0, DHCP_BOOTP_MIN_LEN);
	buf[OFF_OP] = 1;		/* BOOTREQUEST */
	buf[OFF_HTYPE] = 1;		/* Ethernet */
	buf[OFF_HLEN] = 6;
	put32(buf + OFF_XID, rq->xid);
	buf[OFF_SECS] = (uint8_t)(rq->secs >> 8);
	buf[OFF_SECS + 1] = (uint8_t)rq->secs;
	put_addr(buf + OFF_CIADDR, rq->ciaddr);
	memcpy(buf + OFF_CHADDR, rq->chaddr, 6);
	memcpy(buf + DHCP_FIXED_LEN, dhcp_cookie, 4);

	out_opt(&o, OPT_MSGTYPE, &rq->type, 1);
	if (rq->client_id_len && rq->client_id_len <= DHCP_CLIENT_ID_MAX)
		out_opt(&o, OPT_CLIENT_ID, rq->client_id, rq->client_id_len);
	if (rq->requested)
		out_opt(&o, OPT_REQUESTED, &rq->requested, 4);
	if (rq->server_id)
		out_opt(&o, OPT_SERVER_ID, &rq->server_id, 4);
	if (rq->type == DHCPDISCOVER || rq->type == DHCPREQUEST) {
		out_opt(&o, OPT_PARAMS, dhcp_params, sizeof(dhcp_params));
		if (rq->max_size) {
			v[0] = (uint8_t)(rq->max_size >> 8);
			v[1] = (uint8_t)rq->max_size;
			out_opt(&o, OPT_MAX_SIZE, v, 2);
		}
	}
	/* RFC 4039 4: the client asks for the two-message exchange in its
	 * DISCOVER with an empty option 80. */
	if (rq->type == DHCPDISCOVER && rq->rapid_commit)
		out_opt(&o, OPT_RAPID_COMMIT, v, 0);
	if (o.overflow || o.len >= size) {
		errno = EMSGSIZE;
		return -1;
	}
	buf[o.len++] = OPT_END;
	if (o.len < DHCP_BOOTP_MIN_LEN)
		o.len = DHCP_BOOTP_MIN_LEN;	/* already zeroed: PAD */
	return (int)o.len;
}

size_t dhcp_msg_client_id(uint8_t *out, size_t size, uint32_t iaid,
    const uint8_t mac[6])
{
	if (size < 15)
		return 0;
	out[0] = 255;			/* RFC 4361 6.1: type 255 */
	put32(out + 1, iaid);
	out[5] = 0; out[6] = 3;		/* DUID-LL */
	out[7] = 0; out[8] = 1;		/* hardware type Ethernet */
	memcpy(out + 9, mac, 6);
	return 15;
}

/* ---- parsing ------------------------------------------------------------ */

struct dhcp_frag {
	uint16_t off;
	uint8_t code, len;
};

struct dhcp_opts {
	const uint8_t *pkt;
	size_t nfrags;
	struct dhcp_frag frags[DHCP_MAX_FRAGS];
};

/* Record the options of one area [off, off + len). Option 52 is honoured
 * only in the options field: inside file or sname it would point at its own
 * area, so it makes the packet invalid. RFC 2131 4.1: each area ends with
 * END; an area without it is truncated. */
static int opts_scan(struct dhcp_opts *o, size_t off, size_t len, int main_area,
    const char **why)
{
	const uint8_t *p = o->pkt + off;
	size_t rem = len;
	uint8_t code, olen;

	while (rem > 0) {
		code = p[0];
		if (code == OPT_END)
			return 0;
		if (code == OPT_PAD) {
			p++; rem--;
			continue;
		}
		if (rem < 2)
			goto too_short;
		olen = p[1];
		if (rem - 2 < olen) {
			*why = "option length runs past the packet";
			return -1;
		}
		if (code == OPT_OVERLOAD && !main_area) {
			*why = "option overload inside an overloaded field";
			return -1;
		}
		if (o->nfrags == DHCP_MAX_FRAGS) {
			*why = "too many options";
			return -1;
		}
		o->frags[o->nfrags].code = code;
		o->frags[o->nfrags].len = olen;
		o->frags[o->nfrags].off = (uint16_t)(p + 2 - o->pkt);
		o->nfrags++;
		p += 2 + (size_t)olen;
		rem -= 2 + (size_t)olen;
	}
	*why = "options without END";
	return -1;
too_short:
	*why = "truncated option";
	return -1;
}

/* RFC 3396 5: the pieces of one option, concatenated in order. Returns the
 * length, or -1 when absent. */
static int opts_get(const struct dhcp_opts *o, uint8_t code, uint8_t *out,
    size_t size)
{
	size_t i, len = 0;
	int found = 0;

	for (i = 0; i < o->nfrags; i++) {
		if (o->frags[i].code != code)
			continue;
		found = 1;
		if (size - len < o->frags[i].len)
			return -1;	/* cannot happen: size is DHCP_MSG_MAX */
		memcpy(out + len, o->pkt + o->frags[i].off, o->frags[i].len);
		len += o->frags[i].len;
	}
	return found ? (int)len : -1;
}

static int get_u32_opt(const struct dhcp_opts *o, uint8_t code, uint8_t *tmp,
    uint32_t *v, int addr)
{
	if (opts_get(o, code, tmp, DHCP_MSG_MAX) != 4)
		return -1;
	*v = addr ? get_addr(tmp) : get32(tmp);
	return 0;
}

/* A list of addresses; 1 if present and valid, 0 absent, -1 malformed. */
static int get_addr_list(const struct dhcp_opts *o, uint8_t code,
    uint8_t *tmp, uint32_t *out, uint8_t *n, size_t max)
{
	int len = opts_get(o, code, tmp, DHCP_MSG_MAX);
	size_t i;

	*n = 0;
	if (len < 0)
		return 0;
	if (len == 0 || len % 4)
		return -1;
	for (i = 0; i < (size_t)len / 4 && i < max; i++)
		out[i] = get_addr(tmp + 4 * i);
	*n = (uint8_t)i;
	return 1;
}

int dhcp_name_valid(const char *s, size_t len)
{
	size_t i, label = 0;
	char c;

	if (len == 0 || len > DHCP_DOMAIN_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return 0;
		if (c == '-' && label == 0)
			return 0;
		if (++label > 63)
			return 0;
	}
	return s[len - 1] != '-';
}

/* A string option: valid RFC 1123 name, copied with a NUL. Servers may
 * send a trailing NUL (RFC 2132 2 says they should not); it is allowed. */
static int get_name(const struct dhcp_opts *o, uint8_t code, uint8_t *tmp,
    char *out, size_t size)
{
	int len = opts_get(o, code, tmp, DHCP_MSG_MAX);

	if (len < 0)
		return 0;
	while (len > 0 && tmp[len - 1] == 0)
		len--;
	if ((size_t)len >= size || !dhcp_name_valid((const char *)tmp, (size_t)len))
		return -1;
	memcpy(out, tmp, (size_t)len);
	out[len] = 0;
	return 1;
}

/* RFC 3397 2 / RFC 1035 4.1.4: a list of names, compression pointers
 * allowed, only backwards (which bounds the walk). Output is the names
 * separated by spaces, each validated. */
static int decode_search(const uint8_t *p, size_t len, char *out, size_t size)
{
	size_t pos = 0, cur, o = 0, name_start, jumps;
	uint8_t l;

	if (len == 0)
		return -1;
	while (pos < len) {
		cur = pos;
		jumps = 0;
		name_start = o;
		if (o && o < size)
			out[o - 1] = ' ';
		for (;;) {
			if (cur >= len)
				return -1;
			l = p[cur];
			if ((l & 0xc0) == 0xc0) {
				size_t ptr;

				if (cur + 1 >= len)
					return -1;
				ptr = (size_t)(l & 0x3f) << 8 | p[cur + 1];
				if (ptr >= cur || ++jumps > len)
					return -1;
				if (jumps == 1)
					pos = cur + 2;
				cur = ptr;
				continue;
			}
			if (l & 0xc0)
				return -1;
			if (l == 0) {
				if (jumps == 0)
					pos = cur + 1;
				break;
			}
			if (len - cur - 1 < l || size - o < (size_t)l + 2)
				return -1;
			memcpy(out + o, p + cur + 1, l);
			o += l;
			out[o++] = '.';
			cur += 1 + (size_t)l;
		}
		if (o == name_start)
			return -1;	/* the root alone is no search domain */
		out[o - 1] = 0;		/* drop the trailing dot */
		if (!dhcp_name_valid(out + name_start, o - 1 - name_start))
			return -1;
	}
	return 0;
}

/* RFC 3442: width, significant octets of the destination, router. */
static int decode_routes(const uint8_t *p, size_t len, struct dhcp_reply *r)
{
	size_t rem = len, octets;
	uint8_t w, dst[4];
	uint32_t d, m;

	r->nroutes = 0;
	if (len < 5)
		return -1;
	while (rem > 0) {
		w = p[0];
		if (w > 32)
			return -1;
		octets = (w + 7u) / 8u;
		if (rem < 1 + octets + 4)
			return -1;
		memset(dst, 0, sizeof(dst));
		memcpy(dst, p + 1, octets);
		if (r->nroutes < DHCP_MAX_ROUTES) {
			d = get_addr(dst);
			m = mask_of(w);
			r->routes[r->nroutes].dst = d & m;
			r->routes[r->nroutes].plen = w;
			r->routes[r->nroutes].gw = get_addr(p + 1 + octets);
			r->nroutes++;
		}
		p += 1 + octets + 4;
		rem -= 1 + octets + 4;
	}
	return 0;
}

int dhcp_msg_parse(const uint8_t *buf, size_t len, struct dhcp_reply *r,
    const char **why)
{
	static const char *dummy;
	struct dhcp_opts o;
	uint8_t tmp[DHCP_MSG_MAX];
	uint8_t ov = 0;
	int n;

	if (!why)
		why = &dummy;
	memset(r, 0, sizeof(*r));
	if (len > DHCP_MSG_MAX) {
		*why = "oversized message";
		return -1;
	}
	if (len < DHCP_MIN_LEN)
		goto too_short;
	if (memcmp(buf + DHCP_FIXED_LEN, dhcp_cookie, 4) != 0) {
		*why = "bad magic cookie";
		return -1;
	}
	r->op = buf[OFF_OP];
	r->htype = buf[OFF_HTYPE];
	r->hlen = buf[OFF_HLEN];
	if (r->op != 2) {
		*why = "not a BOOTREPLY";
		return -1;
	}
	if (r->htype != 1 || r->hlen != 6) {
		*why = "not Ethernet htype/hlen";
		return -1;
	}
	r->xid = get32(buf + OFF_XID);
	r->ciaddr = get_addr(buf + OFF_CIADDR);
	r->yiaddr = get_addr(buf + OFF_YIADDR);
	r->siaddr = get_addr(buf + OFF_SIADDR);
	memcpy(r->chaddr, buf + OFF_CHADDR, 16);

	o.pkt = buf;
	o.nfrags = 0;
	if (opts_scan(&o, OFF_OPTIONS, len - OFF_OPTIONS, 1, why) < 0)
		return -1;
	/* RFC 2132 9.3 / RFC 2131 4.1: file first, then sname. */
	n = opts_get(&o, OPT_OVERLOAD, tmp, sizeof(tmp));
	if (n >= 0) {
		if (n != 1 || tmp[0] < 1 || tmp[0] > 3) {
			*why = "bad option overload";
			return -1;
		}
		ov = tmp[0];
	}
	if ((ov & 1) && opts_scan(&o, OFF_FILE, FILE_LEN, 0, why) < 0)
		return -1;
	if ((ov & 2) && opts_scan(&o, OFF_SNAME, SNAME_LEN, 0, why) < 0)
		return -1;

	if (opts_get(&o, OPT_MSGTYPE, tmp, sizeof(tmp)) != 1 ||
	    tmp[0] < DHCPDISCOVER || tmp[0] > DHCPINFORM) {
		*why = "missing or bad message type";
		return -1;
	}
	r->type = tmp[0];

#define U32(code, field, bit, addr) do { \
	if (get_u32_opt(&o, code, tmp, &r->field, addr) == 0) \
		r->have |= bit; \
	else if (opts_get(&o, code, tmp, sizeof(tmp)) >= 0) \
		r->ignored |= bit; \
} while (0)
	U32(OPT_MASK, mask, DHCP_HAVE_MASK, 1);
	U32(OPT_BROADCAST, broadcast, DHCP_HAVE_BROADCAST, 1);
	U32(OPT_SERVER_ID, server_id, DHCP_HAVE_SERVER_ID, 1);
	U32(OPT_LEASE, lease, DHCP_HAVE_LEASE, 0);
	U32(OPT_T1, t1, DHCP_HAVE_T1, 0);
	U32(OPT_T2, t2, DHCP_HAVE_T2, 0);
#undef U32
	if (r->have & DHCP_HAVE_MASK) {
		uint32_t m = get32((const uint8_t *)&r->mask);
		if (m & (~m >> 1)) {	/* RFC 950: contiguous */
			r->have &= ~DHCP_HAVE_MASK;
			r->ignored |= DHCP_HAVE_MASK;
		}
	}
	n = opts_get(&o, OPT_MTU, tmp, sizeof(tmp));
	if (n == 2 && (tmp[0] << 8 | tmp[1]) >= 68) {	/* RFC 2132 5.1 */
		r->mtu = (uint16_t)(tmp[0] << 8 | tmp[1]);
		r->have |= DHCP_HAVE_MTU;
	} else if (n >= 0) {
		r->ignored |= DHCP_HAVE_MTU;
	}
	if (get_addr_list(&o, OPT_ROUTER, tmp, r->routers, &r->nrouters,
	    DHCP_MAX_ROUTERS) < 0)
		r->nrouters = 0;
	if (get_addr_list(&o, OPT_DNS, tmp, r->dns, &r->ndns, DHCP_MAX_DNS) < 0)
		r->ndns = 0;
	if (get_addr_list(&o, OPT_NTP, tmp, r->ntp, &r->nntp, DHCP_MAX_NTP) < 0)
		r->nntp = 0;
	n = get_name(&o, OPT_HOSTNAME, tmp, r->hostname, sizeof(r->hostname));
	if (n > 0)
		r->have |= DHCP_HAVE_HOSTNAME;
	else if (n < 0)
		r->ignored |= DHCP_HAVE_HOSTNAME;
	n = get_name(&o, OPT_DOMAIN, tmp, r->domain, sizeof(r->domain));
	if (n > 0)
		r->have |= DHCP_HAVE_DOMAIN;
	else if (n < 0)
		r->ignored |= DHCP_HAVE_DOMAIN;
	n = opts_get(&o, OPT_SEARCH, tmp, sizeof(tmp));
	if (n >= 0) {
		if (decode_search(tmp, (size_t)n, r->search, sizeof(r->search)) == 0) {
			r->have |= DHCP_HAVE_SEARCH;
		} else {
			r->search[0] = 0;
			r->ignored |= DHCP_HAVE_SEARCH;
		}
	}
	n = opts_get(&o, OPT_CLASSLESS, tmp, sizeof(tmp));
	if (n >= 0) {
		if (decode_routes(tmp, (size_t)n, r) == 0) {
			r->have |= DHCP_HAVE_ROUTES;
		} else {
			r->nroutes = 0;
			r->ignored |= DHCP_HAVE_ROUTES;
		}
	}
	/* RFC 4039 4: option 80 has no data. */
	n = opts_get(&o, OPT_RAPID_COMMIT, tmp, sizeof(tmp));
	if (n == 0)
		r->have |= DHCP_HAVE_RAPID_COMMIT;
	else if (n > 0)
		r->ignored |= DHCP_HAVE_RAPID_COMMIT;
	return 0;
too_short:
	*why = "message too short";
	return -1;
}

/* ---- IPv4 + UDP frames -------------------------------------------------- */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t udp_csum(const uint8_t *ip, const uint8_t *udp, size_t ulen)
{
	uint32_t sum = 0;

	sum = csum_add(sum, ip + 12, 8);	/* pseudo header: src, dst */
	sum += 17 + (uint32_t)ulen;
	sum = csum_add(sum, udp, ulen);
	return csum_fold(sum);
}

int dhcp_frame_build(uint8_t *buf, size_t size, size_t len, uint32_t src,
    uint32_t dst, uint16_t sport, uint16_t dport)
{
	uint8_t *ip = buf, *udp = buf + 20;
	size_t total = DHCP_FRAME_HDR_LEN + len;
	uint16_t c;

	if (len > DHCP_MSG_MAX || size < total) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(buf, 0, DHCP_FRAME_HDR_LEN);
	ip[0] = 0x45;				/* IPv4, 20 byte header */
	ip[2] = (uint8_t)(total >> 8); ip[3] = (uint8_t)total;
	ip[8] = 64;				/* TTL */
	ip[9] = 17;				/* UDP */
	put_addr(ip + 12, src);
	put_addr(ip + 16, dst);
	c = csum_fold(csum_add(0, ip, 20));
	ip[10] = (uint8_t)(c >> 8); ip[11] = (uint8_t)c;
	udp[0] = (uint8_t)(sport >> 8); udp[1] = (uint8_t)sport;
	udp[2] = (uint8_t)(dport >> 8); udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)((len + 8) >> 8); udp[5] = (uint8_t)(len + 8);
	c = udp_csum(ip, udp, len + 8);
	if (c == 0)
		c = 0xffff;			/* RFC 768: 0 means none */
	udp[6] = (uint8_t)(c >> 8); udp[7] = (uint8_t)c;
	return (int)total;
}

int dhcp_frame_parse(const uint8_t *buf, size_t len, int verify_udp,
    const uint8_t **payload, size_t *plen, const char **why)
{
	size_t ihl, total, ulen;
	const uint8_t *udp;

	if (len < 20)
		goto too_short;
	if (buf[0] >> 4 != 4) {
		*why = "not IPv4";
		return -1;
	}
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	total = (size_t)buf[2] << 8 | buf[3];
	if (ihl < 20 || total < ihl || total > len)
		goto too_short;
	if (buf[9] != 17) {
		*why = "not UDP";
		return -1;
	}
	if ((buf[6] & 0x3f) || buf[7]) {	/* MF or offset: a fragment */
		*why = "IP fragment";
		return -1;
	}
	if (csum_fold(csum_add(0, buf, ihl)) != 0) {
		*why = "bad IP checksum";
		return -1;
	}
	if (total - ihl < 8)
		goto too_short;
	udp = buf + ihl;
	ulen = (size_t)udp[4] << 8 | udp[5];
	if (ulen < 8 || ulen > total - ihl)
		goto too_short;
	if (((size_t)udp[2] << 8 | udp[3]) != DHCP_CLIENT_PORT) {
		*why = "not to port 68";
		return -1;
	}
	if (verify_udp && (udp[6] | udp[7]) && udp_csum(buf, udp, ulen) != 0) {
		*why = "bad UDP checksum";
		return -1;
	}
	*payload = udp + 8;
	*plen = ulen - 8;
	return 0;
too_short:
	*why = "truncated IP/UDP frame";
	return -1;
}

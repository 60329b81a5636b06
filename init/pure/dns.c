/* dns.c - DNS queries and responses (RFC 1035, RFC 3596); see dns.h.
 *
 * Names are compared in wire form (length-prefixed labels, ASCII letters
 * folded to lower case, RFC 4343), so that a label holding a '.' never
 * equals two labels. */
#include "pure/dns.h"

#include <errno.h>
#include <string.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* NAME in wire form into W (DNS_NAME_MAX): its length, or 0 if it is not
 * a host name (RFC 1123 2.1 letters, digits, '-'; '_' too, seen in use). */
static size_t name_to_wire(const char *name, uint8_t *w)
{
	size_t n = 0, lab = 0, i;

	if (!name[0] || (name[0] == '.' && name[1] == '\0'))
		return 0;
	for (i = 0;; i++) {
		char c = name[i];

		if (c == '.' || c == '\0') {
			if (i == lab) {
				if (c == '\0' && i > 0)	/* the final dot */
					break;
				return 0;	/* an empty label */
			}
			if (i - lab > DNS_LABEL_MAX || n + 1 + (i - lab) + 1 > DNS_NAME_MAX)
				return 0;
			w[n++] = (uint8_t)(i - lab);
			for (; lab < i; lab++)
				w[n++] = lower((uint8_t)name[lab]);
			lab = i + 1;
			if (c == '\0')
				break;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	w[n++] = 0;
	return n;
}

int dns_build_query(uint8_t *buf, size_t len, uint16_t id, const char *name, uint16_t type)
{
	uint8_t w[DNS_NAME_MAX];
	size_t wl = name_to_wire(name, w);

	if (wl == 0 || (type != DNS_TYPE_A && type != DNS_TYPE_AAAA)) {
		errno = EINVAL;
		return -1;
	}
	if (len < DNS_HDR_LEN + wl + 4) {
		errno = ENOBUFS;
		return -1;
	}
	/* RFC 1035 4.1.1: ID, RD (recursion desired), QDCOUNT 1 */
	memset(buf, 0, DNS_HDR_LEN);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01;
	buf[5] = 1;
	memcpy(buf + DNS_HDR_LEN, w, wl);
	/* RFC 1035 4.1.2: QTYPE, QCLASS */
	buf[DNS_HDR_LEN + wl] = (uint8_t)(type >> 8);
	buf[DNS_HDR_LEN + wl + 1] = (uint8_t)type;
	buf[DNS_HDR_LEN + wl + 2] = 0;
	buf[DNS_HDR_LEN + wl + 3] = DNS_CLASS_IN;
	return (int)(DNS_HDR_LEN + wl + 4);
}

/* The name at *OFF in wire form into W (DNS_NAME_MAX bytes), following
 * pointers; *OFF moves past the name where it starts. 0, or -1 with WHY. */
static int read_name(const uint8_t *m, size_t len, size_t *off, uint8_t *w, size_t *wl,
		     const char **why)
{
	size_t p = *off, n = 0, end = 0, t, i;
	int hops = 0;
	uint8_t c;

	for (;;) {
		if (p >= len)
			goto too_short;
		c = m[p];
		if ((c & 0xc0) == 0xc0) {	/* RFC 1035 4.1.4 */
			if (len - p < 2)
				goto too_short;
			t = (size_t)(c & 0x3f) << 8 | m[p + 1];
			if (!hops)
				end = p + 2;
			if (t >= p || t < DNS_HDR_LEN) {
				*why = "compression pointer not backwards";
				return -1;
			}
			if (++hops > DNS_PTR_HOPS_MAX) {
				*why = "too many compression pointers";
				return -1;
			}
			p = t;
			continue;
		}
		if (c & 0xc0) {	/* 01, 10: RFC 6891 6.2 extended label types, unused */
			*why = "unknown label type";
			return -1;
		}
		if (len - p - 1 < c)
			goto too_short;
		if (n + 1 + c > DNS_NAME_MAX) {
			*why = "name longer than 255 bytes";
			return -1;
		}
		w[n++] = c;
		for (i = 0; i < c; i++)
			w[n++] = lower(m[p + 1 + i]);
		p += 1 + (size_t)c;
		if (c == 0)
			break;
	}
	*off = hops ? end : p;
	*wl = n;
	return 0;
too_short:
	*why = "name past the end of the message";
	return -1;
}

struct rr {
	uint8_t name[DNS_NAME_MAX];
	size_t namelen;
	uint16_t type, class;
	uint32_t ttl;
	size_t rdata, rdlen;	/* offset and length in the message */
};

/* One resource record at *OFF (RFC 1035 4.1.3); *OFF moves past it. */
static int read_rr(const uint8_t *m, size_t len, size_t *off, struct rr *r, const char **why)
{
	size_t p = *off;

	if (read_name(m, len, &p, r->name, &r->namelen, why) < 0)
		return -1;
	if (len - p < 10)
		goto too_short;
	r->type = get16(m + p);
	r->class = get16(m + p + 2);
	r->ttl = (uint32_t)get16(m + p + 4) << 16 | get16(m + p + 6);
	/* RFC 2181 8: a TTL with the top bit set is taken as 0 */
	if (r->ttl & 0x80000000u)
		r->ttl = 0;
	r->rdlen = get16(m + p + 8);
	p += 10;
	if (len - p < r->rdlen)
		goto too_short;
	r->rdata = p;
	*off = p + r->rdlen;
	return 0;
too_short:
	*why = "record past the end of the message";
	return -1;
}

int dns_parse_response(const uint8_t *m, size_t len, uint16_t id, const char *name,
		       uint16_t type, struct dns_addr *out, size_t max, int *rcode,
		       const char **why)
{
	uint8_t want[DNS_NAME_MAX], qn[DNS_NAME_MAX], target[DNS_NAME_MAX];
	size_t wantlen, qnlen, tlen, p, ans, alen = type == DNS_TYPE_AAAA ? 16 : 4;
	unsigned qd, an, i, links = 0;
	uint32_t ttl_min = 0xffffffffu;
	struct rr r;
	int found, n = 0;

	*rcode = -1;
	*why = "bad query";
	wantlen = name_to_wire(name, want);
	if (wantlen == 0 || (type != DNS_TYPE_A && type != DNS_TYPE_AAAA))
		return -1;
	if (len < DNS_HDR_LEN) {
		*why = "shorter than a header";
		return -1;
	}
	/* RFC 1035 4.1.1; RFC 5452 9.1: the id, then the question */
	if (get16(m) != id) {
		*why = "not our id";
		return -1;
	}
	if (!(m[2] & 0x80) || (m[2] >> 3 & 0x0f) != 0) {
		*why = "not a response to a standard query";
		return -1;
	}
	*rcode = m[3] & 0x0f;
	if (m[2] & 0x02) {
		*why = "truncated (TC)";
		return -1;
	}
	if (*rcode != 0) {
		*why = *rcode == DNS_RCODE_NXDOMAIN ? "no such name (NXDOMAIN)" :
		       *rcode == 2 ? "server failure (SERVFAIL)" :
		       *rcode == 5 ? "refused (REFUSED)" : "error response code";
		return -1;
	}
	qd = get16(m + 4);
	an = get16(m + 6);
	if (qd != 1) {
		*why = "not one question";
		return -1;
	}
	p = DNS_HDR_LEN;
	if (read_name(m, len, &p, qn, &qnlen, why) < 0)
		return -1;
	if (len - p < 4) {
		*why = "question past the end of the message";
		return -1;
	}
	if (qnlen != wantlen || memcmp(qn, want, wantlen) != 0 || get16(m + p) != type ||
	    get16(m + p + 2) != DNS_CLASS_IN) {
		*why = "not our question";
		return -1;
	}
	ans = p + 4;

	/* The CNAME chain from our name (RFC 1034 3.6.2), in any order. */
	memcpy(target, want, wantlen);
	tlen = wantlen;
	do {
		found = 0;
		for (p = ans, i = 0; i < an; i++) {
			if (read_rr(m, len, &p, &r, why) < 0)
				return -1;
			if (r.type != DNS_TYPE_CNAME || r.class != DNS_CLASS_IN ||
			    r.namelen != tlen || memcmp(r.name, target, tlen) != 0)
				continue;
			if (++links > DNS_CNAME_MAX) {
				*why = "CNAME chain too long (or a loop)";
				return -1;
			}
			/* the target's own bytes must lie within the rdata */
			{
				size_t q = r.rdata;

				if (read_name(m, r.rdata + r.rdlen, &q, target, &tlen, why) < 0 ||
				    q != r.rdata + r.rdlen) {
					*why = "bad CNAME record";
					return -1;
				}
			}
			if (r.ttl < ttl_min)
				ttl_min = r.ttl;
			found = 1;
			break;
		}
	} while (found);

	for (p = ans, i = 0; i < an; i++) {
		if (read_rr(m, len, &p, &r, why) < 0)
			return -1;
		if (r.type != type || r.class != DNS_CLASS_IN || r.namelen != tlen ||
		    memcmp(r.name, target, tlen) != 0)
			continue;
		if (r.rdlen != alen) {
			*why = "address of the wrong length";
			return -1;
		}
		if ((size_t)n == max)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].len = (uint8_t)alen;
		memcpy(out[n].addr, m + r.rdata, alen);
		out[n].ttl = r.ttl < ttl_min ? r.ttl : ttl_min;
		n++;
	}
	*why = n ? "ok" : "no address of that type";
	return n;
}

/* sntp.c - SNTP client packets (RFC 4330, RFC 5905 client mode).
 *
 * The reply is read with a cursor and a remaining count; anything past the
 * 48-byte header (extension fields, a MAC) is ignored, never read. The
 * checks, in the order RFC 4330 5 lists them, and RFC 5905 8's origin
 * check against spoofed and stale replies:
 *   mode 4 (server), version 3 or 4, leap indicator not 3 (alarm),
 *   stratum 0 is a kiss-o'-death, above 15 unsynchronised,
 *   origin timestamp = our request's transmit timestamp,
 *   receive and transmit timestamps non-zero. */
#include "pure/sntp.h"

#include <string.h>

int sntp_build_request(uint8_t *buf, size_t len, uint64_t xmt)
{
	int i;

	if (len < SNTP_PKT_LEN)
		return -1;
	memset(buf, 0, SNTP_PKT_LEN);
	/* RFC 4330 5: LI 0, VN 4, mode 3; every other field may be zero.
	 * RFC 5905 7.3: the transmit timestamp at offset 40. */
	buf[0] = 0 << 6 | SNTP_VERSION << 3 | SNTP_MODE_CLIENT;
	for (i = 0; i < 8; i++)
		buf[40 + i] = (uint8_t)(xmt >> (56 - 8 * i));
	return SNTP_PKT_LEN;
}

static uint32_t get32(const uint8_t **p, size_t *rem)
{
	const uint8_t *b = *p;

	/* Callers checked *rem >= 4 for the whole header at once. */
	*p += 4;
	*rem -= 4;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t get64(const uint8_t **p, size_t *rem)
{
	uint64_t hi = get32(p, rem);

	return hi << 32 | get32(p, rem);
}

enum sntp_verdict sntp_check_reply(const uint8_t *buf, size_t len, uint64_t sent,
				   struct sntp_reply *r, enum sntp_kiss *kiss,
				   const char **why)
{
	const uint8_t *p = buf;
	size_t rem = len;
	uint32_t w;

	memset(r, 0, sizeof(*r));
	*kiss = SNTP_KISS_OTHER;
	if (rem < SNTP_PKT_LEN)
		goto too_short;
	w = get32(&p, &rem);
	r->li = w >> 30;
	r->vn = w >> 27 & 7;
	r->mode = w >> 24 & 7;
	r->stratum = w >> 16 & 0xff;
	r->poll = (int8_t)(w >> 8 & 0xff);
	r->precision = (int8_t)(w & 0xff);
	r->root_delay = get32(&p, &rem);
	r->root_disp = get32(&p, &rem);
	memcpy(r->refid, p, 4);
	(void)get32(&p, &rem);
	r->ref = get64(&p, &rem);
	r->org = get64(&p, &rem);
	r->rec = get64(&p, &rem);
	r->xmt = get64(&p, &rem);

	/* RFC 5905 8: a reply whose origin is not our request's transmit
	 * timestamp is bogus (spoofed, or an old answer to an old request);
	 * checked first, so that nothing else in a forged packet, a kiss
	 * code least of all, is believed. */
	if (r->org != sent || sent == 0) {
		*why = "origin timestamp does not match the request (spoofed or stale)";
		return SNTP_BAD;
	}
	if (r->mode != SNTP_MODE_SERVER) {
		*why = "not a server reply (mode is not 4)";
		return SNTP_BAD;
	}
	if (r->vn < 3 || r->vn > SNTP_VERSION) {
		*why = "unsupported NTP version";
		return SNTP_BAD;
	}
	if (r->stratum == 0) {
		/* RFC 5905 7.4: the kiss code is four ASCII letters in refid. */
		if (memcmp(r->refid, "RATE", 4) == 0)
			*kiss = SNTP_KISS_RATE;
		else if (memcmp(r->refid, "DENY", 4) == 0 || memcmp(r->refid, "RSTR", 4) == 0)
			*kiss = SNTP_KISS_DENY;
		*why = "kiss-o'-death (stratum 0)";
		return SNTP_KOD;
	}
	if (r->stratum > SNTP_MAX_STRATUM) {
		*why = "server not synchronised (stratum above 15)";
		return SNTP_BAD;
	}
	if (r->li == SNTP_LI_ALARM) {
		*why = "server not synchronised (leap indicator 3)";
		return SNTP_BAD;
	}
	if (r->xmt == 0) {
		*why = "zero transmit timestamp";
		return SNTP_BAD;
	}
	if (r->rec == 0) {
		*why = "zero receive timestamp";
		return SNTP_BAD;
	}
	*why = "";
	return SNTP_OK;
too_short:
	*why = "too short for an NTP header (48 bytes)";
	return SNTP_BAD;
}

int64_t sntp_fixed_to_ns(int64_t d)
{
	/* Magnitude in unsigned arithmetic: no overflow even for INT64_MIN;
	 * 2^31 seconds times 10^9 fits in 63 bits. */
	uint64_t u = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
	uint64_t ns = (u >> 32) * 1000000000u + ((u & 0xffffffffu) * 1000000000u >> 32);

	return d < 0 ? -(int64_t)ns : (int64_t)ns;
}

void sntp_offset(const struct sntp_reply *r, uint64_t t1, uint64_t t4,
		 int64_t *offset_ns, int64_t *delay_ns)
{
	/* Differences modulo 2^64, read as signed (RFC 5905 6); each halved
	 * before the sum, so that the sum cannot overflow. */
	int64_t a = (int64_t)(r->rec - t1), b = (int64_t)(r->xmt - t4);
	int64_t d = (int64_t)((t4 - t1) - (r->xmt - r->rec));

	*offset_ns = sntp_fixed_to_ns(a / 2) + sntp_fixed_to_ns(b / 2);
	*delay_ns = sntp_fixed_to_ns(d);
}

uint64_t sntp_from_unix(int64_t sec, long nsec)
{
	uint64_t s = (uint64_t)sec + SNTP_UNIX_OFFSET;
	uint64_t frac = ((uint64_t)nsec << 32) / 1000000000u;

	return (s & 0xffffffffu) << 32 | (frac & 0xffffffffu);
}

void sntp_to_unix(uint64_t ts, int64_t *sec, long *nsec)
{
	uint64_t s = ts >> 32;

	/* RFC 4330 3: a clear top bit means era 1 (2036-2104). */
	if (!(s & 0x80000000u))
		s += 0x100000000u;
	*sec = (int64_t)s - SNTP_UNIX_OFFSET;
	*nsec = (long)(((ts & 0xffffffffu) * 1000000000u) >> 32);
}

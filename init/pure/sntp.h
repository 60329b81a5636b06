/* sntp.h - SNTP client packets (RFC 4330; RFC 5905 client mode): build a
 * request, check a reply against it, compute offset and delay. Pure: no
 * I/O, no clock; every time is passed in as a 64-bit NTP timestamp
 * (RFC 5905 6: seconds since 1900 in the high 32 bits, fraction in the
 * low 32). */
#ifndef MINILINUX_SNTP_H
#define MINILINUX_SNTP_H

#include <stddef.h>
#include <stdint.h>

#define SNTP_PKT_LEN      48	/* RFC 5905 7.3: the header without extensions */
#define SNTP_PORT         123
#define SNTP_VERSION      4
#define SNTP_MODE_CLIENT  3
#define SNTP_MODE_SERVER  4
#define SNTP_MAX_STRATUM  15	/* RFC 5905 7.3: 16 means unsynchronised */
#define SNTP_LI_ALARM     3	/* RFC 5905 7.3: clock not synchronised */
/* RFC 5905 6: the NTP era starts in 1900, Unix time in 1970. */
#define SNTP_UNIX_OFFSET  2208988800u

/* Why a reply is refused; SNTP_KOD is a kiss-o'-death (RFC 5905 7.4). */
enum sntp_verdict { SNTP_OK = 0, SNTP_BAD = -1, SNTP_KOD = 1 };

/* What a kiss-o'-death asks of us (RFC 5905 7.4, RFC 4330 8). */
enum sntp_kiss {
	SNTP_KISS_OTHER,	/* an unknown code: not an answer, try again later */
	SNTP_KISS_RATE,		/* poll less often */
	SNTP_KISS_DENY,		/* DENY or RSTR: never ask this server again */
};

struct sntp_reply {
	unsigned li, vn, mode, stratum;
	int poll, precision;
	uint32_t root_delay, root_disp;	/* 16.16 seconds */
	uint8_t refid[4];
	uint64_t ref, org, rec, xmt;
};

/* A client request whose transmit timestamp is XMT (the caller's choice:
 * RFC 5905 8 matches the reply's origin timestamp against it, so a
 * random value makes blind spoofing hard and tells nothing of our clock).
 * Writes SNTP_PKT_LEN bytes; returns that, or -1 if LEN is too small. */
int sntp_build_request(uint8_t *buf, size_t len, uint64_t xmt);

/* Check a reply to the request sent with transmit timestamp SENT
 * (RFC 4330 5, RFC 5905 8): SNTP_OK, SNTP_KOD (stratum 0; R->refid holds
 * the code, KISS what it asks) or SNTP_BAD, with WHY set for both. R is
 * filled as far as the packet was read. */
enum sntp_verdict sntp_check_reply(const uint8_t *buf, size_t len, uint64_t sent,
				   struct sntp_reply *r, enum sntp_kiss *kiss,
				   const char **why);

/* RFC 5905 8 (RFC 4330 5): with T1 our send time, T2 the server's
 * receive, T3 its transmit and T4 our receive time,
 *   offset = ((T2 - T1) + (T3 - T4)) / 2,  delay = (T4 - T1) - (T3 - T2),
 * in nanoseconds. The differences are taken modulo 2^64, so that the
 * result is right across NTP eras as long as the clocks are within 68
 * years of each other (RFC 5905 6). */
void sntp_offset(const struct sntp_reply *r, uint64_t t1, uint64_t t4,
		 int64_t *offset_ns, int64_t *delay_ns);

/* Unix time (seconds, nanoseconds) to an NTP timestamp and back; the era
 * is the one nearest to 1968-2104 that Unix time in 64 bits gives. */
uint64_t sntp_from_unix(int64_t sec, long nsec);
void sntp_to_unix(uint64_t ts, int64_t *sec, long *nsec);
/* A signed 32.32 fixed-point difference in nanoseconds. */
int64_t sntp_fixed_to_ns(int64_t d);

#endif

/* fuzz_sntp.c - libFuzzer target: arbitrary replies checked against a
 * request. The first 8 bytes are the request's transmit timestamp, the
 * rest the reply. Invariants: an accepted reply has mode 4, version 3-4,
 * stratum 1-15, LI not 3, the origin of the request and non-zero
 * timestamps; a kiss has stratum 0 and the right origin; every verdict
 * has a reason; the offset of an accepted reply is computed without
 * overflow (UBSan) and the delay is within the 2^31 s range. */
#include "pure/sntp.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sntp_reply r;
	enum sntp_kiss kiss;
	const char *why = NULL;
	enum sntp_verdict v;
	uint64_t sent = 0, t1, t4;
	int64_t off, delay;
	uint8_t req[SNTP_PKT_LEN];
	size_t i;

	if (size < 8)
		return 0;
	for (i = 0; i < 8; i++)
		sent = sent << 8 | data[i];
	data += 8;
	size -= 8;
	if (sntp_build_request(req, sizeof(req), sent) != SNTP_PKT_LEN || req[0] != 0x23)
		__builtin_trap();
	v = sntp_check_reply(data, size, sent, &r, &kiss, &why);
	if (!why)
		__builtin_trap();
	if (v != SNTP_BAD && (size < SNTP_PKT_LEN || r.org != sent || sent == 0))
		__builtin_trap();
	if (v == SNTP_KOD && r.stratum != 0)
		__builtin_trap();
	if (v == SNTP_OK) {
		if (r.mode != 4 || r.vn < 3 || r.vn > 4 || r.stratum < 1 || r.stratum > 15 ||
		    r.li == 3 || r.xmt == 0 || r.rec == 0)
			__builtin_trap();
		t1 = sent ^ r.xmt;
		t4 = t1 + (r.xmt >> 40);
		sntp_offset(&r, t1, t4, &off, &delay);
		if (delay > (1LL << 32) * 1000000000LL / 2 || delay < -(1LL << 32) * 1000000000LL / 2)
			__builtin_trap();
	}
	if (v != SNTP_KOD && kiss != SNTP_KISS_OTHER)
		__builtin_trap();
	return 0;
}

/* fortify.c - the checked copies that Debian's libbearssl.a calls.
 *
 * Debian builds BearSSL with glibc's _FORTIFY_SOURCE, so its objects call
 * __memcpy_chk, __memmove_chk and __memset_chk, which musl does not have.
 * Each does what glibc's does: the operation, unless the length exceeds
 * the destination's known size, which is a memory-safety bug and ends the
 * process at once (a role: PID 1 restarts it). On glibc, glibc's own. */
#include <features.h>

#ifndef __GLIBC__
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void *__memcpy_chk(void *dst, const void *src, size_t len, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t len, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t len, size_t dstlen);

void *__memcpy_chk(void *dst, const void *src, size_t len, size_t dstlen)
{
	if (len > dstlen)
		abort();
	return memcpy(dst, src, len);
}

void *__memmove_chk(void *dst, const void *src, size_t len, size_t dstlen)
{
	if (len > dstlen)
		abort();
	return memmove(dst, src, len);
}

void *__memset_chk(void *dst, int c, size_t len, size_t dstlen)
{
	if (len > dstlen)
		abort();
	return memset(dst, c, len);
}
#endif

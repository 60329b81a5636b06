/* Unit tests: /init's own vsnprintf (init/fmt.c) against the C library's,
 * for every directive /init uses and then some. */
#define FMT_TEST
#include "../../init/lib/fmt.c"

#include "check.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* -Wformat checks both sides; the format strings here are literals. */
#define SAME(...) do { \
	char a[128], b[128]; \
	int na = fmt_snprintf(a, sizeof(a), __VA_ARGS__); \
	int nb = snprintf(b, sizeof(b), __VA_ARGS__); \
	CHECK(na == nb && strcmp(a, b) == 0); \
	if (na != nb || strcmp(a, b) != 0) \
		fprintf(stderr, "  ours '%s' (%d), libc '%s' (%d)\n", a, na, b, nb); \
} while (0)

int main(void)
{
	char small[8];
	int n;

	SAME("plain text");
	SAME("%s|%5s|%-5s|%.2s|%.*s|", "abc", "ab", "ab", "abcdef", 3, "abcdef");
	SAME("%d %d %d %i", 0, -1, INT_MAX, INT_MIN);
	SAME("%u %u", 0u, UINT_MAX);
	SAME("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
	SAME("%zu %zd", (size_t)123456, (ssize_t)-5);
	SAME("%x %X %02x %08x %o", 0xbeefu, 0xbeefu, 5u, 0x1234u, 8u);
	SAME("%5d|%-5d|%05d|%05d|%.3d|%8.3d", 42, 42, 42, -42, 7, -7);
	SAME("%*d|%-*d|", 6, 1, 6, 1);
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("100%% sure");
	SAME("%hhu %hu", 300, 70000);
	SAME("%s", "");
	SAME("%.0d|", 0);

	/* Truncation: NUL-terminated, returns the full length. */
	n = fmt_snprintf(small, sizeof(small), "%s", "0123456789");
	CHECK(n == 10 && strcmp(small, "0123456") == 0);
	n = fmt_snprintf(small, 0, "%d", 12345);
	CHECK(n == 5);
	n = fmt_snprintf(small, 1, "abc");
	CHECK(n == 3 && small[0] == '\0');
	return check_done("fmt");
}

/* Unit tests: /init's own vsnprintf (init/lib/fmt.c, built here as
 * fmt_snprintf) against glibc's snprintf: every combination of flags,
 * width, precision, length and conversion that fmt.c claims, over values
 * at the edges of each type, each also into buffers too small for it. */
#define FMT_TEST
#include "../../init/lib/fmt.c"

#include "check.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

static int compared, differed;

/* Compare one formatted result: full buffer and truncated ones. */
#define SAME(...) do { \
	char a_[256], b_[256]; \
	size_t sizes_[] = { sizeof(a_), 0, 1, 2, 5 }; \
	size_t k_; \
	for (k_ = 0; k_ < sizeof(sizes_) / sizeof(sizes_[0]); k_++) { \
		int na_, nb_; \
		memset(a_, 'A', sizeof(a_)); \
		memset(b_, 'A', sizeof(b_)); \
		na_ = fmt_snprintf(a_, sizes_[k_], __VA_ARGS__); \
		nb_ = snprintf(b_, sizes_[k_], __VA_ARGS__); \
		compared++; \
		if (na_ != nb_ || memcmp(a_, b_, sizeof(a_)) != 0) { \
			if (differed++ < 20) \
				fprintf(stderr, "  size %zu: ours '%.*s' (%d), glibc '%.*s' (%d)\n", \
					sizes_[k_], na_ > 0 ? na_ : 0, a_, na_, \
					nb_ > 0 ? nb_ : 0, b_, nb_); \
		} \
	} \
} while (0)

static const char *const flag_sets[] = {
	"", "-", "0", "+", " ", "#", "-0", "-+", "- ", "+ ", "0+", "0 ", "0#",
	"-#", "-+#", "-0+ #",
};
static const char *const widths[] = { "", "1", "5", "12", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".12", ".*" };
static const int star_values[] = { 7, -7, 0 };

static const long long signed_values[] = {
	0, 1, -1, 42, -42, 127, 128, -128, -129, 200, 255, 256, 300, -300,
	32767, 32768, -32768, 65535, 70000, -70000, INT_MAX, INT_MIN,
	(long long)INT_MAX + 1, LLONG_MAX, LLONG_MIN,
};

/* One integer directive over every value, passed as its length's type. */
static void check_int(const char *fmt, const char *len, int stars, int star)
{
	size_t i;

	for (i = 0; i < sizeof(signed_values) / sizeof(signed_values[0]); i++) {
		long long v = signed_values[i];

#define PASS(T) do { \
		if (stars == 0) SAME(fmt, (T)v); \
		else if (stars == 1) SAME(fmt, star, (T)v); \
		else SAME(fmt, star, star, (T)v); \
	} while (0)
		if (strcmp(len, "l") == 0)
			PASS(long);
		else if (strcmp(len, "ll") == 0)
			PASS(long long);
		else if (strcmp(len, "j") == 0)
			PASS(intmax_t);
		else if (strcmp(len, "z") == 0)
			PASS(ssize_t);
		else if (strcmp(len, "t") == 0)
			PASS(ptrdiff_t);
		else
			PASS(int);	/* hh and h are passed as int (promoted) */
#undef PASS
	}
}

static void check_ints(void)
{
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "j", "z", "t" };
	static const char convs[] = "diouxX";
	char fmt[32];
	size_t f, w, p, l, c, s;

	for (f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (p = 0; p < sizeof(precs) / sizeof(precs[0]); p++)
				for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
					for (c = 0; convs[c]; c++) {
						int stars = (widths[w][0] == '*') + (strchr(precs[p], '*') != NULL);

						/* # with d, i, u is undefined (C11 7.21.6.1 6). */
						if (strchr(flag_sets[f], '#') && strchr("diu", convs[c]))
							continue;
						snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flag_sets[f],
							 widths[w], precs[p], lens[l], convs[c]);
						for (s = 0; s < (stars ? 3 : 1); s++)
							check_int(fmt, lens[l], stars, star_values[s]);
					}
}

static void check_strings(void)
{
	static const char *const strs[] = { "", "a", "abc", "abcdef", "a longer string" };
	static const char *const sflags[] = { "", "-" };
	char fmt[32];
	size_t f, w, p, i, s;

	for (f = 0; f < 2; f++)
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (p = 0; p < sizeof(precs) / sizeof(precs[0]); p++) {
				int stars = (widths[w][0] == '*') + (strchr(precs[p], '*') != NULL);

				snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", sflags[f], widths[w], precs[p]);
				for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
					for (s = 0; s < (stars ? 3 : 1); s++) {
						if (stars == 0)
							SAME(fmt, strs[i]);
						else if (stars == 1)
							SAME(fmt, star_values[s], strs[i]);
						else
							SAME(fmt, star_values[s], star_values[s], strs[i]);
					}
				/* %c has no precision. */
				if (precs[p][0])
					continue;
				snprintf(fmt, sizeof(fmt), "<%%%s%sc>", sflags[f], widths[w]);
				for (s = 0; s < (stars ? 3 : 1); s++) {
					if (stars)
						SAME(fmt, star_values[s], 'x');
					else
						SAME(fmt, 'x');
					if (!stars)
						SAME(fmt, 0);	/* a NUL byte is a character too */
				}
			}
}

int main(void)
{
	char small[8];
	int x, n;

	/* The bug that the old comparison hid: %hh and %h cut the value. */
	n = fmt_snprintf(small, sizeof(small), "%hhu", 300);
	CHECK(n == 2 && strcmp(small, "44") == 0);
	n = fmt_snprintf(small, sizeof(small), "%hd", 70000);
	CHECK(n == 4 && strcmp(small, "4464") == 0);

	check_ints();
	check_strings();

	SAME("plain text, no directive");
	SAME("100%% sure, %d%%", 5);
	SAME("%s=%d %s=%u %s=%lld", "a", -1, "b", 2u, "c", LLONG_MIN);
	SAME("%.2s%.2s%.2s", "ab:", "cd:", "ef:");	/* pid1's host name */
	SAME("%p|%20p|%-20p|", (void *)&x, (void *)&x, (void *)&x);
	SAME("%p|%10p|%-10p|", (void *)NULL, (void *)NULL, (void *)NULL);
	SAME("%s", "");

	/* Directives fmt.c does not implement: the rest of the format comes
	 * out as it stands and no argument is read with the wrong type. */
	n = fmt_snprintf(small, sizeof(small), "%d%f%d", 1, 2.0, 3);
	CHECK(n == 5 && strcmp(small, "1%f%d") == 0);
	n = fmt_snprintf(small, sizeof(small), "%lc", 'x');
	CHECK(n == 3 && strcmp(small, "%lc") == 0);
	n = fmt_snprintf(small, sizeof(small), "ab%");
	CHECK(n == 3 && strcmp(small, "ab%") == 0);
	/* %s of NULL: "(null)" (glibc prints "" with a short precision). */
	n = fmt_snprintf(small, sizeof(small), "%s", (char *)NULL);
	CHECK(n == 6 && strcmp(small, "(null)") == 0);

	printf("fmt: %d results compared with glibc's snprintf, %d differed\n",
	       compared, differed);
	CHECK(compared > 100000 && differed == 0);
	return check_done("fmt");
}

/* fmt.c - a small vsnprintf for /init, replacing the C library's.
 *
 * /init formats only integers and strings. musl's printf also carries
 * floating point (long double: on arm64 a software 128-bit float),
 * wide characters and positional arguments: linked in, it costs 11.6 KB
 * on amd64 and 21.4 KB on arm64 (text + data, musl 1.2.3, gcc -Oz).
 * Linked statically, these definitions take the place of musl's.
 *
 * What is here is the C11 7.21.6.1 behaviour, checked against glibc's
 * snprintf by tests/unit/test_fmt.c: flags - + space # 0, width and
 * precision (digits or *), lengths hh h l ll j z t, conversions
 * d i u o x X c s p %. %p is glibc's (0x and hex digits, "(nil)" for
 * NULL), %s of NULL prints "(null)". At any other directive (%f, %lc,
 * %n, %1$d...) the rest of the format is copied out as it stands, so
 * that a format /init should not use shows in its output, and no
 * argument is read with the wrong type.
 * Under FMT_TEST (the unit test, built with glibc) the functions are named
 * fmt_*, so that the test can call both this and glibc's. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef FMT_TEST
#define FMT(name) fmt_##name
int fmt_vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);
int fmt_snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...);
int fmt_vdprintf(int fd, const char *restrict fmt, va_list ap);
int fmt_dprintf(int fd, const char *restrict fmt, ...);
#else
#define FMT(name) name
#endif

/* Widths and precisions stop growing here: no overflow, and no field
 * that /init could mean. */
#define FMT_MAX_FIELD	100000

enum {
	F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16,
};
/* Length modifiers (C11 7.21.6.1 7). */
enum { L_HH, L_H, L_INT, L_LONG, L_LLONG, L_MAX, L_SIZE, L_PTRDIFF };

struct fmt_out {
	char *buf;
	size_t size, len;	/* len counts every byte, stored or not */
};

static void fmt_put(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_put(o, c);
}

static void fmt_puts(struct fmt_out *o, const char *s, int n)
{
	while (n-- > 0)
		fmt_put(o, *s++);
}

/* The integer argument of the given length, as unsigned: fetched by its
 * unsigned type (C11 7.16.1.1 2 allows either of a signed/unsigned pair),
 * then cut to its width, and sign-extended if the conversion is signed. */
static uintmax_t fmt_arg(va_list *ap, int len, int is_signed)
{
	uintmax_t u;

	switch (len) {
	case L_LONG: u = va_arg(*ap, unsigned long); break;
	case L_LLONG: u = va_arg(*ap, unsigned long long); break;
	case L_MAX: u = va_arg(*ap, uintmax_t); break;
	case L_SIZE:
	case L_PTRDIFF: u = va_arg(*ap, size_t); break;
	default: u = va_arg(*ap, unsigned); break;	/* int and shorter */
	}
	if (!is_signed)
		return len == L_HH ? (unsigned char)u : len == L_H ? (unsigned short)u : u;
	switch (len) {
	case L_HH: return (uintmax_t)(intmax_t)(signed char)u;
	case L_H: return (uintmax_t)(intmax_t)(short)u;
	case L_INT: return (uintmax_t)(intmax_t)(int)u;
	case L_LONG: return (uintmax_t)(intmax_t)(long)u;
	case L_LLONG: return (uintmax_t)(intmax_t)(long long)u;
	case L_SIZE: return (uintmax_t)(intmax_t)(ssize_t)u;
	case L_PTRDIFF: return (uintmax_t)(intmax_t)(ptrdiff_t)u;
	default: return u;
	}
}

int FMT(vsnprintf)(char *restrict buf, size_t size, const char *restrict fmt, va_list ap_in)
{
	struct fmt_out o = { buf, size, 0 };
	char digits[3 * sizeof(uintmax_t)];	/* octal of the widest */
	const char *s, *start, *prefix;
	va_list ap;
	uintmax_t u;
	int flags, width, prec, len, base, n, zeros, plen;
	char sign;

	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			fmt_put(&o, *fmt);
			continue;
		}
		start = fmt++;
		for (flags = 0;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else
				break;
		}
		width = 0;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {	/* C11 7.21.6.1 5 */
				flags |= F_LEFT;
				width = width == INT_MIN ? 0 : -width;
			}
			fmt++;
		} else {
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				if (width < FMT_MAX_FIELD)
					width = width * 10 + (*fmt - '0');
		}
		prec = -1;
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);	/* negative: none */
				if (prec < 0)
					prec = -1;
				fmt++;
			} else {
				prec = 0;
				for (; *fmt >= '0' && *fmt <= '9'; fmt++)
					if (prec < FMT_MAX_FIELD)
						prec = prec * 10 + (*fmt - '0');
			}
		}
		len = L_INT;
		if (*fmt == 'h') {
			len = L_H;
			if (*++fmt == 'h') {
				len = L_HH;
				fmt++;
			}
		} else if (*fmt == 'l') {
			len = L_LONG;
			if (*++fmt == 'l') {
				len = L_LLONG;
				fmt++;
			}
		} else if (*fmt == 'j' || *fmt == 'z' || *fmt == 't') {
			len = *fmt == 'j' ? L_MAX : *fmt == 'z' ? L_SIZE : L_PTRDIFF;
			fmt++;
		}

		base = 10;
		sign = 0;
		prefix = "";
		switch (*fmt) {
		case '%':
			fmt_put(&o, '%');
			continue;
		case 'c':
			if (len != L_INT)
				goto other;	/* %lc is a wide character */
			digits[0] = (char)va_arg(ap, int);
			s = digits;
			n = 1;
			goto string;
		case 's':
			if (len != L_INT)
				goto other;
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			n = (int)(prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
			goto string;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			if (!u) {
				s = "(nil)";
				n = 5;
				goto string;
			}
			base = 16;
			prefix = "0x";
			goto number;
		case 'd':
		case 'i':
			u = fmt_arg(&ap, len, 1);
			if ((intmax_t)u < 0) {
				sign = '-';
				u = -u;
			} else if (flags & F_PLUS) {
				sign = '+';
			} else if (flags & F_SPACE) {
				sign = ' ';
			}
			goto number;
		case 'o':
			base = 8;
			u = fmt_arg(&ap, len, 0);
			goto number;
		case 'x':
		case 'X':
			base = 16;
			u = fmt_arg(&ap, len, 0);
			if ((flags & F_ALT) && u)
				prefix = *fmt == 'x' ? "0x" : "0X";
			goto number;
		case 'u':
			u = fmt_arg(&ap, len, 0);
			goto number;
		default:
other:
			/* Not ours: the rest goes out as it stands. */
			fmt_puts(&o, start, (int)strlen(start));
			goto done;
		}
number:
		n = 0;
		while (u) {
			int d = (int)(u % (unsigned)base);

			digits[sizeof(digits) - ++n] =
			    (char)(d < 10 ? '0' + d : (*fmt == 'X' ? 'A' : 'a') + d - 10);
			u /= (unsigned)base;
		}
		/* Zero with precision 0 is no digits, but # of o keeps a "0". */
		if (n == 0 && (prec != 0 || (*fmt == 'o' && (flags & F_ALT))))
			digits[sizeof(digits) - ++n] = '0';
		zeros = prec > n ? prec - n : 0;
		if (*fmt == 'o' && (flags & F_ALT) && zeros == 0 &&
		    digits[sizeof(digits) - n] != '0')
			zeros = 1;	/* # of o: the first digit is a zero */
		plen = (int)strlen(prefix) + (sign != 0);
		/* The 0 flag pads with zeros, unless a precision is given or the
		 * field is left-justified (C11 7.21.6.1 6). */
		if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0 &&
		    width > plen + zeros + n)
			zeros = width - plen - n;
		width -= plen + zeros + n;
		if (!(flags & F_LEFT))
			fmt_pad(&o, ' ', width);
		if (sign)
			fmt_put(&o, sign);
		fmt_puts(&o, prefix, (int)strlen(prefix));
		fmt_pad(&o, '0', zeros);
		fmt_puts(&o, digits + sizeof(digits) - n, n);
		if (flags & F_LEFT)
			fmt_pad(&o, ' ', width);
		continue;
string:
		if (!(flags & F_LEFT))
			fmt_pad(&o, ' ', width - n);
		fmt_puts(&o, s, n);
		if (flags & F_LEFT)
			fmt_pad(&o, ' ', width - n);
	}
done:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	if (o.len > INT_MAX) {
		errno = EOVERFLOW;	/* C11 7.21.6.5 3: the count must fit */
		return -1;
	}
	return (int)o.len;
}

int FMT(snprintf)(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = FMT(vsnprintf)(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* One write(2) per call, so that lines from several processes on the
 * console do not interleave; longer output is cut at the buffer. */
int FMT(vdprintf)(int fd, const char *restrict fmt, va_list ap)
{
	char buf[1024];
	int n = FMT(vsnprintf)(buf, sizeof(buf), fmt, ap);

	if (n > 0 && write(fd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1) < 0)
		return -1;
	return n;
}

int FMT(dprintf)(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = FMT(vdprintf)(fd, fmt, ap);
	va_end(ap);
	return n;
}

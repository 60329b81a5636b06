/* fmt.c - a small vsnprintf for /init, replacing the C library's.
 *
 * /init formats only integers and strings; the C library's printf also
 * carries floating point, wide characters and positional arguments, which
 * cost about a sixth of the binary. Linked statically, these definitions
 * take the place of the library's. Supported: flags '-' and '0', width and
 * precision (numbers or '*'), lengths hh h l ll z j t, conversions
 * d i u x X o c s p %. Anything else is copied out as it stands.
 * Not linked into the host test binaries (they use the C library's), where
 * tests/unit/test_fmt.c compares the two. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef FMT_TEST
#define vsnprintf fmt_vsnprintf
#define snprintf fmt_snprintf
#define dprintf fmt_dprintf
#define vdprintf fmt_vdprintf
int fmt_vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);
int fmt_snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...);
int fmt_vdprintf(int fd, const char *restrict fmt, va_list ap);
int fmt_dprintf(int fd, const char *restrict fmt, ...);
#endif

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

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	char digits[24];
	const char *s;
	uintmax_t u;
	intmax_t v;
	int left, zero, width, prec, len, neg, base, upper, n, i;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			fmt_put(&o, *fmt);
			continue;
		}
		const char *start = fmt++;

		left = zero = 0;
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				zero = 1;
			else if (*fmt != ' ' && *fmt != '+' && *fmt != '#')
				break;
		}
		width = 0;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = 1;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		prec = -1;
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		len = 0;	/* 0 int, 1 long, 2 long long, 3 size_t/intmax/ptrdiff */
		while (*fmt == 'h')
			fmt++;	/* promoted to int anyway */
		if (*fmt == 'l') {
			len = 1;
			if (*++fmt == 'l') {
				len = 2;
				fmt++;
			}
		} else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't') {
			len = 3;
			fmt++;
		}

		base = 10;
		upper = 0;
		neg = 0;
		switch (*fmt) {
		case '%':
			fmt_put(&o, '%');
			continue;
		case 'c':
			digits[0] = (char)va_arg(ap, int);
			s = digits;
			n = 1;
			goto string;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			n = (int)(prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
			goto string;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			base = 16;
			fmt_put(&o, '0');
			fmt_put(&o, 'x');
			width -= 2;
			goto number;
		case 'd':
		case 'i':
			v = len == 0 ? va_arg(ap, int) : len == 1 ? va_arg(ap, long) :
			    len == 2 ? va_arg(ap, long long) : va_arg(ap, intmax_t);
			neg = v < 0;
			u = neg ? -(uintmax_t)v : (uintmax_t)v;
			goto number;
		case 'X':
			upper = 1;
			/* fall through */
		case 'x':
			base = 16;
			goto unsigned_arg;
		case 'o':
			base = 8;
			/* fall through */
		case 'u':
unsigned_arg:
			u = len == 0 ? va_arg(ap, unsigned) : len == 1 ? va_arg(ap, unsigned long) :
			    len == 2 ? va_arg(ap, unsigned long long) : va_arg(ap, uintmax_t);
			goto number;
		default:
			/* Not ours: copy the directive out unchanged. */
			for (; start <= fmt && *start; start++)
				fmt_put(&o, *start);
			if (!*fmt)
				fmt--;
			continue;
		}
number:
		n = 0;
		do {
			int d = (int)(u % (unsigned)base);

			digits[n++] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
			u /= (unsigned)base;
		} while (u);
		if (prec == 0 && n == 1 && digits[0] == '0')
			n = 0;
		i = prec > n ? prec - n : 0;	/* zeros from the precision */
		width -= n + i + neg;
		if (!left && !(zero && prec < 0))
			fmt_pad(&o, ' ', width);
		if (neg)
			fmt_put(&o, '-');
		if (!left && zero && prec < 0)
			fmt_pad(&o, '0', width);
		fmt_pad(&o, '0', i);
		while (n)
			fmt_put(&o, digits[--n]);
		if (left)
			fmt_pad(&o, ' ', width);
		continue;
string:
		if (!left)
			fmt_pad(&o, ' ', width - n);
		for (i = 0; i < n; i++)
			fmt_put(&o, s[i]);
		if (left)
			fmt_pad(&o, ' ', width - n);
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? -1 : (int)o.len;
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n > 0 && write(fd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1) < 0)
		return -1;
	return n;
}

int dprintf(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* libc.c - smaller stand-ins for a few C library functions, for /init.
 *
 * Linked statically, these definitions take the place of musl's. Each one
 * stays only because it does exactly what musl's does for every call /init
 * makes, and saves bytes (text + data measured with musl 1.2.3, gcc -Oz;
 * 1952 bytes in all):
 * - open() 128, fcntl() 368, socket() 176, pipe2() 224, accept4() 224:
 *   the bare system call. musl's add only fall-backs for kernels before
 *   2.6.27 (emulating O_CLOEXEC, SOCK_NONBLOCK, F_DUPFD_CLOEXEC) and
 *   cancellation points; /init needs a far newer kernel and has no
 *   threads to cancel.
 * - strlen() 112, memchr() 192, strcpy() 176, atoi() 112: the plain
 *   loops; /init's strings are short, musl's word-at-a-time versions big.
 * - if_nametoindex() 256: one ioctl, as musl's, but a name too long for
 *   IF_NAMESIZE is refused (ENODEV) instead of truncated.
 * Where musl does more than the bare system call for a reason (set*id()
 * and setgroups() apply to every thread, fork() runs the atfork handlers,
 * setrlimit() too), or knows more (strerror() knows every errno), musl's
 * own is used. printf is in fmt.c. On glibc nothing is replaced. */
#include <features.h>

#ifndef __GLIBC__
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode = 0;

	/* The mode is an argument only with these flags (POSIX open()). */
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	/* openat: the one every architecture has (arm64 has no open). */
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}

int socket(int domain, int type, int protocol)
{
	return (int)syscall(SYS_socket, domain, type, protocol);
}

int pipe2(int fd[2], int flags)
{
	return (int)syscall(SYS_pipe2, fd, flags);
}

int accept4(int fd, struct sockaddr *restrict sa, socklen_t *restrict len,
    int flags)
{
	return (int)syscall(SYS_accept4, fd, sa, len, flags);
}

/* Byte at a time: /init's strings are short, and musl's word-at-a-time
 * versions are several times larger. */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

int atoi(const char *s)
{
	int n = 0, neg = 0;

	while (*s == ' ' || (unsigned)(*s - '\t') < 5)
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while ((unsigned)(*s - '0') < 10)
		n = 10 * n - (*s++ - '0');
	return neg ? n : -n;
}

char *strcpy(char *restrict d, const char *restrict s)
{
	char *r = d;

	while ((*d++ = *s++) != 0)
		;
	return r;
}

unsigned if_nametoindex(const char *name)
{
	struct ifreq ifr;
	size_t len = strnlen(name, IF_NAMESIZE);
	int fd, r;

	if (len == IF_NAMESIZE) {
		errno = ENODEV;
		return 0;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, len);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	r = ioctl(fd, SIOCGIFINDEX, &ifr);
	close(fd);
	return r < 0 ? 0 : (unsigned)ifr.ifr_ifindex;
}
#endif

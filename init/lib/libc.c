/* libc.c - smaller stand-ins for a few C library functions, for /init.
 *
 * Linked statically, these definitions take the place of musl's (as
 * init/fmt.c does for printf). musl's versions carry what /init never
 * needs: set*id(), setgroups() and fork() synchronise every thread of the
 * process (__synccall, atfork handlers and their locks), and open(),
 * socket(), pipe2(), accept4() and fcntl() fall back to older calls on
 * kernels before 2.6.27. /init has one thread and needs a far newer kernel,
 * so each is the bare system call here, with the same result. The string
 * functions are the plain loops, and strerror() knows only the errors that
 * /init can meet (musl's table of all of them is 2 KB). On glibc (the host test builds) nothing is replaced. */
#include <features.h>

#ifndef __GLIBC__
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

pid_t fork(void)
{
	return _Fork();
}

int setuid(uid_t uid)
{
	return (int)syscall(SYS_setuid, uid);
}

int setgid(gid_t gid)
{
	return (int)syscall(SYS_setgid, gid);
}

int setgroups(size_t n, const gid_t *list)
{
	return (int)syscall(SYS_setgroups, n, list);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);	/* read always: a register, unused */
	va_end(ap);
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

/* The errors /init can meet, in musl's words; any other is "errno N". */
static const unsigned char err_codes[] = {
	EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF,
	ECHILD, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV,
	ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY,
	ETXTBSY, EFBIG, ENOSPC, EROFS, EPIPE, ERANGE, ENAMETOOLONG,
	ENOSYS, ENOTEMPTY, ELOOP, ENODATA, EPROTO, EOVERFLOW, ENOTSOCK,
	EMSGSIZE, EPROTONOSUPPORT, EOPNOTSUPP, EAFNOSUPPORT,
	EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ECONNABORTED,
	ECONNRESET, ENOBUFS, ENOTCONN, ETIMEDOUT, ECONNREFUSED,
	EHOSTUNREACH
};
static const char err_texts[] =
	"Operation not permitted\0"  /* EPERM */
	"No such file or directory\0"  /* ENOENT */
	"No such process\0"  /* ESRCH */
	"Interrupted system call\0"  /* EINTR */
	"I/O error\0"  /* EIO */
	"No such device or address\0"  /* ENXIO */
	"Argument list too long\0"  /* E2BIG */
	"Exec format error\0"  /* ENOEXEC */
	"Bad file descriptor\0"  /* EBADF */
	"No child process\0"  /* ECHILD */
	"Resource temporarily unavailable\0"  /* EAGAIN */
	"Out of memory\0"  /* ENOMEM */
	"Permission denied\0"  /* EACCES */
	"Bad address\0"  /* EFAULT */
	"Resource busy\0"  /* EBUSY */
	"File exists\0"  /* EEXIST */
	"Cross-device link\0"  /* EXDEV */
	"No such device\0"  /* ENODEV */
	"Not a directory\0"  /* ENOTDIR */
	"Is a directory\0"  /* EISDIR */
	"Invalid argument\0"  /* EINVAL */
	"Too many open files in system\0"  /* ENFILE */
	"No file descriptors available\0"  /* EMFILE */
	"Not a tty\0"  /* ENOTTY */
	"Text file busy\0"  /* ETXTBSY */
	"File too large\0"  /* EFBIG */
	"No space left on device\0"  /* ENOSPC */
	"Read-only file system\0"  /* EROFS */
	"Broken pipe\0"  /* EPIPE */
	"Result not representable\0"  /* ERANGE */
	"Filename too long\0"  /* ENAMETOOLONG */
	"Function not implemented\0"  /* ENOSYS */
	"Directory not empty\0"  /* ENOTEMPTY */
	"Symbolic link loop\0"  /* ELOOP */
	"No data available\0"  /* ENODATA */
	"Protocol error\0"  /* EPROTO */
	"Value too large for data type\0"  /* EOVERFLOW */
	"Not a socket\0"  /* ENOTSOCK */
	"Message too large\0"  /* EMSGSIZE */
	"Protocol not supported\0"  /* EPROTONOSUPPORT */
	"Not supported\0"  /* EOPNOTSUPP */
	"Address family not supported by protocol\0"  /* EAFNOSUPPORT */
	"Address in use\0"  /* EADDRINUSE */
	"Address not available\0"  /* EADDRNOTAVAIL */
	"Network is down\0"  /* ENETDOWN */
	"Network unreachable\0"  /* ENETUNREACH */
	"Connection aborted\0"  /* ECONNABORTED */
	"Connection reset by peer\0"  /* ECONNRESET */
	"No buffer space available\0"  /* ENOBUFS */
	"Socket not connected\0"  /* ENOTCONN */
	"Operation timed out\0"  /* ETIMEDOUT */
	"Connection refused\0"  /* ECONNREFUSED */
	"Host is unreachable\0"  /* EHOSTUNREACH */;

char *strerror(int e)
{
	static char other[16];
	const char *t = err_texts;
	size_t i;

	for (i = 0; i < sizeof(err_codes); i++, t += strlen(t) + 1)
		if (err_codes[i] == e)
			return (char *)t;
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
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

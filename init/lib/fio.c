/* fio.c - whole transfers (fio.h). */
#include "lib/fio.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* WRITE 0: pread, 1: pwrite, 2: write at the file position. */
static int fio_full(int fd, char *buf, size_t len, uint64_t off, int write_mode)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		if (write_mode == 2)
			n = write(fd, buf + done, len - done);
		else if (write_mode == 1)
			n = pwrite(fd, buf + done, len - done, (off_t)(off + done));
		else
			n = pread(fd, buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

int fio_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	return fio_full(fd, buf, len, off, 0);
}

int fio_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	return fio_full(fd, (char *)(uintptr_t)buf, len, off, 1);
}

int fio_write_full(int fd, const void *buf, size_t len)
{
	return fio_full(fd, (char *)(uintptr_t)buf, len, 0, 2);
}

long fio_read_small(int dirfd, const char *path, int oflags, char *buf, size_t len)
{
	ssize_t n = 0;
	size_t got = 0;
	int fd, err;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | oflags);
	if (fd < 0)
		return -1;
	while (got < len - 1 && ((n = read(fd, buf + got, len - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	err = errno;
	close(fd);
	buf[got] = '\0';
	if (n < 0 && got < len - 1) {
		errno = err;
		return -1;
	}
	return (long)got;
}

/* fio.h - whole transfers: the loops around read(2) and write(2) that
 * every writer of disks, slots and files needs. */
#ifndef MINILINUX_FIO_H
#define MINILINUX_FIO_H

#include <stddef.h>
#include <stdint.h>

/* All of [OFF, OFF + LEN) of FD read into BUF, or -1 with errno; a short
 * transfer (the end of the file or device) is EIO. EINTR is retried. */
int fio_pread_full(int fd, void *buf, size_t len, uint64_t off);
/* The same, written from BUF. */
int fio_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);
/* All LEN bytes of BUF written at FD's position, or -1 with errno. */
int fio_write_full(int fd, const void *buf, size_t len);
/* A small file (PATH relative to DIRFD, or AT_FDCWD; OFLAGS added to
 * O_RDONLY | O_CLOEXEC) into BUF, at most LEN - 1 bytes, NUL-terminated:
 * its length, or -1 with errno. */
long fio_read_small(int dirfd, const char *path, int oflags, char *buf, size_t len);

#endif

/* storage.c - the data partition (docs/storage.md).
 *
 * At boot: find the disk (the one whose GPT holds our ESP, named
 * "minilinux-esp", or the whole disk minilinux.data= names), find the
 * data partition on it (DPS "Server Data" type, named "minilinux-data"),
 * and then:
 *   none, free space at the end  -> the ext4 seed (made by mke2fs at build
 *                                   time) into the free space, then the
 *                                   GPT entry (so a cut leaves the old
 *                                   table), BLKPG to tell the kernel
 *   there, blank                  -> the seed into it
 *   there, holding a file system  -> mount it; if that fails, nothing is
 *                                   written, ever: /data is a tmpfs
 * then grow the partition to the disk's end (the GPT's backup moves to
 * the new last LBA), BLKPG_RESIZE_PARTITION, and EXT4_IOC_RESIZE_FS on
 * the mounted file system. The table is parsed and every change planned
 * by pure/gpt.c; this file only reads and writes what it says.
 *
 * Never destroyed: a partition whose first MiB is not all zeros is only
 * ever mounted, never formatted, unless a factory reset is asked for; a
 * data disk that holds anything but our table and is not blank is not
 * touched. */
#include "pid1/storage.h"
#include "lib/fio.h"
#include "lib/log.h"
#include "pure/gpt.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef EXT4_IOC_RESIZE_FS
#define EXT4_IOC_RESIZE_FS _IOW('f', 16, uint64_t)	/* fs/ext4/ext4.h */
#endif
/* include/uapi/linux/ext4.h (Linux 6.0), not in Debian 12's headers:
 * struct fsuuid ends in a flexible array, so the ioctl's size is 8. */
struct fsuuid {
	uint32_t fsu_len, fsu_flags;
	uint8_t fsu_uuid[16];
};
#ifndef EXT4_IOC_SETFSUUID
#define EXT4_IOC_SETFSUUID _IOW('f', 44, uint64_t)
#endif
#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif

#define STORAGE_MIB            1048576ULL
#define STORAGE_ALIGN          STORAGE_MIB	/* partition start and end */
/* On the boot disk the data partition starts at 16 MiB or later: room
 * for the system partition to grow in place. */
#define STORAGE_BOOT_MIN_START (16 * STORAGE_MIB)
#define STORAGE_MIN_SIZE       (64 * STORAGE_MIB)	/* less free space: none */
#define STORAGE_BLANK_BYTES    STORAGE_MIB	/* "blank": this much is all zeros */
#define STORAGE_IO_BYTES       65536
#define STORAGE_SEED_MAX_EXTENTS 1024
#define STORAGE_SEED_HEADER    20
#define STORAGE_NVME_WAIT_MS   5000	/* NVMe namespaces appear after /init starts */
#define STORAGE_DEV_WAIT_MS    10000	/* for the disk minilinux.data= names */
#define STORAGE_NAME_MAX       32
#define STORAGE_MOUNT_FLAGS    (MS_NODEV | MS_NOSUID)
#define STORAGE_MOUNT_DATA     "errors=remount-ro"

struct disk {
	char name[STORAGE_NAME_MAX];	/* "vda" */
	int fd;
	uint32_t ssz;
	uint64_t bytes, nsectors;
};

static int storage_ready, storage_is_persistent;
static int storage_dirfd = -1;
static struct gpt st_gpt;
static uint8_t st_head[GPT_HEAD_BYTES(GPT_MAX_SECTOR)], st_tail[GPT_TAIL_BYTES(GPT_MAX_SECTOR)];
static uint8_t st_plan[GPT_PLAN_BYTES];
static uint8_t st_buf[STORAGE_IO_BYTES];

static void storage_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int read_full(int fd, void *buf, size_t len, uint64_t off)
{
	return fio_pread_full(fd, buf, len, off);
}

static int write_full(int fd, const void *buf, size_t len, uint64_t off)
{
	return fio_pwrite_full(fd, buf, len, off);
}

static void fmt_size(uint64_t bytes, char *out, size_t len)
{
	if (bytes >= 1024 * STORAGE_MIB)
		snprintf(out, len, "%llu.%llu GiB", (unsigned long long)(bytes >> 30),
			 (unsigned long long)((bytes & ((1ULL << 30) - 1)) * 10 >> 30));
	else if (bytes >= STORAGE_MIB)
		snprintf(out, len, "%llu MiB", (unsigned long long)(bytes >> 20));
	else
		snprintf(out, len, "%llu KiB", (unsigned long long)(bytes >> 10));
}

static int disk_open(struct disk *d, const char *name)
{
	char path[STORAGE_NAME_MAX + 16];
	int ssz = 0;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(path, sizeof(path), "/dev/%s", name);
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		return -1;
	if (ioctl(d->fd, BLKGETSIZE64, &d->bytes) < 0 || ioctl(d->fd, BLKSSZGET, &ssz) < 0) {
		close(d->fd);
		d->fd = -1;
		return -1;
	}
	if (ssz != 512 && ssz != 4096) {
		close(d->fd);
		d->fd = -1;
		errno = EOPNOTSUPP;
		return -1;
	}
	d->ssz = (uint32_t)ssz;
	d->nsectors = d->bytes / d->ssz;
	return 0;
}

static void disk_close(struct disk *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

static enum gpt_status disk_read_gpt(struct disk *d, struct gpt *g, const char **why)
{
	size_t head = GPT_HEAD_BYTES(d->ssz), tail = GPT_TAIL_BYTES(d->ssz);

	if (d->nsectors < 4) {
		*why = "disk too small";
		return GPT_BAD;
	}
	if (head > d->bytes)
		head = (size_t)d->bytes / d->ssz * d->ssz;
	if (tail > d->bytes)
		tail = (size_t)d->bytes / d->ssz * d->ssz;
	if (read_full(d->fd, st_head, head, 0) < 0 ||
	    read_full(d->fd, st_tail, tail, d->nsectors * d->ssz - tail) < 0) {
		*why = "cannot read the disk";
		return GPT_BAD;
	}
	return gpt_parse(g, st_head, head, st_tail, tail, d->ssz, d->nsectors, why);
}

/* 1 if LEN bytes at OFF are all zeros, 0 if not, -1 on a read error. */
static int region_is_zero(int fd, uint64_t off, uint64_t len)
{
	size_t n, i;

	while (len) {
		n = len < sizeof(st_buf) ? (size_t)len : sizeof(st_buf);
		if (read_full(fd, st_buf, n, off) < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (st_buf[i])
				return 0;
		off += n;
		len -= n;
	}
	return 1;
}

/* Names in /sys/block that are disks we may look at: not CD-ROMs, loop,
 * RAM or device-mapper devices. */
static int storage_disk_name_ok(const char *n)
{
	static const char *const skip[] = { "sr", "loop", "ram", "zram", "dm-", "md", "nbd" };
	size_t i;

	if (n[0] == '.' || strlen(n) >= STORAGE_NAME_MAX)
		return 0;
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strncmp(n, skip[i], strlen(skip[i])) == 0)
			return 0;
	for (i = 0; n[i]; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9')))
			return 0;
	return 1;
}

/* FN(NAME, ARG) for each entry of the directory PATH but . and ..;
 * getdents64 rather than opendir(3), which would pull malloc into /init.
 * -1 if PATH cannot be opened. */
static int storage_each_entry(const char *path, void (*fn)(const char *name, void *arg), void *arg)
{
	char buf[2048];
	long n, i;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		/* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
		for (i = 0; i + 19 < n;) {
			unsigned short reclen;
			const char *name = buf + i + 19;

			memcpy(&reclen, buf + i + 16, sizeof(reclen));
			if (reclen < 20 || reclen > n - i || !memchr(name, '\0', (size_t)reclen - 19))
				break;
			if (strcmp(name, ".") != 0 && strcmp(name, ".."))
				fn(name, arg);
			i += reclen;
		}
	}
	close(fd);
	return 0;
}

struct nvme_scan { const char *ctrl; int found, pending; };

static void storage_nvme_ns(const char *name, void *arg)
{
	struct nvme_scan *ns = arg;
	size_t n = strlen(ns->ctrl);

	if (strncmp(name, ns->ctrl, n) == 0 && name[n] == 'n')
		ns->found = 1;
}

static void storage_nvme_ctrl(const char *name, void *arg)
{
	struct nvme_scan *scan = arg, ns = { name, 0, 0 };
	char path[STORAGE_NAME_MAX + 24];

	if (strlen(name) >= STORAGE_NAME_MAX)
		return;
	snprintf(path, sizeof(path), "/sys/class/nvme/%s", name);
	if (storage_each_entry(path, storage_nvme_ns, &ns) == 0 && !ns.found)
		scan->pending++;
}

/* NVMe controllers scan their namespaces from a work queue, after the
 * kernel has started /init: wait (a bounded time) until every controller
 * shows one. Other controllers' disks exist when /init starts (the kernel
 * waits for asynchronous probes first). */
static void storage_wait_nvme(void)
{
	struct nvme_scan scan;
	long waited;

	for (waited = 0; waited < STORAGE_NVME_WAIT_MS; waited += 20) {
		memset(&scan, 0, sizeof(scan));
		if (storage_each_entry("/sys/class/nvme", storage_nvme_ctrl, &scan) < 0 || !scan.pending)
			return;
		storage_sleep_ms(20);
	}
}

struct boot_scan { char best[STORAGE_NAME_MAX]; int more; };

static void storage_boot_candidate(const char *name, void *arg)
{
	struct boot_scan *b = arg;
	struct disk t;
	const char *why;

	if (!storage_disk_name_ok(name) || disk_open(&t, name) < 0)
		return;
	if (disk_read_gpt(&t, &st_gpt, &why) == GPT_OK &&
	    gpt_find(&st_gpt, gpt_type_esp, STORAGE_ESP_NAME)) {
		if (!b->best[0] || strcmp(name, b->best) < 0) {
			b->more += b->best[0] != 0;
			memcpy(b->best, name, strlen(name) + 1);	/* < STORAGE_NAME_MAX */
		} else {
			b->more++;
		}
	}
	disk_close(&t);
}

/* The boot disk: the first disk (by name) whose GPT has our ESP. */
static int storage_find_boot_disk(struct disk *d, int *more)
{
	struct boot_scan b;

	memset(&b, 0, sizeof(b));
	storage_each_entry("/sys/block", storage_boot_candidate, &b);
	*more = b.more;
	if (!b.best[0])
		return -1;
	return disk_open(d, b.best);
}

static void part_name(const struct disk *d, unsigned pno, char *out, size_t len)
{
	size_t n = strlen(d->name);
	int digit = n && d->name[n - 1] >= '0' && d->name[n - 1] <= '9';

	/* Linux: sda1, vda1, but nvme0n1p1, mmcblk0p1. */
	snprintf(out, len, "%s%s%u", d->name, digit ? "p" : "", pno);
}

static void random_guid(uint8_t g[16])
{
	struct timespec ts;
	size_t i;

	if (getrandom(g, 16, GRND_NONBLOCK | GRND_INSECURE) != 16 &&
	    getrandom(g, 16, GRND_NONBLOCK) != 16) {
		clock_gettime(CLOCK_BOOTTIME, &ts);
		for (i = 0; i < 16; i++)
			g[i] = (uint8_t)((uint64_t)ts.tv_nsec >> (i % 4 * 8)) ^ (uint8_t)(i * 37 + getpid());
	}
	g[7] = (uint8_t)((g[7] & 0x0f) | 0x40);	/* version 4 (RFC 9562 5.4) */
	g[8] = (uint8_t)((g[8] & 0x3f) | 0x80);	/* variant 10 */
}

/* Write the seed (image/seed.sh's format) at OFF of FD, within LIMIT
 * bytes: zeros over its whole size, then its non-zero blocks. */
static int storage_write_seed(int fd, uint64_t off, uint64_t limit)
{
	static uint32_t ext[2 * STORAGE_SEED_MAX_EXTENTS];
	uint8_t h[STORAGE_SEED_HEADER];
	uint32_t bs, blocks, n, i;
	uint64_t range[2], src, dst, left, size;
	size_t chunk;
	int sfd, ret = -1;

	sfd = open(STORAGE_SEED, O_RDONLY | O_CLOEXEC);
	if (sfd < 0) {
		log_warn("%s", STORAGE_SEED);
		return -1;
	}
	if (read_full(sfd, h, sizeof(h), 0) < 0 || memcmp(h, "MLSEED01", 8) != 0)
		goto bad;
	bs = (uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 | (uint32_t)h[11] << 24;
	blocks = (uint32_t)h[12] | (uint32_t)h[13] << 8 | (uint32_t)h[14] << 16 | (uint32_t)h[15] << 24;
	n = (uint32_t)h[16] | (uint32_t)h[17] << 8 | (uint32_t)h[18] << 16 | (uint32_t)h[19] << 24;
	if (bs < 1024 || bs > 65536 || (bs & (bs - 1)) || n > STORAGE_SEED_MAX_EXTENTS ||
	    (uint64_t)blocks * bs > limit || off % 512)
		goto bad;
	size = (uint64_t)blocks * bs;
	if (read_full(sfd, ext, (size_t)n * 8, sizeof(h)) < 0)
		goto bad;
	for (i = 0; i < 2 * n; i++) {
		uint8_t *b = (uint8_t *)&ext[i];

		ext[i] = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	}
	for (i = 0; i < n; i++)
		if (ext[2 * i] > blocks || ext[2 * i + 1] > blocks - ext[2 * i])
			goto bad;
	/* Zeros first: the inode tables and the journal must read as zeros. */
	range[0] = off;
	range[1] = size;
	if (ioctl(fd, BLKZEROOUT, range) < 0) {
		memset(st_buf, 0, sizeof(st_buf));
		for (dst = off, left = size; left; dst += chunk, left -= chunk) {
			chunk = left < sizeof(st_buf) ? (size_t)left : sizeof(st_buf);
			if (write_full(fd, st_buf, chunk, dst) < 0)
				goto io;
		}
	}
	src = sizeof(h) + (uint64_t)n * 8;
	for (i = 0; i < n; i++) {
		dst = off + (uint64_t)ext[2 * i] * bs;
		for (left = (uint64_t)ext[2 * i + 1] * bs; left; left -= chunk) {
			chunk = left < sizeof(st_buf) ? (size_t)left : sizeof(st_buf);
			if (read_full(sfd, st_buf, chunk, src) < 0)
				goto bad;
			if (write_full(fd, st_buf, chunk, dst) < 0)
				goto io;
			src += chunk;
			dst += chunk;
		}
	}
	if (fsync(fd) < 0)
		goto io;
	ret = 0;
	goto out;
bad:
	log_warnx("%s: not a valid seed (image/seed.sh), or larger than the partition", STORAGE_SEED);
	goto out;
io:
	log_warn("writing the data seed");
out:
	close(sfd);
	return ret;
}

static int storage_run_plan(const struct disk *d, const struct gpt_plan *p)
{
	unsigned i;

	for (i = 0; i < p->n; i++)
		if (write_full(d->fd, st_plan + p->w[i].off, (size_t)p->w[i].nsectors * d->ssz,
			       p->w[i].lba * d->ssz) < 0) {
			log_warn("%s: writing the partition table", d->name);
			return -1;
		}
	if (fsync(d->fd) < 0) {
		log_warn("%s: fsync", d->name);
		return -1;
	}
	return 0;
}

static int storage_blkpg(const struct disk *d, int op, unsigned pno, uint64_t first, uint64_t last)
{
	struct blkpg_partition bp;
	struct blkpg_ioctl_arg a;

	memset(&bp, 0, sizeof(bp));
	bp.start = (long long)(first * d->ssz);
	bp.length = (long long)((last - first + 1) * d->ssz);
	bp.pno = (int)pno;
	memset(&a, 0, sizeof(a));
	a.op = op;
	a.datalen = sizeof(bp);
	a.data = &bp;
	return ioctl(d->fd, BLKPG, &a);
}

/* The size in bytes of the ext4 file system whose superblock is at OFF
 * (fs/ext4/ext4.h struct ext4_super_block), or 0. */
static uint64_t ext4_size_at(int fd, uint64_t off)
{
	uint8_t sb[1024];
	uint64_t blocks;
	uint32_t log;

	if (read_full(fd, sb, sizeof(sb), off + 1024) < 0 || sb[0x38] != 0x53 || sb[0x39] != 0xef)
		return 0;
	log = sb[0x18] | (uint32_t)sb[0x19] << 8;
	if (log > 6)
		return 0;
	blocks = (uint64_t)sb[4] | (uint64_t)sb[5] << 8 | (uint64_t)sb[6] << 16 | (uint64_t)sb[7] << 24;
	if (sb[0x60] & 0x80)	/* INCOMPAT_64BIT: s_blocks_count_hi */
		blocks |= ((uint64_t)sb[0x150] | (uint64_t)sb[0x151] << 8 |
			   (uint64_t)sb[0x152] << 16 | (uint64_t)sb[0x153] << 24) << 32;
	return blocks << (10 + log);
}

/* The same, read through the partition's own device: the mounted file
 * system writes its superblock there, so this sees a resize. */
static uint64_t storage_fs_size(const char *part)
{
	char dev[STORAGE_NAME_MAX + 16];
	uint64_t size;
	int fd;

	snprintf(dev, sizeof(dev), "/dev/%s", part);
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	size = ext4_size_at(fd, 0);
	close(fd);
	return size;
}

static void storage_tmpfs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* No persistent data: /data is a tmpfs, and the console says why. */
static void storage_tmpfs(const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (mount("tmpfs", STORAGE_DIR, "tmpfs", STORAGE_MOUNT_FLAGS, "mode=0755") < 0)
		log_warn("mount tmpfs on %s", STORAGE_DIR);
	log_info("Data: none (%s): state is not persistent", why);
	storage_is_persistent = 0;
}

static int storage_mount(const char *part, const char **why)
{
	char dev[STORAGE_NAME_MAX + 16];

	snprintf(dev, sizeof(dev), "/dev/%s", part);
	if (mount(dev, STORAGE_DIR, "ext4", STORAGE_MOUNT_FLAGS, STORAGE_MOUNT_DATA) == 0)
		return 0;
	*why = strerror(errno);
	return -1;
}

/* EXT4_IOC_RESIZE_FS (Linux 3.3): grow the mounted file system to fill
 * the partition PART. */
static void storage_grow_fs(const char *part)
{
	char dev[STORAGE_NAME_MAX + 16];
	uint64_t bytes = 0, blocks;
	struct statfs sf;
	int fd;

	snprintf(dev, sizeof(dev), "/dev/%s", part);
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
		log_warn("%s", dev);
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	fd = open(STORAGE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstatfs(fd, &sf) < 0 || sf.f_bsize <= 0) {
		log_warn("%s", STORAGE_DIR);
		if (fd >= 0)
			close(fd);
		return;
	}
	blocks = bytes / (uint64_t)sf.f_bsize;
	if (ioctl(fd, EXT4_IOC_RESIZE_FS, &blocks) < 0)
		log_warn("Data: growing the file system on %s to %llu blocks", part,
			 (unsigned long long)blocks);
	close(fd);
}

/* Every seed has the same UUID: a new file system gets one of its own
 * (the seed has metadata_csum_seed, so the checksums stay valid). */
static void storage_new_uuid(const char *part)
{
	struct fsuuid u = { 16, 0, { 0 } };
	int fd;

	random_guid(u.fsu_uuid);
	/* An RFC 9562 UUID's version is in byte 6 (the GPT's form has it in
	 * byte 7). */
	u.fsu_uuid[6] = (uint8_t)((u.fsu_uuid[6] & 0x0f) | 0x40);
	fd = open(STORAGE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, EXT4_IOC_SETFSUUID, &u) < 0)
		log_warn("Data: %s: a UUID of its own", part);
	if (fd >= 0)
		close(fd);
}

static void storage_report(const char *part, const char *how)
{
	char size[32], used[32];
	struct statfs sf;

	if (statfs(STORAGE_DIR, &sf) < 0) {
		log_warn("statfs %s", STORAGE_DIR);
		return;
	}
	fmt_size((uint64_t)sf.f_blocks * (uint64_t)sf.f_bsize, size, sizeof(size));
	fmt_size((uint64_t)(sf.f_blocks - sf.f_bfree) * (uint64_t)sf.f_bsize, used, sizeof(used));
	log_info("Data: %s ext4 %s (%s used) on %s%s", part, size, used, STORAGE_DIR, how);
}

/* The data partition P exists on D: format it if asked or blank, mount
 * it, then grow it and its file system to the disk's end. */
static void storage_use(struct disk *d, const struct gpt_part *p, int reset)
{
	uint64_t first = p->first, last = p->last, off = first * d->ssz, size, old;
	unsigned index = p->index;
	char part[STORAGE_NAME_MAX + 4], dev[STORAGE_NAME_MAX + 16], how[64] = "", was[32];
	struct gpt_request rq;
	struct gpt_plan plan;
	const char *why;
	int pfd, blank, formatted = 0;

	part_name(d, index + 1, part, sizeof(part));
	size = (last - first + 1) * d->ssz;
	blank = region_is_zero(d->fd, off, size < STORAGE_BLANK_BYTES ? size : STORAGE_BLANK_BYTES);
	if (reset || blank == 1) {
		/* Through the partition's own device: its page cache is what
		 * the mount reads. */
		log_info("Data: %s: %s", part, reset ? "factory reset: formatting" : "blank: formatting");
		snprintf(dev, sizeof(dev), "/dev/%s", part);
		pfd = open(dev, O_RDWR | O_CLOEXEC);
		if (pfd < 0 || storage_write_seed(pfd, 0, size) < 0) {
			if (pfd < 0)
				log_warn("%s", dev);
			else
				close(pfd);
			storage_tmpfs("cannot format %s", part);
			return;
		}
		close(pfd);
		formatted = 1;
	}
	old = storage_fs_size(part);
	if (storage_mount(part, &why) < 0) {
		log_warnx("Data: %s does not mount (%s): left as it is", part, why);
		storage_tmpfs("%s does not mount", part);
		return;
	}
	/* Grow: the partition to the disk's end, the table's backup with it. */
	memset(&rq, 0, sizeof(rq));
	rq.op = GPT_OP_GROW;
	rq.grow_index = index;
	rq.align = STORAGE_ALIGN / d->ssz;
	if (gpt_plan(&st_gpt, &rq, &plan, st_plan, sizeof(st_plan), &why) < 0) {
		log_warnx("Data: %s: not grown (%s)", d->name, why);
	} else if (plan.n && storage_run_plan(d, &plan) == 0 && plan.last != last) {
		if (storage_blkpg(d, BLKPG_RESIZE_PARTITION, index + 1, first, plan.last) < 0)
			log_warn("Data: %s: BLKPG_RESIZE_PARTITION", part);
	}
	storage_grow_fs(part);
	if (formatted) {
		storage_new_uuid(part);
		snprintf(how, sizeof(how), " (new)");
	} else if (old && storage_fs_size(part) > old) {
		fmt_size(old, was, sizeof(was));
		snprintf(how, sizeof(how), " (grown from %s)", was);
	}
	storage_is_persistent = 1;
	storage_report(part, how);
}

/* No data partition on D: add one in the free space at the end. */
static void storage_create(struct disk *d, uint64_t min_start)
{
	char part[STORAGE_NAME_MAX + 4];
	struct gpt_request rq;
	struct gpt_plan plan;
	const char *why;

	memset(&rq, 0, sizeof(rq));
	rq.op = GPT_OP_ADD;
	memcpy(rq.type, gpt_type_srv, 16);
	random_guid(rq.guid);
	gpt_name_set(rq.name, STORAGE_PART_NAME);
	rq.align = STORAGE_ALIGN / d->ssz;
	rq.min_start = min_start / d->ssz;
	rq.min_size = STORAGE_MIN_SIZE / d->ssz;
	if (gpt_plan(&st_gpt, &rq, &plan, st_plan, sizeof(st_plan), &why) < 0) {
		if (errno == ENOSPC)
			storage_tmpfs("no free space on %s", d->name);
		else
			storage_tmpfs("%s: %s", d->name, why);
		return;
	}
	part_name(d, (unsigned)plan.index + 1, part, sizeof(part));
	/* The file system first, then the table: cut in between, the old
	 * table still stands and the next boot starts again. */
	if (storage_write_seed(d->fd, plan.first * d->ssz, (plan.last - plan.first + 1) * d->ssz) < 0) {
		storage_tmpfs("cannot write the file system on %s", d->name);
		return;
	}
	if (storage_run_plan(d, &plan) < 0) {
		storage_tmpfs("cannot write the partition table of %s", d->name);
		return;
	}
	if (storage_blkpg(d, BLKPG_ADD_PARTITION, (unsigned)plan.index + 1, plan.first, plan.last) < 0 &&
	    ioctl(d->fd, BLKRRPART) < 0)
		log_warn("Data: %s: telling the kernel about %s", d->name, part);
	if (storage_mount(part, &why) < 0) {
		log_warnx("Data: the new %s does not mount (%s)", part, why);
		storage_tmpfs("%s does not mount", part);
		return;
	}
	storage_grow_fs(part);
	storage_new_uuid(part);
	storage_is_persistent = 1;
	storage_report(part, " (new)");
}

/* A blank data disk: a new, empty GPT (UEFI 2.10 5.3), planned like any
 * other change. */
static void storage_new_table(struct disk *d)
{
	struct gpt *g = &st_gpt;
	uint32_t asec = GPT_MAX_ARRAY_BYTES / d->ssz;

	memset(g, 0, sizeof(*g));
	g->ssz = d->ssz;
	g->nsectors = d->nsectors;
	g->pmbr_sole = 1;
	g->pmbr_size = 0;	/* differs from the disk's: written */
	/* The protective MBR's one record (5.2.3, table 5.4). */
	g->mbr[446 + 2] = 0x02;	/* CHS 0/0/2 */
	g->mbr[446 + 4] = 0xee;
	g->mbr[446 + 5] = g->mbr[446 + 6] = g->mbr[446 + 7] = 0xff;
	g->mbr[446 + 8] = 1;
	g->mbr[510] = 0x55;
	g->mbr[511] = 0xaa;
	random_guid(g->disk_guid);
	g->first_usable = 2 + asec;
	g->last_usable = d->nsectors - 2 - asec;
	g->alternate_lba = d->nsectors - 1;
	g->primary_array_lba = 2;
	g->nentries = GPT_MAX_ARRAY_BYTES / 128;
	g->entry_size = 128;
	g->array_bytes = GPT_MAX_ARRAY_BYTES;
	storage_create(d, STORAGE_ALIGN);
}

/* minilinux.data=NAME: a whole disk of its own for the data. */
static void storage_data_disk(const char *dev, int reset)
{
	char sys[STORAGE_NAME_MAX + 32];
	const struct gpt_part *p;
	enum gpt_status st;
	const char *why;
	struct disk d;
	long waited;
	int blank;

	if (strncmp(dev, "/dev/", 5) == 0)
		dev += 5;
	if (!storage_disk_name_ok(dev)) {
		storage_tmpfs("data=%s is not a disk name", dev);
		return;
	}
	snprintf(sys, sizeof(sys), "/sys/block/%s", dev);
	for (waited = 0; access(sys, F_OK) < 0 && waited < STORAGE_DEV_WAIT_MS; waited += 50)
		storage_sleep_ms(50);
	if (access(sys, F_OK) < 0) {
		storage_tmpfs("no disk %s (data=%s)", dev, dev);
		return;
	}
	if (disk_open(&d, dev) < 0) {
		storage_tmpfs("cannot open %s: %s", dev, strerror(errno));
		return;
	}
	st = disk_read_gpt(&d, &st_gpt, &why);
	if (st == GPT_OK && (p = gpt_find(&st_gpt, gpt_type_srv, STORAGE_PART_NAME))) {
		storage_use(&d, p, reset);
	} else if (st == GPT_NONE &&
		   (blank = region_is_zero(d.fd, 0, d.bytes < STORAGE_BLANK_BYTES ? d.bytes : STORAGE_BLANK_BYTES)) == 1 &&
		   region_is_zero(d.fd, d.bytes - (d.bytes < STORAGE_BLANK_BYTES ? d.bytes : STORAGE_BLANK_BYTES),
				  d.bytes < STORAGE_BLANK_BYTES ? d.bytes : STORAGE_BLANK_BYTES) == 1) {
		log_info("Data: %s is blank: partitioning", dev);
		storage_new_table(&d);
	} else {
		log_warnx("Data: %s holds something else (%s): refused, not touched", dev,
			  st == GPT_OK ? "a GPT without a minilinux-data partition" :
			  st == GPT_NONE ? "data, but no partition table" : why);
		storage_tmpfs("%s refused", dev);
	}
	disk_close(&d);
}

/* The machine's own init, not one in a container or a test's PID
 * namespace (whose /dev may show the host's disks): in the first PID
 * namespace, pid 2 is the kernel's kthreadd. */
static int storage_machine_init(void)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open("/proc/2/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strncmp(buf, "2 (kthreadd) ", 13) == 0;
}

void storage_setup(const char *data_dev, int reset)
{
	const struct gpt_part *p;
	struct disk d;
	int more;

	if (!storage_machine_init()) {
		log_info("Data: none (not the machine's init: no disks looked at)");
		return;
	}
	if (mkdir(STORAGE_DIR, 0755) < 0 && errno != EEXIST)
		log_warn("mkdir %s", STORAGE_DIR);
	storage_wait_nvme();
	if (data_dev && data_dev[0]) {
		storage_data_disk(data_dev, reset);
	} else if (storage_find_boot_disk(&d, &more) < 0) {
		storage_tmpfs("no disk with a %s partition", STORAGE_ESP_NAME);
	} else {
		const char *why;

		if (more)
			log_warnx("Data: %d more disks hold a %s partition; using %s", more,
				  STORAGE_ESP_NAME, d.name);
		if (disk_read_gpt(&d, &st_gpt, &why) != GPT_OK)
			storage_tmpfs("%s: %s", d.name, why);
		else if ((p = gpt_find(&st_gpt, gpt_type_srv, STORAGE_PART_NAME)))
			storage_use(&d, p, reset);
		else
			storage_create(&d, STORAGE_BOOT_MIN_START);
		disk_close(&d);
	}
	/* Asked for from inside: a factory-reset file on the data itself. */
	storage_dirfd = open(STORAGE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (storage_dirfd < 0)
		log_warn("%s", STORAGE_DIR);
	if (storage_is_persistent && !reset && storage_dirfd >= 0 &&
	    faccessat(storage_dirfd, STORAGE_RESET_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		log_info("Data: %s/%s found: factory reset", STORAGE_DIR, STORAGE_RESET_FILE);
		close(storage_dirfd);
		storage_dirfd = -1;
		storage_is_persistent = 0;
		if (umount2(STORAGE_DIR, 0) < 0) {
			log_warn("umount %s", STORAGE_DIR);
		} else {
			storage_setup(data_dev, 1);
			return;
		}
		storage_dirfd = open(STORAGE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	storage_ready = storage_dirfd >= 0;
}

int storage_esp_device(char *path, size_t len)
{
	const struct gpt_part *p;
	struct disk d;
	const char *why;
	int more, r = -1;

	if (!storage_machine_init() || storage_find_boot_disk(&d, &more) < 0)
		return -1;
	if (disk_read_gpt(&d, &st_gpt, &why) == GPT_OK &&
	    (p = gpt_find(&st_gpt, gpt_type_esp, STORAGE_ESP_NAME))) {
		char part[STORAGE_NAME_MAX + 8];

		part_name(&d, p->index + 1, part, sizeof(part));
		r = (size_t)snprintf(path, len, "/dev/%s", part) < len ? 0 : -1;
	}
	disk_close(&d);
	return r;
}

int storage_persistent(void)
{
	return storage_is_persistent;
}

int storage_service_dir(const char *name, uid_t uid, gid_t gid, char *path, size_t len)
{
	struct stat st;
	int fd;

	if (!storage_ready) {
		errno = ENOENT;
		return -1;
	}
	/* Service names are [A-Za-z0-9_-] (config.c): one path component. */
	if (mkdirat(storage_dirfd, name, 0700) < 0 && errno != EEXIST)
		goto fail;
	fd = openat(storage_dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    ((st.st_uid != uid || st.st_gid != gid) && fchown(fd, uid, gid) < 0) ||
	    ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0)) {
		close(fd);
		goto fail;
	}
	close(fd);
	snprintf(path, len, "%s/%s", STORAGE_DIR, name);
	return 0;
fail:
	log_warn("%s: %s/%s", name, STORAGE_DIR, name);
	return -1;
}

void storage_teardown(void)
{
	if (!storage_ready)
		return;
	if (storage_dirfd >= 0)
		close(storage_dirfd);
	storage_dirfd = -1;
	storage_ready = 0;
	sync();
	if (umount2(STORAGE_DIR, 0) == 0) {
		if (storage_is_persistent)
			log_info("Data: %s unmounted", STORAGE_DIR);
		return;
	}
	log_warn("umount %s", STORAGE_DIR);
	if (mount(NULL, STORAGE_DIR, NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0)
		log_warn("remount %s read-only", STORAGE_DIR);
	sync();
}

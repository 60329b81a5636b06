/* install.c - the installer: writes the system image to a disk.
 *
 * The installer ISO's kernel command line says minilinux.install (or
 * minilinux.install=NAME, unattended); PID 1 then runs `init install`
 * instead of the services (install_run) and powers off when it is done.
 * The image to write is the one `make image` builds, carried in the
 * installer's initramfs; the data partition follows at the installed
 * system's first boot (docs/storage.md).
 *
 * Interactive: list the disks (/sys/block), ask which, show it and ask
 * for "yes", write, read back, compare, "Installed". Refused, and asked
 * again: an unknown name, the medium the installer booted from (it holds
 * the ISO 9660 volume INSTALL_VOLID), a read-only disk, a disk smaller
 * than INSTALL_MIN_BYTES. Unattended (--disk NAME) the same checks, and a
 * refusal ends the installer without writing anything.
 *
 * Questions and answers go to and come from every console: the serial
 * console (stdin/stdout) and the screen's terminal (--screen, tty1), so a
 * person at either can answer. --sys and --dev move /sys/block and /dev
 * elsewhere (tests on the host, with files for disks). */
#include "install/install.h"
#include "lib/fio.h"
#include "lib/log.h"
#include "lib/roles.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define INSTALL_IMAGE       "/install/minilinux.img"
#define INSTALL_VOLID       "MINILINUX_INSTALL"	/* image/installer.sh's ISO volume */
#define INSTALL_SCREEN      "/dev/tty1"
#define INSTALL_MIB         1048576ULL
/* The system (the ESP, within the first 16 MiB) and room for the data
 * partition's minimum (64 MiB, storage.c): less is refused. */
#define INSTALL_MIN_BYTES   (80 * INSTALL_MIB)
/* Zeroed after the image, so that an old data partition where the new
 * one will be made reads as blank; and at the disk's end (a stale GPT
 * backup). */
#define INSTALL_CLEAR_END   (17 * INSTALL_MIB)
#define INSTALL_CLEAR_TAIL  INSTALL_MIB
#define INSTALL_IO_BYTES    65536
#define INSTALL_MAX_DISKS   32
#define INSTALL_NAME_MAX    32
#define INSTALL_MODEL_MAX   41
#define INSTALL_PATH_MAX    256
#define INSTALL_LINE_MAX    128
#define INSTALL_MAX_TTYS    2
#define INSTALL_WAIT_MS     5000	/* unattended: for a disk that appears late */
#define INSTALL_DENTS_BYTES 4096
#define INSTALL_ISO_PVD     32768	/* ISO 9660: sector 16 of 2048 bytes */

struct install_disk {
	char name[INSTALL_NAME_MAX];
	char model[INSTALL_MODEL_MAX];
	unsigned long long bytes;
	int ro;
	const char *table;	/* "GPT", "MBR", or NULL: no partition table */
	int medium;		/* holds the installer */
};

struct install_tty {
	int in, out;		/* -1 when absent */
	char line[INSTALL_LINE_MAX];
	size_t len;
	int overlong;		/* the line so far did not fit: refused whole */
};

static const char *install_sys = "/sys/block";
static const char *install_dev = "/dev";
static struct install_disk install_disks[INSTALL_MAX_DISKS];
static int install_ndisks;
static struct install_tty install_ttys[INSTALL_MAX_TTYS];
static int install_nttys;
static unsigned char install_buf[INSTALL_IO_BYTES], install_back[INSTALL_IO_BYTES];

/* One message to every console. */
static void install_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void install_say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n, i;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (i = 0; i < install_nttys; i++)
		if (install_ttys[i].out >= 0)
			(void)!write(install_ttys[i].out, buf, (size_t)n);
}

static void install_fmt_size(unsigned long long bytes, char *out, size_t len)
{
	if (bytes >= 1024 * INSTALL_MIB)
		snprintf(out, len, "%llu.%llu GiB", bytes >> 30, ((bytes & ((1ULL << 30) - 1)) * 10) >> 30);
	else if (bytes >= INSTALL_MIB)
		snprintf(out, len, "%llu MiB", bytes >> 20);
	else
		snprintf(out, len, "%llu KiB", bytes >> 10);
}

/* A small sysfs attribute, its trailing newline and spaces cut; "" when
 * absent. */
static void install_read_attr(const char *disk, const char *attr, char *out, size_t len)
{
	char path[INSTALL_PATH_MAX];
	ssize_t n;
	int fd;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s/%s", install_sys, disk, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, out, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
}

static int install_open_disk(const char *name, int flags)
{
	char path[INSTALL_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", install_dev, name);
	return open(path, flags | O_CLOEXEC);
}

/* What the first sectors hold: the partition table, and whether this is
 * the installer's own medium (the ISO's primary volume descriptor). */
static void install_probe(struct install_disk *d)
{
	unsigned char *b = install_buf;
	int fd;

	fd = install_open_disk(d->name, O_RDONLY);
	if (fd < 0)
		return;
	if (d->bytes >= 1024 && fio_pread_full(fd, b, 1024, 0) == 0) {
		if (memcmp(b + 512, "EFI PART", 8) == 0)
			d->table = "GPT";
		else if (b[510] == 0x55 && b[511] == 0xaa)
			d->table = "MBR";
	}
	/* ECMA-119 8.4: type 1, "CD001", the volume identifier at byte 40,
	 * 32 characters padded with spaces. */
	if (d->bytes >= INSTALL_ISO_PVD + 2048 && fio_pread_full(fd, b, 2048, INSTALL_ISO_PVD) == 0 &&
	    b[0] == 1 && memcmp(b + 1, "CD001", 5) == 0 &&
	    memcmp(b + 40, INSTALL_VOLID, sizeof(INSTALL_VOLID) - 1) == 0 &&
	    b[40 + sizeof(INSTALL_VOLID) - 1] == ' ')
		d->medium = 1;
	close(fd);
}

/* Disk names are short and plain ("vda", "nvme0n1", "sda"). */
static int install_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= INSTALL_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int install_scan(void)
{
	static char dents[INSTALL_DENTS_BYTES] __attribute__((aligned(8)));
	struct install_disk *d;
	struct dirent *e;
	char sz[32];
	int dir, n, pos;

	install_ndisks = 0;
	/* getdents, not opendir: that would bring malloc in. */
	dir = open(install_sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	for (n = pos = 0; install_ndisks < INSTALL_MAX_DISKS; pos += e->d_reclen) {
		if (pos >= n) {
			n = getdents(dir, (struct dirent *)dents, sizeof(dents));
			if (n <= 0)
				break;
			pos = 0;
		}
		e = (struct dirent *)(dents + pos);
		/* Not disks a system is installed to: RAM disks, loop devices. */
		if (e->d_name[0] == '.' || strncmp(e->d_name, "loop", 4) == 0 ||
		    strncmp(e->d_name, "ram", 3) == 0 || strncmp(e->d_name, "zram", 4) == 0 ||
		    !install_name_ok(e->d_name))
			continue;
		d = &install_disks[install_ndisks];
		memset(d, 0, sizeof(*d));
		memcpy(d->name, e->d_name, strlen(e->d_name) + 1);	/* install_name_ok: it fits */
		install_read_attr(d->name, "size", sz, sizeof(sz));
		d->bytes = 0;	/* always 512-byte units; no strtoull (it brings stdio in) */
		for (const char *q = sz; *q >= '0' && *q <= '9' && d->bytes < (1ULL << 50); q++)
			d->bytes = d->bytes * 10 + (unsigned long long)(*q - '0');
		d->bytes *= 512;
		if (d->bytes == 0)
			continue;	/* an empty drive (no medium) */
		install_read_attr(d->name, "ro", sz, sizeof(sz));
		d->ro = sz[0] == '1';
		install_read_attr(d->name, "device/model", d->model, sizeof(d->model));
		if (!d->model[0]) {
			install_read_attr(d->name, "serial", d->model, sizeof(d->model));
			if (!d->model[0] && strncmp(d->name, "vd", 2) == 0)
				snprintf(d->model, sizeof(d->model), "virtio disk");
		}
		install_probe(d);
		install_ndisks++;
	}
	close(dir);
	/* In name order, so the list reads the same every time. */
	for (int i = 1; i < install_ndisks; i++)
		for (int j = i; j > 0 && strcmp(install_disks[j - 1].name, install_disks[j].name) > 0; j--) {
			struct install_disk t = install_disks[j];

			install_disks[j] = install_disks[j - 1];
			install_disks[j - 1] = t;
		}
	return install_ndisks;
}

static void install_list(void)
{
	char sz[32];
	int i;

	install_say("Disks found:\n  %-10s %-10s %-24s %s\n", "NAME", "SIZE", "MODEL", "PARTITIONED");
	for (i = 0; i < install_ndisks; i++) {
		const struct install_disk *d = &install_disks[i];

		install_fmt_size(d->bytes, sz, sizeof(sz));
		install_say("  %-10s %-10s %-24.24s %s%s%s%s\n", d->name, sz, d->model[0] ? d->model : "-",
			    d->table ? "yes (" : "no", d->table ? d->table : "", d->table ? ")" : "",
			    d->medium ? "  the installer's medium" : d->ro ? "  read-only" : "");
	}
	if (install_ndisks == 0)
		install_say("  (none)\n");
}

static struct install_disk *install_find(const char *name)
{
	int i;

	for (i = 0; i < install_ndisks; i++)
		if (strcmp(install_disks[i].name, name) == 0)
			return &install_disks[i];
	return NULL;
}

/* The reason NAME cannot be installed to, or NULL; *D is the disk. */
static const char *install_refusal(const char *name, unsigned long long image_bytes,
				   struct install_disk **dp, char *why, size_t len)
{
	struct install_disk *d = install_name_ok(name) ? install_find(name) : NULL;
	unsigned long long need = image_bytes > INSTALL_MIN_BYTES ? image_bytes : INSTALL_MIN_BYTES;
	char have[32], want[32];

	*dp = d;
	if (!d) {
		snprintf(why, len, "no disk named '%.*s' (the names are in the list)", INSTALL_NAME_MAX, name);
		return why;
	}
	if (d->medium) {
		snprintf(why, len, "%s is the medium the installer runs from", d->name);
		return why;
	}
	if (d->ro) {
		snprintf(why, len, "%s is read-only", d->name);
		return why;
	}
	if (d->bytes < need) {
		install_fmt_size(d->bytes, have, sizeof(have));
		install_fmt_size(need, want, sizeof(want));
		snprintf(why, len, "%s is too small (%s): the system needs at least %s", d->name, have, want);
		return why;
	}
	return NULL;
}

/* One line from whichever console gives one first, without its newline
 * and surrounding blanks; -1 when no console can give input any more. */
static int install_read_line(char *out, size_t len)
{
	struct pollfd p[INSTALL_MAX_TTYS];
	int i, n, k;

	for (;;) {
		/* A whole line already buffered? */
		for (i = 0; i < install_nttys; i++) {
			struct install_tty *t = &install_ttys[i];
			char *nl = t->len ? memchr(t->line, '\n', t->len) : NULL;

			if (!nl)
				continue;
			size_t l = (size_t)(nl - t->line), s = 0;
			int bad = t->overlong;

			t->overlong = 0;
			while (l > 0 && (t->line[l - 1] == '\r' || t->line[l - 1] == ' ' || t->line[l - 1] == '\t'))
				l--;
			while (s < l && (t->line[s] == ' ' || t->line[s] == '\t'))
				s++;
			if (bad || l - s >= len) {
				snprintf(out, len, "?");	/* matches no disk, is not "yes" */
			} else {
				memcpy(out, t->line + s, l - s);
				out[l - s] = '\0';
			}
			t->len -= (size_t)(nl - t->line) + 1;
			memmove(t->line, nl + 1, t->len);
			return 0;
		}
		for (i = k = 0; i < install_nttys; i++) {
			p[i].fd = install_ttys[i].in;
			p[i].events = POLLIN;
			p[i].revents = 0;
			k += install_ttys[i].in >= 0;
		}
		if (k == 0)
			return -1;
		if (poll(p, (nfds_t)install_nttys, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (i = 0; i < install_nttys; i++) {
			struct install_tty *t = &install_ttys[i];

			if (t->in < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (t->len == sizeof(t->line)) {	/* no newline in a full buffer */
				t->overlong = 1;
				t->len = 0;
			}
			n = (int)read(t->in, t->line + t->len, sizeof(t->line) - t->len);
			if (n > 0) {
				t->len += (size_t)n;
			} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
				if (t->len && t->len < sizeof(t->line))
					t->line[t->len++] = '\n';	/* a last line without newline */
				t->in = -1;
			}
		}
	}
}

/* Write the image to D, clear what would confuse the first boot, read it
 * back and compare. 0, or -1 with a message said. */
static int install_write(const struct install_disk *d, const char *image)
{
	unsigned long long size, off, end, done = 0;
	int img, fd, rc = -1;
	struct stat st;
	size_t n;

	img = open(image, O_RDONLY | O_CLOEXEC);
	if (img < 0 || fstat(img, &st) < 0) {
		install_say("Cannot read the system image %s: %s\n", image, strerror(errno));
		if (img >= 0)
			close(img);
		return -1;
	}
	size = (unsigned long long)st.st_size;
	/* O_EXCL: refused while the kernel uses the disk (mounted). */
	fd = install_open_disk(d->name, O_RDWR | O_EXCL);
	if (fd < 0) {
		install_say("Cannot open %s: %s\n", d->name, strerror(errno));
		close(img);
		return -1;
	}
	install_say("Writing the system (%llu KiB) to %s...\n", size >> 10, d->name);
	for (off = 0; off < size; off += n) {
		n = size - off < INSTALL_IO_BYTES ? (size_t)(size - off) : INSTALL_IO_BYTES;
		if (fio_pread_full(img, install_buf, n, off) < 0)
			goto read_error;
		if (fio_pwrite_full(fd, install_buf, n, off) < 0)
			goto write_error;
	}
	memset(install_buf, 0, sizeof(install_buf));
	end = INSTALL_CLEAR_END < d->bytes ? INSTALL_CLEAR_END : d->bytes;
	for (off = size; off < end; off += n) {
		n = end - off < INSTALL_IO_BYTES ? (size_t)(end - off) : INSTALL_IO_BYTES;
		if (fio_pwrite_full(fd, install_buf, n, off) < 0)
			goto write_error;
	}
	for (off = d->bytes - INSTALL_CLEAR_TAIL; off < d->bytes; off += n) {
		if (off < end)
			off = end;
		if (off >= d->bytes)
			break;
		n = d->bytes - off < INSTALL_IO_BYTES ? (size_t)(d->bytes - off) : INSTALL_IO_BYTES;
		if (fio_pwrite_full(fd, install_buf, n, off) < 0)
			goto write_error;
	}
	if (fsync(fd) < 0)
		goto write_error;
	/* Read back from the disk, not from the page cache. */
	(void)ioctl(fd, BLKFLSBUF, 0);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	install_say("Verifying...\n");
	for (off = 0; off < size; off += n) {
		n = size - off < INSTALL_IO_BYTES ? (size_t)(size - off) : INSTALL_IO_BYTES;
		if (fio_pread_full(img, install_buf, n, off) < 0)
			goto read_error;
		if (fio_pread_full(fd, install_back, n, off) < 0) {
			install_say("Reading %s back failed: %s\n", d->name, strerror(errno));
			goto out;
		}
		if (memcmp(install_buf, install_back, n) != 0) {
			install_say("Verification failed: %s differs from the image near byte %llu\n",
				    d->name, off);
			goto out;
		}
		done += n;
	}
	(void)ioctl(fd, BLKRRPART, 0);	/* the kernel reads the new table */
	install_say("Verified %llu KiB on %s\n", done >> 10, d->name);
	rc = 0;
	goto out;
read_error:
	install_say("Reading the system image failed: %s\n", strerror(errno));
	goto out;
write_error:
	install_say("Writing %s failed: %s\n", d->name, strerror(errno));
out:
	close(fd);
	close(img);
	return rc;
}

static void install_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int install_unattended(const char *name, const char *image, unsigned long long image_bytes)
{
	struct install_disk *d;
	char why[160];
	long waited;

	install_say("Unattended: installing to %s\n", name);
	for (waited = 0;; waited += 100) {
		install_scan();
		if (install_find(name) || waited >= INSTALL_WAIT_MS)
			break;
		install_sleep_ms(100);
	}
	install_list();
	if (install_refusal(name, image_bytes, &d, why, sizeof(why))) {
		install_say("Refused: %s\nNot installed: nothing was written\n", why);
		return 1;
	}
	if (install_write(d, image) < 0) {
		install_say("Not installed\n");
		return 1;
	}
	install_say("Installed\n");
	return 0;
}

static int install_interactive(const char *image, unsigned long long image_bytes)
{
	struct install_disk *d;
	char answer[INSTALL_LINE_MAX], why[160], sz[32];
	const char *name;

	for (;;) {
		install_scan();
		install_list();
		install_say("Install to which disk? ");
		if (install_read_line(answer, sizeof(answer)) < 0)
			goto no_input;
		name = strncmp(answer, "/dev/", 5) == 0 ? answer + 5 : answer;
		if (!*name)
			continue;
		if (install_refusal(name, image_bytes, &d, why, sizeof(why))) {
			install_say("Refused: %s\n", why);
			continue;
		}
		install_fmt_size(d->bytes, sz, sizeof(sz));
		install_say("%s: %s, %s%s%s\nEverything on %s will be erased. Type yes to erase it: ",
			    d->name, sz, d->model[0] ? d->model : "no model",
			    d->table ? ", partitioned " : "", d->table ? d->table : "", d->name);
		if (install_read_line(answer, sizeof(answer)) < 0)
			goto no_input;
		if (strcmp(answer, "yes") != 0) {
			install_say("Not confirmed: %s left as it was\n", d->name);
			continue;
		}
		if (install_write(d, image) < 0)
			continue;	/* said why; another disk may do */
		install_say("Installed\n");
		return 0;
	}
no_input:
	install_say("\nNo more input on the console: not installed\n");
	return 1;
}

int install_main(int argc, char **argv)
{
	const char *image = INSTALL_IMAGE, *disk = NULL, *screen = NULL;
	struct stat st;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--image") == 0 && i + 1 < argc)
			image = argv[++i];
		else if (strcmp(argv[i], "--disk") == 0 && i + 1 < argc)
			disk = argv[++i];
		else if (strcmp(argv[i], "--screen") == 0 && i + 1 < argc)
			screen = argv[++i];
		else if (strcmp(argv[i], "--sys") == 0 && i + 1 < argc)
			install_sys = argv[++i];
		else if (strcmp(argv[i], "--dev") == 0 && i + 1 < argc)
			install_dev = argv[++i];
		else {
			dprintf(STDERR_FILENO, "usage: init install [--image FILE] [--disk NAME] "
				"[--screen TTY] [--sys DIR] [--dev DIR]\n");
			return 2;
		}
	}
	install_ttys[0] = (struct install_tty){ .in = STDIN_FILENO, .out = STDOUT_FILENO };
	install_nttys = 1;
	if (screen) {
		int fd = open(screen, O_RDWR | O_NOCTTY | O_CLOEXEC);

		if (fd >= 0)
			install_ttys[install_nttys++] = (struct install_tty){ .in = fd, .out = fd };
	}
	if (stat(image, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		install_say("No system image at %s: not an installer\n", image);
		return 1;
	}
	install_say("\nminilinux installer: the system image is %llu KiB\n",
		    (unsigned long long)st.st_size >> 10);
	if (disk)
		return install_unattended(disk, image, (unsigned long long)st.st_size);
	return install_interactive(image, (unsigned long long)st.st_size);
}

/* minilinux.install (interactive) or minilinux.install=NAME (unattended):
 * 1, with NAME copied to DISK ("" when interactive); 0 when absent. */
int install_requested(const char *cmdline, size_t len, char *disk, size_t disklen)
{
	static const char key[] = "minilinux.install";
	size_t i = 0, s, k = sizeof(key) - 1;

	disk[0] = '\0';
	while (i < len) {
		while (i < len && (cmdline[i] == ' ' || cmdline[i] == '\n'))
			i++;
		s = i;
		while (i < len && cmdline[i] != ' ' && cmdline[i] != '\n')
			i++;
		if (i - s == k && memcmp(cmdline + s, key, k) == 0)
			return 1;
		if (i - s > k + 1 && memcmp(cmdline + s, key, k) == 0 && cmdline[s + k] == '=') {
			snprintf(disk, disklen, "%.*s", (int)(i - s - k - 1), cmdline + s + k + 1);
			return 1;
		}
	}
	return 0;
}

/* In PID 1: the installer as a child, as root with CAP_SYS_ADMIN alone
 * (the block device ioctls; the disks are root's), no new privileges;
 * then power off. Never returns. */
void install_run(const char *disk)
{
	const char *argv[] = { "/init", "install", "--screen", INSTALL_SCREEN, NULL, NULL, NULL };
	sigset_t none;
	pid_t pid, w;
	int c, status = 0;

	if (disk[0]) {
		argv[4] = "--disk";
		argv[5] = disk;
	}
	log_info("Installer mode: starting the installer");
	pid = fork();
	if (pid == 0) {
		for (c = 0; c < 64; c++)
			if (c != CAP_SYS_ADMIN && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
				_exit(127);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* Its own, blocking console descriptors. */
		c = open("/dev/console", O_RDWR | O_NOCTTY);
		if (c >= 0) {
			dup2(c, STDIN_FILENO);
			dup2(c, STDOUT_FILENO);
			dup2(c, STDERR_FILENO);
			if (c > STDERR_FILENO)
				close(c);
		}
		execv("/init", (char *const *)argv);
		_exit(127);
	}
	if (pid < 0) {
		log_warn("fork: installer");
	} else {
		/* Reap everything; the installer's end is ours. */
		while ((w = waitpid(-1, &status, 0)) != pid)
			if (w < 0 && errno != EINTR)
				break;
		if (w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			log_info("Installer finished: remove the installer medium and boot the disk");
		else
			log_info("Installer ended without installing");
	}
	sync();
	log_info("Powering off");
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* mount.c - mount the API file systems, in order, creating mount points. */
#include "pid1/mount.h"
#include "lib/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct mount_entry {
	const char *source, *target, *fstype;
	unsigned long flags;
	const char *data;
	mode_t mode;	/* of the mount point */
} mount_table[] = {
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555 },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0555 },
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755", 0755 },
	{ "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666", 0755 },
	{ "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", 01777 },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", 01777 },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755", 0755 },
};

#define MOUNT_COUNT (sizeof(mount_table) / sizeof(mount_table[0]))

/* Every role runs as a user of its own, and some own a directory PID 1
 * (root) writes in (/run/update, /run/net): the kernel's link protections
 * (off unless set) keep a role from planting a hard link or a symlink
 * there that makes root write, or follow, elsewhere. */
static void mount_protect_links(void)
{
	static const char *const knobs[] = { "/proc/sys/fs/protected_hardlinks",
					      "/proc/sys/fs/protected_symlinks" };
	size_t i;
	int fd;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		fd = open(knobs[i], O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "1\n", 2) != 2)
			log_warn("%s", knobs[i]);
		if (fd >= 0)
			close(fd);
	}
}

int mount_api_filesystems(void)
{
	const struct mount_entry *m;
	int failed = 0;
	size_t i;

	log_info("Mounting filesystems...");
	for (i = 0; i < MOUNT_COUNT; i++) {
		m = &mount_table[i];
		if (mkdir(m->target, m->mode) < 0 && errno != EEXIST)
			log_warn("mkdir %s", m->target);
		if (mount(m->source, m->target, m->fstype, m->flags, m->data) < 0) {
			/* The kernel may have mounted devtmpfs already. */
			if (errno == EBUSY)
				continue;
			log_warn("mount %s on %s", m->fstype, m->target);
			failed++;
		}
	}
	/* Conventional links that programs expect under /dev. */
	(void)!symlink("/proc/self/fd", "/dev/fd");
	(void)!symlink("/proc/self/fd/0", "/dev/stdin");
	(void)!symlink("/proc/self/fd/1", "/dev/stdout");
	(void)!symlink("/proc/self/fd/2", "/dev/stderr");
	mount_protect_links();
	return failed;
}

void mount_teardown(void)
{
	size_t i;

	sync();
	for (i = MOUNT_COUNT; i-- > 0;) {
		const struct mount_entry *m = &mount_table[i];

		if (umount2(m->target, 0) == 0)
			continue;
		/* Busy: at least make sure nothing more is written. */
		if (mount(NULL, m->target, NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0 &&
		    errno != EINVAL && errno != EBUSY)
			log_warn("remount %s read-only", m->target);
	}
	sync();
}

/* slots.c - the slots on the ESP (slots.h; docs/update.md).
 *
 * The running entry is the one whose version is ours; "the other" is the
 * newest of the rest. States, from the boot counter systemd-boot keeps in
 * the file name (Automatic Boot Assessment):
 *   no counter          good     (committed, or the image's first)
 *   +LEFT, LEFT > 0     staged   (not booted yet: the loader takes it next)
 *   +LEFT-DONE, both>0  trying   (booted, tries left)
 *   +0-DONE             bad      (tried and not committed: the loader
 *                                 passes over it)
 * The running entry with a counter is a trial ("trying"). */
#include "update/slots.h"
#include "lib/fio.h"
#include "lib/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int slots_scan(int espfd, const char *version, struct slots *s)
{
	char buf[2048], want[BUNDLE_VERSION_MAX + 1];
	long n, i;
	int fd, k;

	memset(s, 0, sizeof(*s));
	s->own = s->other = -1;
	bundle_entry_version(version, want);
	fd = openat(espfd, SLOTS_LINUX_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		/* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
		for (i = 0; i + 19 < n;) {
			unsigned short reclen;
			const char *name = buf + i + 19;
			size_t len;

			memcpy(&reclen, buf + i + 16, sizeof(reclen));
			if (reclen < 20 || reclen > n - i || !memchr(name, '\0', (size_t)reclen - 19))
				break;
			i += reclen;
			len = strlen(name);
			if (s->n == SLOTS_MAX || len >= BUNDLE_ENTRY_MAX ||
			    bundle_entry_parse(name, len, &s->e[s->n]) < 0)
				continue;
			memcpy(s->name[s->n], name, len + 1);
			s->n++;
		}
	}
	close(fd);
	for (k = 0; k < s->n; k++)
		if (strcmp(s->e[k].version, want) == 0 && (s->own < 0 || s->e[k].gen > s->e[s->own].gen))
			s->own = k;
	for (k = 0; k < s->n; k++)
		if (k != s->own && (s->other < 0 || s->e[k].gen > s->e[s->other].gen))
			s->other = k;
	if (slots_read_small(espfd, SLOTS_LAST_FAILURE, s->last_failure, sizeof(s->last_failure)) < 0)
		s->last_failure[0] = '\0';
	return 0;
}

const char *slots_state(const struct slots *s, int i)
{
	const struct bundle_entry *e = &s->e[i];

	if (!e->counted)
		return "good";
	if (i == s->own)
		return "trying";
	if (e->left == 0)
		return "bad";
	return e->done ? "trying" : "staged";
}

const char *slots_letter(const struct slots *s, int i)
{
	return s->e[i].gen % 2 ? "a" : "b";
}

int slots_rename(int espfd, struct slots *s, int i, const struct bundle_entry *e)
{
	char from[sizeof(SLOTS_LINUX_DIR) + BUNDLE_ENTRY_MAX], to[sizeof(from)], name[BUNDLE_ENTRY_MAX];
	int fd, r;

	if (bundle_entry_format(e, name, sizeof(name)) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(from, sizeof(from), "%s/%s", SLOTS_LINUX_DIR, s->name[i]);
	snprintf(to, sizeof(to), "%s/%s", SLOTS_LINUX_DIR, name);
	if (renameat(espfd, from, espfd, to) < 0)
		return -1;
	memcpy(s->name[i], name, sizeof(name));
	s->e[i] = *e;
	/* FAT: the directory entry reaches the disk with the directory's fsync. */
	fd = openat(espfd, SLOTS_LINUX_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = fd < 0 ? -1 : fsync(fd);
	if (fd >= 0)
		close(fd);
	return r;
}

int slots_read_small(int dirfd, const char *path, char *buf, size_t len)
{
	long n, got = fio_read_small(dirfd, path, O_NOFOLLOW, buf, len);

	if (got < 0)
		return -1;
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
		got--;
	buf[got] = '\0';
	/* One line of text: the ESP is the update role's to write, and what
	 * is read here goes into key=value status lines and the console. */
	for (n = 0; n < got; n++)
		if ((unsigned char)buf[n] < 0x20 || (unsigned char)buf[n] == 0x7f)
			buf[n] = '?';
	return (int)got;
}

int slots_write_file(int dirfd, const char *path, const char *buf, size_t len, int mode)
{
	char tmp[128];
	int fd, err;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A new file, never one already there: whoever owns the directory
	 * (uid 103) cannot have us write through a link it left. */
	if (unlinkat(dirfd, tmp, 0) < 0 && errno != ENOENT)
		return -1;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len || fsync(fd) < 0) {
		err = errno ? errno : EIO;
		close(fd);
		unlinkat(dirfd, tmp, 0);
		errno = err;
		return -1;
	}
	close(fd);
	if (renameat(dirfd, tmp, dirfd, path) < 0) {
		err = errno;
		unlinkat(dirfd, tmp, 0);
		errno = err;
		return -1;
	}
	return 0;
}

int slots_write_status(const char *path, const struct slots *s, const char *version)
{
	char buf[1024];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "version=%s\nstate=%s\nslot=%s\nother_slot=%s\nother_version=%s\nother_state=%s\n"
		     "last_failure=%s\n",
		     version, s->own >= 0 ? slots_state(s, s->own) : "unmanaged",
		     s->own >= 0 ? slots_letter(s, s->own) : "",
		     s->own >= 0 ? (s->e[s->own].gen % 2 ? "b" : "a") : "",
		     s->other >= 0 ? s->e[s->other].version : "",
		     s->other >= 0 ? slots_state(s, s->other) : "empty", s->last_failure);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		errno = EOVERFLOW;
		return -1;
	}
	/* 0644: the directory (103:102, 0750) keeps out all but the admin role. */
	return slots_write_file(AT_FDCWD, path, buf, (size_t)n, 0644);
}

void slots_log(const struct slots *s, const char *version)
{
	if (s->own < 0) {
		log_info("Update: running %s, not from an A/B slot (no updates)", version);
		return;
	}
	log_info("Update: running %s (slot %s, %s); other slot: %s%s%s", version,
		 slots_letter(s, s->own), slots_state(s, s->own),
		 s->other >= 0 ? s->e[s->other].version : "empty",
		 s->other >= 0 ? ", " : "", s->other >= 0 ? slots_state(s, s->other) : "");
	if (s->last_failure[0])
		log_info("Update: last failure: %s", s->last_failure);
}

int slots_bios_read(int espfd, const char *path, struct bios_entry *b, const char **why)
{
	uint8_t head[BIOS_PE_HEAD];
	struct stat st;
	ssize_t n;
	int fd;

	memset(b, 0, sizeof(*b));
	*why = "cannot be read";
	fd = openat(espfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (n = pread(fd, head, sizeof(head), 0)) < 0 ||
	    bios_pe_parse(head, (size_t)n, (uint64_t)st.st_size, &b->pe, why) < 0) {
		close(fd);
		return -1;
	}
	n = pread(fd, b->cmdline, b->pe.cmdline_len, b->pe.cmdline_off);
	close(fd);
	if (n != (ssize_t)b->pe.cmdline_len) {
		*why = "its command line cannot be read";
		return -1;
	}
	b->cmdline[n] = '\0';
	/* A trailing newline or NUL is no part of the command line. */
	while (n > 0 && (b->cmdline[n - 1] == '\n' || b->cmdline[n - 1] == '\0'))
		b->cmdline[--n] = '\0';
	if (!bios_cmdline_ok(b->cmdline, (size_t)n)) {
		*why = "its command line has characters GRUB would read as script ('\"', '\\', '$' or controls)";
		return -1;
	}
	return 0;
}

/* Entry I of S as GRUB boots it. 0, or -1 (logged: left out under BIOS). */
static int slots_bios_entry(int espfd, const struct slots *s, int i, struct bios_entry *b)
{
	char path[sizeof(SLOTS_LINUX_DIR) + BUNDLE_ENTRY_MAX];
	const char *why;

	snprintf(path, sizeof(path), "%s/%s", SLOTS_LINUX_DIR, s->name[i]);
	if (slots_bios_read(espfd, path, b, &why) < 0) {
		log_warnx("Update: %s cannot be started under BIOS: %s", path, why);
		return -1;
	}
	snprintf(b->name, sizeof(b->name), "%s", s->name[i]);
	return 0;
}

int slots_bios_enabled(int espfd)
{
	struct stat st;

	return fstatat(espfd, SLOTS_GRUB_DIR, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int slots_bad(const struct bundle_entry *e)
{
	return e->counted && e->left == 0;
}

int slots_bios_sync(int espfd, const struct slots *s, int *listed)
{
	static struct bios_entry b[BIOS_ENTRIES_MAX];
	char cfg[BIOS_ENTRIES_MAX * (BIOS_CMDLINE_MAX + 2 * BIOS_NAME_MAX + 160) + 256];
	char old[sizeof(cfg)];
	int order[SLOTS_MAX], n = 0, nb = 0, i, k, len;

	if (listed)
		*listed = 0;
	if (!slots_bios_enabled(espfd))
		return 0;
	/* systemd-boot's order: entries with tries left (or no counter)
	 * before those with none, each newest first. */
	for (k = 0; k < s->n; k++)
		order[n++] = k;
	for (i = 1; i < n; i++)
		for (k = i; k > 0; k--) {
			const struct bundle_entry *a = &s->e[order[k - 1]], *c = &s->e[order[k]];

			if (slots_bad(a) > slots_bad(c) ||
			    (slots_bad(a) == slots_bad(c) && a->gen < c->gen)) {
				int t = order[k];

				order[k] = order[k - 1];
				order[k - 1] = t;
			}
		}
	for (i = 0; i < n && nb < BIOS_ENTRIES_MAX; i++) {
		const struct bundle_entry *e = &s->e[order[i]];

		if (slots_bios_entry(espfd, s, order[i], &b[nb]) < 0)
			continue;
		b[nb].once = nb == 0 && e->counted && e->left > 0;
		nb++;
	}
	if (listed)
		*listed = nb;
	len = bios_cfg_format(b, nb, cfg, sizeof(cfg));
	if (len < 0) {
		errno = EOVERFLOW;
		return -1;
	}
	if (fio_read_small(espfd, SLOTS_GRUB_CFG, O_NOFOLLOW, old, sizeof(old)) == len &&
	    memcmp(old, cfg, (size_t)len) == 0)
		return 0;
	if (slots_write_file(espfd, SLOTS_GRUB_CFG, cfg, (size_t)len, 0600) < 0)
		return -1;
	return 1;
}

int slots_bios_mark_tried(int espfd, struct slots *s)
{
	char env[1024 + 1], tried[BIOS_NAME_MAX];
	struct bundle_entry e;
	long got;
	int k;

	got = fio_read_small(espfd, SLOTS_GRUB_ENV, O_NOFOLLOW, env, sizeof(env));
	if (got < 0)
		return errno == ENOENT ? 0 : -1;
	if (bios_env_tried(env, (size_t)got, tried, sizeof(tried)) <= 0)
		return 0;
	for (k = 0; k < s->n; k++) {
		if (k == s->own || strcmp(s->name[k], tried) != 0 || !s->e[k].counted || s->e[k].left == 0)
			continue;
		e = s->e[k];
		e.done += e.left;
		e.left = 0;
		if (slots_rename(espfd, s, k, &e) < 0)
			return -1;
		log_info("Update: GRUB started %s once and it did not commit: no tries left", tried);
		return 1;
	}
	return 0;
}

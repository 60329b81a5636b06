/* update.c - the update role: receives a bundle from the admin role on a
 * Unix socket and stages it in the inactive slot (docs/update.md).
 *
 * Protocol, one request per connection: "PUT <length>\n", then exactly
 * <length> bundle bytes; one answer line "<status> <message>\n". Only the
 * admin role's uid may connect (SO_PEERCRED; the directory already keeps
 * others out). Order of the checks, so that nothing bootable changes
 * unless the bundle is whole and signed by our key:
 *   header       parsed (pure/bundle.c), the architecture, the slot size
 *                and the length checked: 400 / 413 at once
 *   signature    ECDSA P-256 over the header's SHA-256, BearSSL, our key
 *                (the header holds the UKI's SHA-256): 400 before a byte
 *                of the UKI is written
 *   UKI          streamed through UPD_BUF_SIZE bytes into staging.tmp
 *                (not a .efi name: never bootable), hashed as it goes; the
 *                inactive slot's old file is removed first if the ESP
 *                has no room for both
 *   hash         equal to the header's, else 400 and the file removed
 *   commit       fsync, rename to minilinux-GEN-VERSION+1.efi (one try
 *                for the loader), fsync the directory: 200 staged VERSION
 * A disconnect or a timeout anywhere removes staging.tmp. Runs as its own
 * uid with no capabilities; the ESP is mounted with that uid as owner. */
#include "lib/fio.h"
#include "lib/log.h"
#include "lib/roles.h"
#include "pure/bundle.h"
#include "pure/config.h"
#include "update/slots.h"

#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <unistd.h>

#define UPD_BUF_SIZE      65536	/* the bounded buffer: bytes read at once */
#define UPD_LINE_MAX      64	/* "PUT <length>\n" */
#define UPD_TIMEOUT_MS    60000	/* no byte for this long: the upload is dropped */
#define UPD_MAX_LENGTH    (1ULL << 32)	/* no bundle is this large */
#define UPD_POINT_SIZE    65	/* uncompressed P-256 point: 04 || X || Y */
#define UPD_BACKLOG       4

#if defined(__x86_64__)
#define UPD_ARCH "amd64"
#elif defined(__aarch64__)
#define UPD_ARCH "arm64"
#else
#define UPD_ARCH "unknown"
#endif

static struct {
	const char *esp, *sock, *status, *pubkey;
	char version[BUNDLE_VERSION_MAX + 1];
	uint64_t slot_size;
	uint64_t epoch;		/* the running version's (bundle.h) */
	uid_t peer_uid;
	int espfd;
	uint8_t point[UPD_POINT_SIZE];
} upd;

static uint8_t upd_buf[UPD_BUF_SIZE];

struct conn {
	int fd;
	size_t have, off;	/* buffered bytes upd_buf[off..have) */
	char answer[256];	/* sent once the request is done with */
	size_t answer_len;
};

static void upd_answer(struct conn *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void upd_answer(struct conn *c, int status, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Kept, and sent after the clean-up: whoever reads the answer finds
	 * the ESP as it says. */
	n = snprintf(c->answer, sizeof(c->answer), "%d %s\n", status, msg);
	c->answer_len = n > 0 && (size_t)n < sizeof(c->answer) ? (size_t)n : 0;
	if (status == 200)
		log_info("update: %s", msg);
	else
		log_warnx("update: refused (%d): %s", status, msg);
}

/* Read more into upd_buf (after moving what is left to the front). 1, 0
 * on end of stream, -1 on error or timeout. */
static int upd_fill(struct conn *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	ssize_t n;

	if (c->off) {
		memmove(upd_buf, upd_buf + c->off, c->have - c->off);
		c->have -= c->off;
		c->off = 0;
	}
	if (c->have == sizeof(upd_buf))
		return 1;
	for (;;) {
		int r = poll(&p, 1, UPD_TIMEOUT_MS);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		n = read(c->fd, upd_buf + c->have, sizeof(upd_buf) - c->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		c->have += (size_t)n;
		return 1;
	}
}

/* Have at least LEN bytes buffered; 1, 0 (end), -1. */
static int upd_need(struct conn *c, size_t len)
{
	int r;

	while (c->have - c->off < len)
		if ((r = upd_fill(c)) <= 0)
			return r;
	return 1;
}

/* /run/update/status; with BIOS, also GRUB's list, which an upload (or
 * the room made for it) changes. At start PID 1 has just written it. */
static void upd_status(int bios)
{
	struct slots s;

	if (slots_scan(upd.espfd, upd.version, &s) < 0) {
		log_warn("update: %s/%s", upd.esp, SLOTS_LINUX_DIR);
		memset(&s, 0, sizeof(s));
		s.own = s.other = -1;
	}
	if (slots_write_status(upd.status, &s, upd.version) < 0)
		log_warn("update: %s", upd.status);
	if (bios && slots_bios_sync(upd.espfd, &s, NULL) < 0)
		log_warn("update: %s/%s", upd.esp, SLOTS_GRUB_CFG);
}

/* Make room for LEN bytes: remove every slot file but the running one
 * when the ESP has less free space. The running entry is never touched. */
static int upd_make_room(struct slots *s, uint64_t len)
{
	char path[sizeof(SLOTS_LINUX_DIR) + BUNDLE_ENTRY_MAX];
	struct statvfs v;
	int i;

	if (fstatvfs(upd.espfd, &v) == 0 && (uint64_t)v.f_bavail * v.f_frsize >= len + UPD_BUF_SIZE)
		return 0;
	for (i = 0; i < s->n; i++) {
		if (i == s->own)
			continue;
		snprintf(path, sizeof(path), "%s/%s", SLOTS_LINUX_DIR, s->name[i]);
		if (unlinkat(upd.espfd, path, 0) < 0 && errno != ENOENT)
			return -1;
		log_info("update: %s removed to make room", s->name[i]);
	}
	return 0;
}

static int upd_verify(const uint8_t *header, const uint8_t *sig)
{
	br_ec_public_key pk = { .curve = BR_EC_secp256r1, .q = upd.point, .qlen = sizeof(upd.point) };
	br_sha256_context h;
	uint8_t hash[BUNDLE_HASH_SIZE];

	br_sha256_init(&h);
	br_sha256_update(&h, header, BUNDLE_HEADER_SIZE);
	br_sha256_out(&h, hash);
	return br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, hash, sizeof(hash), &pk, sig, BUNDLE_SIG_SIZE) == 1;
}

/* The part after the header and signature: the UKI into staging.tmp.
 * 0, or -1 after answering (or on a disconnect). */
static int upd_receive(struct conn *c, const struct bundle_header *h, struct slots *s)
{
	br_sha256_context sha;
	uint8_t hash[BUNDLE_HASH_SIZE];
	struct bundle_entry e;
	char name[BUNDLE_ENTRY_MAX], path[sizeof(SLOTS_LINUX_DIR) + BUNDLE_ENTRY_MAX];
	static struct bios_entry bios;
	const char *why;
	uint64_t left = h->uki_len;
	unsigned gen = 0;
	int fd, i, r, dfd;

	if (upd_make_room(s, h->uki_len) < 0) {
		upd_answer(c, 500, "cannot free the inactive slot: %s", strerror(errno));
		return -1;
	}
	unlinkat(upd.espfd, SLOTS_STAGING, 0);
	fd = openat(upd.espfd, SLOTS_STAGING, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		upd_answer(c, 500, "cannot create %s: %s", SLOTS_STAGING, strerror(errno));
		return -1;
	}
	br_sha256_init(&sha);
	while (left) {
		size_t n;

		if (c->have == c->off) {
			c->have = c->off = 0;
			r = upd_fill(c);
			if (r <= 0) {
				if (r == 0)
					upd_answer(c, 400, "bundle truncated: %llu bytes of the UKI missing",
						   (unsigned long long)left);
				else
					log_warn("update: upload dropped with %llu bytes to go",
						 (unsigned long long)left);
				goto fail;
			}
		}
		n = c->have - c->off;
		if (n > left)
			n = (size_t)left;
		br_sha256_update(&sha, upd_buf + c->off, n);
		if (fio_write_full(fd, upd_buf + c->off, n) < 0) {
			upd_answer(c, 507, "writing the slot failed: %s", strerror(errno));
			goto fail;
		}
		c->off += n;
		left -= n;
	}
	br_sha256_out(&sha, hash);
	if (memcmp(hash, h->uki_sha256, sizeof(hash)) != 0) {
		upd_answer(c, 400, "corrupted bundle: the UKI's SHA-256 does not match its signed header");
		goto fail;
	}
	if (fsync(fd) < 0) {
		upd_answer(c, 507, "fsync of the slot failed: %s", strerror(errno));
		goto fail;
	}
	close(fd);
	fd = -1;
	/* A disk that boots under BIOS as well takes only what GRUB can start. */
	if (slots_bios_enabled(upd.espfd) && slots_bios_read(upd.espfd, SLOTS_STAGING, &bios, &why) < 0) {
		upd_answer(c, 400, "this UKI cannot be started under BIOS (the disk boots under BIOS too): %s",
			   why);
		goto fail;
	}
	/* Newer than every entry, so the loader's order puts it first. */
	for (i = 0; i < s->n; i++)
		if (s->e[i].gen > gen)
			gen = s->e[i].gen;
	memset(&e, 0, sizeof(e));
	e.gen = gen + 1;
	/* The slot's letter is its generation's parity: the new entry takes
	 * the letter the running one does not have, also after a failed
	 * trial left a generation out. */
	if (s->own >= 0 && e.gen % 2 == s->e[s->own].gen % 2)
		e.gen++;
	memcpy(e.version, h->version, sizeof(e.version));
	e.counted = 1;
	e.left = 1;
	if (bundle_entry_format(&e, name, sizeof(name)) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/%s", SLOTS_LINUX_DIR, name);
	if (renameat(upd.espfd, SLOTS_STAGING, upd.espfd, path) < 0) {
		upd_answer(c, 500, "rename into the slot failed: %s", strerror(errno));
		goto fail;
	}
	dfd = openat(upd.espfd, SLOTS_LINUX_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0)
		log_warn("update: fsync %s", SLOTS_LINUX_DIR);
	if (dfd >= 0)
		close(dfd);
	/* Only the running entry and the new one stay, so that the loader's
	 * fallback from the trial is the running version. */
	for (i = 0; i < s->n; i++) {
		if (i == s->own)
			continue;
		snprintf(path, sizeof(path), "%s/%s", SLOTS_LINUX_DIR, s->name[i]);
		if (unlinkat(upd.espfd, path, 0) < 0 && errno != ENOENT)
			log_warn("update: remove %s", s->name[i]);
	}
	/* The slot's earlier trial report no longer applies. */
	unlinkat(upd.espfd, SLOTS_TRIAL_FAILURE, 0);
	upd_status(1);
	upd_answer(c, 200, "staged %s", h->version);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(upd.espfd, SLOTS_STAGING, 0);
	upd_status(1);
	return -1;
}

static void upd_serve_conn(struct conn *c);

static void upd_serve(int fd)
{
	static struct conn c;

	memset(&c, 0, sizeof(c));
	c.fd = fd;
	upd_serve_conn(&c);
	/* A peer that is gone gets no SIGPIPE killing us: MSG_NOSIGNAL. */
	if (c.answer_len)
		(void)!send(fd, c.answer, c.answer_len, MSG_NOSIGNAL);
}

static void upd_serve_conn(struct conn *c)
{
	int fd = c->fd;
	struct bundle_header h;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct slots s;
	unsigned long long total = 0;
	const char *why = "";
	char *nl;
	size_t i;
	int r;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != upd.peer_uid) {
		upd_answer(c, 403, "only the admin role may send updates");
		return;
	}
	/* The request line. */
	for (;;) {
		nl = memchr(upd_buf, '\n', c->have);
		if (nl || c->have >= UPD_LINE_MAX)
			break;
		if ((r = upd_fill(c)) <= 0) {
			if (r < 0)
				log_warn("update: reading the request");
			return;
		}
	}
	if (!nl || c->have < 6 || memcmp(upd_buf, "PUT ", 4) != 0 || nl == (char *)upd_buf + 4) {
		upd_answer(c, 400, "bad request line: expected 'PUT <length>'");
		return;
	}
	for (i = 4; upd_buf + i < (uint8_t *)nl; i++) {
		if (upd_buf[i] < '0' || upd_buf[i] > '9' || i > 20) {
			upd_answer(c, 400, "bad request line: expected 'PUT <length>'");
			return;
		}
		total = total * 10 + (upd_buf[i] - '0');
	}
	c->off = (size_t)((uint8_t *)nl - upd_buf) + 1;
	if (total > UPD_MAX_LENGTH) {
		upd_answer(c, 413, "bundle larger than the slot (%llu bytes)", total);
		return;
	}
	if (total < BUNDLE_HEADER_SIZE + BUNDLE_SIG_SIZE) {
		upd_answer(c, 400, "not an update bundle (%llu bytes)", total);
		return;
	}
	if ((r = upd_need(c, BUNDLE_HEADER_SIZE)) <= 0) {
		if (r == 0)
			upd_answer(c, 400, "bundle truncated in its header");
		return;
	}
	if (bundle_parse_header(upd_buf + c->off, BUNDLE_HEADER_SIZE, &h, &why) < 0) {
		upd_answer(c, 400, "%s", why);
		return;
	}
	r = bundle_check(&h, UPD_ARCH, upd.slot_size, total, &why);
	if (r == 413) {
		upd_answer(c, 413, "bundle larger than the slot (%llu bytes, the slot holds %llu)",
			   (unsigned long long)h.uki_len, (unsigned long long)upd.slot_size);
		return;
	}
	if (r) {
		if (strcmp(h.arch, UPD_ARCH) != 0)
			upd_answer(c, r, "bundle is for %s, this machine is %s", h.arch, UPD_ARCH);
		else
			upd_answer(c, r, "%s", why);
		return;
	}
	if ((r = upd_need(c, BUNDLE_HEADER_SIZE + BUNDLE_SIG_SIZE)) <= 0) {
		if (r == 0)
			upd_answer(c, 400, "bundle truncated in its signature");
		return;
	}
	if (!upd_verify(upd_buf + c->off, upd_buf + c->off + BUNDLE_HEADER_SIZE)) {
		upd_answer(c, 400, "bad signature: not signed by this machine's update key");
		return;
	}
	c->off += BUNDLE_HEADER_SIZE + BUNDLE_SIG_SIZE;
	if (slots_scan(upd.espfd, upd.version, &s) < 0) {
		upd_answer(c, 500, "cannot read the ESP: %s", strerror(errno));
		return;
	}
	if (s.own < 0) {
		upd_answer(c, 503, "this system did not boot from an A/B slot: no updates");
		return;
	}
	if (s.e[s.own].counted) {
		upd_answer(c, 409, "version %s is on trial: update again once it is committed",
			   upd.version);
		return;
	}
	{
		char v[BUNDLE_VERSION_MAX + 1];

		bundle_entry_version(h.version, v);
		if (strcmp(v, s.e[s.own].version) == 0) {
			upd_answer(c, 409, "version %s is already running", h.version);
			return;
		}
	}
	/* Signed, so the epoch is the builder's word: no replay of an older
	 * version (with the flaws it had) over a newer one. */
	if (h.epoch < upd.epoch) {
		upd_answer(c, 409, "%s is older than the running %s (epoch %llu < %llu): a downgrade; "
			   "build it with UPDATE_EPOCH=%llu or later to take it", h.version, upd.version,
			   (unsigned long long)h.epoch, (unsigned long long)upd.epoch,
			   (unsigned long long)upd.epoch);
		return;
	}
	log_info("update: receiving %s (%llu bytes)", h.version, (unsigned long long)h.uki_len);
	upd_receive(c, &h, &s);
}

static void upd_on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static int upd_read_key(void)
{
	int fd = open(upd.pubkey, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, upd.point, sizeof(upd.point));
	close(fd);
	if (n != (ssize_t)sizeof(upd.point) || upd.point[0] != 0x04) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int update_main(int argc, char **argv)
{
	const char *version_file = SLOTS_VERSION, *slot_file = SLOTS_SLOT_SIZE, *epoch_file = SLOTS_EPOCH;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[32];
	int i, ready_fd = -1, lfd, cfd;

	upd.esp = SLOTS_ESP_DIR;
	upd.sock = SLOTS_SOCKET;
	upd.status = SLOTS_STATUS;
	upd.pubkey = SLOTS_PUBKEY;
	upd.peer_uid = CONFIG_ADMIN_UID;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			goto usage;
		if (strcmp(a, "--esp") == 0)
			upd.esp = v;
		else if (strcmp(a, "--socket") == 0)
			upd.sock = v;
		else if (strcmp(a, "--status") == 0)
			upd.status = v;
		else if (strcmp(a, "--pubkey") == 0)
			upd.pubkey = v;
		else if (strcmp(a, "--version-file") == 0)
			version_file = v;
		else if (strcmp(a, "--slot-size-file") == 0)
			slot_file = v;
		else if (strcmp(a, "--epoch-file") == 0)
			epoch_file = v;
		else if (strcmp(a, "--peer-uid") == 0)
			upd.peer_uid = (uid_t)strtoul(v, NULL, 10);
		else if (strcmp(a, "--ready-fd") == 0)
			ready_fd = atoi(v);
		else
			goto usage;
		i++;
	}
	if (slots_read_small(AT_FDCWD, version_file, upd.version, sizeof(upd.version)) <= 0) {
		log_warn("update: %s", version_file);
		return 1;
	}
	if (slots_read_small(AT_FDCWD, slot_file, buf, sizeof(buf)) <= 0 ||
	    (upd.slot_size = strtoull(buf, NULL, 10)) < BUNDLE_UKI_MIN) {
		log_warnx("update: %s: no slot size", slot_file);
		return 1;
	}
	/* Fail closed: without its own epoch the role cannot refuse a downgrade. */
	{
		char *end;

		if (slots_read_small(AT_FDCWD, epoch_file, buf, sizeof(buf)) <= 0 || buf[0] < '0' ||
		    buf[0] > '9' || (errno = 0, upd.epoch = strtoull(buf, &end, 10), errno) || *end) {
			log_warnx("update: %s: no epoch (seconds since 1970)", epoch_file);
			return 1;
		}
	}
	if (upd_read_key() < 0) {
		log_warn("update: %s (the raw P-256 public key, 65 bytes)", upd.pubkey);
		return 1;
	}
	upd.espfd = open(upd.esp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (upd.espfd < 0) {
		log_warn("update: ESP %s", upd.esp);
		return 1;
	}
	/* An upload cut by a reset or a crash left this behind. */
	if (unlinkat(upd.espfd, SLOTS_STAGING, 0) == 0)
		log_info("update: an unfinished upload removed");
	upd_status(0);
	signal(SIGPIPE, SIG_IGN);
	/* Asked to stop (the system shutting down): nothing is held between
	 * writes that a restart would not clean up (staging.tmp), so end at
	 * once, with a clean exit. */
	signal(SIGTERM, upd_on_term);

	if (strlen(upd.sock) >= sizeof(sa.sun_path)) {
		log_warnx("update: socket path too long");
		return 1;
	}
	strcpy(sa.sun_path, upd.sock);
	unlink(upd.sock);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(upd.sock, 0666) < 0 || listen(lfd, UPD_BACKLOG) < 0) {
		log_warn("update: socket %s", upd.sock);
		return 1;
	}
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "1", 1);
		close(ready_fd);
	}
	for (;;) {
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno != EINTR && errno != ECONNABORTED)
				log_warn("update: accept");
			continue;
		}
		upd_serve(cfd);
		close(cfd);
	}
usage:
	dprintf(STDERR_FILENO, "usage: init update [--esp DIR] [--socket PATH] [--status PATH] "
		"[--pubkey FILE] [--version-file FILE] [--slot-size-file FILE] [--epoch-file FILE] [--peer-uid UID]\n");
	return 2;
}

/* init bios-cfg ESP-DIR: grub/slots.cfg for the entries in ESP-DIR (a copy
 * of the ESP's tree, for make image; the appliance keeps it in step). */
int bios_cfg_main(int argc, char **argv)
{
	struct slots s;
	int espfd, r, listed;

	if (argc != 2) {
		dprintf(STDERR_FILENO, "usage: init bios-cfg ESP-DIR\n");
		return 2;
	}
	espfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (espfd < 0 || slots_scan(espfd, "", &s) < 0) {
		log_warn("bios-cfg: %s", argv[1]);
		return 1;
	}
	if (!slots_bios_enabled(espfd)) {
		log_warnx("bios-cfg: %s has no %s directory", argv[1], SLOTS_GRUB_DIR);
		return 1;
	}
	r = slots_bios_sync(espfd, &s, &listed);
	if (r < 0) {
		log_warn("bios-cfg: %s/%s", argv[1], SLOTS_GRUB_CFG);
		return 1;
	}
	/* Every entry must be one GRUB can start (slots_bios_sync said why
	 * one cannot). */
	if (s.n == 0 || listed != s.n) {
		log_warnx("bios-cfg: %d of %d entries in %s/%s can be started under BIOS", listed, s.n,
			  argv[1], SLOTS_LINUX_DIR);
		return 1;
	}
	return 0;
}

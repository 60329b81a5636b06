/* boot_assess.c - trial boots and their outcome (docs/update.md).
 *
 * systemd-boot counts a trial down before it starts it: the staged
 * minilinux-GEN-VERSION+1.efi is renamed +0-1 and booted; if this boot
 * ends without a commit (a panic, panic= reboots; a hang, the watchdog
 * resets; a failed health check, we reboot), the next boot passes over
 * the entry with no tries left and starts the previous one. So here:
 *   our entry has a counter  -> a trial: commit once every service has
 *                               been up (and ready) for update_commit
 *                               seconds, by renaming the file without
 *                               the counter; give up (report on the ESP,
 *                               the counter to +0, reboot) when a service
 *                               stops for good, exits BOOT_ASSESS_MAX_EXITS
 *                               times, or there is no commit within
 *                               update_commit + BOOT_ASSESS_SLACK_S
 *   a newer entry is bad     -> its trial failed: why (its report, or
 *                               none: it never got that far) goes to the
 *                               console and into last_failure
 * Under BIOS, GRUB boots from grub/slots.cfg (slots_bios_sync keeps it
 * in step with the names) and starts a trial once, noting it in grubenv:
 * a trial it started that is not running now is counted down here.
 * The watchdog (/dev/watchdog, e.g. QEMU's i6300esb) is opened at once
 * and fed from the loop: a hang of PID 1 resets the machine. */
#include "pid1/boot_assess.h"
#include "lib/log.h"
#include "pid1/loop.h"
#include "pid1/storage.h"
#include "pid1/supervise.h"
#include "update/slots.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define BA_MOUNT_FLAGS (MS_NODEV | MS_NOSUID | MS_NOEXEC)
/* The update role (uid 103) owns every file: it writes the slots without
 * privileges. 077: nobody else reads them. */
#define BA_MOUNT_DATA  "uid=103,gid=103,umask=077"

static struct {
	int espfd;
	int wdt;
	int trial;
	int64_t started_ms, healthy_since_ms;
	int commit_s, commit_fails;
	const char *version;
	void (*reboot_fn)(const char *why);
	struct slots s;
	struct loop_timer tick, wdt_timer;
} ba = { .espfd = -1, .wdt = -1 };

static struct svc_config ba_update_cfg;

/* GRUB's list (BIOS boots) follows every change of the entries' names. */
static void ba_bios_sync(void)
{
	if (ba.espfd >= 0 && slots_bios_sync(ba.espfd, &ba.s, NULL) < 0)
		log_warn("Update: %s/%s", SLOTS_ESP_DIR, SLOTS_GRUB_CFG);
}

static void ba_status(void)
{
	if (ba.espfd >= 0 && slots_scan(ba.espfd, ba.version, &ba.s) < 0)
		log_warn("Update: %s/%s", SLOTS_ESP_DIR, SLOTS_LINUX_DIR);
	ba_bios_sync();
	if (slots_write_status(SLOTS_STATUS, &ba.s, ba.version) < 0)
		log_warn("Update: %s", SLOTS_STATUS);
}

static void ba_commit(void)
{
	struct bundle_entry e = ba.s.e[ba.s.own];

	e.counted = 0;
	e.left = e.done = 0;
	if (slots_rename(ba.espfd, &ba.s, ba.s.own, &e) < 0) {
		log_warn("Update: commit of %s (rename %s)", ba.version, ba.s.name[ba.s.own]);
		if (++ba.commit_fails >= BOOT_ASSESS_COMMIT_TRIES) {
			/* The ESP takes no writes: leave the entry counted
			 * down, so that the next boot is the previous one. */
			log_warnx("Update: %s not committed after %d tries: the next boot "
				  "goes back to the previous version", ba.version, ba.commit_fails);
			ba.trial = 0;
			loop_timer_cancel(&ba.tick);
		}
		return;
	}
	unlinkat(ba.espfd, SLOTS_LAST_FAILURE, 0);
	ba.trial = 0;
	log_info("Update: %s committed: every service up for %d s", ba.version, ba.commit_s);
	ba_status();
	slots_log(&ba.s, ba.version);
}

/* Why this trial ends, for the previous version to report after the
 * loader has gone back to it. */
static void ba_write_report(const char *why)
{
	char report[SLOTS_FAILURE_MAX];
	int n;

	n = snprintf(report, sizeof(report), "%s %s\n", ba.version, why);
	if (mkdirat(ba.espfd, SLOTS_STATE_DIR, 0700) < 0 && errno != EEXIST)
		log_warn("Update: mkdir %s", SLOTS_STATE_DIR);
	if (n > 0 && slots_write_file(ba.espfd, SLOTS_TRIAL_FAILURE, report,
				      (size_t)n < sizeof(report) ? (size_t)n : sizeof(report) - 1, 0600) < 0)
		log_warn("Update: %s", SLOTS_TRIAL_FAILURE);
}

static void ba_give_up(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void ba_give_up(const char *fmt, ...)
{
	char why[160];
	struct bundle_entry e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ba.trial = 0;
	loop_timer_cancel(&ba.tick);
	log_warnx("Update: trial of %s failed: %s; back to the previous version", ba.version, why);
	ba_write_report(why);
	/* Booted without the loader's count-down (or tries left): none now. */
	e = ba.s.e[ba.s.own];
	if (e.left > 0) {
		e.done += e.left;
		e.left = 0;
		if (slots_rename(ba.espfd, &ba.s, ba.s.own, &e) < 0)
			log_warn("Update: rename %s", ba.s.name[ba.s.own]);
	}
	ba_bios_sync();
	sync();
	ba.reboot_fn("Update trial failed");
}

static void ba_on_tick(struct loop_timer *t)
{
	int64_t now = loop_now_ms();
	const char *name, *xname;
	unsigned exits;
	int h = svc_health(&name, &exits, &xname);

	if (!ba.trial)
		return;
	if (exits >= BOOT_ASSESS_MAX_EXITS) {
		ba_give_up("service %s crash-looped (%u exits)", xname, exits);
		return;
	}
	if (h == 2) {
		ba_give_up("service %s stopped", name);
		return;
	}
	if (h == 0) {
		if (!ba.healthy_since_ms)
			ba.healthy_since_ms = now;
		if (now - ba.healthy_since_ms >= (int64_t)ba.commit_s * 1000) {
			ba_commit();
			return;
		}
	} else {
		ba.healthy_since_ms = 0;
	}
	if (now - ba.started_ms >= ((int64_t)ba.commit_s + BOOT_ASSESS_SLACK_S) * 1000) {
		ba_give_up("not healthy within %d s (service %s not up)", ba.commit_s + BOOT_ASSESS_SLACK_S,
			   name ? name : "?");
		return;
	}
	loop_timer_arm(t, BOOT_ASSESS_TICK_MS);
}

/* A newer entry with no tries left: its trial failed, and we are what the
 * loader fell back to. Say so once, keep it in last_failure. */
static void ba_report_rollback(void)
{
	const struct bundle_entry *o = &ba.s.e[ba.s.other];
	char report[SLOTS_FAILURE_MAX], line[SLOTS_FAILURE_MAX + 80], *sp;
	size_t vlen = strlen(o->version);
	int n;

	if (strncmp(ba.s.last_failure, o->version, vlen) == 0 && ba.s.last_failure[vlen] == ':') {
		log_warnx("Update: %s", ba.s.last_failure);
		return;
	}
	if (slots_read_small(ba.espfd, SLOTS_TRIAL_FAILURE, report, sizeof(report)) > 0 &&
	    (sp = strchr(report, ' ')) && (size_t)(sp - report) == vlen &&
	    memcmp(report, o->version, vlen) == 0)
		n = snprintf(line, sizeof(line), "%s: rolled back to %s: %s", o->version, ba.version, sp + 1);
	else
		n = snprintf(line, sizeof(line), "%s: rolled back to %s: no report from it "
			     "(a kernel panic, a hang or a reset before its /init could decide)",
			     o->version, ba.version);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(ba.s.last_failure))
		n = (int)sizeof(ba.s.last_failure) - 1;
	line[n] = '\0';
	log_warnx("Update: FAILED: %s", line);
	if (mkdirat(ba.espfd, SLOTS_STATE_DIR, 0700) < 0 && errno != EEXIST)
		log_warn("Update: mkdir %s", SLOTS_STATE_DIR);
	if (slots_write_file(ba.espfd, SLOTS_LAST_FAILURE, line, (size_t)n, 0600) < 0)
		log_warn("Update: %s", SLOTS_LAST_FAILURE);
	unlinkat(ba.espfd, SLOTS_TRIAL_FAILURE, 0);
	memcpy(ba.s.last_failure, line, (size_t)n + 1);
}

static void ba_on_wdt(struct loop_timer *t)
{
	if (ioctl(ba.wdt, WDIOC_KEEPALIVE, 0) < 0)
		log_warn("watchdog keepalive");
	loop_timer_arm(t, BOOT_WDT_PING_MS);
}

static void ba_open_watchdog(void)
{
	int timeout = BOOT_WDT_TIMEOUT_S;

	ba.wdt = open("/dev/watchdog", O_WRONLY | O_CLOEXEC);
	if (ba.wdt < 0)
		return;
	if (ioctl(ba.wdt, WDIOC_SETTIMEOUT, &timeout) < 0)
		log_warn("watchdog: set timeout");
	log_info("Watchdog: /dev/watchdog armed, %d s", timeout);
	ba.wdt_timer.fn = ba_on_wdt;
	ba.wdt_timer.slot = -1;
	loop_timer_arm(&ba.wdt_timer, BOOT_WDT_PING_MS);
}

static void ba_add_role(void)
{
	struct svc_config *u = &ba_update_cfg;

	if (mkdir(SLOTS_RUN_DIR, 0750) < 0 && errno != EEXIST)
		log_warn("mkdir %s", SLOTS_RUN_DIR);
	if (chown(SLOTS_RUN_DIR, CONFIG_UPDATE_UID, CONFIG_ADMIN_UID) < 0 ||
	    chmod(SLOTS_RUN_DIR, 0750) < 0)
		log_warn("chown %s", SLOTS_RUN_DIR);
	if (ba.espfd < 0)
		return;
	svc_config_builtin(u, "update", "@update", CONFIG_UPDATE_UID, 0);
	svc_add(u, SVC_F_NOTIFY);
}

void boot_assess_start(const struct config *cfg, const char *version,
		       void (*reboot_fn)(const char *why))
{
	char dev[48];

	ba.version = version;
	ba.reboot_fn = reboot_fn;
	ba.commit_s = cfg->update_commit_s;
	ba.started_ms = loop_now_ms();
	ba.s.own = ba.s.other = -1;
	ba_open_watchdog();
	if (mkdir(SLOTS_ESP_DIR, 0755) < 0 && errno != EEXIST)
		log_warn("mkdir %s", SLOTS_ESP_DIR);
	if (storage_esp_device(dev, sizeof(dev)) < 0) {
		log_info("Update: no %s partition: no A/B updates", STORAGE_ESP_NAME);
	} else if (mount(dev, SLOTS_ESP_DIR, "vfat", BA_MOUNT_FLAGS, BA_MOUNT_DATA) < 0) {
		log_warn("Update: mount %s on %s", dev, SLOTS_ESP_DIR);
	} else {
		ba.espfd = open(SLOTS_ESP_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (ba.espfd < 0)
			log_warn("Update: %s", SLOTS_ESP_DIR);
	}
	ba_add_role();
	ba_status();
	/* Under BIOS nothing counted the trial GRUB started down: do it now
	 * (and so see a failed trial as under UEFI). */
	if (ba.espfd >= 0 && ba.s.own >= 0 && slots_bios_mark_tried(ba.espfd, &ba.s) != 0)
		ba_status();
	if (ba.s.own >= 0 && ba.s.other >= 0 && ba.s.e[ba.s.other].gen > ba.s.e[ba.s.own].gen &&
	    ba.s.e[ba.s.other].counted && ba.s.e[ba.s.other].left == 0) {
		ba_report_rollback();
		ba_status();
	}
	slots_log(&ba.s, version);
	if (ba.s.own >= 0 && ba.s.e[ba.s.own].counted) {
		ba.trial = 1;
		log_info("Update: %s is on trial: committed after %d s with every service up, "
			 "else rolled back", version, ba.commit_s);
		ba.tick.fn = ba_on_tick;
		ba.tick.slot = -1;
		loop_timer_arm(&ba.tick, BOOT_ASSESS_TICK_MS);
	}
}

void boot_assess_on_shutdown(void)
{
	/* A stop asked for during a trial (power button, admin API) is no
	 * verdict on the new version: the services stopping must not read
	 * as a failed trial (which would ask for a second, forced stop). */
	if (ba.trial) {
		ba.trial = 0;
		loop_timer_cancel(&ba.tick);
		log_warnx("Update: %s stopped while on trial: not committed; the next boot "
			  "is the previous version", ba.version);
		ba_write_report("stopped (a reboot or power-off) before its commit");
	}
}

void boot_assess_stop(void)
{
	if (ba.wdt >= 0) {
		/* The magic close (Documentation/watchdog/watchdog-api.rst). */
		if (write(ba.wdt, "V", 1) != 1)
			log_warn("watchdog: magic close");
		close(ba.wdt);
		ba.wdt = -1;
	}
	if (ba.espfd >= 0) {
		close(ba.espfd);
		ba.espfd = -1;
		sync();
		if (umount2(SLOTS_ESP_DIR, 0) < 0)
			log_warn("umount %s", SLOTS_ESP_DIR);
	}
}

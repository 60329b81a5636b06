/* boot_assess.h - PID 1's part in A/B updates: mount the ESP, say which
 * slot runs, commit a trial boot once it is healthy or give it up, report
 * a rolled-back update, start the update role, keep the watchdog fed
 * (docs/update.md). */
#ifndef MINILINUX_BOOT_ASSESS_H
#define MINILINUX_BOOT_ASSESS_H

#include "pure/config.h"

#define BOOT_ASSESS_TICK_MS     1000
#define BOOT_ASSESS_MAX_EXITS   3	/* exits of one service in a trial: a crash loop */
#define BOOT_ASSESS_SLACK_S     120	/* the trial's deadline: commit period + this */
#define BOOT_ASSESS_COMMIT_TRIES 5	/* failed renames before the commit is given up */
#define BOOT_WDT_TIMEOUT_S      30	/* the hardware watchdog's timeout */
#define BOOT_WDT_PING_MS        10000

/* After storage set-up, before the services start: mount the ESP on
 * /boot, read the slots, log and write /run/update/status, add the update
 * role to the services, and when this boot is a trial, start watching
 * the services. REBOOT is how a failed trial restarts the machine. Also
 * opens the watchdog, if the machine has one. Never fails. */
void boot_assess_start(const struct config *cfg, const char *version,
		       void (*reboot_fn)(const char *why));
/* When a shutdown begins: a trial in progress is no longer watched. */
void boot_assess_on_shutdown(void);
/* At shutdown, after the services: the watchdog closed with the magic
 * 'V' (a clean stop is no hang), the ESP unmounted. */
void boot_assess_stop(void);

#endif

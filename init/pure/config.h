/* config.h - the services file baked into the image, and the kernel
 * command line's overrides of it. Pure: parses caller-supplied bytes into
 * fixed storage, reports errors through a callback, does no I/O. */
#ifndef MINILINUX_CONFIG_H
#define MINILINUX_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONFIG_PATH        "/etc/minilinux/services.conf"
#define CONFIG_MAX_SVC     16
#define CONFIG_MAX_ARGS    32
#define CONFIG_MAX_ENV     32
#define CONFIG_NAME_MAX    32
#define CONFIG_POOL_MAX    8192	/* all strings of one configuration */
#define CONFIG_FILE_MAX    16384
#define CONFIG_LINE_MAX    1024
#define CONFIG_NOBODY_UID  65534	/* "nobody", "nogroup" */
/* Default uid = gid of a service: CONFIG_UID_BASE + FNV-1a(name) %
 * CONFIG_UID_COUNT, the next free one on a collision (config.c). */
#define CONFIG_UID_BASE    20000
#define CONFIG_UID_COUNT   10000
/* The DHCP client PID 1 adds itself: its name is reserved in the
 * services file, and its uid = gid is fixed. */
#define CONFIG_DHCP_NAME   "dhcp"
#define CONFIG_DHCP_UID    100
#define CONFIG_DEFAULT_GRACE_MS 5000
/* The SNTP client PID 1 adds itself (name reserved, fixed uid = gid),
 * its servers (ntp = / minilinux.ntp=) and the remote syslog target
 * (syslog = / minilinux.syslog=). */
#define CONFIG_SNTP_NAME   "sntp"
#define CONFIG_SNTP_UID    101
/* The admin API role and the update role PID 1 adds itself (names
 * reserved, fixed uid = gid). */
#define CONFIG_ADMIN_UID   102
#define CONFIG_UPDATE_UID  103
/* A trial update is committed once every service has been up (and ready)
 * this long: [system] update_commit = / minilinux.update_commit=. */
#define CONFIG_DEFAULT_UPDATE_COMMIT_S 30
#define CONFIG_UPDATE_COMMIT_MAX_S     3600
#define CONFIG_NTP_MAX     256	/* "host[,host...]" */
#define CONFIG_SYSLOG_MAX  64	/* "host:port" */
#define CONFIG_DEVICE_MAX  32	/* data = DEVICE: a disk name, "/dev/" optional */

enum config_restart { CONFIG_RESTART_ALWAYS, CONFIG_RESTART_ON_FAILURE, CONFIG_RESTART_NEVER };

struct svc_config {
	char name[CONFIG_NAME_MAX];
	const char *argv[CONFIG_MAX_ARGS + 1];	/* NULL-terminated, into the pool */
	const char *env[CONFIG_MAX_ENV + 1];	/* NULL-terminated "K=V" */
	int argc, envc;
	int builtin;		/* exec = @role: a role of /init itself */
	uid_t uid;		/* default: config_default_uid() */
	gid_t gid;		/* default: the uid */
	enum config_restart restart;
	int wait_network;	/* start after the first lease */
	uint64_t caps;		/* capabilities kept (bit n = capability n) */
	int valid;		/* has an exec line */
};

struct config {
	struct svc_config svc[CONFIG_MAX_SVC];
	int nsvc;
	int grace_ms;		/* SIGTERM to SIGKILL at shutdown, per service */
	int fatal_reboot;	/* on an internal fatal error: 1 reboot, 0 power off */
	char data_dev[CONFIG_DEVICE_MAX];	/* data = DEVICE; "" is the boot disk */
	int data_reset;		/* minilinux.data.reset=yes: a factory reset */
	int update_commit_s;	/* update_commit =: seconds healthy to commit a trial */
	char pool[CONFIG_POOL_MAX];
	size_t pool_used;
	char ntp[CONFIG_NTP_MAX];	/* NTP servers, "" for DHCP's */
	char syslog[CONFIG_SYSLOG_MAX];	/* remote syslog host:port, "" for none */
};

/* Called once per problem: LINE is 1-based (0 for the command line). */
typedef void (*config_err_fn)(void *arg, int line, const char *msg);

void config_init(struct config *c);
/* Parse a services file. Bad values are reported and skipped; a service
 * without a valid exec line is dropped. Returns the number of errors. */
int config_parse(struct config *c, const char *buf, size_t len,
		 config_err_fn err, void *arg);
/* Apply the kernel command line: minilinux.args.NAME="..." replaces the
 * arguments of service NAME, minilinux.grace=SECONDS the grace period,
 * minilinux.ntp=HOST[,HOST] the NTP servers, minilinux.syslog=HOST:PORT
 * the remote syslog target.
 * minilinux.data=DEVICE the data disk, minilinux.data.reset=yes asks for
 * a factory reset of the data partition, minilinux.update_commit=SECONDS
 * the trial update's commit period.
 * Returns the number of errors. */
int config_apply_cmdline(struct config *c, const char *cmdline, size_t len,
			 config_err_fn err, void *arg);
/* Split shell-like words ("double", 'single' quotes, backslash escapes in
 * double quotes) into the pool; returns the word count or -1. */
int config_split_words(struct config *c, const char *s, size_t len,
		       const char **words, int max);
struct svc_config *config_find(struct config *c, const char *name);
/* "net_bind_service" or "CAP_NET_BIND_SERVICE" -> 10; -1 if unknown. */
int config_cap_number(const char *name, size_t len);
/* 1 if ROLE (without the '@') is a role of /init that runs as a service. */
int config_role_known(const char *role, size_t len);
/* FNV-1a, 32 bits (the reference offset basis and prime). */
uint32_t config_fnv1a(const char *s, size_t len);
/* The default uid of service NAME given the services before it in C
 * (c->svc[0..nbefore)): the hash's uid, or the next one not yet used. */
uid_t config_default_uid(const struct config *c, int nbefore, const char *name);

#endif

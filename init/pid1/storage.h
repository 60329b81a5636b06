/* storage.h - PID 1's data partition: found or created on the boot disk
 * (or on the disk minilinux.data= names), grown to fill the disk, mounted
 * on /data; each service's state directory under it. docs/storage.md. */
#ifndef MINILINUX_STORAGE_H
#define MINILINUX_STORAGE_H

#include <stddef.h>
#include <sys/types.h>

#define STORAGE_DIR        "/data"
#define STORAGE_SEED       "/etc/minilinux/data.seed"
#define STORAGE_PART_NAME  "minilinux-data"
#define STORAGE_ESP_NAME   "minilinux-esp"
/* A file the admin (or a later admin API) leaves on /data to ask for a
 * factory reset at the next boot. */
#define STORAGE_RESET_FILE "factory-reset"

/* Find, create or grow the data partition and mount it on /data; without
 * one, /data is a tmpfs. DATA_DEV is a disk name ("vdb", "/dev/sdb") or
 * NULL for the boot disk; RESET asks for the data partition to be made
 * new (a factory reset). Logs one ":: Data:" line; never fails. */
void storage_setup(const char *data_dev, int reset);
/* The boot disk's ESP (GPT type ESP, named minilinux-esp) as a device
 * path ("/dev/vda1") in PATH. 0, or -1 when there is none. */
int storage_esp_device(char *path, size_t len);
/* 1 when /data is a real, persistent file system. */
int storage_persistent(void);
/* Make /data/NAME (mode 0700, owned by UID:GID, never through a symlink)
 * and put its path in PATH. 0, or -1 with errno (and a console line). */
int storage_service_dir(const char *name, uid_t uid, gid_t gid, char *path, size_t len);
/* After the services have stopped: sync and unmount /data. */
void storage_teardown(void);

#endif

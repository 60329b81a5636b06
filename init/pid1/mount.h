/* mount.h - the API file systems PID 1 mounts at start and unmounts at the end. */
#ifndef MINILINUX_MOUNT_H
#define MINILINUX_MOUNT_H

/* Mount proc, sysfs, devtmpfs, devpts and the tmpfs mounts; returns the
 * number of mounts that failed (each one logged). */
int mount_api_filesystems(void);
/* Unmount (or remount read-only) in reverse order, before power-off. */
void mount_teardown(void);

#endif

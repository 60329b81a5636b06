/* install.h - the installer (install.c), which PID 1 runs instead of the
 * services on the installer ISO. */
#ifndef MINILINUX_INSTALL_H
#define MINILINUX_INSTALL_H

#include <stddef.h>

/* 1 if the command line asks for the installer (minilinux.install, or
 * minilinux.install=NAME for an unattended install to NAME, copied to
 * DISK; "" otherwise), else 0. */
int install_requested(const char *cmdline, size_t len, char *disk, size_t disklen);
/* PID 1: run `init install` on the consoles, wait for it, power off.
 * Never returns. */
void install_run(const char *disk) __attribute__((noreturn));

#endif

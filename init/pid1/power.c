/* power.c - watch evdev devices for KEY_POWER (the ACPI power button that
 * QEMU's system_powerdown and hypervisors' "shut down" press) and for
 * ctrl-alt-del on a keyboard. */
#include "pid1/power.h"
#include "lib/log.h"
#include "pid1/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define POWER_MAX_EVDEV  32
#define POWER_MAX_DEVS   4

static void (*power_on_power)(void);
static void (*power_on_cad)(void);

/* Modifier state per device: bit 0 ctrl, bit 1 alt (left or right). */
static unsigned power_mods[POWER_MAX_DEVS];
static int power_ndevs;

static int bit_is_set(const unsigned char *bits, unsigned bit)
{
	return (bits[bit / 8] >> (bit % 8)) & 1;
}

static void power_on_key(unsigned *mods, unsigned code, int value)
{
	unsigned bit = 0;

	if (code == KEY_LEFTCTRL || code == KEY_RIGHTCTRL)
		bit = 1;
	else if (code == KEY_LEFTALT || code == KEY_RIGHTALT)
		bit = 2;
	if (bit) {
		*mods = value ? *mods | bit : *mods & ~bit;
		return;
	}
	if (value != 1)
		return;	/* releases and autorepeat */
	if (code == KEY_POWER)
		power_on_power();
	else if (code == KEY_DELETE && *mods == 3)
		power_on_cad();
}

static void power_on_event(int fd, uint32_t events, void *arg)
{
	struct input_event ev[16];
	unsigned *mods = arg;
	ssize_t n;
	size_t i;

	n = read(fd, ev, sizeof(ev));
	if (n < 0 && (errno == EAGAIN || errno == EINTR) && !(events & (EPOLLHUP | EPOLLERR)))
		return;
	/* A device that went away (unplugged, its driver unbound) reads
	 * ENODEV and epoll reports it ready for ever: let it go, or the
	 * loop spins. */
	if (n <= 0) {
		log_info("input device gone (fd %d%s%s): no longer watched", fd,
			 n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
		loop_del_fd(fd);
		close(fd);
		return;
	}
	for (i = 0; i < (size_t)n / sizeof(ev[0]); i++)
		if (ev[i].type == EV_KEY)
			power_on_key(mods, ev[i].code, ev[i].value);
}

int power_watch_buttons(void (*power)(void), void (*cad)(void))
{
	unsigned char keys[KEY_MAX / 8 + 1];
	char path[32], name[64];
	int i, fd, has_power, has_del;

	power_on_power = power;
	power_on_cad = cad;
	for (i = 0; i < POWER_MAX_EVDEV && power_ndevs < POWER_MAX_DEVS; i++) {
		snprintf(path, sizeof(path), "/dev/input/event%d", i);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(keys, 0, sizeof(keys));
		if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof(keys)), keys) < 0) {
			close(fd);
			continue;
		}
		has_power = bit_is_set(keys, KEY_POWER);
		has_del = bit_is_set(keys, KEY_DELETE) && bit_is_set(keys, KEY_LEFTCTRL);
		if ((!has_power && !has_del) ||
		    loop_add_fd(fd, EPOLLIN, power_on_event, &power_mods[power_ndevs]) < 0) {
			close(fd);
			continue;
		}
		if (ioctl(fd, EVIOCGNAME(sizeof(name)), name) < 0)
			snprintf(name, sizeof(name), "?");
		name[sizeof(name) - 1] = '\0';
		log_info("%s: %s (%s)", has_power && !has_del ? "Power button" : "Keyboard",
			 path, name);
		power_ndevs++;
	}
	return power_ndevs;
}

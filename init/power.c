/* power.c - watch evdev devices for KEY_POWER (the ACPI power button that
 * QEMU's system_powerdown and hypervisors' "shut down" press). */
#include "power.h"
#include "log.h"
#include "loop.h"

#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define POWER_MAX_EVDEV 32
#define POWER_MAX_BUTTONS 4

static void (*power_on_press)(void);
static int power_fds[POWER_MAX_BUTTONS];
static int power_nfds;

static int bit_is_set(const unsigned char *bits, unsigned bit)
{
	return (bits[bit / 8] >> (bit % 8)) & 1;
}

static void power_on_event(int fd, uint32_t events, void *arg)
{
	struct input_event ev[16];
	ssize_t n;
	size_t i;

	(void)events;
	(void)arg;
	n = read(fd, ev, sizeof(ev));
	if (n <= 0) {
		if (n == 0) {
			loop_del_fd(fd);
			close(fd);
		}
		return;
	}
	for (i = 0; i < (size_t)n / sizeof(ev[0]); i++)
		if (ev[i].type == EV_KEY && ev[i].code == KEY_POWER && ev[i].value == 1)
			power_on_press();
}

int power_watch_buttons(void (*fn)(void))
{
	unsigned char keys[KEY_MAX / 8 + 1];
	char path[32], name[64];
	int i, fd;

	power_on_press = fn;
	for (i = 0; i < POWER_MAX_EVDEV && power_nfds < POWER_MAX_BUTTONS; i++) {
		snprintf(path, sizeof(path), "/dev/input/event%d", i);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		for (size_t k = 0; k < sizeof(keys); k++)
			keys[k] = 0;
		if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof(keys)), keys) < 0 ||
		    !bit_is_set(keys, KEY_POWER) ||
		    loop_add_fd(fd, EPOLLIN, power_on_event, NULL) < 0) {
			close(fd);
			continue;
		}
		if (ioctl(fd, EVIOCGNAME(sizeof(name)), name) < 0)
			snprintf(name, sizeof(name), "?");
		name[sizeof(name) - 1] = '\0';
		log_info("Power button: %s (%s)", path, name);
		power_fds[power_nfds++] = fd;
	}
	return power_nfds;
}

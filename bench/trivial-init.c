/* The lower bound for boot time: an /init that does nothing at all.
 *
 * bench/boot.py boots the same kernel with this as /init and times QEMU
 * start to QEMU exit; comparing that with QEMU start to the first HTTP 200
 * from the real /init shows what our userspace adds. It prints
 * CLOCK_BOOTTIME once (the kernel's share, as the real /init reports it)
 * and powers off at once.
 *
 * Build: musl-gcc -static -Os -s -o trivial-init bench/trivial-init.c
 */
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	char buf[64] = ":: Trivial init at ";
	char num[24];
	struct timespec ts;
	long long ms;
	size_t len = 19;
	int n = 0;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	do {
		num[n++] = (char)('0' + ms % 10);
		ms /= 10;
	} while (ms > 0 && n < (int)sizeof(num));
	while (n > 0)
		buf[len++] = num[--n];
	buf[len++] = ' ';
	buf[len++] = 'm';
	buf[len++] = 's';
	buf[len++] = '\n';
	(void)!write(1, buf, len);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

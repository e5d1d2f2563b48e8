/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the unit tests of leaseguardd's partner parts (lgd_tls_test,
 * lgd_partner_link_test): lgd_log() writes stderr, which a test points at
 * a file and reads back, so the harness's own messages go to the stderr
 * the test started with. Include before kselftest_harness.h.
 */
#ifndef LG_UNIT_LOG_CAPTURE_H
#define LG_UNIT_LOG_CAPTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static FILE *th_stream;
#define TH_LOG_STREAM	th_stream

__attribute__((constructor)) static void th_stream_open(void)
{
	th_stream = fdopen(dup(STDERR_FILENO), "w");
	setvbuf(th_stream, NULL, _IONBF, 0);
}

/* Two partners' pre-shared keys: the same one, or two that differ. */
#define KEY_A	"6f1c0a5e8b2d4f7a9c3e1b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a"
#define KEY_B	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static inline uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/* Everything lgd_log() wrote to log_fd since the fixture started. */
static inline char *log_text(int log_fd)
{
	static char buf[65536];
	ssize_t n;

	fflush(stderr);
	n = pread(log_fd, buf, sizeof(buf) - 1, 0);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* How many times needle stands in log. */
static inline int count_lines(const char *log, const char *needle)
{
	const char *p = log;
	int n = 0;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

#endif

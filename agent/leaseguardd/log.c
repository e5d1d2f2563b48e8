// SPDX-License-Identifier: GPL-2.0
/* leaseguardd's log: stderr (for systemd's journal) or syslog. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lgd.h"

static int lgd_level = LOG_INFO;
static bool lgd_syslog;
static bool lgd_journal;	/* stderr goes to systemd's journal */

static const char *const lgd_level_names[] = {
	[LOG_ERR]	= "err",
	[LOG_WARNING]	= "warning",
	[LOG_NOTICE]	= "notice",
	[LOG_INFO]	= "info",
	[LOG_DEBUG]	= "debug",
};

int lgd_log_level_parse(const char *s)
{
	int i;

	for (i = LOG_ERR; i <= LOG_DEBUG; i++)
		if (lgd_level_names[i] && !strcmp(s, lgd_level_names[i]))
			return i;
	return -1;
}

void lgd_log_init(int level, bool use_syslog)
{
	lgd_level = level;
	lgd_journal = getenv("JOURNAL_STREAM");
	if (use_syslog && !lgd_syslog)
		openlog("leaseguardd", LOG_PID, LOG_DAEMON);
	else if (!use_syslog && lgd_syslog)
		closelog();
	lgd_syslog = use_syslog;
}

void lgd_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > lgd_level)
		return;
	va_start(ap, fmt);
	if (lgd_syslog) {
		vsyslog(level, fmt, ap);
	} else {
		/* "<N>" lets the journal keep the level (sd-daemon(3)). */
		if (lgd_journal)
			fprintf(stderr, "<%d>", level);
		else
			fprintf(stderr, "leaseguardd: %s: ",
				lgd_level_names[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

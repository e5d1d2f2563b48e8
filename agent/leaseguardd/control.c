// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's control socket: a UNIX stream socket where "lgctl release
 * show" asks what the kernel cannot know (the outstanding requests and
 * the exchange's counters). One command a connection, one answer:
 *
 *	-> "releases\n"
 *	<- "request xid=HEX server=ADDR attempt=N max=N next-ms=N age-ms=N count=N"
 *	   "binding id=N dev=IF duid=HEX ia=na|pd iaid=N reason=R"  (its own)
 *	   ...
 *	   "stats requests=N retransmissions=N ..."
 *
 *	-> "outcome since=MS ID ID...\n"	(a line of up to 64 KiB)
 *	<- "binding id=N outcome=released status=Success code=0 ..."
 *	   one line per ID: how its release ended since MS, or where it is
 *	   (release.c, lgd_release_outcomes(), has the words); "lgctl binding
 *	   release" asks this until every binding it marked is done
 *
 *	-> "mcast\n"
 *	<- "proxy family=igmp enable=0|1 upstream=IF|- ... joins=N ..."
 *	   "proxy family=mld ..."
 *	   (or "error ..." when the module has no IGMP/MLD proxy)
 *
 *	-> "status\n"
 *	<- "store path=PATH|- state=open|closed|off rows=N pending=N ..."
 *	   the binding store (store.c; "lgctl daemon show" has the words)
 *	   "recover state=on|off rate=N ... queries=N restored=N ..."
 *	   recovery by LEASEQUERY (recover.c, lgd_recover_status())
 *	   "family state=up|gone|absent id=N ... grace-left-ms=N ..."
 *	   "config state=applied|partly-applied|not-applied|drift-kept ..."
 *	   "interface name=IF ifindex=N state=applied|absent|failed|..."
 *	   "last-drift WHAT: WHAT DIFFERED" (if there was one)
 *
 * key=value words, so that new keys do not break an older lgctl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include "lgd.h"
#include "mcast.h"
#include "store.h"

#define LGD_CONTROL_CMD_MAX	65536

struct lgd_control {
	int fd;
	void (*status)(void *priv, FILE *f);
	void *status_priv;
	struct lgd_recover *recover;	/* "status": its counters */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

struct lgd_control *lgd_control_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct lgd_control *c = calloc(1, sizeof(*c));
	char dir[sizeof(sa.sun_path)], *slash;
	mode_t old_mask;
	int ret;

	if (!c)
		return NULL;
	/*
	 * A client gone before its answer (a killed lgctl, "timeout lgctl")
	 * made the write raise SIGPIPE, which ended the daemon: EPIPE, and
	 * fclose() drops the answer.
	 */
	signal(SIGPIPE, SIG_IGN);
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);	/* /run/leaseguard: may exist */
	}
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		goto err;
	unlink(path);		/* a previous run's */
	/*
	 * Root's alone, whatever the umask: it names subscribers (DUIDs,
	 * addresses) and answers outcome queries of any length.
	 */
	old_mask = umask(0177);
	ret = bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (ret || listen(c->fd, 8))
		goto err;
	return c;
err:
	lgd_err("control socket %s: %s", path, strerror(errno));
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return NULL;
}

void lgd_control_close(struct lgd_control *c)
{
	if (!c)
		return;
	close(c->fd);
	unlink(c->path);
	free(c);
}

void lgd_control_on_status(struct lgd_control *c,
			   void (*show)(void *priv, FILE *f), void *priv)
{
	c->status = show;
	c->status_priv = priv;
}

void lgd_control_recover(struct lgd_control *c, struct lgd_recover *r)
{
	c->recover = r;
}

int lgd_control_fd(const struct lgd_control *c)
{
	return c->fd;
}

/* The command: up to its newline, the end of the stream, or max octets. */
static size_t lgd_control_read(int fd, char *cmd, size_t max)
{
	size_t len = 0;
	ssize_t n;

	while (len < max - 1) {
		n = recv(fd, cmd + len, max - 1 - len, 0);
		if (n <= 0)
			break;
		len += n;
		if (memchr(cmd + len - n, '\n', n))
			break;
	}
	cmd[len] = '\0';
	return len;
}

static void lgd_control_status(FILE *f, struct lgd_store *s)
{
	struct lgd_store_stats st;

	if (!s) {
		fprintf(f, "store path=- state=off\n");
		return;
	}
	lgd_store_get_stats(s, &st);
	fprintf(f, "store path=%s state=%s rows=%llu pending=%llu commits=%llu committed=%llu last-commit=%llu last-commit-us=%llu commit-p50-us=%llu commit-p99-us=%llu commit-max-us=%llu errors=%llu last-error=%s set-aside=%llu invalid=%llu restored=%llu refused=%llu written=%llu dropped=%llu\n",
		lgd_store_path(s), st.open ? "open" : "closed",
		(unsigned long long)st.rows, (unsigned long long)st.pending,
		(unsigned long long)st.commits,
		(unsigned long long)st.committed,
		(unsigned long long)st.last_commit,
		(unsigned long long)st.last_commit_us,
		(unsigned long long)st.commit_p50_us,
		(unsigned long long)st.commit_p99_us,
		(unsigned long long)st.commit_max_us,
		(unsigned long long)st.errors,
		lgd_store_error_name(st.last_error),
		(unsigned long long)st.set_aside,
		(unsigned long long)st.invalid,
		(unsigned long long)st.restored,
		(unsigned long long)st.refused,
		(unsigned long long)st.written,
		(unsigned long long)st.dropped);
}

void lgd_control_input(struct lgd_control *c, struct lgd_release *r,
		       struct lgd_mcast *m, struct lgd_store *s)
{
	static char cmd[LGD_CONTROL_CMD_MAX];
	struct timeval tv = { .tv_sec = 1 };
	FILE *f;
	int fd;

	while ((fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		/* A stuck client holds the daemon for a second at most. */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		lgd_control_read(fd, cmd, sizeof(cmd));
		f = fdopen(fd, "w");
		if (!f) {
			close(fd);
			continue;
		}
		cmd[strcspn(cmd, "\r\n")] = '\0';
		if (!strcmp(cmd, "outcome") || !strncmp(cmd, "outcome ", 8))
			lgd_release_outcomes(r, f, cmd + 7);
		else if (!strcmp(cmd, "releases"))
			lgd_release_show(r, f);
		else if (!strcmp(cmd, "mcast") && m)
			lgd_mcast_show(m, f);
		else if (!strcmp(cmd, "mcast"))
			fprintf(f, "error no IGMP/MLD proxy: the module has none, or it failed to start (see the log)\n");
		else if (!strcmp(cmd, "status")) {
			lgd_control_status(f, s);
			lgd_recover_status(c->recover, f);
			if (c->status)
				c->status(c->status_priv, f);
		} else
			fprintf(f, "error unknown command \"%s\"\n", cmd);
		fclose(f);
	}
}

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
 *	-> "partner\n"
 *	<- "local role=master|backup|fault|stop|unknown ..." (main.c: ours)
 *	   "partner state=down|connecting|hello|bulk|synced peer=ADDR ..."
 *	   "sync queue=N ... sent=N received=N ..."	(the session's)
 *	   "connection attempts=N ... bytes-in=N ..."	(the connection's)
 *	   (lgd_partner_show() has the keys); without a partner configured,
 *	   "partner state=none" alone (lgctl: "no partner configured")
 *
 *	-> "role master|backup|fault|stop\n"	(keepalived's notify states)
 *	<- "role state=STATE"			the daemon took it
 *	   "error WHY"				refused: an unknown state, a
 *	   caller not allowed to change the router (below), or the daemon's
 *	   refusal; "partner state=none" without a partner configured
 *
 * Who may ask: the socket is made 0600, so only its owner (root, or the
 * user leaseguardd runs as) can connect at all; a mode loosened by hand
 * (or a group given to it) opens the reading commands, never a change:
 * "role" also checks the caller's credentials (SO_PEERCRED, as the kernel
 * gave them at connect()): uid 0 or leaseguardd's own uid.
 *
 * key=value words, so that new keys do not break an older lgctl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
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
	void (*partner)(void *priv, FILE *f);
	void *partner_priv;
	int (*role)(void *priv, const char *state, FILE *f);
	void *role_priv;
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

void lgd_control_on_partner(struct lgd_control *c,
			    void (*show)(void *priv, FILE *f), void *priv)
{
	c->partner = show;
	c->partner_priv = priv;
}

void lgd_control_on_role(struct lgd_control *c,
			 int (*role)(void *priv, const char *state, FILE *f),
			 void *priv)
{
	c->role = role;
	c->role_priv = priv;
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

/*
 * May the client on fd change the router? uid 0, or the daemon's own
 * (a leaseguardd run as another user for a test, or by a unit): what
 * the kernel recorded at connect(), which the client cannot forge. On
 * "no", f gets the error line.
 */
static bool lgd_control_may_change(int fd, FILE *f)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len)) {
		fprintf(f, "error permission denied: the caller's credentials are unknown (%s)\n",
			strerror(errno));
		return false;
	}
	if (uc.uid == 0 || uc.uid == geteuid())
		return true;
	fprintf(f, "error permission denied: uid %u may not change the router's role (root only)\n",
		(unsigned int)uc.uid);
	return false;
}

/* keepalived's notify states ("stop": keepalived itself is stopping). */
static const char *const lgd_control_roles[] = {
	"master", "backup", "fault", "stop", NULL
};

/* "role STATE": arg is what follows "role". */
static void lgd_control_role(struct lgd_control *c, int fd, FILE *f,
			     const char *arg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m;
	int i, ret;

	if (!lgd_control_may_change(fd, f))
		return;
	arg += strspn(arg, " ");
	for (i = 0; lgd_control_roles[i]; i++)
		if (!strcmp(arg, lgd_control_roles[i]))
			break;
	if (!lgd_control_roles[i]) {
		fprintf(f, "error unknown role \"%.64s\": master, backup, fault or stop\n",
			arg);
		return;
	}
	if (!c->role) {
		fprintf(f, "partner state=none\n");
		return;
	}
	/*
	 * The callback's lines are kept aside to know whether it said why
	 * it refused: if not, the refusal gets a line here.
	 */
	m = open_memstream(&out, &len);
	if (!m) {
		fprintf(f, "error role %s: %s\n", arg, strerror(errno));
		return;
	}
	ret = c->role(c->role_priv, arg, m);
	fclose(m);
	fwrite(out, 1, len, f);
	if (!ret)
		fprintf(f, "role state=%s\n", arg);
	else if (strncmp(out, "error ", 6) && !strstr(out, "\nerror "))
		fprintf(f, "error role %s refused: %s\n", arg,
			strerror(ret < 0 ? -ret : EINVAL));
	free(out);
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
		} else if (!strcmp(cmd, "partner")) {
			if (c->partner)
				c->partner(c->partner_priv, f);
			else
				fprintf(f, "partner state=none\n");
		} else if (!strcmp(cmd, "role") || !strncmp(cmd, "role ", 5)) {
			lgd_control_role(c, fd, f, cmd + 4);
		} else
			fprintf(f, "error unknown command \"%s\"\n", cmd);
		fclose(f);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's control socket (agent/leaseguardd/control.c) alone: the
 * socket opened on a temporary path, the daemon's parts behind "partner"
 * and "role" played by the test's callbacks, a client that connects,
 * sends one command and reads the answer, as lgctl does:
 *
 *   - "partner" without a partner configured: "partner state=none";
 *     with one, what the callback writes, untouched;
 *   - "role STATE": each of keepalived's four states reaches the callback
 *     and is confirmed; an unknown state is refused before it; the
 *     callback's refusal is said (its own words, or control.c's);
 *     without a partner configured, "partner state=none";
 *   - who may change the role: another user (nobody) cannot even connect
 *     to the socket as leaseguardd makes it (0600), and with its mode
 *     loosened by hand may read "partner" but gets "permission denied"
 *     for "role", the callback never called. Needs root (to be another
 *     user); skipped without.
 *
 * The other commands' parts (release.c, mcast.c, store.c, recover.c) are
 * not under test: their functions here fail the test if called.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "kselftest_harness.h"

#include "lgd.h"
#include "mcast.h"
#include "store.h"

#define NOBODY	65534

/* ---- The parts not under test ------------------------------------------ */

static void not_here(const char *fn)
{
	fprintf(stderr, "%s called: not under test\n", fn);
	abort();
}

void lgd_release_show(struct lgd_release *r, FILE *f)
{
	(void)r;
	(void)f;
	not_here(__func__);
}

void lgd_release_outcomes(struct lgd_release *r, FILE *f, char *args)
{
	(void)r;
	(void)f;
	(void)args;
	not_here(__func__);
}

void lgd_mcast_show(const struct lgd_mcast *m, FILE *out)
{
	(void)m;
	(void)out;
	not_here(__func__);
}

const char *lgd_store_path(const struct lgd_store *s)
{
	(void)s;
	not_here(__func__);
	return NULL;
}

void lgd_store_get_stats(const struct lgd_store *s, struct lgd_store_stats *st)
{
	(void)s;
	(void)st;
	not_here(__func__);
}

const char *lgd_store_error_name(int rc)
{
	(void)rc;
	not_here(__func__);
	return NULL;
}

void lgd_recover_status(const struct lgd_recover *r, FILE *f)
{
	(void)r;
	(void)f;
	not_here(__func__);
}

/* ---- The daemon's side: the test's callbacks --------------------------- */

struct fake {
	int shows;
	int roles;
	char last_role[16];
	int verdict;			/* what role() returns */
	const char *says;		/* and writes first, if not NULL */
};

static void fake_show(void *priv, FILE *f)
{
	struct fake *d = priv;

	d->shows++;
	fprintf(f, "local role=%s\n", *d->last_role ? d->last_role : "unknown");
	fprintf(f, "partner state=synced peer=2001:db8::2 port=4647\n");
}

static int fake_role(void *priv, const char *state, FILE *f)
{
	struct fake *d = priv;

	d->roles++;
	snprintf(d->last_role, sizeof(d->last_role), "%s", state);
	if (d->says)
		fputs(d->says, f);
	return d->verdict;
}

/* ---- The client --------------------------------------------------------- */

/* Connects to path and sends cmd: the socket, or -errno. */
static int client_send(const char *path, const char *cmd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		err = -errno;
		close(fd);
		return err;
	}
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) ||
	    write(fd, "\n", 1) != 1) {
		err = -errno;
		close(fd);
		return err;
	}
	shutdown(fd, SHUT_WR);
	return fd;
}

/* The whole answer on fd (closed), into buf. */
static void client_read(int fd, char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len - 1 && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += n;
	buf[off] = '\0';
	close(fd);
}

/* The daemon's turn: the listening socket is readable, answer. */
static void serve(struct lgd_control *c)
{
	struct pollfd pf = { .fd = lgd_control_fd(c), .events = POLLIN };

	if (poll(&pf, 1, 2000) == 1)
		lgd_control_input(c, NULL, NULL, NULL);
}

/* One command, answered in this process: the answer in buf. */
static void ask(struct lgd_control *c, const char *path, const char *cmd,
		char *buf, size_t len)
{
	int fd = client_send(path, cmd);

	if (fd < 0) {
		snprintf(buf, len, "connect: %s", strerror(-fd));
		return;
	}
	serve(c);
	client_read(fd, buf, len);
}

/*
 * One command from a child running as nobody: its answer, or
 * "connect: REASON", in buf.
 */
static void ask_as_nobody(struct lgd_control *c, const char *path,
			  const char *cmd, char *buf, size_t len)
{
	int pfd[2], fd, status;
	size_t off = 0;
	ssize_t n;
	pid_t pid;

	buf[0] = '\0';
	if (pipe(pfd))
		return;
	pid = fork();
	if (pid == 0) {
		char answer[4096];

		close(pfd[0]);
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		fd = client_send(path, cmd);
		if (fd < 0)
			snprintf(answer, sizeof(answer), "connect: %s",
				 strerror(-fd));
		else
			client_read(fd, answer, sizeof(answer));
		if (write(pfd[1], answer, strlen(answer)) < 0)
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	/* The daemon's turn, unless the child could not connect. */
	{
		struct pollfd pf[2] = {
			{ .fd = lgd_control_fd(c), .events = POLLIN },
			{ .fd = pfd[0], .events = POLLIN },
		};

		if (poll(pf, 2, 2000) > 0 && (pf[0].revents & POLLIN))
			lgd_control_input(c, NULL, NULL, NULL);
	}
	while (off < len - 1 && (n = read(pfd[0], buf + off, len - 1 - off)) > 0)
		off += n;
	buf[off] = '\0';
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		snprintf(buf, len, "child failed (status %d)", status);
}

/* ---- The tests --------------------------------------------------------- */

FIXTURE(ctl) {
	char dir[64];
	char path[96];
	struct lgd_control *c;
	struct fake d;
	char buf[4096];
};

FIXTURE_SETUP(ctl)
{
	strcpy(self->dir, "/tmp/lgd_control_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	/* as /run/leaseguard: others may reach the socket, its mode decides */
	ASSERT_EQ(0, chmod(self->dir, 0755));
	snprintf(self->path, sizeof(self->path), "%s/lgd.sock", self->dir);
	self->c = lgd_control_open(self->path);
	ASSERT_NE(NULL, self->c);
}

FIXTURE_TEARDOWN(ctl)
{
	lgd_control_close(self->c);
	rmdir(self->dir);
}

TEST_F(ctl, partner_none_configured)
{
	ask(self->c, self->path, "partner", self->buf, sizeof(self->buf));
	EXPECT_STREQ("partner state=none\n", self->buf);
	ask(self->c, self->path, "role master", self->buf, sizeof(self->buf));
	EXPECT_STREQ("partner state=none\n", self->buf);
	/* an unknown state is refused first, partner or not */
	ask(self->c, self->path, "role bogus", self->buf, sizeof(self->buf));
	EXPECT_STREQ("error unknown role \"bogus\": master, backup, fault or stop\n",
		     self->buf);
}

TEST_F(ctl, partner_shown_by_the_daemon)
{
	lgd_control_on_partner(self->c, fake_show, &self->d);
	ask(self->c, self->path, "partner", self->buf, sizeof(self->buf));
	EXPECT_STREQ("local role=unknown\npartner state=synced peer=2001:db8::2 port=4647\n",
		     self->buf);
	EXPECT_EQ(1, self->d.shows);
}

TEST_F(ctl, role_each_state)
{
	static const char *const states[] = {
		"master", "backup", "fault", "stop"
	};
	char want[64];
	int i;

	lgd_control_on_partner(self->c, fake_show, &self->d);
	lgd_control_on_role(self->c, fake_role, &self->d);
	for (i = 0; i < 4; i++) {
		char cmd[32];

		snprintf(cmd, sizeof(cmd), "role %s", states[i]);
		ask(self->c, self->path, cmd, self->buf, sizeof(self->buf));
		snprintf(want, sizeof(want), "role state=%s\n", states[i]);
		EXPECT_STREQ(want, self->buf);
		EXPECT_STREQ(states[i], self->d.last_role);
	}
	EXPECT_EQ(4, self->d.roles);
	ask(self->c, self->path, "partner", self->buf, sizeof(self->buf));
	EXPECT_EQ(0, strncmp(self->buf, "local role=stop\n", 16));
}

TEST_F(ctl, role_unknown_refused_before_the_daemon)
{
	static const char *const bad[] = {
		"role bogus", "role", "role MASTER", "role master x",
		"role masterx", "roles master",
	};
	int i;

	lgd_control_on_role(self->c, fake_role, &self->d);
	for (i = 0; i < 6; i++) {
		ask(self->c, self->path, bad[i], self->buf, sizeof(self->buf));
		EXPECT_EQ(0, strncmp(self->buf, "error ", 6))
			TH_LOG("%s: %s", bad[i], self->buf);
		/* one line */
		EXPECT_EQ(strlen(self->buf) - 1,
			  (size_t)(strchr(self->buf, '\n') - self->buf));
	}
	EXPECT_EQ(0, self->d.roles);
}

TEST_F(ctl, role_refused_by_the_daemon)
{
	lgd_control_on_role(self->c, fake_role, &self->d);
	/* in its own words */
	self->d.verdict = -EINVAL;
	self->d.says = "error not now: a takeover is under way\n";
	ask(self->c, self->path, "role backup", self->buf, sizeof(self->buf));
	EXPECT_STREQ("error not now: a takeover is under way\n", self->buf);
	/* silently: control.c says it */
	self->d.says = NULL;
	ask(self->c, self->path, "role fault", self->buf, sizeof(self->buf));
	EXPECT_STREQ("error role fault refused: Invalid argument\n", self->buf);
	EXPECT_EQ(2, self->d.roles);
}

TEST_F(ctl, another_user_cannot_change_the_role)
{
	struct stat st;

	if (geteuid() != 0)
		SKIP(return, "needs root, to ask as another user (nobody)");
	lgd_control_on_partner(self->c, fake_show, &self->d);
	lgd_control_on_role(self->c, fake_role, &self->d);

	/* As leaseguardd makes it: root's alone. */
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	ask_as_nobody(self->c, self->path, "role master", self->buf,
		      sizeof(self->buf));
	EXPECT_STREQ("connect: Permission denied", self->buf);

	/* Loosened by hand: reading, yes; changing, no. */
	ASSERT_EQ(0, chmod(self->path, 0666));
	ask_as_nobody(self->c, self->path, "role master", self->buf,
		      sizeof(self->buf));
	EXPECT_STREQ("error permission denied: uid 65534 may not change the router's role (root only)\n",
		     self->buf);
	ask_as_nobody(self->c, self->path, "role bogus", self->buf,
		      sizeof(self->buf));
	EXPECT_EQ(0, strncmp(self->buf, "error permission denied", 23));
	EXPECT_EQ(0, self->d.roles);
	ask_as_nobody(self->c, self->path, "partner", self->buf,
		      sizeof(self->buf));
	EXPECT_EQ(0, strncmp(self->buf, "local role=unknown\n", 19));

	/* root still may */
	ask(self->c, self->path, "role master", self->buf, sizeof(self->buf));
	EXPECT_STREQ("role state=master\n", self->buf);
	EXPECT_EQ(1, self->d.roles);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's partner channel (agent/leaseguardd/partner_tls.c) over
 * real loopback TCP connections, both ends in this process, driven by
 * poll() as the daemon's loop will drive them:
 *
 *   - the key file: what is refused (mode, owner, type, length, not hex)
 *     and the reason said;
 *   - a client and a server complete the handshake (PSK with ECDHE), and
 *     1 MiB goes each way at once through small socket buffers (partial
 *     writes, -EAGAIN on both);
 *   - a wrong key, a wrong identity, a peer that does not speak TLS: both
 *     ends fail with the class of error and one log line that says it;
 *     a quiet context (partner.c's, which logs itself) fails the same
 *     with no line, lgd_tls_why() saying it;
 *   - a record altered on the way fails to authenticate; a peer gone
 *     mid-stream is an error, never SIGPIPE; a blocking socket does not
 *     block;
 *   - openssl s_client -psk as a third host, as Documentation/failover.rst
 *     tells an operator to: it gets in with the key and the identity
 *     only; a client offering only another suite, or holding a SHA-384
 *     PSK, is refused with a line that says so; openssl s_server -psk
 *     the same way against our client, and with a certificate instead
 *     of a PSK (refused);
 *   - a peer that closes without answering, on either side.
 *
 * OpenSSL's error queue is empty after every call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "log_capture.h"
#include "kselftest_harness.h"

#include "lgd.h"
#include "partner_tls.h"

#define MIB	(1024 * 1024)

/* The log, as TAP comments. */
static void show_log(int log_fd)
{
	char *p = log_text(log_fd), *nl;

	for (; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		fprintf(th_stream, "#   log: %.*s\n", (int)(nl - p), p);
		if (!*nl)
			break;
	}
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	fchmod(fd, mode);	/* whatever the umask */
	close(fd);
}

static int listener(uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 8) || getsockname(fd, (struct sockaddr *)&sa, &len))
		abort();
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A connected loopback pair, both non-blocking; sndbuf: 0, or small. */
static void tcp_pair(int *cfd, int *sfd, int sndbuf)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	uint16_t port;
	int lfd = listener(&port), one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	*cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (sndbuf) {
		setsockopt(*cfd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		setsockopt(*cfd, SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf));
		setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf));
	}
	if (connect(*cfd, (struct sockaddr *)&sa, sizeof(sa)) &&
	    errno != EINPROGRESS)
		abort();
	*sfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (*sfd < 0)
		abort();
	close(lfd);
	/* As partner.c will: no small record waits for a delayed ACK. */
	setsockopt(*cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(*sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static short poll_events(struct lgd_tls *t)
{
	unsigned int w = lgd_tls_wants(t);

	return (w & LGD_TLS_WANT_READ ? POLLIN : 0) |
	       (w & LGD_TLS_WANT_WRITE ? POLLOUT : 0);
}

/* Receives, waiting (2 s at most) as the loop would for its socket. */
static ssize_t recv_wait(struct lgd_tls *t, int fd, void *buf, size_t len)
{
	uint64_t end = mono_ms() + 2000;
	struct pollfd pfd = { .fd = fd };
	ssize_t n;

	while ((n = lgd_tls_recv(t, buf, len)) == -EAGAIN && mono_ms() < end) {
		pfd.events = poll_events(t);
		poll(&pfd, 1, 100);
	}
	return n;
}

/* One end's handshake to its end (5 s at most), polled. */
static int handshake_wait(struct lgd_tls *t, int fd)
{
	uint64_t end = mono_ms() + 5000;
	struct pollfd pfd = { .fd = fd };
	int rc;

	while ((rc = lgd_tls_handshake(t)) == -EAGAIN && mono_ms() < end) {
		pfd.events = poll_events(t);
		poll(&pfd, 1, 100);
	}
	return rc;
}

/*
 * Both handshakes to their end, as the loop would drive them: rc[0]
 * the client's, rc[1] the server's. A side that failed closes its
 * socket, as partner.c will, so that the other sees it.
 */
static void handshake_both(struct lgd_tls *t[2], int fd[2], int rc[2])
{
	uint64_t end = mono_ms() + 5000;
	bool done[2] = { false, false };
	int i;

	rc[0] = rc[1] = -EAGAIN;
	while ((!done[0] || !done[1]) && mono_ms() < end) {
		struct pollfd pfd[2];

		for (i = 0; i < 2; i++) {
			if (done[i])
				continue;
			rc[i] = lgd_tls_handshake(t[i]);
			if (ERR_peek_error())
				rc[i] = -999;	/* the queue was left dirty */
			if (rc[i] != -EAGAIN) {
				done[i] = true;
				if (rc[i]) {
					close(fd[i]);
					fd[i] = -1;
				}
			}
		}
		for (i = 0; i < 2; i++) {
			pfd[i].fd = done[i] ? -1 : fd[i];
			pfd[i].events = done[i] ? 0 : poll_events(t[i]);
		}
		poll(pfd, 2, 100);
	}
}

FIXTURE(tls) {
	char dir[64];
	char key_a[96], key_b[96];
	int log_fd;
	int fd[2];			/* client, server */
	struct lgd_tls_ctx *ctx[2];
	struct lgd_tls *t[2];
};

FIXTURE_SETUP(tls)
{
	strcpy(self->dir, "/tmp/lgd_tls_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->key_a, sizeof(self->key_a), "%s/a.key", self->dir);
	snprintf(self->key_b, sizeof(self->key_b), "%s/b.key", self->dir);
	write_file(self->key_a, KEY_A "\n", 0600);
	write_file(self->key_b, KEY_B "\n", 0600);
	/* lgd_log() writes stderr: into a file the test reads. */
	self->log_fd = open(self->dir, O_TMPFILE | O_RDWR, 0600);
	ASSERT_LE(0, self->log_fd);
	ASSERT_LE(0, dup2(self->log_fd, STDERR_FILENO));
	unsetenv("JOURNAL_STREAM");
	lgd_log_init(LOG_INFO, false);
	self->fd[0] = self->fd[1] = -1;
	/* A write to a closed peer must be EPIPE, not the end of us. */
	signal(SIGPIPE, SIG_DFL);
}

FIXTURE_TEARDOWN(tls)
{
	char cmd[128];
	int i;

	/* Connections first: one may be of the other role's context. */
	for (i = 0; i < 2; i++) {
		lgd_tls_free(self->t[i]);
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	}
	for (i = 0; i < 2; i++)
		lgd_tls_ctx_free(self->ctx[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* A new connected pair (the last one gone); names each end for the log. */
static void connect_pair(FIXTURE_DATA(tls) *self, int sndbuf)
{
	int i;

	for (i = 0; i < 2; i++) {
		lgd_tls_free(self->t[i]);
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	}
	tcp_pair(&self->fd[0], &self->fd[1], sndbuf);
	self->t[0] = lgd_tls_new(self->ctx[0], self->fd[0], "the-server");
	self->t[1] = lgd_tls_new(self->ctx[1], self->fd[1], "the-client");
	if (!self->t[0] || !self->t[1])
		abort();
}

/* Contexts and a connected pair. */
static void setup_pair(FIXTURE_DATA(tls) *self, const char *ckey,
		       const char *cid, const char *skey, const char *sid,
		       int sndbuf)
{
	self->ctx[0] = lgd_tls_ctx_new(LGD_TLS_CLIENT, cid, ckey);
	self->ctx[1] = lgd_tls_ctx_new(LGD_TLS_SERVER, sid, skey);
	if (!self->ctx[0] || !self->ctx[1])
		abort();
	connect_pair(self, sndbuf);
}

TEST_F(tls, key_file_refused_with_reason)
{
	uint8_t key[LGD_TLS_KEY_MAX];
	char path[96];
	const char *why;

	snprintf(path, sizeof(path), "%s/k", self->dir);

	write_file(path, KEY_A "\n", 0644);
	ASSERT_EQ(-EACCES, lgd_tls_key_read(path, key, sizeof(key), &why));
	EXPECT_STREQ("group or others may read or write it (chmod 600 it)", why);
	ASSERT_EQ(NULL, lgd_tls_ctx_new(LGD_TLS_SERVER, "leaseguard", path));
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
		"err: partner key /tmp/lgd_tls_test."));
	EXPECT_NE(NULL, strstr(log_text(self->log_fd),
		"/k: refused: group or others may read or write it (chmod 600 it)\n"));
	write_file(path, KEY_A "\n", 0640);
	EXPECT_EQ(-EACCES, lgd_tls_key_read(path, key, sizeof(key), &why));
	write_file(path, KEY_A "\n", 0602);
	EXPECT_EQ(-EACCES, lgd_tls_key_read(path, key, sizeof(key), &why));

	/* 31 octets; then a 16-octet one as "openssl rand -hex 16" makes. */
	write_file(path, "00112233445566778899aabbccddeeff00112233445566778899aabbccddee\n", 0600);
	EXPECT_EQ(-EINVAL, lgd_tls_key_read(path, key, sizeof(key), &why));
	EXPECT_STREQ("shorter than 32 octets (openssl rand -hex 32 makes a key)", why);
	write_file(path, "00112233445566778899aabbccddeeff\n", 0600);
	EXPECT_EQ(-EINVAL, lgd_tls_key_read(path, key, sizeof(key), &why));
	ASSERT_EQ(NULL, lgd_tls_ctx_new(LGD_TLS_CLIENT, "leaseguard", path));
	EXPECT_NE(NULL, strstr(log_text(self->log_fd),
		"/k: refused: shorter than 32 octets"));

	write_file(path, "this is not a key, but a password of 64 characters or more....\n", 0600);
	EXPECT_EQ(-EINVAL, lgd_tls_key_read(path, key, sizeof(key), &why));
	EXPECT_STREQ("not hex (openssl rand -hex 32 makes a key)", why);
	write_file(path, KEY_A KEY_B "00\n", 0600);	/* 65 octets */
	EXPECT_EQ(-EINVAL, lgd_tls_key_read(path, key, sizeof(key), &why));
	EXPECT_STREQ("longer than 64 octets", why);
	write_file(path, "", 0600);
	EXPECT_EQ(-EINVAL, lgd_tls_key_read(path, key, sizeof(key), &why));

	EXPECT_EQ(-EACCES, lgd_tls_key_read(self->dir, key, sizeof(key), &why));
	EXPECT_STREQ("not a regular file", why);
	snprintf(path, sizeof(path), "%s/none", self->dir);
	EXPECT_EQ(-ENOENT, lgd_tls_key_read(path, key, sizeof(key), &why));
	EXPECT_STREQ("No such file or directory", why);
	ASSERT_EQ(NULL, lgd_tls_ctx_new(LGD_TLS_CLIENT, "leaseguard", path));
	EXPECT_NE(NULL, strstr(log_text(self->log_fd),
		"/none: refused: No such file or directory\n"));

	/* Another user's file: root can make one. */
	snprintf(path, sizeof(path), "%s/k", self->dir);
	write_file(path, KEY_A "\n", 0600);
	if (geteuid() == 0) {
		ASSERT_EQ(0, chown(path, 65534, 65534));
		EXPECT_EQ(-EACCES, lgd_tls_key_read(path, key, sizeof(key), &why));
		EXPECT_STREQ("not owned by root (chown root: it)", why);
	} else {
		TH_LOG("not root: the owner check is not tested");
	}
	EXPECT_EQ(0, ERR_peek_error());
}

TEST_F(tls, key_file_accepted)
{
	uint8_t key[LGD_TLS_KEY_MAX];
	char path[96];
	const char *why;

	EXPECT_EQ(32, lgd_tls_key_read(self->key_a, key, sizeof(key), &why));
	EXPECT_EQ(0x6f, key[0]);
	EXPECT_EQ(0x5a, key[31]);
	snprintf(path, sizeof(path), "%s/k", self->dir);
	/* Colons and white space around, 0400; 64 octets at most. */
	write_file(path, " \t6f:1c:0a:5e:8b:2d:4f:7a:9c:3e:1b:5d:7f:9a:2c:4e:"
		   "6b:8d:0f:1a:3c:5e:7b:9d:2f:4a:6c:8e:0b:1d:3f:5a\r\n\n", 0400);
	EXPECT_EQ(32, lgd_tls_key_read(path, key, sizeof(key), &why));
	write_file(path, KEY_A KEY_B, 0600);
	EXPECT_EQ(64, lgd_tls_key_read(path, key, sizeof(key), &why));
	/* An identity is printable, without spaces. */
	EXPECT_EQ(NULL, lgd_tls_ctx_new(LGD_TLS_SERVER, "two words", path));
	EXPECT_EQ(NULL, lgd_tls_ctx_new(LGD_TLS_SERVER, "", path));
	EXPECT_NE(NULL, strstr(log_text(self->log_fd),
		"partner identity \"two words\": refused"));
	self->ctx[1] = lgd_tls_ctx_new(LGD_TLS_SERVER, "leaseguard", path);
	EXPECT_NE(NULL, self->ctx[1]);
}

TEST_F(tls, handshake_and_both_ways)
{
	char buf[64];
	int rc[2], i;

	setup_pair(self, self->key_a, "leaseguard", self->key_a, "leaseguard", 0);
	handshake_both(self->t, self->fd, rc);
	ASSERT_EQ(0, rc[0]);
	ASSERT_EQ(0, rc[1]);
	/* psk_dhe_ke: an ECDHE group was agreed beside the PSK. */
	for (i = 0; i < 2; i++) {
		ASSERT_NE(NULL, lgd_tls_group(self->t[i]));
		TH_LOG("%s: group %s", i ? "server" : "client",
		       lgd_tls_group(self->t[i]));
	}
	EXPECT_EQ(0, strlen(log_text(self->log_fd)));

	ASSERT_EQ(5, lgd_tls_send(self->t[0], "hello", 5));
	ASSERT_EQ(6, lgd_tls_send(self->t[1], "bonjour", 6));
	ASSERT_EQ(5, recv_wait(self->t[1], self->fd[1], buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(6, recv_wait(self->t[0], self->fd[0], buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "bonjou", 6));
	/* Nothing more: -EAGAIN, wanting to read. */
	EXPECT_EQ(-EAGAIN, lgd_tls_recv(self->t[0], buf, sizeof(buf)));
	EXPECT_EQ(LGD_TLS_WANT_READ, lgd_tls_wants(self->t[0]));

	/* close_notify: the other end reads 0, then sends its own. */
	EXPECT_EQ(0, lgd_tls_shutdown(self->t[0]));
	EXPECT_EQ(0, recv_wait(self->t[1], self->fd[1], buf, sizeof(buf)));
	EXPECT_EQ(0, lgd_tls_shutdown(self->t[1]));
	EXPECT_EQ(0, ERR_peek_error());
}

/* 1 MiB each way at once through small socket buffers. */
TEST_F(tls, megabyte_through_partial_writes)
{
	static uint8_t out[2][MIB], in[2][MIB];
	size_t sent[2] = { 0, 0 }, got[2] = { 0, 0 };
	unsigned int eagain[2] = { 0, 0 }, partial[2] = { 0, 0 };
	uint64_t end;
	int rc[2], i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < MIB; j++)
			out[i][j] = (j * 7 + i * 13 + j / 4099) & 0xff;
	setup_pair(self, self->key_a, "leaseguard", self->key_a, "leaseguard",
		   16384);
	handshake_both(self->t, self->fd, rc);
	ASSERT_EQ(0, rc[0]);
	ASSERT_EQ(0, rc[1]);

	end = mono_ms() + 20000;
	while ((sent[0] < MIB || sent[1] < MIB || got[0] < MIB ||
		got[1] < MIB) && mono_ms() < end) {
		struct pollfd pfd[2];

		for (i = 0; i < 2; i++) {
			short ev = 0;
			ssize_t n;

			/* 64 KiB at a time: more than a record, more than
			 * the socket takes. */
			while (sent[i] < MIB) {
				size_t len = MIB - sent[i] < 65536 ?
					     MIB - sent[i] : 65536;

				n = lgd_tls_send(self->t[i], out[i] + sent[i], len);
				if (n == -EAGAIN) {
					eagain[i]++;
					ev |= poll_events(self->t[i]);
					break;
				}
				ASSERT_LT(0, n);
				if ((size_t)n < len)
					partial[i]++;
				sent[i] += n;
			}
			while (got[!i] < MIB) {
				n = lgd_tls_recv(self->t[i], in[!i] + got[!i],
						 MIB - got[!i]);
				if (n == -EAGAIN) {
					ev |= poll_events(self->t[i]);
					break;
				}
				ASSERT_LT(0, n);
				got[!i] += n;
			}
			pfd[i].fd = self->fd[i];
			pfd[i].events = ev;
		}
		poll(pfd, 2, 100);
	}
	TH_LOG("sends that took part: %u, %u; -EAGAIN: %u, %u",
	       partial[0], partial[1], eagain[0], eagain[1]);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(MIB, sent[i]);
		ASSERT_EQ(MIB, got[i]);
		EXPECT_EQ(0, memcmp(out[i], in[i], MIB));
		EXPECT_LT(0, eagain[i]);
		EXPECT_LT(0, partial[i]);
	}
	EXPECT_EQ(0, ERR_peek_error());
}

/*
 * A client with ckey and cid against a server with key A and identity
 * "leaseguard": both ends fail with rc, each with one log line, the
 * server's starting with sline, the client's cline.
 */
static void refused(struct __test_metadata *_metadata,
		    FIXTURE_DATA(tls) *self, const char *ckey, const char *cid,
		    int want, const char *sline, const char *cline)
{
	char line[512];
	const char *log;
	int rc[2];

	setup_pair(self, ckey, cid, self->key_a, "leaseguard", 0);
	handshake_both(self->t, self->fd, rc);
	EXPECT_EQ(want, rc[0]);
	EXPECT_EQ(want, rc[1]);
	log = log_text(self->log_fd);
	show_log(self->log_fd);
	snprintf(line, sizeof(line),
		 "err: partner the-client: TLS handshake failed: %s", sline);
	EXPECT_EQ(1, count_lines(log, line));
	snprintf(line, sizeof(line),
		 "err: partner the-server: TLS handshake failed: %s", cline);
	EXPECT_EQ(1, count_lines(log, line));
	EXPECT_EQ(2, count_lines(log, "\n"));
}

TEST_F(tls, wrong_key_both_sides_say_so)
{
	refused(_metadata, self, self->key_b, "leaseguard", -EKEYREJECTED,
		"the partner's pre-shared key differs (OpenSSL: binder does not verify)\n",
		"the partner's pre-shared key differs (OpenSSL: sslv3 alert illegal parameter)\n");
}

TEST_F(tls, wrong_identity)
{
	refused(_metadata, self, self->key_a, "intruder", -ENOKEY,
		"unknown PSK identity \"intruder\" (ours is \"leaseguard\") (OpenSSL: ",
		"the partner refused the handshake (another PSK identity or cipher suite? its log says) (OpenSSL: sslv3 alert handshake failure)\n");
}

/*
 * Quiet contexts: the same failure and reason, no line; each failure of
 * a context that is not quiet is still a line, the same peer or not.
 */
TEST_F(tls, quiet_context_leaves_the_line_to_the_caller)
{
	const char *log;
	int rc[2], i;

	setup_pair(self, self->key_b, "leaseguard", self->key_a, "leaseguard",
		   0);
	for (i = 0; i < 2; i++)
		lgd_tls_ctx_set_quiet(self->ctx[i], true);
	handshake_both(self->t, self->fd, rc);
	EXPECT_EQ(-EKEYREJECTED, rc[0]);
	EXPECT_EQ(-EKEYREJECTED, rc[1]);
	EXPECT_STREQ("the partner's pre-shared key differs (OpenSSL: sslv3 alert illegal parameter)",
		     lgd_tls_why(self->t[0]));
	EXPECT_STREQ("the partner's pre-shared key differs (OpenSSL: binder does not verify)",
		     lgd_tls_why(self->t[1]));
	EXPECT_EQ(LOG_ERR, lgd_tls_fail_level(rc[0]));
	EXPECT_EQ(LOG_ERR, lgd_tls_fail_level(-ENOKEY));
	EXPECT_EQ(LOG_WARNING, lgd_tls_fail_level(-EPROTO));
	EXPECT_EQ(LOG_WARNING, lgd_tls_fail_level(-ECONNRESET));
	EXPECT_EQ(0, count_lines(log_text(self->log_fd), "\n"));

	for (i = 0; i < 2; i++)
		lgd_tls_ctx_set_quiet(self->ctx[i], false);
	for (i = 0; i < 2; i++) {
		connect_pair(self, 0);
		handshake_both(self->t, self->fd, rc);
		EXPECT_EQ(-EKEYREJECTED, rc[0]);
		EXPECT_EQ(-EKEYREJECTED, rc[1]);
	}
	log = log_text(self->log_fd);
	show_log(self->log_fd);
	EXPECT_EQ(2, count_lines(log, "err: partner the-server: TLS handshake failed: the partner's pre-shared key differs"));
	EXPECT_EQ(2, count_lines(log, "err: partner the-client: TLS handshake failed: the partner's pre-shared key differs"));
	EXPECT_EQ(4, count_lines(log, "\n"));
	EXPECT_EQ(0, ERR_peek_error());
}

/* A plaintext peer on either side: refused, and said so. */
TEST_F(tls, plaintext_peer_refused)
{
	static const char junk[] = "HELO partner\r\nthis is not TLS at all\r\n";
	int rc, cfd, sfd;

	self->ctx[0] = lgd_tls_ctx_new(LGD_TLS_CLIENT, "leaseguard", self->key_a);
	self->ctx[1] = lgd_tls_ctx_new(LGD_TLS_SERVER, "leaseguard", self->key_a);
	ASSERT_NE(NULL, self->ctx[0]);
	ASSERT_NE(NULL, self->ctx[1]);
	for (int side = 0; side < 2; side++) {
		tcp_pair(&cfd, &sfd, 0);
		/* side 0: our server, a plaintext client; 1: the reverse. */
		self->t[side] = lgd_tls_new(self->ctx[!side], side ? cfd : sfd,
					    side ? "plain-server" : "plain-client");
		ASSERT_NE(NULL, self->t[side]);
		ASSERT_EQ((ssize_t)strlen(junk),
			  write(side ? sfd : cfd, junk, strlen(junk)));
		rc = handshake_wait(self->t[side], side ? cfd : sfd);
		EXPECT_EQ(-EPROTO, rc);
		EXPECT_EQ(0, ERR_peek_error());
		close(cfd);
		close(sfd);
	}
	show_log(self->log_fd);
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
		"warning: partner plain-client: TLS handshake failed: the peer does not speak TLS (OpenSSL: "));
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
		"warning: partner plain-server: TLS handshake failed: the peer does not speak TLS (OpenSSL: "));
}

/*
 * A third host between the two alters one octet of a record: the
 * receiver refuses it. The relay is this test, pumping between two
 * pairs: client <-> [relay] <-> server.
 */
static void pump(int from, int to, bool tamper, int wait_ms)
{
	struct pollfd pfd = { .fd = from, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	poll(&pfd, 1, wait_ms);
	n = recv(from, buf, sizeof(buf), MSG_DONTWAIT);

	if (n <= 0)
		return;
	if (tamper)
		buf[n - 1] ^= 0x01;	/* the tag's last octet */
	if (send(to, buf, n, MSG_NOSIGNAL) != n)
		abort();
}

TEST_F(tls, altered_record_refused)
{
	int cfd, rfd1, rfd2, sfd, rc[2];
	struct lgd_tls *t[2];
	char buf[64];
	ssize_t n;
	uint64_t end;

	self->ctx[0] = lgd_tls_ctx_new(LGD_TLS_CLIENT, "leaseguard", self->key_a);
	self->ctx[1] = lgd_tls_ctx_new(LGD_TLS_SERVER, "leaseguard", self->key_a);
	tcp_pair(&cfd, &rfd1, 0);
	tcp_pair(&rfd2, &sfd, 0);
	t[0] = self->t[0] = lgd_tls_new(self->ctx[0], cfd, "relay-c");
	t[1] = self->t[1] = lgd_tls_new(self->ctx[1], sfd, "relay-s");
	self->fd[0] = cfd;
	self->fd[1] = sfd;
	rc[0] = rc[1] = -EAGAIN;
	end = mono_ms() + 5000;
	while ((rc[0] == -EAGAIN || rc[1] == -EAGAIN) && mono_ms() < end) {
		if (rc[0] == -EAGAIN)
			rc[0] = lgd_tls_handshake(t[0]);
		if (rc[1] == -EAGAIN)
			rc[1] = lgd_tls_handshake(t[1]);
		pump(rfd1, rfd2, false, 2);
		pump(rfd2, rfd1, false, 2);
	}
	ASSERT_EQ(0, rc[0]);
	ASSERT_EQ(0, rc[1]);
	/* One record through honestly, the next altered. */
	ASSERT_EQ(4, lgd_tls_send(t[0], "good", 4));
	pump(rfd1, rfd2, false, 2000);
	ASSERT_EQ(4, recv_wait(t[1], sfd, buf, sizeof(buf)));
	ASSERT_EQ(6, lgd_tls_send(t[0], "forged", 6));
	pump(rfd1, rfd2, true, 2000);
	n = recv_wait(t[1], sfd, buf, sizeof(buf));
	EXPECT_EQ(-EBADMSG, n);
	EXPECT_STREQ("a record did not authenticate (altered on the way?) (OpenSSL: decryption failed or bad record mac)",
		     lgd_tls_why(t[1]));
	EXPECT_EQ(0, ERR_peek_error());
	close(rfd1);
	close(rfd2);
}

/* The peer is gone: errors, never SIGPIPE (SIG_DFL would end us). */
TEST_F(tls, peer_gone_no_sigpipe)
{
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	static char big[65536];
	ssize_t n = 0;
	int rc[2], i;

	setup_pair(self, self->key_a, "leaseguard", self->key_a, "leaseguard", 0);
	handshake_both(self->t, self->fd, rc);
	ASSERT_EQ(0, rc[0]);
	ASSERT_EQ(0, rc[1]);
	/* Our own side shut for writing: EPIPE, where write() raises
	 * SIGPIPE. */
	ASSERT_EQ(0, shutdown(self->fd[0], SHUT_WR));
	EXPECT_EQ(-EPIPE, lgd_tls_send(self->t[0], "x", 1));
	EXPECT_STREQ("Broken pipe", lgd_tls_why(self->t[0]));
	EXPECT_EQ(0, ERR_peek_error());

	/* The peer resets: writes into it until the kernel says so. */
	connect_pair(self, 0);
	handshake_both(self->t, self->fd, rc);
	ASSERT_EQ(0, rc[0]);
	ASSERT_EQ(0, rc[1]);
	setsockopt(self->fd[1], SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
	close(self->fd[1]);
	self->fd[1] = -1;
	usleep(20000);
	for (i = 0; i < 100; i++) {
		n = lgd_tls_send(self->t[0], big, sizeof(big));
		if (n < 0 && n != -EAGAIN)
			break;
	}
	EXPECT_TRUE(n == -EPIPE || n == -ECONNRESET);
	TH_LOG("send after a reset: %zd, %s", n, lgd_tls_why(self->t[0]));
	EXPECT_EQ(0, ERR_peek_error());

	/* An EOF without close_notify, on a new pair. */
	connect_pair(self, 0);
	handshake_both(self->t, self->fd, rc);
	ASSERT_EQ(0, rc[0]);
	ASSERT_EQ(0, rc[1]);
	close(self->fd[1]);
	self->fd[1] = -1;
	EXPECT_EQ(-ECONNRESET, recv_wait(self->t[0], self->fd[0], big, sizeof(big)));
	EXPECT_STREQ("the connection ended without a TLS close_notify (OpenSSL: unexpected eof while reading)",
		     lgd_tls_why(self->t[0]));
	EXPECT_EQ(0, ERR_peek_error());
}

/* A socket left blocking (a caller's mistake) still does not block. */
TEST_F(tls, blocking_socket_does_not_block)
{
	uint64_t start;
	char buf[16];
	int flags;

	setup_pair(self, self->key_a, "leaseguard", self->key_a, "leaseguard", 0);
	flags = fcntl(self->fd[0], F_GETFL);
	ASSERT_EQ(0, fcntl(self->fd[0], F_SETFL, flags & ~O_NONBLOCK));
	usleep(20000);	/* the connect is done */
	start = mono_ms();
	/* The server says nothing: the ClientHello goes, then -EAGAIN. */
	EXPECT_EQ(-EAGAIN, lgd_tls_handshake(self->t[0]));
	EXPECT_EQ(LGD_TLS_WANT_READ, lgd_tls_wants(self->t[0]));
	EXPECT_EQ(-EAGAIN, lgd_tls_handshake(self->t[0]));
	EXPECT_GT(500, mono_ms() - start);
	/* Nor does the server's, which reads the ClientHello, answers,
	 * and waits for the client's Finished. */
	flags = fcntl(self->fd[1], F_GETFL);
	ASSERT_EQ(0, fcntl(self->fd[1], F_SETFL, flags & ~O_NONBLOCK));
	EXPECT_EQ(-EAGAIN, lgd_tls_handshake(self->t[1]));
	EXPECT_EQ(LGD_TLS_WANT_READ, lgd_tls_wants(self->t[1]));
	EXPECT_EQ(-EAGAIN, lgd_tls_recv(self->t[1], buf, sizeof(buf)));
	EXPECT_GT(500, mono_ms() - start);
	EXPECT_EQ(0, ERR_peek_error());
}

/*
 * openssl s_client as the third host, against our server; what it says
 * on stdout goes to out. Returns our server's handshake result and
 * leaves what s_client printed in out.
 */
static int third_host(FIXTURE_DATA(tls) *self, const char *args,
		      char *out, size_t size)
{
	char cmd[1024], reply[64];
	struct pollfd pfd;
	uint16_t port;
	int lfd, sfd, rc;
	FILE *f;
	struct lgd_tls *t;
	ssize_t n;

	lfd = listener(&port);
	snprintf(cmd, sizeof(cmd),
		 "echo 'hello from a third host' | timeout 10 "
		 "openssl s_client -connect 127.0.0.1:%u -quiet %s 2>&1",
		 port, args);
	f = popen(cmd, "r");
	if (!f)
		abort();
	pfd.fd = lfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 5000) != 1)
		abort();
	sfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	close(lfd);
	if (sfd < 0)
		abort();
	t = lgd_tls_new(self->ctx[1], sfd, "third-host");
	rc = handshake_wait(t, sfd);
	if (!rc) {
		/* Its line in, ours out, then close_notify. */
		n = recv_wait(t, sfd, reply, sizeof(reply) - 1);
		if (n != 24 || memcmp(reply, "hello from a third host\n", 24))
			rc = -EIO;
		if (lgd_tls_send(t, "welcome, third host\n", 20) != 20)
			rc = -EIO;
		lgd_tls_shutdown(t);
	}
	lgd_tls_free(t);
	close(sfd);
	n = fread(out, 1, size - 1, f);
	out[n < 0 ? 0 : n] = '\0';
	pclose(f);
	return rc;
}

/*
 * A key for TLS_AES_256_GCM_SHA384, a SHA-384 PSK, in the session file
 * "s_client -psk_session" takes: a peer whose key is for another hash
 * than ours (s_client's -psk is always SHA-256).
 */
static void sha384_psk_file(const char *path, const char *hex)
{
	static const unsigned char aes256[2] = { 0x13, 0x02 };
	SSL_CTX *ssl_ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = ssl_ctx ? SSL_new(ssl_ctx) : NULL;
	SSL_SESSION *sess = SSL_SESSION_new();
	unsigned char *key;
	long len;
	FILE *f;

	key = OPENSSL_hexstr2buf(hex, &len);
	f = fopen(path, "w");
	if (!ssl || !sess || !key || !f ||
	    !SSL_SESSION_set1_master_key(sess, key, len) ||
	    !SSL_SESSION_set_cipher(sess, SSL_CIPHER_find(ssl, aes256)) ||
	    !SSL_SESSION_set_protocol_version(sess, TLS1_3_VERSION) ||
	    !PEM_write_SSL_SESSION(f, sess) || fclose(f))
		abort();
	OPENSSL_clear_free(key, len);
	SSL_SESSION_free(sess);
	SSL_free(ssl);
	SSL_CTX_free(ssl_ctx);
}

/* What an operator types (Documentation/failover.rst): key and identity. */
TEST_F(tls, openssl_s_client_third_host)
{
	static char out[8192];
	const char *log;

	if (system("command -v openssl >/dev/null"))
		SKIP(return, "no openssl command (apt-get install openssl)");
	self->ctx[1] = lgd_tls_ctx_new(LGD_TLS_SERVER, "leaseguard", self->key_a);
	ASSERT_NE(NULL, self->ctx[1]);

	/* The right key and identity: in, both ways. */
	EXPECT_EQ(0, third_host(self, "-tls1_3 -psk_identity leaseguard -psk "
				KEY_A, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "welcome, third host\n"));

	/* A wrong key. */
	EXPECT_EQ(-EKEYREJECTED, third_host(self,
		"-tls1_3 -psk_identity leaseguard -psk " KEY_B, out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "welcome"));

	/* The right key under another identity. */
	EXPECT_EQ(-ENOKEY, third_host(self,
		"-tls1_3 -psk_identity Client_identity -psk " KEY_A, out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "welcome"));

	/* No PSK at all: a client that wants a certificate. */
	EXPECT_EQ(-ENOKEY, third_host(self, "-tls1_3", out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "welcome"));

	/* TLS 1.2 with the key (its own PSK mechanism). */
	EXPECT_EQ(-EPROTO, third_host(self, "-tls1_2 -psk_identity leaseguard -psk " KEY_A,
				      out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "welcome"));

	log = log_text(self->log_fd);
	show_log(self->log_fd);
	EXPECT_EQ(1, count_lines(log, "err: partner third-host: TLS handshake failed: the partner's pre-shared key differs (OpenSSL: binder does not verify)\n"));
	EXPECT_EQ(1, count_lines(log, "err: partner third-host: TLS handshake failed: unknown PSK identity \"Client_identity\" (ours is \"leaseguard\")"));
	EXPECT_EQ(1, count_lines(log, "err: partner third-host: TLS handshake failed: the peer offered no pre-shared key"));
	EXPECT_EQ(1, count_lines(log, "warning: partner third-host: TLS handshake failed: the peer does not speak TLS 1.3 (OpenSSL: unsupported protocol)\n"));
	EXPECT_EQ(4, count_lines(log, "\n"));
	EXPECT_EQ(0, ERR_peek_error());
}

/*
 * The right key, but another suite or another hash: refused, and the
 * line says which. With TLS_AES_256_GCM_SHA384 (the suite before ours)
 * s_client gets in only if our suite is not TLS_AES_128_GCM_SHA256.
 */
TEST_F(tls, openssl_s_client_other_suite_or_hash)
{
	static char out[8192];
	char path[96], args[512];
	const char *log;

	if (system("command -v openssl >/dev/null"))
		SKIP(return, "no openssl command (apt-get install openssl)");
	self->ctx[1] = lgd_tls_ctx_new(LGD_TLS_SERVER, "leaseguard", self->key_a);
	ASSERT_NE(NULL, self->ctx[1]);

	/* Only TLS_AES_256_GCM_SHA384 offered (its -psk key is SHA-256). */
	EXPECT_EQ(-EPROTO, third_host(self, "-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384 "
				      "-psk_identity leaseguard -psk " KEY_A, out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "welcome"));

	/* Every suite offered, but a SHA-384 PSK. */
	snprintf(path, sizeof(path), "%s/sha384.pem", self->dir);
	sha384_psk_file(path, KEY_A);
	snprintf(args, sizeof(args), "-tls1_3 -psk_identity leaseguard -psk_session %s", path);
	EXPECT_EQ(-EKEYREJECTED, third_host(self, args, out, sizeof(out)));
	EXPECT_EQ(NULL, strstr(out, "welcome"));

	log = log_text(self->log_fd);
	show_log(self->log_fd);
	EXPECT_EQ(1, count_lines(log, "warning: partner third-host: TLS handshake failed: the peer does not offer TLS_AES_128_GCM_SHA256 (OpenSSL: no shared cipher)\n"));
	EXPECT_EQ(1, count_lines(log, "err: partner third-host: TLS handshake failed: the peer's pre-shared key is not a SHA-256 one, for TLS_AES_128_GCM_SHA256 (OpenSSL: "));
	EXPECT_EQ(2, count_lines(log, "\n"));
	EXPECT_EQ(0, ERR_peek_error());
}

/*
 * openssl s_server as the third host, our client against it: it waits
 * on port, started with args; returns our handshake's result, and a
 * line sent and what came back in echo (s_server -rev reverses it).
 */
static int third_server(FIXTURE_DATA(tls) *self, const char *args,
			char *echo, size_t size)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char cmd[1024], line[256];
	uint16_t port;
	ssize_t n = 0;
	int fd, rc;
	FILE *f;

	/* A free port: the listener's, closed for s_server to take. */
	close(listener(&port));
	snprintf(cmd, sizeof(cmd),
		 "exec timeout 10 openssl s_server -accept 127.0.0.1:%u -naccept 1 "
		 "-rev %s </dev/null 2>&1", port, args);
	f = popen(cmd, "r");
	if (!f)
		abort();
	while (fgets(line, sizeof(line), f) && strcmp(line, "ACCEPT\n"))
		;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		abort();
	fcntl(fd, F_SETFL, O_NONBLOCK);
	self->t[0] = lgd_tls_new(self->ctx[0], fd, "third-server");
	rc = handshake_wait(self->t[0], fd);
	echo[0] = '\0';
	if (!rc && lgd_tls_send(self->t[0], "hello, s_server\n", 16) == 16)
		n = recv_wait(self->t[0], fd, echo, size - 1);
	echo[n > 0 ? n : 0] = '\0';
	lgd_tls_free(self->t[0]);
	self->t[0] = NULL;
	close(fd);
	pclose(f);
	return rc;
}

TEST_F(tls, openssl_s_server_third_host)
{
	char echo[64], args[512];

	if (system("command -v openssl >/dev/null"))
		SKIP(return, "no openssl command (apt-get install openssl)");
	self->ctx[0] = lgd_tls_ctx_new(LGD_TLS_CLIENT, "leaseguard", self->key_a);
	ASSERT_NE(NULL, self->ctx[0]);

	EXPECT_EQ(0, third_server(self, "-tls1_3 -nocert -psk_identity leaseguard -psk " KEY_A,
				  echo, sizeof(echo)));
	EXPECT_STREQ("revres_s ,olleh\n", echo);
	EXPECT_EQ(0, strlen(log_text(self->log_fd)));

	/* A wrong key, another identity, only another suite. */
	EXPECT_EQ(-EKEYREJECTED, third_server(self,
		"-tls1_3 -nocert -psk_identity leaseguard -psk " KEY_B, echo, sizeof(echo)));
	EXPECT_STREQ("", echo);
	EXPECT_EQ(-ENOKEY, third_server(self,
		"-tls1_3 -nocert -psk_identity Client_identity -psk " KEY_A, echo, sizeof(echo)));
	EXPECT_STREQ("", echo);
	EXPECT_EQ(-ENOKEY, third_server(self,
		"-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384 -nocert -psk_identity leaseguard -psk " KEY_A,
		echo, sizeof(echo)));
	EXPECT_STREQ("", echo);

	/* A server with a certificate and no PSK: not a partner. */
	snprintf(args, sizeof(args), "cd %s && openssl req -x509 -newkey ec "
		 "-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout cert.key "
		 "-out cert.pem -subj /CN=not-a-partner -days 1 >/dev/null 2>&1",
		 self->dir);
	ASSERT_EQ(0, system(args));
	snprintf(args, sizeof(args), "-tls1_3 -cert %s/cert.pem -key %s/cert.key",
		 self->dir, self->dir);
	EXPECT_EQ(-EPROTO, third_server(self, args, echo, sizeof(echo)));
	show_log(self->log_fd);
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
		"err: partner third-server: TLS handshake failed: the partner's pre-shared key differs (OpenSSL: sslv3 alert illegal parameter)\n"));
	EXPECT_EQ(2, count_lines(log_text(self->log_fd),
		"err: partner third-server: TLS handshake failed: the partner refused the handshake (another PSK identity or cipher suite? its log says) (OpenSSL: sslv3 alert handshake failure)\n"));
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
		"warning: partner third-server: TLS handshake failed: the peer sent a certificate, not the pre-shared key (OpenSSL: certificate verify failed)\n"));
	EXPECT_EQ(4, count_lines(log_text(self->log_fd), "\n"));
	EXPECT_EQ(0, ERR_peek_error());
}

/* A peer that closes without a word: on the server, on the client. */
TEST_F(tls, peer_closes_in_handshake)
{
	struct pollfd pfd = { .events = POLLIN };
	char buf[512];

	setup_pair(self, self->key_a, "leaseguard", self->key_a, "leaseguard", 0);
	close(self->fd[0]);
	self->fd[0] = -1;
	EXPECT_EQ(-ECONNRESET, handshake_wait(self->t[1], self->fd[1]));

	/* Our ClientHello read (a TLS handshake record), then a close. */
	connect_pair(self, 0);
	EXPECT_EQ(-EAGAIN, lgd_tls_handshake(self->t[0]));
	pfd.fd = self->fd[1];
	EXPECT_EQ(1, poll(&pfd, 1, 2000));
	EXPECT_LT(0, recv(self->fd[1], buf, sizeof(buf), 0));
	EXPECT_EQ(0x16, buf[0]);
	close(self->fd[1]);
	self->fd[1] = -1;
	EXPECT_EQ(-ECONNRESET, handshake_wait(self->t[0], self->fd[0]));
	show_log(self->log_fd);
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
		"warning: partner the-client: TLS handshake failed: the peer closed the connection without answering (OpenSSL: unexpected eof while reading)\n"));
	EXPECT_EQ(1, count_lines(log_text(self->log_fd),
		"warning: partner the-server: TLS handshake failed: the peer closed the connection without answering (OpenSSL: unexpected eof while reading)\n"));
	EXPECT_EQ(0, ERR_peek_error());
}

TEST_HARNESS_MAIN

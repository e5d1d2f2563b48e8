// SPDX-License-Identifier: GPL-2.0
/*
 * The partner channel: TLS 1.3 with an external pre-shared key through
 * OpenSSL 3 (partner_tls.h says what it does and returns).
 *
 * OpenSSL takes an external PSK as an SSL_SESSION that holds the key as
 * its "master key" and the cipher suite whose hash goes with it; the
 * server finds it by identity, the client offers it (SSL_CTX_set_psk_*
 * _session_callback). The socket is reached through a BIO of our own:
 * OpenSSL's socket BIO write()s, which raises SIGPIPE on a reset
 * connection; ours send()s with MSG_NOSIGNAL and MSG_DONTWAIT, and keeps
 * what a failed handshake needs to be told in an operator's words (the
 * socket's errno, an EOF, the peer's first octet).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include "hex.h"
#include "lgd.h"
#include "partner_tls.h"

/*
 * TLS_AES_128_GCM_SHA256 (RFC 8446 B.4), the suite every TLS 1.3 stack
 * must have (9.1): "openssl s_client -psk", whose key is always a
 * SHA-256 PSK, reaches a partner with the key file's hex alone.
 */
static const unsigned char lgd_tls_suite_id[2] = { 0x13, 0x01 };
#define LGD_TLS_SUITE		"TLS_AES_128_GCM_SHA256"
/* A key file is one line of hex: anything longer is not a key. */
#define LGD_TLS_KEY_FILE_MAX	1024
#define LGD_TLS_REC_HANDSHAKE	0x16	/* TLS record content types */
#define LGD_TLS_REC_ALERT	0x15
#define LGD_TLS_STR_(x)		#x
#define LGD_TLS_STR(x)		LGD_TLS_STR_(x)

struct lgd_tls_ctx {
	SSL_CTX *ssl_ctx;
	BIO_METHOD *bio_meth;
	SSL_SESSION *psk;		/* the key, as OpenSSL takes it */
	enum lgd_tls_role role;
	bool quiet;			/* the caller logs failed handshakes */
	char identity[LGD_TLS_IDENTITY_MAX + 1];
};

struct lgd_tls {
	struct lgd_tls_ctx *ctx;
	SSL *ssl;
	int fd;
	unsigned int wants;
	int sock_err;		/* errno of the last failed send/recv */
	bool eof;		/* recv() saw the peer's FIN */
	bool got_bytes;
	uint8_t first;		/* the peer's first octet */
	bool psk_offered;	/* server: the ClientHello had a PSK */
	bool psk_unknown;	/* ... under an identity not ours */
	char unknown_id[40];	/* printable */
	char peer[64];
	char why[320];
};

int lgd_tls_key_read(const char *path, uint8_t *key, size_t size,
		     const char **why)
{
	char buf[LGD_TLS_KEY_FILE_MAX + 1], *s, *e;
	struct stat st;
	ssize_t n;
	int fd, ret;

	/* O_NONBLOCK: a FIFO put there must not hang the daemon. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		*why = strerror(errno);
		return ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		*why = strerror(errno);
		goto out_close;
	}
	ret = -EACCES;
	if (!S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		goto out_close;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		*why = "not owned by root (chown root: it)";
		goto out_close;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		*why = "group or others may read or write it (chmod 600 it)";
		goto out_close;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		ret = -errno;
		*why = strerror(errno);
		goto out_close;
	}
	ret = -EINVAL;
	if (n > LGD_TLS_KEY_FILE_MAX) {
		*why = "too long to be a key (openssl rand -hex 32 makes one)";
		goto out_wipe;
	}
	buf[n] = '\0';
	for (s = buf; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'; s++)
		;
	for (e = buf + n; e > s && (e[-1] == ' ' || e[-1] == '\t' ||
				    e[-1] == '\n' || e[-1] == '\r'); e--)
		;
	*e = '\0';
	ret = lg_hex_parse(s, key, size < LGD_TLS_KEY_MAX ? size :
						     LGD_TLS_KEY_MAX);
	if (ret == -ERANGE) {
		*why = "longer than " LGD_TLS_STR(LGD_TLS_KEY_MAX) " octets";
	} else if (ret < 0) {
		*why = "not hex (openssl rand -hex 32 makes a key)";
	} else if (ret < LGD_TLS_KEY_MIN) {
		*why = "shorter than " LGD_TLS_STR(LGD_TLS_KEY_MIN)
		       " octets (openssl rand -hex 32 makes a key)";
		ret = -EINVAL;
	}
	if (ret < 0) {
		OPENSSL_cleanse(key, size);
		ret = -EINVAL;
	}
out_wipe:
	OPENSSL_cleanse(buf, sizeof(buf));
out_close:
	close(fd);
	return ret;
}

/* A send() or recv() that failed: to retry (how), or the socket's error. */
static int lgd_tls_bio_fail(BIO *b, struct lgd_tls *t, int how)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		BIO_set_flags(b, how | BIO_FLAGS_SHOULD_RETRY);
	else
		t->sock_err = errno;
	return 0;
}

/* The socket, without SIGPIPE and without blocking whatever its flags. */
static int lgd_tls_bio_write(BIO *b, const char *buf, size_t len,
			     size_t *done)
{
	struct lgd_tls *t = BIO_get_data(b);
	ssize_t n;

	BIO_clear_retry_flags(b);
	n = send(t->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return lgd_tls_bio_fail(b, t, BIO_FLAGS_WRITE);
	*done = n;
	return 1;
}

static int lgd_tls_bio_read(BIO *b, char *buf, size_t len, size_t *done)
{
	struct lgd_tls *t = BIO_get_data(b);
	ssize_t n;

	BIO_clear_retry_flags(b);
	n = recv(t->fd, buf, len, MSG_DONTWAIT);
	if (n < 0)
		return lgd_tls_bio_fail(b, t, BIO_FLAGS_READ);
	if (n == 0) {
		t->eof = true;
		return 0;
	}
	if (!t->got_bytes) {
		t->got_bytes = true;
		t->first = buf[0];
	}
	*done = n;
	return 1;
}

static long lgd_tls_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct lgd_tls *t = BIO_get_data(b);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_EOF:	/* OpenSSL 3 tells an EOF apart by it */
		return t && t->eof;
	}
	return 0;
}

static int lgd_tls_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* Server: the ClientHello's identity is ours, or the PSK is not used. */
static int lgd_tls_find_psk(SSL *ssl, const unsigned char *id, size_t len,
			    SSL_SESSION **sess)
{
	struct lgd_tls *t = SSL_get_app_data(ssl);
	struct lgd_tls_ctx *ctx = t->ctx;
	size_t i, n;

	*sess = NULL;
	t->psk_offered = true;
	if (len == strlen(ctx->identity) && !memcmp(id, ctx->identity, len)) {
		if (!SSL_SESSION_up_ref(ctx->psk))
			return 0;
		*sess = ctx->psk;
		t->psk_unknown = false;
		return 1;
	}
	t->psk_unknown = true;
	n = len < sizeof(t->unknown_id) - 1 ? len : sizeof(t->unknown_id) - 1;
	for (i = 0; i < n; i++)
		t->unknown_id[i] = id[i] >= 0x20 && id[i] < 0x7f ? id[i] : '?';
	t->unknown_id[n] = '\0';
	return 1;
}

/*
 * Client: our identity and key, unless a HelloRetryRequest chose a hash
 * that is not the key's (it cannot, with one suite: then the handshake
 * goes on without a PSK and fails).
 */
static int lgd_tls_use_psk(SSL *ssl, const EVP_MD *md,
			   const unsigned char **id, size_t *idlen,
			   SSL_SESSION **sess)
{
	struct lgd_tls *t = SSL_get_app_data(ssl);
	struct lgd_tls_ctx *ctx = t->ctx;

	*sess = NULL;
	*id = NULL;
	*idlen = 0;
	if (md && EVP_MD_get_type(md) != NID_sha256)
		return 1;
	if (!SSL_SESSION_up_ref(ctx->psk))
		return 0;
	*sess = ctx->psk;
	*id = (const unsigned char *)ctx->identity;
	*idlen = strlen(ctx->identity);
	return 1;
}

static SSL_SESSION *lgd_tls_psk_new(SSL_CTX *ssl_ctx, const uint8_t *key,
				    size_t len)
{
	const SSL_CIPHER *suite;
	SSL_SESSION *sess;
	SSL *ssl;

	ssl = SSL_new(ssl_ctx);
	if (!ssl)
		return NULL;
	suite = SSL_CIPHER_find(ssl, lgd_tls_suite_id);
	SSL_free(ssl);
	sess = SSL_SESSION_new();
	if (!suite || !sess || !SSL_SESSION_set1_master_key(sess, key, len) ||
	    !SSL_SESSION_set_cipher(sess, suite) ||
	    !SSL_SESSION_set_protocol_version(sess, TLS1_3_VERSION)) {
		SSL_SESSION_free(sess);
		return NULL;
	}
	return sess;
}

static bool lgd_tls_identity_ok(const char *id)
{
	size_t len = strlen(id), i;

	if (!len || len > LGD_TLS_IDENTITY_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (id[i] <= 0x20 || id[i] >= 0x7f)
			return false;
	return true;
}

struct lgd_tls_ctx *lgd_tls_ctx_new(enum lgd_tls_role role,
				    const char *identity,
				    const char *key_path)
{
	bool server = role == LGD_TLS_SERVER;
	uint8_t key[LGD_TLS_KEY_MAX];
	struct lgd_tls_ctx *ctx;
	const char *why;
	int len;

	if (!lgd_tls_identity_ok(identity)) {
		lgd_err("partner identity \"%s\": refused: 1 to %d printable characters, no spaces",
			identity, LGD_TLS_IDENTITY_MAX);
		return NULL;
	}
	len = lgd_tls_key_read(key_path, key, sizeof(key), &why);
	if (len < 0) {
		lgd_err("partner key %s: refused: %s", key_path, why);
		return NULL;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		goto err_key;
	ctx->role = role;
	snprintf(ctx->identity, sizeof(ctx->identity), "%s", identity);
	ERR_clear_error();
	ctx->ssl_ctx = SSL_CTX_new(server ? TLS_server_method() :
				   TLS_client_method());
	if (!ctx->ssl_ctx)
		goto err_ctx;
	ctx->psk = lgd_tls_psk_new(ctx->ssl_ctx, key, len);
	if (!ctx->psk)
		goto err_ctx;
	OPENSSL_cleanse(key, sizeof(key));
	/*
	 * TLS 1.3 only, one suite; psk_dhe_ke only (no
	 * SSL_OP_ALLOW_NO_DHE_KEX): each connection's keys come from an
	 * ECDHE exchange too, so a key stolen later does not open recorded
	 * traffic. No tickets, no cache, no early data: a connection is a
	 * full handshake with the PSK, never a resumption.
	 */
	if (!SSL_CTX_set_min_proto_version(ctx->ssl_ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx->ssl_ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(ctx->ssl_ctx, LGD_TLS_SUITE) ||
	    !SSL_CTX_set_num_tickets(ctx->ssl_ctx, 0) ||
	    !SSL_CTX_set_max_early_data(ctx->ssl_ctx, 0) ||
	    !SSL_CTX_set_recv_max_early_data(ctx->ssl_ctx, 0))
		goto err_ctx;
	SSL_CTX_clear_options(ctx->ssl_ctx, SSL_OP_ALLOW_NO_DHE_KEX);
	SSL_CTX_set_options(ctx->ssl_ctx, SSL_OP_NO_TICKET |
			    SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_session_cache_mode(ctx->ssl_ctx, SSL_SESS_CACHE_OFF);
	/* The caller's queue resends the same octets from where it moved. */
	SSL_CTX_set_mode(ctx->ssl_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (server) {
		SSL_CTX_set_psk_find_session_callback(ctx->ssl_ctx,
						      lgd_tls_find_psk);
	} else {
		SSL_CTX_set_psk_use_session_callback(ctx->ssl_ctx,
						     lgd_tls_use_psk);
		/* No trust anchors: a server that answers with a
		 * certificate instead of the PSK fails. */
		SSL_CTX_set_verify(ctx->ssl_ctx, SSL_VERIFY_PEER, NULL);
	}
	ctx->bio_meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK,
				     "leaseguard partner socket");
	if (!ctx->bio_meth ||
	    !BIO_meth_set_write_ex(ctx->bio_meth, lgd_tls_bio_write) ||
	    !BIO_meth_set_read_ex(ctx->bio_meth, lgd_tls_bio_read) ||
	    !BIO_meth_set_ctrl(ctx->bio_meth, lgd_tls_bio_ctrl) ||
	    !BIO_meth_set_create(ctx->bio_meth, lgd_tls_bio_create))
		goto err_ctx;
	return ctx;

err_ctx:
	lgd_err("partner TLS: cannot set up OpenSSL: %s",
		ERR_reason_error_string(ERR_peek_error()) ?: "out of memory");
	ERR_clear_error();
	lgd_tls_ctx_free(ctx);
err_key:
	OPENSSL_cleanse(key, sizeof(key));
	return NULL;
}

void lgd_tls_ctx_free(struct lgd_tls_ctx *ctx)
{
	if (!ctx)
		return;
	BIO_meth_free(ctx->bio_meth);
	SSL_SESSION_free(ctx->psk);
	SSL_CTX_free(ctx->ssl_ctx);
	free(ctx);
}

void lgd_tls_ctx_set_quiet(struct lgd_tls_ctx *ctx, bool quiet)
{
	ctx->quiet = quiet;
}

/* Ours to set right (the key, the identity): err; the peer's: warning. */
int lgd_tls_fail_level(int err)
{
	return err == -EKEYREJECTED || err == -ENOKEY ? LOG_ERR : LOG_WARNING;
}

struct lgd_tls *lgd_tls_new(struct lgd_tls_ctx *ctx, int fd,
			    const char *peer)
{
	struct lgd_tls *t = calloc(1, sizeof(*t));
	BIO *bio;

	if (!t)
		return NULL;
	t->ctx = ctx;
	t->fd = fd;
	snprintf(t->peer, sizeof(t->peer), "%s", peer);
	t->ssl = SSL_new(ctx->ssl_ctx);
	bio = BIO_new(ctx->bio_meth);
	if (!t->ssl || !bio) {
		BIO_free(bio);
		lgd_tls_free(t);
		ERR_clear_error();
		return NULL;
	}
	BIO_set_data(bio, t);
	SSL_set_bio(t->ssl, bio, bio);	/* one reference, for both */
	SSL_set_app_data(t->ssl, t);
	if (ctx->role == LGD_TLS_SERVER)
		SSL_set_accept_state(t->ssl);
	else
		SSL_set_connect_state(t->ssl);
	return t;
}

void lgd_tls_free(struct lgd_tls *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	free(t);
}

/* t->why: what, then OpenSSL's reason (when it has one). */
static void lgd_tls_say(struct lgd_tls *t, const char *what,
			const char *reason)
{
	if (reason)
		snprintf(t->why, sizeof(t->why), "%s (OpenSSL: %s)", what,
			 reason);
	else
		snprintf(t->why, sizeof(t->why), "%s", what);
}

/*
 * A handshake that failed, in an operator's words: what went wrong is
 * read from what the peer sent (its first octet, its alert, its
 * identity), what OpenSSL found, and the socket.
 */
static int lgd_tls_handshake_class(struct lgd_tls *t, unsigned long e,
				   const char **what, char *buf, size_t size)
{
	int reason = ERR_GET_REASON(e);
	bool server = t->ctx->role == LGD_TLS_SERVER;

	if (t->sock_err) {
		*what = strerror(t->sock_err);
		return -t->sock_err;
	}
	if (!t->got_bytes && t->eof) {
		*what = "the peer closed the connection without answering";
		return -ECONNRESET;
	}
	if (t->got_bytes && t->first != LGD_TLS_REC_HANDSHAKE &&
	    t->first != LGD_TLS_REC_ALERT) {
		*what = "the peer does not speak TLS";
		return -EPROTO;
	}
	if (reason == SSL_R_UNSUPPORTED_PROTOCOL ||
	    reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION) {
		*what = "the peer does not speak TLS 1.3";
		return -EPROTO;
	}
	/*
	 * The server checks the PSK's binder on the ClientHello; OpenSSL
	 * refuses one that does not verify with illegal_parameter, before
	 * any answer: an alert as the server's first record.
	 */
	if (reason == SSL_R_BINDER_DOES_NOT_VERIFY ||
	    (!server && t->first == LGD_TLS_REC_ALERT &&
	     (reason == SSL_R_SSLV3_ALERT_ILLEGAL_PARAMETER ||
	      reason == SSL_R_TLSV1_ALERT_DECRYPT_ERROR))) {
		*what = "the partner's pre-shared key differs";
		return -EKEYREJECTED;
	}
	if (server && t->psk_unknown) {
		snprintf(buf, size, "unknown PSK identity \"%s\" (ours is \"%s\")",
			 t->unknown_id, t->ctx->identity);
		*what = buf;
		return -ENOKEY;
	}
	if (server && reason == SSL_R_NO_SHARED_CIPHER) {
		*what = "the peer does not offer " LGD_TLS_SUITE;
		return -EPROTO;
	}
	/* A binder of another hash's length than our key's. */
	if (server && t->psk_offered && reason == SSL_R_BAD_EXTENSION) {
		*what = "the peer's pre-shared key is not a SHA-256 one, for "
			LGD_TLS_SUITE;
		return -EKEYREJECTED;
	}
	if (server && !t->psk_offered && reason != SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		*what = "the peer offered no pre-shared key";
		return -ENOKEY;
	}
	if (!server && reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE) {
		*what = "the partner refused the handshake (another PSK identity or cipher suite? its log says)";
		return -ENOKEY;
	}
	if (!server && reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
		*what = "the peer sent a certificate, not the pre-shared key";
		return -EPROTO;
	}
	if (t->eof || reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		*what = "the peer closed the connection during the handshake";
		return -ECONNRESET;
	}
	*what = "TLS failed";
	return -EPROTO;
}

/* After a call that did not complete: -EAGAIN and t->wants, or failure. */
static int lgd_tls_result(struct lgd_tls *t, int ret, bool handshake)
{
	int err = SSL_get_error(t->ssl, ret);
	unsigned long e = ERR_peek_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;
	char buf[224];
	const char *what;
	int rc;

	switch (err) {
	case SSL_ERROR_WANT_READ:
		t->wants = LGD_TLS_WANT_READ;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		t->wants = LGD_TLS_WANT_WRITE;
		return -EAGAIN;
	}
	t->wants = 0;
	if (handshake) {
		rc = lgd_tls_handshake_class(t, e, &what, buf, sizeof(buf));
	} else if (err == SSL_ERROR_ZERO_RETURN) {
		what = "the partner closed the channel";
		rc = 0;
	} else if (t->sock_err) {
		what = strerror(t->sock_err);
		rc = -t->sock_err;
	} else if (ERR_GET_REASON(e) == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC) {
		what = "a record did not authenticate (altered on the way?)";
		rc = -EBADMSG;
	} else if (t->eof || ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		what = "the connection ended without a TLS close_notify";
		rc = -ECONNRESET;
	} else {
		what = "TLS failed";
		rc = -EPROTO;
	}
	lgd_tls_say(t, what, reason);
	ERR_clear_error();
	return rc;
}

int lgd_tls_handshake(struct lgd_tls *t)
{
	int ret, rc;

	ERR_clear_error();
	ret = SSL_do_handshake(t->ssl);
	if (ret == 1) {
		t->wants = 0;
		/* Belt and braces: the PSK, never a certificate, made it. */
		if (SSL_session_reused(t->ssl))
			return 0;
		lgd_tls_say(t, "the peer did not use the pre-shared key", NULL);
		rc = -EPROTO;
	} else {
		rc = lgd_tls_result(t, ret, true);
		if (rc == -EAGAIN)
			return rc;
	}
	if (!t->ctx->quiet)
		lgd_log(lgd_tls_fail_level(rc),
			"partner %s: TLS handshake failed: %s", t->peer,
			t->why);
	return rc;
}

ssize_t lgd_tls_send(struct lgd_tls *t, const void *buf, size_t len)
{
	size_t done;

	ERR_clear_error();
	if (SSL_write_ex(t->ssl, buf, len, &done))
		return done;
	return lgd_tls_result(t, 0, false);
}

ssize_t lgd_tls_recv(struct lgd_tls *t, void *buf, size_t len)
{
	size_t done;

	ERR_clear_error();
	if (SSL_read_ex(t->ssl, buf, len, &done))
		return done;
	return lgd_tls_result(t, 0, false);
}

int lgd_tls_shutdown(struct lgd_tls *t)
{
	int ret;

	if (!SSL_is_init_finished(t->ssl))
		return 0;	/* no channel to close */
	ERR_clear_error();
	ret = SSL_shutdown(t->ssl);
	if (ret >= 0)
		return 0;	/* ours is sent; the peer's is not awaited */
	ret = lgd_tls_result(t, ret, false);
	return ret ?: -EPROTO;
}

unsigned int lgd_tls_wants(const struct lgd_tls *t)
{
	return t->wants;
}

const char *lgd_tls_why(const struct lgd_tls *t)
{
	return t->why;
}

const char *lgd_tls_group(const struct lgd_tls *t)
{
	int nid = SSL_get_negotiated_group(t->ssl);

	return nid ? OBJ_nid2sn(nid) : NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leaseguardd's partner channel (partner_tls.c): TLS 1.3 with an external
 * pre-shared key (RFC 8446 4.2.11) through OpenSSL 3, over a connected
 * TCP socket that the caller's event loop polls. It carries opaque bytes;
 * the messages are sync_wire's.
 *
 * Fixed, not configurable: TLS 1.3 only, TLS_AES_128_GCM_SHA256 (the
 * PSK's hash is SHA-256), psk_dhe_ke (an ECDHE share with the PSK: forward
 * secrecy), no certificates, no session tickets or resumption, no 0-RTT.
 *
 * Nothing here blocks or raises SIGPIPE. A call that cannot go on returns
 * -EAGAIN, and lgd_tls_wants() says which of LGD_TLS_WANT_READ and
 * LGD_TLS_WANT_WRITE the socket must become for the same call to go on.
 * Errors are negative errnos; lgd_tls_why() says them in an operator's
 * words. OpenSSL's (thread-local) error queue is left empty by each call.
 * The caller sets TCP_NODELAY: a heartbeat must not wait for an ACK.
 */
#ifndef LGD_PARTNER_TLS_H
#define LGD_PARTNER_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LGD_TLS_KEY_DEFAULT	"/etc/leaseguard/partner.key"
#define LGD_TLS_IDENTITY_DEFAULT	"leaseguard"
/* Octets of key: at least 256 bits; s_client -psk takes up to 512. */
#define LGD_TLS_KEY_MIN		32
#define LGD_TLS_KEY_MAX		64
#define LGD_TLS_IDENTITY_MAX	128

enum lgd_tls_role {
	LGD_TLS_CLIENT,		/* we connected */
	LGD_TLS_SERVER,		/* we accepted */
};

#define LGD_TLS_WANT_READ	0x1
#define LGD_TLS_WANT_WRITE	0x2

struct lgd_tls_ctx;
struct lgd_tls;

/*
 * The key file: hex (colons allowed), white space around it, at least
 * LGD_TLS_KEY_MIN and at most LGD_TLS_KEY_MAX octets; a regular file
 * owned by root or by the running user, that neither group nor others
 * may read, write or execute. Returns the key's length, or -errno with
 * *why saying what is wrong (static text, or for open() strerror's).
 */
int lgd_tls_key_read(const char *path, uint8_t *key, size_t size,
		     const char **why);

/*
 * A context for one role, one identity and the key in key_path (read
 * once: a changed key takes a new context). NULL after logging why.
 */
struct lgd_tls_ctx *lgd_tls_ctx_new(enum lgd_tls_role role,
				    const char *identity,
				    const char *key_path);
/* After the last of its connections is freed. */
void lgd_tls_ctx_free(struct lgd_tls_ctx *ctx);
/*
 * Quiet: a failed handshake is not logged here; the caller logs
 * lgd_tls_why() itself, at lgd_tls_fail_level() (partner.c does, to say
 * a failure that repeats once, not once per attempt). Off in a new context.
 */
void lgd_tls_ctx_set_quiet(struct lgd_tls_ctx *ctx, bool quiet);
/* The syslog level of a handshake's failure err: LOG_ERR or LOG_WARNING. */
int lgd_tls_fail_level(int err);

/*
 * A connection over fd, connected (or accepted) and non-blocking; peer
 * names it in log lines ("[2001:db8::2]:4647"). fd stays the caller's:
 * lgd_tls_free() does not close it. NULL when out of memory.
 */
struct lgd_tls *lgd_tls_new(struct lgd_tls_ctx *ctx, int fd,
			    const char *peer);
void lgd_tls_free(struct lgd_tls *t);

/*
 * One step of the handshake: 0 when done, -EAGAIN, or (after one log
 * line naming the peer and what went wrong, unless the context is
 * quiet) -EKEYREJECTED (the keys differ), -ENOKEY (an unknown identity,
 * or no pre-shared key offered),
 * -EPROTO (the peer does not speak TLS, or not as we do), -ECONNRESET
 * (the peer closed or reset the connection), another -errno of the
 * socket's. After a failure (here or below) the connection is dead:
 * lgd_tls_free() it and close the socket.
 */
int lgd_tls_handshake(struct lgd_tls *t);

/*
 * After the handshake. Send: the octets taken (at least one), or -EAGAIN;
 * after -EAGAIN, call again with the same octets first (the buffer may
 * move). Receive: the octets read (at least one), 0 when the peer closed
 * the channel (close_notify), or -EAGAIN. Both: -EBADMSG (a record that
 * does not authenticate), -ECONNRESET (the connection ended without
 * close_notify), -EPROTO, or a socket's -errno; lgd_tls_why() says it.
 */
ssize_t lgd_tls_send(struct lgd_tls *t, const void *buf, size_t len);
ssize_t lgd_tls_recv(struct lgd_tls *t, void *buf, size_t len);

/* Sends close_notify: 0 when sent, -EAGAIN, or -errno. */
int lgd_tls_shutdown(struct lgd_tls *t);

/* LGD_TLS_WANT_* bits for the call that returned -EAGAIN last. */
unsigned int lgd_tls_wants(const struct lgd_tls *t);
/* The last failure, in an operator's words, with OpenSSL's reason. */
const char *lgd_tls_why(const struct lgd_tls *t);
/* The key exchange group the handshake agreed on (OpenSSL's name). */
const char *lgd_tls_group(const struct lgd_tls *t);

#endif /* LGD_PARTNER_TLS_H */

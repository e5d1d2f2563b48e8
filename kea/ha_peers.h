// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// A release must reach every server of a Kea HA pair. Kea 2.2's HA hook
// (libdhcp_ha.so) sends its partner the leases that a client's message
// changed, from its leases6_committed callout; our releases happen in
// buffer6_receive, where no lease is committed, so HA never learns of
// them, and ha-sync does not remove a lease the partner has and this
// server has not. This sends the partner what HA would have sent: a
// lease6-bulk-apply with the released leases in "deleted-leases", POSTed
// to the peer's URL (its kea-ctrl-agent, as HA in Kea 2.2 requires).
//
// Over TLS when the peer's configuration says so, as HA's: the keys
// "trust-anchor", "cert-file" and "key-file", all three or none, at the
// relationship's level or a peer's (which wins; "" there is "none").
// The peer's certificate must verify against the trust anchor and name
// the URL's host (an IP address in subjectAltName, or a DNS name); TLS
// 1.2 at least. A TLS failure is a failure to reach the peer: the
// command stays queued and is retried, never sent in plain text.
//
// One thread per peer, with its own bounded queue: a packet thread only
// queues, never waits for a peer. While a peer does not answer, its
// thread retries the command at the head of its queue with backoff (1 s,
// doubling to 30 s); the queue keeps the order, and when full drops the
// oldest command (counted and logged).
#ifndef LEASEGUARD_KEA_HA_PEERS_H
#define LEASEGUARD_KEA_HA_PEERS_H

#include <cc/data.h>
#include <dhcpsrv/lease.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct ssl_ctx_st;             // OpenSSL's SSL_CTX

namespace leaseguard {

struct HaPeer {
    std::string name;
    std::string url;            // http[s]://HOST[:PORT][/PATH]
    std::string basic_auth;     // "user:password", or empty
    // TLS, as HA's keys: all three, or none (plain HTTP). Initialized,
    // so that { name, url, basic_auth } is still a whole plain peer.
    std::string trust_anchor = "";      // a PEM file, or a hashed directory
    std::string cert_file = "";         // this server's, sent to the peer
    std::string key_file = "";

    bool tls() const { return (!trust_anchor.empty()); }
};

// A peer's URL, taken apart. An https URL needs TLS configured; an http
// URL with TLS configured is sent over TLS all the same, as HA does.
struct HaUrl {
    bool https = false;
    std::string host;           // without the brackets of an IPv6 address
    std::string port = "80";    // 443 for https
    std::string path = "/";
    std::string host_header;    // as in the URL: [v6]:port
};

// Throws isc::BadValue saying what is wrong with url.
HaUrl parseHaUrl(const std::string& url);

// Applies HA's rules to a peer's TLS keys (where names it in messages):
// all three or none, https only with them, and the files must load.
// Throws isc::BadValue saying which key is wrong and why.
void checkHaPeerTls(const HaPeer& peer, const std::string& where);

// The peer's TLS client context (its trust anchor, its certificate and
// key, TLS 1.2 at least, the peer verified); null for a plain peer.
// Throws isc::BadValue if a file does not load.
std::shared_ptr<ssl_ctx_st> haTlsContext(const HaPeer& peer);

// The peers other than this server in the "parameters" of libdhcp_ha.so
// (Kea 2.2's "high-availability": [ { "this-server-name", "peers",
// "send-lease-updates" ... } ]). Throws isc::BadValue if they are not as
// HA itself requires.
std::vector<HaPeer> haPeersFromHaConfig(const isc::data::ConstElementPtr& params);

// The command HA sends for a lease update, with only deleted leases: each
// lease as Kea writes it (Lease6::toElement), its "cltt" replaced by
// "expire" (cltt + valid-lft) as HA does, and "service": [ "dhcp6" ] for
// the control agent.
isc::data::ConstElementPtr
leaseDeletionCommand(const isc::dhcp::Lease6Collection& leases);

// What a peer's answer means. The control agent answers a list with the
// server's answer in it. lease6-bulk-apply answers 0 when it applied
// something and 3 (empty) when it applied nothing, e.g. the peer had no
// such lease: either way the peer has none now. Anything else (1: the
// agent could not reach kea-dhcp6, 2: lease_cmds not loaded) is retried.
bool haAnswerDone(const isc::data::ConstElementPtr& answer, std::string& what);

// HTTP/1.1 POST of body to url, over TLS with tls (haTlsContext) unless
// null; the answer's body parsed as JSON. Throws std::runtime_error on any
// failure (connect, timeout, TLS handshake or verification, HTTP status).
isc::data::ConstElementPtr
httpPostJson(const HaPeer& peer, const HaUrl& url, const std::string& body,
             int timeout_ms, ssl_ctx_st* tls = nullptr);

// A sender's backoff bounds and the answer's timeout, in ms.
struct HaSenderTiming {
    int first_retry_ms = 1000;
    int max_retry_ms = 30000;
    int timeout_ms = 10000;
};

class HaPeerSender {
public:
    struct Stats {
        uint64_t queued = 0, sent = 0, dropped = 0, retries = 0;
    };

    using Timing = HaSenderTiming;

    HaPeerSender(const HaPeer& peer, size_t queue_limit,
                 const Timing& timing = Timing());
    ~HaPeerSender();                // stops and joins the thread

    // Queues a command (never blocks on the peer).
    void enqueue(const std::string& body);
    const HaPeer& peer() const { return peer_; }
    Stats stats();
    size_t pending();

private:
    void run();

    HaPeer peer_;
    HaUrl url_;
    std::shared_ptr<ssl_ctx_st> tls_;
    size_t limit_;
    Timing timing_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;
    Stats stats_;
    bool stop_ = false;
    std::thread thread_;
};

// The senders of one server: one per peer.
class HaPropagator {
public:
    HaPropagator(const std::vector<HaPeer>& peers, size_t queue_limit,
                 const HaPeerSender::Timing& timing = HaPeerSender::Timing());

    // Queues the deletion of leases to every peer (none: nothing).
    void leasesDeleted(const isc::dhcp::Lease6Collection& leases);
    std::vector<std::unique_ptr<HaPeerSender>>& senders() { return senders_; }

private:
    std::vector<std::unique_ptr<HaPeerSender>> senders_;
};

} // namespace leaseguard

#endif

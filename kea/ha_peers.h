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

namespace leaseguard {

struct HaPeer {
    std::string name;
    std::string url;            // http://HOST[:PORT][/PATH]
    std::string basic_auth;     // "user:password", or empty
};

// A peer's URL, taken apart. Only http: this sender has no TLS.
struct HaUrl {
    std::string host;           // without the brackets of an IPv6 address
    std::string port = "80";
    std::string path = "/";
    std::string host_header;    // as in the URL: [v6]:port
};

// Throws isc::BadValue saying what is wrong with url.
HaUrl parseHaUrl(const std::string& url);

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

// HTTP/1.1 POST of body to url; the answer's body parsed as JSON. Throws
// std::runtime_error on any failure (connect, timeout, HTTP status).
isc::data::ConstElementPtr
httpPostJson(const HaPeer& peer, const HaUrl& url, const std::string& body,
             int timeout_ms);

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

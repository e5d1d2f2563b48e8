// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Unit tests of the HA propagation (ha_peers.h): the peers from ha-peers
// and from libdhcp_ha.so's parameters, the command HA's partner gets, how
// its answers are read, and the sender against a real HTTP listener on
// the loopback: retried while nothing listens, delivered in order when
// something does, the queue bounded. main() is release_request_unittest.cc's.
#include <exceptions/exceptions.h>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../ha_peers.h"
#include "../release_request.h"

using namespace isc::dhcp;
using isc::BadValue;
using isc::asiolink::IOAddress;
using isc::data::ConstElementPtr;
using isc::data::Element;
using namespace leaseguard;

namespace {

TEST(HaPeers, Url) {
    HaUrl u = parseHaUrl("http://[2001:db8:f::2]:8000/");
    EXPECT_EQ("2001:db8:f::2", u.host);
    EXPECT_EQ("8000", u.port);
    EXPECT_EQ("/", u.path);
    EXPECT_EQ("[2001:db8:f::2]:8000", u.host_header);
    u = parseHaUrl("http://192.0.2.1");
    EXPECT_EQ("192.0.2.1", u.host);
    EXPECT_EQ("80", u.port);
    EXPECT_EQ("/", u.path);
    u = parseHaUrl("http://kea2.example:8080/x");
    EXPECT_EQ("kea2.example", u.host);
    EXPECT_EQ("/x", u.path);
    EXPECT_THROW(parseHaUrl("https://[2001:db8::1]:8000/"), BadValue);
    EXPECT_THROW(parseHaUrl("http://[2001:db8::1:8000/"), BadValue);
    EXPECT_THROW(parseHaUrl("http://:8000/"), BadValue);
    EXPECT_THROW(parseHaUrl("http://h:80x/"), BadValue);
}

const char* HA_PARAMS = R"({ "high-availability": [ {
    "this-server-name": "server1", "mode": "hot-standby",
    "peers": [
        { "name": "server1", "url": "http://[2001:db8:f::2]:8000/", "role": "primary" },
        { "name": "server2", "url": "http://[2001:db8:e::2]:8000/", "role": "standby",
          "basic-auth-user": "kea", "basic-auth-password": "pw" },
        { "name": "server3", "url": "http://192.0.2.3:8000/", "role": "backup" }
    ] } ] })";

TEST(HaPeers, FromHaConfig) {
    std::vector<HaPeer> peers = haPeersFromHaConfig(Element::fromJSON(HA_PARAMS));
    ASSERT_EQ(2u, peers.size());    // not server1: this server
    EXPECT_EQ("server2", peers[0].name);
    EXPECT_EQ("http://[2001:db8:e::2]:8000/", peers[0].url);
    EXPECT_EQ("kea:pw", peers[0].basic_auth);
    EXPECT_EQ("server3", peers[1].name);
    EXPECT_EQ("", peers[1].basic_auth);

    // HA told to send no lease updates: nor does the hook.
    std::string off = HA_PARAMS;
    off.replace(off.find("\"mode\""), 0, "\"send-lease-updates\": false, ");
    EXPECT_TRUE(haPeersFromHaConfig(Element::fromJSON(off)).empty());

    std::string stranger = HA_PARAMS;
    stranger.replace(stranger.find("\"server1\""), 9, "\"server9\"");
    EXPECT_THROW(haPeersFromHaConfig(Element::fromJSON(stranger)), BadValue);
    EXPECT_THROW(haPeersFromHaConfig(Element::fromJSON("{}")), BadValue);
    EXPECT_THROW(haPeersFromHaConfig(ConstElementPtr()), BadValue);
}

std::string parseError(const std::string& json) {
    try {
        ReleaseRequestConfig::parse(Element::fromJSON(json));
    } catch (const BadValue& e) {
        return (e.what());
    }
    return ("");
}

TEST(HaPeers, Parameters) {
    ReleaseRequestConfig c = ReleaseRequestConfig::parse(Element::fromJSON(
        R"({ "ha-peers": [ { "name": "server2", "url": "http://[2001:db8:e::2]:8000/" } ],
             "ha-queue-limit": 10 })"));
    EXPECT_TRUE(c.ha_peers_set);
    ASSERT_EQ(1u, c.ha_peers.size());
    EXPECT_EQ("server2", c.ha_peers[0].name);
    EXPECT_EQ(10u, c.ha_queue_limit);

    c = ReleaseRequestConfig::parse(Element::fromJSON(R"({ "ha-peers": [] })"));
    EXPECT_TRUE(c.ha_peers_set);
    EXPECT_TRUE(c.ha_peers.empty());
    c = ReleaseRequestConfig::parse(Element::fromJSON("{}"));
    EXPECT_FALSE(c.ha_peers_set);
    EXPECT_EQ(4096u, c.ha_queue_limit);

    EXPECT_EQ("'ha-peers[0]' needs \"name\" and \"url\"",
              parseError(R"({ "ha-peers": [ { "name": "s" } ] })"));
    EXPECT_NE(std::string::npos, parseError(
        R"({ "ha-peers": [ { "name": "s", "url": "https://x/" } ] })").find(
        "'ha-peers[0].url': 'https://x/' is not an http:// URL"));
    EXPECT_NE(std::string::npos, parseError(
        R"({ "ha-peers": [ { "name": "s", "url": "http://x/", "role": "standby" } ] })").find(
        "unknown parameter 'ha-peers[0].role'"));
    EXPECT_EQ("'ha-queue-limit' is 1 to 1000000, not 0",
              parseError(R"({ "ha-queue-limit": 0 })"));
}

Lease6Ptr lease(Lease::Type type, const std::string& addr, uint8_t plen) {
    DuidPtr duid(new DUID(std::vector<uint8_t>{0, 3, 0, 1, 2, 0, 0, 0, 1, 2}));
    Lease6Ptr l(new Lease6(type, IOAddress(addr), duid, 7, 300, 600, 1,
                           HWAddrPtr(), plen));
    l->cltt_ = 1700000000;
    return (l);
}

// What HA sends its partner for a lease update (Kea 2.2's
// lease6-bulk-apply), with deleted leases only.
TEST(HaPeers, Command) {
    Lease6Collection leases = { lease(Lease::TYPE_NA, "2001:db8:1::1000", 128),
                                lease(Lease::TYPE_PD, "2001:db8:100::", 56) };
    ConstElementPtr cmd = leaseDeletionCommand(leases);
    EXPECT_EQ("lease6-bulk-apply", cmd->get("command")->stringValue());
    EXPECT_EQ("[ \"dhcp6\" ]", cmd->get("service")->str());
    ConstElementPtr args = cmd->get("arguments");
    EXPECT_EQ(0u, args->get("leases")->size());
    ConstElementPtr del = args->get("deleted-leases");
    ASSERT_EQ(2u, del->size());
    EXPECT_EQ("2001:db8:1::1000", del->get(0)->get("ip-address")->stringValue());
    EXPECT_EQ("IA_NA", del->get(0)->get("type")->stringValue());
    EXPECT_EQ("IA_PD", del->get(1)->get("type")->stringValue());
    EXPECT_EQ(56, del->get(1)->get("prefix-len")->intValue());
    EXPECT_EQ(7, del->get(0)->get("iaid")->intValue());
    EXPECT_EQ("00:03:00:01:02:00:00:00:01:02", del->get(0)->get("duid")->stringValue());
    EXPECT_EQ(1, del->get(0)->get("subnet-id")->intValue());
    // "expire" instead of "cltt", as HA does
    EXPECT_EQ(1700000600, del->get(0)->get("expire")->intValue());
    EXPECT_FALSE(del->get(0)->get("cltt"));
}

TEST(HaPeers, Answers) {
    std::string what;
    EXPECT_TRUE(haAnswerDone(Element::fromJSON(
        R"([ { "result": 0, "text": "Bulk apply of 2 IPv6 leases completed." } ])"), what));
    EXPECT_EQ("result 0 (Bulk apply of 2 IPv6 leases completed.)", what);
    // The peer had none of them: it has none now either.
    EXPECT_TRUE(haAnswerDone(Element::fromJSON(
        R"([ { "result": 3, "text": "Bulk apply of 0 IPv6 leases completed.",
               "arguments": { "failed-deleted-leases": [ { "ip-address": "2001:db8:1::1000",
                   "type": "IA_NA", "result": 3, "error-message": "lease not found" } ] } } ])"),
        what));
    EXPECT_EQ("result 3 (Bulk apply of 0 IPv6 leases completed.), 1 not there", what);
    // The agent could not reach kea-dhcp6; lease_cmds not loaded: retried.
    EXPECT_FALSE(haAnswerDone(Element::fromJSON(
        R"([ { "result": 1, "text": "forwarding failed" } ])"), what));
    EXPECT_FALSE(haAnswerDone(Element::fromJSON(
        R"({ "result": 2, "text": "'lease6-bulk-apply' command not supported." })"), what));
    EXPECT_FALSE(haAnswerDone(Element::fromJSON("[]"), what));
    EXPECT_EQ("an answer without a result", what);
}

// An HTTP server on the loopback that answers each POST with answer, and
// keeps the bodies it got.
class Listener {
public:
    explicit Listener(uint16_t port, const std::string& answer) : answer_(answer) {
        fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        struct sockaddr_in a = {};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) || listen(fd_, 8)) {
            ADD_FAILURE() << "cannot listen on port " << port;
        }
        thread_ = std::thread([this] { serve(); });
    }
    ~Listener() {
        stop_ = true;
        shutdown(fd_, SHUT_RDWR);
        thread_.join();
        close(fd_);
    }
    std::vector<std::string> bodies() {
        std::lock_guard<std::mutex> lock(mutex_);
        return (bodies_);
    }
    std::vector<std::string> heads() {
        std::lock_guard<std::mutex> lock(mutex_);
        return (heads_);
    }

private:
    void serve() {
        while (!stop_) {
            int c = accept(fd_, nullptr, nullptr);
            if (c < 0) {
                return;
            }
            std::string in;
            char b[4096];
            size_t end, length = 0;
            ssize_t n;
            while ((end = in.find("\r\n\r\n")) == std::string::npos &&
                   (n = recv(c, b, sizeof(b), 0)) > 0) {
                in.append(b, n);
            }
            size_t cl = in.find("Content-Length: ");
            if (cl != std::string::npos) {
                length = std::stoul(in.substr(cl + 16));
            }
            while (end != std::string::npos && in.size() < end + 4 + length &&
                   (n = recv(c, b, sizeof(b), 0)) > 0) {
                in.append(b, n);
            }
            {
                std::lock_guard<std::mutex> lock(mutex_);
                heads_.push_back(in.substr(0, end));
                bodies_.push_back(in.substr(end + 4));
            }
            std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                "Content-Length: " + std::to_string(answer_.size()) + "\r\n\r\n" + answer_;
            send(c, out.data(), out.size(), MSG_NOSIGNAL);
            close(c);
        }
    }

    std::string answer_;
    int fd_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> bodies_, heads_;
};

// A TCP port on the loopback that nothing listens on (for now).
uint16_t freePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return (ntohs(a.sin_port));
}

template <typename F> bool waitFor(F f, int ms = 5000) {
    for (int i = 0; i < ms / 10; ++i) {
        if (f()) {
            return (true);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return (f());
}

HaPeerSender::Timing fast() {
    HaPeerSender::Timing t;
    t.first_retry_ms = 20;
    t.max_retry_ms = 80;
    t.timeout_ms = 2000;
    return (t);
}

// The peer down: retried with backoff; up: both commands, in order.
TEST(HaPeers, RetriedUntilThePeerAnswers) {
    uint16_t port = freePort();
    HaPeer peer = { "server2", "http://127.0.0.1:" + std::to_string(port) + "/",
                    "kea:pw" };
    HaPeerSender s(peer, 16, fast());
    s.enqueue("{ \"n\": 1 }");
    s.enqueue("{ \"n\": 2 }");
    ASSERT_TRUE(waitFor([&] { return (s.stats().retries >= 3); }));
    EXPECT_EQ(2u, s.pending());
    EXPECT_EQ(0u, s.stats().sent);
    Listener l(port, R"([ { "result": 0, "text": "Bulk apply of 1 IPv6 leases completed." } ])");
    ASSERT_TRUE(waitFor([&] { return (s.pending() == 0); }));
    EXPECT_EQ(2u, s.stats().sent);
    std::vector<std::string> bodies = l.bodies();
    ASSERT_EQ(2u, bodies.size());
    EXPECT_EQ("{ \"n\": 1 }", bodies[0]);
    EXPECT_EQ("{ \"n\": 2 }", bodies[1]);
    std::string head = l.heads()[0];
    EXPECT_EQ(0u, head.find("POST / HTTP/1.1\r\n"));
    EXPECT_NE(std::string::npos, head.find("\r\nHost: 127.0.0.1:" + std::to_string(port)));
    EXPECT_NE(std::string::npos, head.find("\r\nContent-Type: application/json"));
    EXPECT_NE(std::string::npos, head.find("\r\nAuthorization: Basic a2VhOnB3"));
}

// An answer that says the server did not apply it (the agent could not
// reach kea-dhcp6): kept and retried.
TEST(HaPeers, ErrorAnswerRetried) {
    uint16_t port = freePort();
    Listener l(port, R"([ { "result": 1, "text": "server is not running" } ])");
    HaPeerSender s({ "server2", "http://127.0.0.1:" + std::to_string(port), "" },
                   16, fast());
    s.enqueue("{}");
    ASSERT_TRUE(waitFor([&] { return (l.bodies().size() >= 3); }));
    EXPECT_EQ(1u, s.pending());
    EXPECT_EQ(0u, s.stats().sent);
}

// A full queue drops its oldest command, and counts it.
TEST(HaPeers, QueueBounded) {
    HaPeerSender s({ "server2", "http://127.0.0.1:" + std::to_string(freePort()), "" },
                   2, fast());
    for (int i = 0; i < 5; ++i) {
        s.enqueue("{}");
    }
    EXPECT_EQ(2u, s.pending());
    EXPECT_EQ(3u, s.stats().dropped);
    EXPECT_EQ(5u, s.stats().queued);
}

// The propagator: one command to each peer, none for no lease.
TEST(HaPeers, Propagator) {
    uint16_t p1 = freePort(), p2 = freePort();
    const char* ok = R"([ { "result": 0, "text": "ok" } ])";
    Listener l1(p1, ok), l2(p2, ok);
    HaPropagator ha({ { "a", "http://127.0.0.1:" + std::to_string(p1) + "/", "" },
                      { "b", "http://127.0.0.1:" + std::to_string(p2) + "/", "" } },
                    16, fast());
    ha.leasesDeleted(Lease6Collection());
    ha.leasesDeleted({ lease(Lease::TYPE_NA, "2001:db8:1::1000", 128) });
    ASSERT_TRUE(waitFor([&] { return (l1.bodies().size() == 1 && l2.bodies().size() == 1); }));
    ConstElementPtr cmd = Element::fromJSON(l1.bodies()[0]);
    EXPECT_EQ("lease6-bulk-apply", cmd->get("command")->stringValue());
    EXPECT_EQ(l1.bodies()[0], l2.bodies()[0]);
}

} // namespace

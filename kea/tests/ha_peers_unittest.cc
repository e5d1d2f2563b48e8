// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Unit tests of the HA propagation (ha_peers.h): the peers from ha-peers
// and from libdhcp_ha.so's parameters, the command HA's partner gets, how
// its answers are read, and the sender against a real HTTP listener on
// the loopback: retried while nothing listens, delivered in order when
// something does, the queue bounded; and over TLS, against an OpenSSL
// server on the loopback with certificates made by openssl(1) at test
// time: delivered with the client certificate, a peer of another CA, of
// another address, or not speaking TLS refused (never a byte of the
// command in plain text), and the TLS keys' rules as HA's.
// main() is release_request_unittest.cc's.
#include <exceptions/exceptions.h>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>

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
    u = parseHaUrl("https://[2001:db8::1]:8001/ca");
    EXPECT_TRUE(u.https);
    EXPECT_EQ("2001:db8::1", u.host);
    EXPECT_EQ("8001", u.port);
    EXPECT_EQ("/ca", u.path);
    u = parseHaUrl("https://192.0.2.1");
    EXPECT_TRUE(u.https);
    EXPECT_EQ("443", u.port);
    EXPECT_FALSE(parseHaUrl("http://192.0.2.1").https);
    EXPECT_THROW(parseHaUrl("ftp://[2001:db8::1]:8000/"), BadValue);
    EXPECT_THROW(parseHaUrl("HTTPS://[2001:db8::1]:8000/"), BadValue);
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
    EXPECT_EQ("'ha-peers[0]': 'https://x/' is https but no TLS is configured"
              " (trust-anchor, cert-file and key-file)",
              parseError(R"({ "ha-peers": [ { "name": "s", "url": "https://x/" } ] })"));
    EXPECT_NE(std::string::npos, parseError(
        R"({ "ha-peers": [ { "name": "s", "url": "ftp://x/" } ] })").find(
        "'ha-peers[0].url': 'ftp://x/' is not an http:// or https:// URL"));
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

// A TCP socket listening on 127.0.0.1:port, for the test servers below.
int listenOnLoopback(uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) || listen(fd, 8)) {
        ADD_FAILURE() << "cannot listen on port " << port;
    }
    return (fd);
}

// An HTTP server on the loopback that answers each POST with answer, and
// keeps the bodies it got.
class Listener {
public:
    explicit Listener(uint16_t port, const std::string& answer) : answer_(answer) {
        fd_ = listenOnLoopback(port);
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

// ---- TLS ----

// Certificates made once by openssl(1) into a temporary directory: a CA,
// another CA ("evil"), and end-entity certificates (server and client
// both, as HA uses one) with an IP address in subjectAltName.
class Pki {
public:
    static Pki& get() {
        static Pki pki;
        return (pki);
    }
    bool ok() const { return (ok_); }
    std::string path(const std::string& name) const { return (dir_ + "/" + name); }

private:
    Pki() {
        char tmpl[] = "/tmp/lg-ha-tls.XXXXXX";
        if (!mkdtemp(tmpl)) {
            return;
        }
        dir_ = tmpl;
        std::string script = "set -e; cd " + dir_ + R"(
            ca() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
                   -nodes -days 2 -subj "/CN=$1" -keyout $1.key -out $1.crt; }
            cert() { openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
                       -nodes -subj "/CN=$1" -keyout $1.key -out $1.csr
                     printf '%s\n' basicConstraints=CA:FALSE "subjectAltName=$3" \
                       extendedKeyUsage=serverAuth,clientAuth >$1.ext
                     openssl x509 -req -in $1.csr -CA $2.crt -CAkey $2.key \
                       -CAcreateserial -days 2 -extfile $1.ext -out $1.crt; }
            ca ca; ca evil
            cert peer ca IP:127.0.0.1
            cert client ca IP:127.0.0.1
            cert peer-evil evil IP:127.0.0.1
            cert client-evil evil IP:127.0.0.1
            cert peer-elsewhere ca IP:127.0.0.2
            cert peer-named ca DNS:localhost
            mkdir hashed; cp ca.crt hashed/; openssl rehash hashed
        )";
        ok_ = system(("(" + script + ") >" + dir_ + "/make.log 2>&1").c_str()) == 0;
    }
    ~Pki() {
        if (!dir_.empty()) {
            int rc = system(("rm -rf " + dir_).c_str());
            (void)rc;
        }
    }

    std::string dir_;
    bool ok_ = false;
};

#define NEED_PKI() \
    if (!Pki::get().ok()) { GTEST_SKIP() << "openssl(1) could not make certificates"; }

// A peer of ours with TLS: the CA, our client certificate.
HaPeer tlsPeer(const std::string& url, const std::string& ca = "ca.crt") {
    HaPeer p = { "server2", url, "" };
    p.trust_anchor = Pki::get().path(ca);
    p.cert_file = Pki::get().path("client.crt");
    p.key_file = Pki::get().path("client.key");
    return (p);
}

// An HTTPS server on the loopback (OpenSSL, blocking), as kea-ctrl-agent
// with "cert-required": it requires a client certificate of client_ca.
// Keeps the bodies it got and the client certificates' names.
class TlsListener {
public:
    TlsListener(uint16_t port, const std::string& cert, const std::string& answer,
                const std::string& client_ca = "ca.crt")
        : answer_(answer) {
        Pki& pki = Pki::get();
        ctx_ = SSL_CTX_new(TLS_server_method());
        SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
        if (SSL_CTX_use_certificate_chain_file(ctx_, pki.path(cert + ".crt").c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(ctx_, pki.path(cert + ".key").c_str(),
                                        SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_load_verify_locations(ctx_, pki.path(client_ca).c_str(), nullptr) != 1) {
            ADD_FAILURE() << "the listener's certificate does not load";
        }
        SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        fd_ = listenOnLoopback(port);
        thread_ = std::thread([this] { serve(); });
    }
    ~TlsListener() {
        shutdown(fd_, SHUT_RDWR);
        thread_.join();
        close(fd_);
        SSL_CTX_free(ctx_);
    }
    std::vector<std::string> bodies() {
        std::lock_guard<std::mutex> lock(mutex_);
        return (bodies_);
    }
    std::vector<std::string> clients() {
        std::lock_guard<std::mutex> lock(mutex_);
        return (clients_);
    }
    int handshakes_failed() { return (failed_); }

private:
    void serve() {
        for (;;) {
            int c = accept(fd_, nullptr, nullptr);
            if (c < 0) {
                return;
            }
            struct timeval tv = { 2, 0 };
            setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
            SSL* ssl = SSL_new(ctx_);
            SSL_set_fd(ssl, c);
            if (SSL_accept(ssl) != 1) {
                ++failed_;
            } else {
                serveOne(ssl);
            }
            SSL_free(ssl);
            close(c);
        }
    }

    void serveOne(SSL* ssl) {
        std::string in;
        char b[4096];
        int n;
        size_t end, length = 0;
        while ((end = in.find("\r\n\r\n")) == std::string::npos &&
               (n = SSL_read(ssl, b, sizeof(b))) > 0) {
            in.append(b, n);
        }
        if (end == std::string::npos) {
            return;
        }
        size_t cl = in.find("Content-Length: ");
        if (cl != std::string::npos) {
            length = std::stoul(in.substr(cl + 16));
        }
        while (in.size() < end + 4 + length && (n = SSL_read(ssl, b, sizeof(b))) > 0) {
            in.append(b, n);
        }
        X509* cert = SSL_get1_peer_certificate(ssl);
        char cn[256] = "";
        if (cert) {
            X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
                                      cn, sizeof(cn));
            X509_free(cert);
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            bodies_.push_back(in.substr(end + 4));
            clients_.push_back(cn);
        }
        std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            "Content-Length: " + std::to_string(answer_.size()) + "\r\n\r\n" + answer_;
        SSL_write(ssl, out.data(), static_cast<int>(out.size()));
        SSL_shutdown(ssl);
    }

    std::string answer_;
    SSL_CTX* ctx_;
    int fd_;
    std::thread thread_;
    std::atomic<int> failed_{0};
    std::mutex mutex_;
    std::vector<std::string> bodies_, clients_;
};

const char* OK_ANSWER = R"([ { "result": 0, "text": "Bulk apply of 1 IPv6 leases completed." } ])";
const char* BODY = R"({ "command": "lease6-bulk-apply", "marker": "ours" })";

// Why a POST to a TLS peer failed ("" if it did not).
std::string postFailure(const HaPeer& peer, int timeout_ms = 2000) {
    try {
        std::shared_ptr<SSL_CTX> ctx = haTlsContext(peer);
        httpPostJson(peer, parseHaUrl(peer.url), BODY, timeout_ms, ctx.get());
    } catch (const std::exception& e) {
        return (e.what());
    }
    return ("");
}

std::string url(uint16_t port, const std::string& scheme = "https",
                const std::string& host = "127.0.0.1") {
    return (scheme + "://" + host + ":" + std::to_string(port) + "/");
}

// Delivered over TLS: the peer verified, our client certificate shown,
// the answer read; a trust anchor that is a hashed directory works too.
TEST(HaPeersTls, Delivered) {
    NEED_PKI();
    uint16_t port = freePort();
    TlsListener l(port, "peer", OK_ANSWER);
    HaPeer peer = tlsPeer(url(port));
    std::shared_ptr<SSL_CTX> ctx = haTlsContext(peer);
    ASSERT_TRUE(ctx);
    std::string what;
    EXPECT_TRUE(haAnswerDone(httpPostJson(peer, parseHaUrl(peer.url), BODY, 2000,
                                          ctx.get()), what));
    ASSERT_EQ(1u, l.bodies().size());
    EXPECT_EQ(BODY, l.bodies()[0]);
    EXPECT_EQ("client", l.clients()[0]);

    EXPECT_EQ("", postFailure(tlsPeer(url(port), "hashed")));
    // An http URL with TLS configured is TLS all the same, as HA does.
    EXPECT_EQ("", postFailure(tlsPeer(url(port, "http"))));
    EXPECT_EQ(3u, l.bodies().size());
}

// The sender over TLS: one command, retried until the peer is up.
TEST(HaPeersTls, SenderRetriesThenDelivers) {
    NEED_PKI();
    uint16_t port = freePort();
    HaPeerSender s(tlsPeer(url(port)), 16, fast());
    s.enqueue(BODY);
    ASSERT_TRUE(waitFor([&] { return (s.stats().retries >= 2); }));
    TlsListener l(port, "peer", OK_ANSWER);
    ASSERT_TRUE(waitFor([&] { return (s.pending() == 0); }));
    EXPECT_EQ(1u, s.stats().sent);
    ASSERT_EQ(1u, l.bodies().size());
    EXPECT_EQ(BODY, l.bodies()[0]);
}

// A peer whose certificate is of another CA: refused, said why, and the
// command stays queued and is retried; nothing reached that peer.
TEST(HaPeersTls, AnotherCaRefused) {
    NEED_PKI();
    uint16_t port = freePort();
    TlsListener l(port, "peer-evil", OK_ANSWER);
    HaPeer peer = tlsPeer(url(port));
    EXPECT_EQ("TLS handshake: the peer's certificate is refused: unable to get"
              " local issuer certificate", postFailure(peer));
    HaPeerSender s(peer, 16, fast());
    s.enqueue(BODY);
    ASSERT_TRUE(waitFor([&] { return (s.stats().retries >= 3); }));
    EXPECT_EQ(1u, s.pending());
    EXPECT_EQ(0u, s.stats().sent);
    EXPECT_TRUE(l.bodies().empty());
}

// A certificate of the right CA for another address, or for a name: the
// URL's address must be in it.
TEST(HaPeersTls, AnotherAddressRefused) {
    NEED_PKI();
    uint16_t port = freePort();
    {
        TlsListener l(port, "peer-elsewhere", OK_ANSWER);
        EXPECT_EQ("TLS handshake: the peer's certificate is refused: IP address"
                  " mismatch", postFailure(tlsPeer(url(port))));
        EXPECT_TRUE(l.bodies().empty());
    }
    {
        TlsListener l(port, "peer-named", OK_ANSWER);
        EXPECT_EQ("TLS handshake: the peer's certificate is refused: IP address"
                  " mismatch", postFailure(tlsPeer(url(port))));
        // By name, the name is checked instead.
        EXPECT_EQ("", postFailure(tlsPeer(url(port, "https", "localhost"))));
        EXPECT_EQ(1u, l.bodies().size());
    }
}

// The peer refuses our certificate (of a CA it does not trust): a failure.
TEST(HaPeersTls, OurCertificateRefused) {
    NEED_PKI();
    uint16_t port = freePort();
    TlsListener l(port, "peer", OK_ANSWER, "evil.crt");
    // TLS 1.3: our handshake may end before the peer refuses ours, and
    // its alert or its reset come on the first read.
    EXPECT_NE("", postFailure(tlsPeer(url(port))));
    EXPECT_TRUE(l.bodies().empty());
    EXPECT_EQ(1, l.handshakes_failed());
}

// A peer configured for TLS that speaks plain HTTP: no handshake, and not
// a byte of the command in plain text. An https URL without TLS
// configured is not even connected to.
TEST(HaPeersTls, NeverPlainText) {
    NEED_PKI();
    uint16_t port = freePort();
    Listener l(port, OK_ANSWER);
    std::string why = postFailure(tlsPeer(url(port)), 500);
    EXPECT_EQ(0u, why.find("TLS handshake")) << why;
    for (auto const& b : l.bodies()) {
        EXPECT_EQ(std::string::npos, b.find("marker")) << b;
    }
    for (auto const& h : l.heads()) {
        EXPECT_EQ(std::string::npos, h.find("POST")) << h;
    }
    HaPeer plain = { "server2", url(port), "" };
    size_t seen = l.heads().size();
    EXPECT_EQ("an https URL without TLS configured", postFailure(plain));
    EXPECT_EQ(seen, l.heads().size());
}

// The keys' rules, as HA's: all three or none, https only with them, the
// files must load, and the key must be the certificate's.
TEST(HaPeersTls, Refusals) {
    NEED_PKI();
    Pki& pki = Pki::get();
    HaPeer p = tlsPeer("https://[2001:db8:e::2]:8000/");
    EXPECT_NO_THROW(checkHaPeerTls(p, "p"));
    p.url = "http://[2001:db8:e::2]:8000/";
    EXPECT_NO_THROW(checkHaPeerTls(p, "p"));

    auto refusal = [](const HaPeer& peer) -> std::string {
        try {
            checkHaPeerTls(peer, "p");
        } catch (const BadValue& e) {
            return (e.what());
        }
        return ("");
    };
    HaPeer q = p;
    q.trust_anchor = "";
    EXPECT_EQ("p: trust-anchor is missing or empty: TLS needs trust-anchor,"
              " cert-file and key-file, as HA does", refusal(q));
    q = p;
    q.cert_file = "";
    EXPECT_EQ(0u, refusal(q).find("p: cert-file is missing"));
    q = p;
    q.key_file = "";
    EXPECT_EQ(0u, refusal(q).find("p: key-file is missing"));
    q = p;
    q.trust_anchor = pki.path("nothing.crt");
    EXPECT_EQ("p: trust-anchor '" + pki.path("nothing.crt") +
              "': No such file or directory", refusal(q));
    q = p;
    q.trust_anchor = pki.path("ca.key");      // not a certificate
    EXPECT_EQ(0u, refusal(q).find("p: trust-anchor '" + pki.path("ca.key") + "': "));
    q = p;
    q.cert_file = pki.path("nothing.crt");
    EXPECT_EQ(0u, refusal(q).find("p: cert-file '" + pki.path("nothing.crt") + "': "));
    q = p;
    q.key_file = pki.path("peer.key");        // another certificate's
    std::string why = refusal(q);
    EXPECT_EQ(0u, why.find("p: key-file '" + pki.path("peer.key") + "'")) << why;
    EXPECT_NE(std::string::npos, why.find("mismatch")) << why;
    HaPeer plain = { "s", "https://[2001:db8:e::2]:8000/", "" };
    EXPECT_EQ("p: 'https://[2001:db8:e::2]:8000/' is https but no TLS is"
              " configured (trust-anchor, cert-file and key-file)", refusal(plain));
}

// HA's keys: the relationship's for every peer, a peer's own winning, ""
// at a peer meaning none; HA's server-side require-client-certs accepted.
TEST(HaPeersTls, FromHaConfig) {
    NEED_PKI();
    Pki& pki = Pki::get();
    std::string ca = pki.path("ca.crt"), crt = pki.path("client.crt"),
                key = pki.path("client.key"), hashed = pki.path("hashed");
    std::string params = R"({ "high-availability": [ {
        "this-server-name": "server1", "mode": "hot-standby",
        "trust-anchor": ")" + ca + R"(", "cert-file": ")" + crt + R"(",
        "key-file": ")" + key + R"(", "require-client-certs": true,
        "peers": [
            { "name": "server1", "url": "https://[2001:db8:f::2]:8000/", "role": "primary" },
            { "name": "server2", "url": "https://[2001:db8:e::2]:8000/", "role": "standby",
              "trust-anchor": ")" + hashed + R"(" },
            { "name": "server3", "url": "http://192.0.2.3:8000/", "role": "backup",
              "trust-anchor": "", "cert-file": "", "key-file": "" }
        ] } ] })";
    std::vector<HaPeer> peers = haPeersFromHaConfig(Element::fromJSON(params));
    ASSERT_EQ(2u, peers.size());
    EXPECT_TRUE(peers[0].tls());
    EXPECT_EQ(hashed, peers[0].trust_anchor);   // its own
    EXPECT_EQ(crt, peers[0].cert_file);         // the relationship's
    EXPECT_EQ(key, peers[0].key_file);
    EXPECT_FALSE(peers[1].tls());               // "" at the peer: none

    // "" for one key only: HA refuses it, and so does the hook.
    std::string partial = params;
    partial.replace(partial.find(R"("trust-anchor": ")" + hashed), 18 + hashed.size(),
                    R"("trust-anchor": "")");
    try {
        haPeersFromHaConfig(Element::fromJSON(partial));
        ADD_FAILURE() << "a peer without trust-anchor taken";
    } catch (const BadValue& e) {
        EXPECT_EQ("high-availability[0].peers[1]: trust-anchor is missing or"
                  " empty: TLS needs trust-anchor, cert-file and key-file, as"
                  " HA does", std::string(e.what()));
    }
    // server3 https without TLS: refused.
    std::string https = params;
    https.replace(https.find("http://192.0.2.3"), 7, "https://");
    EXPECT_THROW(haPeersFromHaConfig(Element::fromJSON(https)), BadValue);
    // A key that is not a string.
    std::string num = params;
    num.replace(num.find("\"role\": \"standby\","), 0, "\"key-file\": 7, ");
    EXPECT_THROW(haPeersFromHaConfig(Element::fromJSON(num)), BadValue);
}

// ha-peers takes the same keys, per peer.
TEST(HaPeersTls, Parameters) {
    NEED_PKI();
    Pki& pki = Pki::get();
    ReleaseRequestConfig c = ReleaseRequestConfig::parse(Element::fromJSON(
        R"({ "ha-peers": [ { "name": "server2", "url": "https://[2001:db8:e::2]:8000/",
             "trust-anchor": ")" + pki.path("ca.crt") + R"(",
             "cert-file": ")" + pki.path("client.crt") + R"(",
             "key-file": ")" + pki.path("client.key") + R"(" } ] })"));
    ASSERT_EQ(1u, c.ha_peers.size());
    EXPECT_TRUE(c.ha_peers[0].tls());
    EXPECT_EQ(pki.path("client.crt"), c.ha_peers[0].cert_file);
    EXPECT_EQ("'ha-peers[0]': cert-file is missing or empty: TLS needs"
              " trust-anchor, cert-file and key-file, as HA does",
              parseError(R"({ "ha-peers": [ { "name": "s", "url": "https://x/",
                             "trust-anchor": "/x", "key-file": "/y" } ] })"));
}

} // namespace

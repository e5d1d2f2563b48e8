// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <cc/command_interpreter.h>
#include <exceptions/exceptions.h>
#include <util/encode/base64.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "ha_peers.h"
#include "release_request_log.h"

using isc::BadValue;
using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::data::ElementPtr;

namespace leaseguard {

HaUrl
parseHaUrl(const std::string& url) {
    HaUrl u;
    std::string rest;
    if (!url.compare(0, 7, "http://")) {
        rest = url.substr(7);
    } else if (!url.compare(0, 8, "https://")) {
        rest = url.substr(8);
        u.https = true;
        u.port = "443";
    } else {
        isc_throw(BadValue, "'" << url << "' is not an http:// or https:// URL");
    }
    size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) {
        u.path = rest.substr(slash);
    }
    u.host_header = authority;
    if (!authority.empty() && authority[0] == '[') {
        size_t close = authority.find(']');
        if (close == std::string::npos) {
            isc_throw(BadValue, "'" << url << "': no ']' after the IPv6 address");
        }
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') {
                isc_throw(BadValue, "'" << url << "': junk after ']'");
            }
            u.port = authority.substr(close + 2);
        }
    } else {
        size_t colon = authority.find(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos) {
            u.port = authority.substr(colon + 1);
        }
    }
    if (u.host.empty() || u.port.empty() ||
        u.port.find_first_not_of("0123456789") != std::string::npos) {
        isc_throw(BadValue, "'" << url << "' has no host, or a bad port");
    }
    return (u);
}

namespace {

std::string stringIn(const ConstElementPtr& map, const std::string& name,
                     const std::string& where) {
    ConstElementPtr e = map->get(name);
    if (!e || e->getType() != Element::string) {
        isc_throw(BadValue, where << " has no string '" << name << "'");
    }
    return (e->stringValue());
}

// OpenSSL's errors of this thread, as one line (and the queue emptied).
std::string sslErrors(const std::string& fallback) {
    std::string s;
    unsigned long e;
    char b[256];
    while ((e = ERR_get_error()) != 0) {
        ERR_error_string_n(e, b, sizeof(b));
        s += (s.empty() ? "" : "; ") + std::string(b);
    }
    return (s.empty() ? fallback : s);
}

// A TLS key of HA's: the peer's own if it has it (even ""), else the
// relationship's.
std::string tlsKey(const ConstElementPtr& rel, const ConstElementPtr& peer,
                   const std::string& name, const std::string& where) {
    ConstElementPtr e = peer->get(name);
    if (!e) {
        e = rel->get(name);
    }
    if (!e) {
        return ("");
    }
    if (e->getType() != Element::string) {
        isc_throw(BadValue, where << "." << name << " is not a string");
    }
    return (e->stringValue());
}

} // namespace

void
checkHaPeerTls(const HaPeer& peer, const std::string& where) {
    HaUrl url = parseHaUrl(peer.url);
    bool any = !peer.trust_anchor.empty() || !peer.cert_file.empty() ||
               !peer.key_file.empty();
    if (!any) {
        if (url.https) {
            isc_throw(BadValue, where << ": '" << peer.url << "' is https but"
                      " no TLS is configured (trust-anchor, cert-file and"
                      " key-file)");
        }
        return;
    }
    // HA's own rule (Kea 2.2, HAConfig::validate): all three or none.
    const char* missing = peer.trust_anchor.empty() ? "trust-anchor" :
                          peer.cert_file.empty() ? "cert-file" :
                          peer.key_file.empty() ? "key-file" : nullptr;
    if (missing) {
        isc_throw(BadValue, where << ": " << missing << " is missing or"
                  " empty: TLS needs trust-anchor, cert-file and key-file,"
                  " as HA does");
    }
    try {
        haTlsContext(peer);
    } catch (const BadValue& e) {
        isc_throw(BadValue, where << ": " << e.what());
    }
}

std::shared_ptr<SSL_CTX>
haTlsContext(const HaPeer& peer) {
    if (!peer.tls()) {
        return (std::shared_ptr<SSL_CTX>());
    }
    ERR_clear_error();
    std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
    if (!ctx) {
        isc_throw(BadValue, "no TLS context: " << sslErrors("out of memory"));
    }
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    // A file of CA certificates, or a directory of them with OpenSSL's
    // hash links (c_rehash), as Kea reads a trust anchor.
    struct stat st;
    if (stat(peer.trust_anchor.c_str(), &st)) {
        isc_throw(BadValue, "trust-anchor '" << peer.trust_anchor << "': "
                  << strerror(errno));
    }
    bool dir = S_ISDIR(st.st_mode);
    if (!SSL_CTX_load_verify_locations(ctx.get(),
                                       dir ? nullptr : peer.trust_anchor.c_str(),
                                       dir ? peer.trust_anchor.c_str() : nullptr)) {
        isc_throw(BadValue, "trust-anchor '" << peer.trust_anchor << "': "
                  << sslErrors("cannot load it"));
    }
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), peer.cert_file.c_str()) != 1) {
        isc_throw(BadValue, "cert-file '" << peer.cert_file << "': "
                  << sslErrors("cannot load it"));
    }
    if (SSL_CTX_use_PrivateKey_file(ctx.get(), peer.key_file.c_str(),
                                    SSL_FILETYPE_PEM) != 1) {
        isc_throw(BadValue, "key-file '" << peer.key_file << "': "
                  << sslErrors("cannot load it"));
    }
    if (SSL_CTX_check_private_key(ctx.get()) != 1) {
        isc_throw(BadValue, "key-file '" << peer.key_file << "' is not the"
                  " key of cert-file '" << peer.cert_file << "': "
                  << sslErrors("mismatch"));
    }
    return (ctx);
}

std::vector<HaPeer>
haPeersFromHaConfig(const ConstElementPtr& params) {
    std::vector<HaPeer> peers;
    ConstElementPtr ha = params ? params->get("high-availability") : ConstElementPtr();
    if (!ha || ha->getType() != Element::list || ha->size() != 1 ||
        ha->get(0)->getType() != Element::map) {
        isc_throw(BadValue, "libdhcp_ha.so's parameters have no"
                  " \"high-availability\" list of one relationship");
    }
    ConstElementPtr rel = ha->get(0);
    ConstElementPtr send = rel->get("send-lease-updates");
    if (send && send->getType() == Element::boolean && !send->boolValue()) {
        return (peers);         // HA sends no lease updates: nor do we
    }
    std::string me = stringIn(rel, "this-server-name", "high-availability[0]");
    ConstElementPtr list = rel->get("peers");
    if (!list || list->getType() != Element::list) {
        isc_throw(BadValue, "high-availability[0] has no \"peers\" list");
    }
    bool found_me = false;
    for (size_t i = 0; i < list->size(); ++i) {
        ConstElementPtr p = list->get(i);
        std::string where = "high-availability[0].peers[" + std::to_string(i) + "]";
        if (p->getType() != Element::map) {
            isc_throw(BadValue, where << " is not a map");
        }
        HaPeer peer;
        peer.name = stringIn(p, "name", where);
        peer.url = stringIn(p, "url", where);
        if (peer.name == me) {
            found_me = true;
            continue;
        }
        ConstElementPtr user = p->get("basic-auth-user");
        if (user && user->getType() == Element::string &&
            !user->stringValue().empty()) {
            ConstElementPtr pw = p->get("basic-auth-password");
            peer.basic_auth = user->stringValue() + ":" +
                (pw && pw->getType() == Element::string ? pw->stringValue() : "");
        }
        peer.trust_anchor = tlsKey(rel, p, "trust-anchor", where);
        peer.cert_file = tlsKey(rel, p, "cert-file", where);
        peer.key_file = tlsKey(rel, p, "key-file", where);
        checkHaPeerTls(peer, where);
        peers.push_back(peer);
    }
    if (!found_me) {
        isc_throw(BadValue, "this-server-name '" << me << "' is not among the peers");
    }
    return (peers);
}

ConstElementPtr
leaseDeletionCommand(const isc::dhcp::Lease6Collection& leases) {
    ElementPtr deleted = Element::createList();
    for (auto const& l : leases) {
        ElementPtr e = l->toElement();
        // HA names when the lease expires, not when it was last renewed.
        int64_t expire = static_cast<int64_t>(l->cltt_) + l->valid_lft_;
        e->set("expire", Element::create(expire));
        e->remove("cltt");
        deleted->add(e);
    }
    ElementPtr args = Element::createMap();
    args->set("deleted-leases", deleted);
    args->set("leases", Element::createList());
    ElementPtr cmd = Element::createMap();
    cmd->set("command", Element::create("lease6-bulk-apply"));
    cmd->set("arguments", args);
    ElementPtr service = Element::createList();
    service->add(Element::create("dhcp6"));
    cmd->set("service", service);
    return (cmd);
}

bool
haAnswerDone(const ConstElementPtr& answer, std::string& what) {
    ConstElementPtr a = answer;
    if (a && a->getType() == Element::list && a->size() > 0) {
        a = a->get(0);          // the control agent's list
    }
    if (!a || a->getType() != Element::map || !a->get("result") ||
        a->get("result")->getType() != Element::integer) {
        what = "an answer without a result";
        return (false);
    }
    int64_t result = a->get("result")->intValue();
    ConstElementPtr text = a->get("text");
    std::ostringstream s;
    s << "result " << result;
    if (text && text->getType() == Element::string) {
        s << " (" << text->stringValue() << ")";
    }
    ConstElementPtr args = a->get("arguments");
    ConstElementPtr failed = args && args->getType() == Element::map ?
                             args->get("failed-deleted-leases") : ConstElementPtr();
    if (failed && failed->getType() == Element::list) {
        s << ", " << failed->size() << " not there";
    }
    what = s.str();
    return (result == isc::config::CONTROL_RESULT_SUCCESS ||
            result == isc::config::CONTROL_RESULT_EMPTY);
}

namespace {

// A socket with a deadline: each wait is bounded by what is left of it.
// Over TLS, OpenSSL reads and writes memory buffers that this class moves
// to and from the socket itself: every wait keeps the deadline, and no
// write() of OpenSSL's can raise SIGPIPE in Kea's process.
class Conn {
public:
    Conn(const HaUrl& url, int timeout_ms)
        : deadline_(std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(timeout_ms)) {
        struct addrinfo hints = {}, *res = nullptr;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        int rc = getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &res);
        if (rc) {
            throw std::runtime_error(std::string("cannot resolve ") + url.host +
                                     ": " + gai_strerror(rc));
        }
        std::string err = "no address";
        for (struct addrinfo* ai = res; ai && fd_ < 0; ai = ai->ai_next) {
            fd_ = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
                         SOCK_CLOEXEC, ai->ai_protocol);
            if (fd_ < 0) {
                err = strerror(errno);
                continue;
            }
            if (connect(fd_, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
                err = strerror(errno);
                close(fd_);
                fd_ = -1;
                continue;
            }
            int soerr = 0;
            socklen_t len = sizeof(soerr);
            if (!wait(POLLOUT) ||
                getsockopt(fd_, SOL_SOCKET, SO_ERROR, &soerr, &len) || soerr) {
                err = soerr ? strerror(soerr) : "connect timed out";
                close(fd_);
                fd_ = -1;
            }
        }
        freeaddrinfo(res);
        if (fd_ < 0) {
            throw std::runtime_error("connect: " + err);
        }
    }
    ~Conn() {
        if (ssl_) {
            SSL_free(ssl_);     // frees the two memory BIOs too
        }
        close(fd_);
    }

    // The TLS handshake, the peer verified: its chain against the trust
    // anchor, and its certificate against the URL's host.
    void startTls(SSL_CTX* ctx, const HaUrl& url) {
        ERR_clear_error();
        ssl_ = SSL_new(ctx);
        BIO* in = BIO_new(BIO_s_mem());
        BIO* out = BIO_new(BIO_s_mem());
        if (!ssl_ || !in || !out) {
            BIO_free(in);
            BIO_free(out);
            throw std::runtime_error("TLS: " + sslErrors("out of memory"));
        }
        SSL_set_bio(ssl_, in, out);
        in_ = in;
        out_ = out;
        unsigned char addr[16];
        bool literal = inet_pton(AF_INET6, url.host.c_str(), addr) == 1 ||
                       inet_pton(AF_INET, url.host.c_str(), addr) == 1;
        if (literal) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), url.host.c_str());
        } else {
            SSL_set1_host(ssl_, url.host.c_str());
            SSL_set_tlsext_host_name(ssl_, url.host.c_str());   // SNI: names only
        }
        SSL_set_connect_state(ssl_);
        try {
            for (;;) {
                int rc = SSL_do_handshake(ssl_);
                flushTls();
                if (rc == 1) {
                    return;
                }
                if (SSL_get_error(ssl_, rc) != SSL_ERROR_WANT_READ) {
                    throw std::runtime_error(tlsFailure("TLS handshake"));
                }
                if (!fillTls()) {
                    throw std::runtime_error(tlsFailure("TLS handshake: the"
                                                        " peer closed the connection"));
                }
            }
        } catch (const std::runtime_error& e) {
            // The socket's own failures (no answer in time: a peer that
            // does not speak TLS) said as the handshake's.
            if (std::string(e.what()).compare(0, 13, "TLS handshake")) {
                throw std::runtime_error(std::string("TLS handshake: ") + e.what());
            }
            throw;
        }
    }

    void sendAll(const std::string& s) {
        if (!ssl_) {
            sendRaw(s.data(), s.size());
            return;
        }
        ERR_clear_error();
        for (size_t off = 0; off < s.size(); ) {
            size_t n = 0;
            int rc = SSL_write_ex(ssl_, s.data() + off, s.size() - off, &n);
            flushTls();
            if (rc == 1) {
                off += n;
                continue;
            }
            if (SSL_get_error(ssl_, rc) != SSL_ERROR_WANT_READ || !fillTls()) {
                throw std::runtime_error(tlsFailure("TLS send"));
            }
        }
    }

    // Appends what comes to buf; false at the end of the stream.
    bool recvSome(std::string& buf) {
        if (!ssl_) {
            return (recvRaw(buf));
        }
        ERR_clear_error();
        for (;;) {
            char b[4096];
            size_t n = 0;
            int rc = SSL_read_ex(ssl_, b, sizeof(b), &n);
            flushTls();
            if (rc == 1) {
                buf.append(b, n);
                return (true);
            }
            int err = SSL_get_error(ssl_, rc);
            if (err == SSL_ERROR_ZERO_RETURN) {
                return (false);         // the peer's close_notify
            }
            if (err != SSL_ERROR_WANT_READ) {
                throw std::runtime_error(tlsFailure("TLS receive"));
            }
            if (!fillTls()) {
                return (false);         // closed without close_notify
            }
        }
    }

private:
    void sendRaw(const char* p, size_t len) {
        for (size_t off = 0; off < len; ) {
            ssize_t n = send(fd_, p + off, len - off, MSG_NOSIGNAL);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                if (!wait(POLLOUT)) {
                    throw std::runtime_error("send timed out");
                }
                continue;
            }
            if (n < 0) {
                throw std::runtime_error(std::string("send: ") + strerror(errno));
            }
            off += n;
        }
    }

    bool recvRaw(std::string& buf) {
        char b[4096];
        for (;;) {
            ssize_t n = recv(fd_, b, sizeof(b), 0);
            if (n > 0) {
                buf.append(b, n);
                return (true);
            }
            if (n == 0) {
                return (false);
            }
            if (errno != EAGAIN && errno != EINTR) {
                throw std::runtime_error(std::string("recv: ") + strerror(errno));
            }
            if (!wait(POLLIN)) {
                throw std::runtime_error("no answer in time");
            }
        }
    }

    // What OpenSSL wrote, to the socket.
    void flushTls() {
        char b[4096];
        int n;
        while ((n = BIO_read(out_, b, sizeof(b))) > 0) {
            sendRaw(b, n);
        }
    }

    // What the socket has, to OpenSSL; false at the end of the stream.
    bool fillTls() {
        std::string got;
        if (!recvRaw(got)) {
            return (false);
        }
        BIO_write(in_, got.data(), static_cast<int>(got.size()));
        return (true);
    }

    // Why TLS failed: the certificate check's verdict when it failed
    // (e.g. an untrusted chain, an address the certificate does not
    // name), else OpenSSL's errors (e.g. the peer refusing ours).
    std::string tlsFailure(const std::string& what) {
        long v = SSL_get_verify_result(ssl_);
        if (v != X509_V_OK) {
            ERR_clear_error();
            return (what + ": the peer's certificate is refused: " +
                    X509_verify_cert_error_string(v));
        }
        return (what + ": " + sslErrors("failed"));
    }

    bool wait(short events) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline_ - std::chrono::steady_clock::now()).count();
        struct pollfd p = { fd_, events, 0 };
        return (left > 0 && poll(&p, 1, static_cast<int>(left)) > 0);
    }

    std::chrono::steady_clock::time_point deadline_;
    int fd_ = -1;
    SSL* ssl_ = nullptr;
    BIO* in_ = nullptr;         // the socket to OpenSSL
    BIO* out_ = nullptr;        // OpenSSL to the socket
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    return (s);
}

} // namespace

ConstElementPtr
httpPostJson(const HaPeer& peer, const HaUrl& url, const std::string& body,
             int timeout_ms, SSL_CTX* tls) {
    if (url.https && !tls) {
        // Never in plain text to an https URL.
        throw std::runtime_error("an https URL without TLS configured");
    }
    Conn c(url, timeout_ms);
    if (tls) {
        c.startTls(tls, url);
    }
    std::ostringstream req;
    req << "POST " << url.path << " HTTP/1.1\r\n"
        << "Host: " << url.host_header << "\r\n"
        << "Content-Type: application/json\r\n"
        << "Content-Length: " << body.size() << "\r\n";
    if (!peer.basic_auth.empty()) {
        std::vector<uint8_t> raw(peer.basic_auth.begin(), peer.basic_auth.end());
        req << "Authorization: Basic " << isc::util::encode::encodeBase64(raw)
            << "\r\n";
    }
    req << "Connection: close\r\n\r\n" << body;
    c.sendAll(req.str());

    // The status line, the headers, and a body of Content-Length octets
    // (Kea's agent sends it), or up to the end of the stream.
    std::string in;
    size_t head_end;
    while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
        if (!c.recvSome(in)) {
            throw std::runtime_error("the connection closed before an answer");
        }
    }
    std::string head = in.substr(0, head_end);
    int status = 0;
    if (sscanf(head.c_str(), "HTTP/1.%*d %d", &status) != 1) {
        throw std::runtime_error("not an HTTP answer");
    }
    size_t length = std::string::npos;
    std::string lhead = lower(head);
    size_t cl = lhead.find("\r\ncontent-length:");
    if (cl != std::string::npos) {
        length = std::strtoul(lhead.c_str() + cl + 17, nullptr, 10);
    }
    std::string content = in.substr(head_end + 4);
    while (content.size() < length && c.recvSome(content)) {
    }
    if (status != 200) {
        throw std::runtime_error("HTTP status " + std::to_string(status) +
                                 (content.empty() ? "" : ": " + content.substr(0, 200)));
    }
    try {
        return (Element::fromJSON(content.substr(0, length)));
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("the answer is not JSON: ") + e.what());
    }
}

HaPeerSender::HaPeerSender(const HaPeer& peer, size_t queue_limit,
                           const Timing& timing)
    : peer_(peer), url_(parseHaUrl(peer.url)), tls_(haTlsContext(peer)),
      limit_(queue_limit), timing_(timing) {
    thread_ = std::thread(&HaPeerSender::run, this);
}

HaPeerSender::~HaPeerSender() {
    size_t lost;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        lost = queue_.size();
    }
    cv_.notify_all();
    thread_.join();
    if (lost) {
        LOG_WARN(release_request_logger, RELEASE_REQUEST_HA_UNSENT)
            .arg(peer_.name).arg(lost);
    }
}

void
HaPeerSender::enqueue(const std::string& body) {
    bool dropped = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (queue_.size() >= limit_) {
            queue_.pop_front();
            ++stats_.dropped;
            dropped = true;
        }
        queue_.push_back(body);
        ++stats_.queued;
    }
    cv_.notify_all();
    if (dropped) {
        LOG_ERROR(release_request_logger, RELEASE_REQUEST_HA_QUEUE_FULL)
            .arg(peer_.name).arg(limit_);
    }
}

HaPeerSender::Stats
HaPeerSender::stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return (stats_);
}

size_t
HaPeerSender::pending() {
    std::lock_guard<std::mutex> lock(mutex_);
    return (queue_.size());
}

// Sends the head of the queue until the peer takes it, then the next. A
// command is popped only once answered, so that the deletions reach the
// peer in the order they were made. A full queue drops its oldest, which
// may be the one being retried: it is then not popped a second time.
void
HaPeerSender::run() {
    int backoff = 0;            // ms; 0: the peer answered the last time
    uint64_t failures = 0;
    std::string last_what;      // why the last try failed
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        cv_.wait(lock, [this] { return (stop_ || !queue_.empty()); });
        if (stop_) {
            return;
        }
        std::string body = queue_.front();
        lock.unlock();
        std::string what;
        bool done = false;
        try {
            ConstElementPtr answer = httpPostJson(peer_, url_, body,
                                                  timing_.timeout_ms, tls_.get());
            done = haAnswerDone(answer, what);
        } catch (const std::exception& e) {
            what = e.what();
        }
        lock.lock();
        if (done) {
            // The head may have been dropped meanwhile (full queue):
            // pop it only if it is still the one sent.
            if (!queue_.empty() && queue_.front() == body) {
                queue_.pop_front();
            }
            ++stats_.sent;
            size_t left = queue_.size();
            lock.unlock();
            if (failures) {
                LOG_INFO(release_request_logger, RELEASE_REQUEST_HA_BACK)
                    .arg(peer_.name).arg(failures);
            }
            LOG_INFO(release_request_logger, RELEASE_REQUEST_HA_SENT)
                .arg(peer_.name).arg(what).arg(left);
            failures = 0;
            backoff = 0;
            last_what.clear();
            lock.lock();
            continue;
        }
        ++stats_.retries;
        ++failures;
        backoff = backoff ? std::min(backoff * 2, timing_.max_retry_ms) :
                  timing_.first_retry_ms;
        size_t left = queue_.size();
        lock.unlock();
        // Every failure while few, then one in ten: a peer down for an
        // hour must not fill the log. A new reason is always logged (an
        // operator changing the peer's certificate sees what it does).
        if (failures <= 3 || failures % 10 == 0 || what != last_what) {
            LOG_WARN(release_request_logger, RELEASE_REQUEST_HA_FAILED)
                .arg(peer_.name).arg(peer_.url).arg(what).arg(left)
                .arg(failures).arg(backoff);
        }
        last_what = what;
        lock.lock();
        cv_.wait_for(lock, std::chrono::milliseconds(backoff),
                     [this] { return (stop_); });
    }
}

HaPropagator::HaPropagator(const std::vector<HaPeer>& peers, size_t queue_limit,
                           const HaPeerSender::Timing& timing) {
    for (auto const& p : peers) {
        senders_.emplace_back(new HaPeerSender(p, queue_limit, timing));
    }
}

void
HaPropagator::leasesDeleted(const isc::dhcp::Lease6Collection& leases) {
    if (leases.empty() || senders_.empty()) {
        return;
    }
    std::string body = leaseDeletionCommand(leases)->str();
    for (auto& s : senders_) {
        s->enqueue(body);
    }
}

} // namespace leaseguard

// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <cc/command_interpreter.h>
#include <exceptions/exceptions.h>
#include <util/encode/base64.h>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

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
    const std::string scheme = "http://";
    if (url.compare(0, scheme.size(), scheme)) {
        isc_throw(BadValue, "'" << url << "' is not an http:// URL (this"
                  " hook sends no TLS)");
    }
    HaUrl u;
    std::string rest = url.substr(scheme.size());
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

} // namespace

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
        parseHaUrl(peer.url);
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
    ~Conn() { close(fd_); }

    void sendAll(const std::string& s) {
        for (size_t off = 0; off < s.size(); ) {
            ssize_t n = send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
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

    // Appends what comes to buf; false at the end of the stream.
    bool recvSome(std::string& buf) {
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

private:
    bool wait(short events) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline_ - std::chrono::steady_clock::now()).count();
        struct pollfd p = { fd_, events, 0 };
        return (left > 0 && poll(&p, 1, static_cast<int>(left)) > 0);
    }

    std::chrono::steady_clock::time_point deadline_;
    int fd_ = -1;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    return (s);
}

} // namespace

ConstElementPtr
httpPostJson(const HaPeer& peer, const HaUrl& url, const std::string& body,
             int timeout_ms) {
    Conn c(url, timeout_ms);
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
    : peer_(peer), url_(parseHaUrl(peer.url)), limit_(queue_limit),
      timing_(timing) {
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
                                                  timing_.timeout_ms);
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
        // hour must not fill the log.
        if (failures <= 3 || failures % 10 == 0) {
            LOG_WARN(release_request_logger, RELEASE_REQUEST_HA_FAILED)
                .arg(peer_.name).arg(peer_.url).arg(what).arg(left)
                .arg(failures).arg(backoff);
        }
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

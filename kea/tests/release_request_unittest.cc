// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Unit tests of the hook's logic: the parameters, the draft's validation
// (3.2.1), the refusals (4.3, 5), the release itself against Kea's real
// memfile lease manager (in memory), and the reply's bytes. Requests are
// built, and replies read, with the codec leaseguardd uses.
//
// The output is TAP ("ok N - Suite.Test"), for selftests/check.
#include <dhcpsrv/lease_mgr_factory.h>
#include <exceptions/exceptions.h>
#include <log/logger_support.h>
#include <stats/stats_mgr.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../release_request.h"

using namespace isc::dhcp;
using isc::BadValue;
using isc::asiolink::IOAddress;
using isc::data::Element;
using isc::stats::StatsMgr;
using namespace leaseguard;

namespace {

const std::vector<uint8_t> SERVER = {0, 3, 0, 1, 2, 0, 0, 0, 0x0f, 2};
const std::vector<uint8_t> RELAY = {0, 2, 0, 0, 0, 9, 0x6c, 0x67};
const std::vector<uint8_t> CLIENT_A = {0, 1, 0, 1, 0xa, 0xa, 0xa, 0xa};
const std::vector<uint8_t> CLIENT_B = {0, 1, 0, 1, 0xb, 0xb, 0xb, 0xb};
const std::vector<uint8_t> IFID = {'a', 'c', 'c', '0'};
const IOAddress RELAY_ADDR("2001:db8:f::1");

uint16_t get16(const uint8_t* p) {
    return (static_cast<uint16_t>(p[0] << 8 | p[1]));
}

ReleaseRequestConfig config(const std::string& json) {
    return (ReleaseRequestConfig::parse(Element::fromJSON(json)));
}

// The message a BadValue carries, or "" when parse() accepts json.
std::string parseError(const std::string& json) {
    try {
        config(json);
    } catch (const BadValue& e) {
        return (e.what());
    }
    return ("");
}

// A request (or any client/server message) built by the codec.
struct Msg {
    dr_msg m = {};
    std::vector<dr_client> clients;

    explicit Msg(uint8_t type = 240) {
        m.type = type;
        m.xid = 0x123456;
        m.server_id = {SERVER.data(), uint16_t(SERVER.size())};
        m.relay_id = {RELAY.data(), uint16_t(RELAY.size())};
    }

    dr_client& client(const std::vector<uint8_t>& duid) {
        clients.emplace_back();
        clients.back() = dr_client();
        clients.back().duid = {duid.data(), uint16_t(duid.size())};
        return (clients.back());
    }

    static dr_ia& ia(dr_client& c, uint16_t type, uint32_t iaid) {
        dr_ia& ia = c.ias[c.n_ias++];
        ia = dr_ia();
        ia.type = type;
        ia.iaid = iaid;
        return (ia);
    }

    static void lease(dr_ia& ia, const std::string& addr, uint8_t plen = 128) {
        dr_lease& l = ia.leases[ia.n_leases++];
        std::vector<uint8_t> b = IOAddress(addr).toBytes();
        std::copy(b.begin(), b.end(), l.addr);
        l.plen = plen;
    }

    std::vector<uint8_t> bytes() {
        m.clients = clients.data();
        m.n_clients = uint16_t(clients.size());
        std::vector<uint8_t> buf(65536);
        size_t n = dr_build(&m, buf.data(), buf.size());
        EXPECT_NE(0u, n);
        buf.resize(n);
        return (buf);
    }
};

// A parsed reply; the clients array outlives the view of it.
struct Reply {
    std::vector<uint8_t> bytes;
    std::vector<dr_client> clients = std::vector<dr_client>(64);
    dr_msg m = {};

    explicit Reply(const std::vector<uint8_t>& b) : bytes(b) {
        m.clients = clients.data();
        m.max_clients = uint16_t(clients.size());
        m.parse_flags = DR_PARSE_IA_TA | DR_PARSE_BARE_LEASES;
        EXPECT_EQ(DR_OK, dr_parse(bytes.data(), bytes.size(), &m));
    }
};

class ReleaseRequestTest : public ::testing::Test {
protected:
    void SetUp() override {
        LeaseMgrFactory::create("type=memfile universe=6 persist=false");
        StatsMgr::instance().removeAll();
    }

    void TearDown() override {
        LeaseMgrFactory::destroy();
        StatsMgr::instance().removeAll();
    }

    // A bound lease, counted in its subnet's statistic as Kea counts it.
    Lease6Ptr addLease(Lease::Type type, const std::string& addr,
                       const std::vector<uint8_t>& duid, uint32_t iaid,
                       uint8_t plen = 128, SubnetID subnet = 1) {
        Lease6Ptr l(new Lease6(type, IOAddress(addr), DuidPtr(new DUID(duid)),
                               iaid, 300, 600, subnet, HWAddrPtr(), plen));
        EXPECT_TRUE(LeaseMgrFactory::instance().addLease(l));
        if (type != Lease::TYPE_TA) {     // Kea 2.2 counts none
            StatsMgr::instance().addValue(
                StatsMgr::generateName("subnet", subnet, type == Lease::TYPE_NA ?
                                       "assigned-nas" : "assigned-pds"),
                int64_t(1));
        }
        return (l);
    }

    bool have(Lease::Type type, const std::string& addr) {
        return (static_cast<bool>(
            LeaseMgrFactory::instance().getLease6(type, IOAddress(addr))));
    }

    int64_t stat(const std::string& name) {
        auto o = StatsMgr::instance().getObservation(name);
        return (o ? o->getInteger().first : -1);
    }

    ReleaseRequestOutcome handle(const std::vector<uint8_t>& req,
                                 const std::string& cfg = "{ \"trusted-relays\":"
                                     " [ { \"relay-id\": \"00:02:00:00:00:09:6c:67\" } ] }",
                                 const IOAddress& from = RELAY_ADDR) {
        ReleaseRequestHandler h(config(cfg));
        return (h.handle(req.data(), req.size(), from, SERVER));
    }

    // Two subscribers: A with an address and a prefix, B with an address.
    void twoClients() {
        addLease(Lease::TYPE_NA, "2001:db8:1::1000", CLIENT_A, 1);
        addLease(Lease::TYPE_PD, "2001:db8:100::", CLIENT_A, 2, 56);
        addLease(Lease::TYPE_NA, "2001:db8:1::1001", CLIENT_B, 1);
    }

    void expectAllLeases() {
        EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1000"));
        EXPECT_TRUE(have(Lease::TYPE_PD, "2001:db8:100::"));
        EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
    }
};

// --- parameters --------------------------------------------------------

TEST(ReleaseRequestConfigTest, defaults) {
    ReleaseRequestConfig c = ReleaseRequestConfig::parse(isc::data::ConstElementPtr());
    EXPECT_TRUE(c.enabled);
    EXPECT_TRUE(c.leasequery);
    EXPECT_EQ(ReleaseRequestConfig::Refusal::DROP, c.when_disabled);
    EXPECT_EQ(ReleaseRequestConfig::Refusal::DROP, c.untrusted);
    EXPECT_TRUE(c.trusted_relays.empty());
    EXPECT_EQ(240, c.request_type);
    EXPECT_EQ(241, c.reply_type);
    EXPECT_EQ(c.request_type, config("{}").request_type);
}

TEST(ReleaseRequestConfigTest, everyParameter) {
    ReleaseRequestConfig c = config(R"({
        "enabled": false, "when-disabled": "not-configured",
        "untrusted": "not-allowed",
        "trusted-relays": [ { "relay-id": "00:02:00:00:00:09:6c:67" },
                            { "address": "2001:db8:f::1" },
                            { "relay-id": "0x000200000009", "address": "fe80::1" } ],
        "trusted-intermediate-relays": [ { "address": "2001:db8:e::2" },
            { "relay-id": "00:02:00:00:00:09:00:01", "link-address": "2001:db8:1::1" } ],
        "release-request-type": 200, "release-reply-type": 201,
        "leasequery": false })");
    EXPECT_FALSE(c.enabled);
    EXPECT_FALSE(c.leasequery);
    EXPECT_EQ(ReleaseRequestConfig::Refusal::REPLY, c.when_disabled);
    EXPECT_EQ(ReleaseRequestConfig::Refusal::REPLY, c.untrusted);
    ASSERT_EQ(3u, c.trusted_relays.size());
    EXPECT_EQ(RELAY, c.trusted_relays[0].relay_id);
    EXPECT_TRUE(c.trusted_relays[0].address.isV6Zero());
    EXPECT_TRUE(c.trusted_relays[1].relay_id.empty());
    EXPECT_EQ(RELAY_ADDR, c.trusted_relays[1].address);
    EXPECT_EQ(6u, c.trusted_relays[2].relay_id.size());
    EXPECT_EQ(IOAddress("fe80::1"), c.trusted_relays[2].address);
    ASSERT_EQ(2u, c.trusted_intermediates.size());
    EXPECT_EQ(IOAddress("2001:db8:e::2"), c.trusted_intermediates[0].address);
    EXPECT_TRUE(c.trusted_intermediates[0].relay_id.empty());
    EXPECT_TRUE(c.trusted_intermediates[0].link_address.isV6Zero());
    EXPECT_EQ(8u, c.trusted_intermediates[1].relay_id.size());
    EXPECT_TRUE(c.trusted_intermediates[1].address.isV6Zero());
    EXPECT_EQ(IOAddress("2001:db8:1::1"), c.trusted_intermediates[1].link_address);
    EXPECT_TRUE(c.acceptsRelayed());
    EXPECT_EQ(200, c.request_type);
    EXPECT_EQ(201, c.reply_type);
    EXPECT_EQ("disabled, types 200/201, 3 trusted relays, 2 trusted"
              " intermediate relays, untrusted: not-allowed, when disabled:"
              " not-configured, leasequery not answered, HA peers from"
              " libdhcp_ha.so if loaded", c.summary());
    // Relayed requests need both an intermediate and a trusted relay-id.
    EXPECT_FALSE(config(R"({ "trusted-relays": [ { "relay-id": "00:02:00:00:00:09:6c:67" } ] })")
                 .acceptsRelayed());
    EXPECT_FALSE(config(R"({ "trusted-relays": [ { "address": "2001:db8:f::1" } ],
        "trusted-intermediate-relays": [ { "address": "2001:db8:f::1" } ] })")
                 .acceptsRelayed());
}

TEST(ReleaseRequestConfigTest, errorsNameTheParameter) {
    EXPECT_EQ("'parameters' must be a map, not a list", parseError("[]"));
    EXPECT_NE(std::string::npos, parseError(R"({ "enable": true })")
              .find("unknown parameter 'enable'"));
    EXPECT_EQ("'enabled' must be a boolean, not a string",
              parseError(R"({ "enabled": "yes" })"));
    EXPECT_EQ("'when-disabled' is \"drop\" or \"not-configured\", not \"reply\"",
              parseError(R"({ "when-disabled": "reply" })"));
    EXPECT_EQ("'untrusted' is \"drop\" or \"not-allowed\", not \"not-configured\"",
              parseError(R"({ "untrusted": "not-configured" })"));
    EXPECT_EQ("'trusted-relays' must be a list, not a map",
              parseError(R"({ "trusted-relays": {} })"));
    EXPECT_EQ("'release-request-type' is an unassigned DHCPv6 message type,"
              " 38 to 255 (1 to 37 are assigned), not 3",
              parseError(R"({ "release-request-type": 3 })"));
    EXPECT_EQ("'release-request-type' and 'release-reply-type' are both 241",
              parseError(R"({ "release-request-type": 241 })"));
    EXPECT_EQ("'release-reply-type' must be a integer, not a string",
              parseError(R"({ "release-reply-type": "241" })"));
}

TEST(ReleaseRequestConfigTest, trustedRelayErrors) {
    EXPECT_EQ("'trusted-relays[0]' needs \"relay-id\", \"address\" or both",
              parseError(R"({ "trusted-relays": [ {} ] })"));
    EXPECT_EQ("'trusted-relays[1]' must be a map, not a string",
              parseError(R"({ "trusted-relays": [ { "address": "::1" }, "x" ] })"));
    for (const char* bad : {"zz", "00:01", "", "00:0102:0304"}) {
        EXPECT_NE(std::string::npos,
                  parseError(std::string(R"({ "trusted-relays": [ { "relay-id": ")")
                             + bad + "\" } ] }")
                  .find("'trusted-relays[0].relay-id' is a DUID in hex")) << bad;
    }
    std::string long_id(131 * 3 - 1, ':');
    for (size_t i = 0; i < long_id.size(); i += 3) {
        long_id[i] = long_id[i + 1] = '0';
    }
    EXPECT_NE(std::string::npos,
              parseError(R"({ "trusted-relays": [ { "relay-id": ")" + long_id + "\" } ] }")
              .find("3 to 130 octets"));
    for (const char* bad : {"192.0.2.1", "::", "ff02::1:2", "relay1"}) {
        EXPECT_EQ(std::string("'trusted-relays[0].address' is a unicast IPv6"
                              " address, not \"") + bad + "\"",
                  parseError(std::string(R"({ "trusted-relays": [ { "address": ")")
                             + bad + "\" } ] }")) << bad;
    }
    EXPECT_NE(std::string::npos,
              parseError(R"({ "trusted-relays": [ { "interface": "eth0" } ] })")
              .find("unknown parameter 'trusted-relays[0].interface'"));
    // link-address is an intermediate relay's
    EXPECT_NE(std::string::npos,
              parseError(R"({ "trusted-relays": [ { "address": "2001:db8:f::1",
                  "link-address": "2001:db8:1::1" } ] })")
              .find("unknown parameter 'trusted-relays[0].link-address'"));
}

TEST(ReleaseRequestConfigTest, trustedIntermediateRelayErrors) {
    EXPECT_EQ("'trusted-intermediate-relays' must be a list, not a map",
              parseError(R"({ "trusted-intermediate-relays": {} })"));
    EXPECT_EQ("'trusted-intermediate-relays[0]' needs \"relay-id\", \"address\" or both",
              parseError(R"({ "trusted-intermediate-relays": [ {} ] })"));
    EXPECT_EQ("'trusted-intermediate-relays[0]' needs \"relay-id\", \"address\" or both",
              parseError(R"({ "trusted-intermediate-relays": [
                  { "link-address": "2001:db8:1::1" } ] })"));
    EXPECT_EQ("'trusted-intermediate-relays[1]' must be a map, not a string",
              parseError(R"({ "trusted-intermediate-relays": [ { "address": "::1" }, "x" ] })"));
    EXPECT_EQ("'trusted-intermediate-relays[0].address' is a unicast IPv6"
              " address, not \"192.0.2.1\"",
              parseError(R"({ "trusted-intermediate-relays": [ { "address": "192.0.2.1" } ] })"));
    EXPECT_EQ("'trusted-intermediate-relays[0].link-address' is a unicast IPv6"
              " address, not \"::\"",
              parseError(R"({ "trusted-intermediate-relays": [
                  { "address": "2001:db8:e::2", "link-address": "::" } ] })"));
    EXPECT_NE(std::string::npos,
              parseError(R"({ "trusted-intermediate-relays": [ { "relay-id": "zz" } ] })")
              .find("'trusted-intermediate-relays[0].relay-id' is a DUID in hex"));
    EXPECT_NE(std::string::npos,
              parseError(R"({ "trusted-intermediate-relays": [ { "adress": "2001:db8:e::2" } ] })")
              .find("unknown parameter 'trusted-intermediate-relays[0].adress'"));
    EXPECT_NE(std::string::npos,
              parseError(R"({ "trusted-intermediate-relay": [] })")
              .find("unknown parameter 'trusted-intermediate-relay'"));
}

// 1 to 37 are assigned DHCPv6 message types (3 is REQUEST: the hook would
// take every client's REQUEST from Kea): refused for both parameters.
TEST(ReleaseRequestConfigTest, assignedMessageTypesRefused) {
    for (const char* name : {"release-request-type", "release-reply-type"}) {
        for (int bad : {0, 1, 3, 12, 13, 36, 37, 256, -1}) {
            std::string json = std::string("{ \"") + name + "\": " +
                               std::to_string(bad) + " }";
            EXPECT_EQ(std::string("'") + name + "' is an unassigned DHCPv6"
                      " message type, 38 to 255 (1 to 37 are assigned), not " +
                      std::to_string(bad), parseError(json)) << json;
        }
    }
    for (auto const& ok : {std::make_pair(38, 39), std::make_pair(240, 38),
                           std::make_pair(255, 240)}) {
        ReleaseRequestConfig c = config("{ \"release-request-type\": " +
                                        std::to_string(ok.first) +
                                        ", \"release-reply-type\": " +
                                        std::to_string(ok.second) + " }");
        EXPECT_EQ(ok.first, c.request_type);
        EXPECT_EQ(ok.second, c.reply_type);
    }
}

// --- what passes, what is discarded -----------------------------------

TEST_F(ReleaseRequestTest, otherMessagesPass) {
    twoClients();
    for (uint8_t type : {1, 3, 8, 12, 241}) {
        Msg m(1);
        m.client(CLIENT_A);
        std::vector<uint8_t> b = m.bytes();
        b[0] = type;    // 12 (RELAY-FORW) is not the codec's to build
        ReleaseRequestOutcome out = handle(b);
        EXPECT_EQ(ReleaseRequestOutcome::Action::PASS, out.action) << int(type);
    }
    EXPECT_EQ(ReleaseRequestOutcome::Action::PASS, handle({}).action);
    expectAllLeases();
}

TEST_F(ReleaseRequestTest, malformedIsDiscardedAtEveryLength) {
    twoClients();
    Msg m;
    m.client(CLIENT_A);
    std::vector<uint8_t> req = m.bytes();
    // Every truncation is discarded: malformed where an option runs past
    // the message, invalid where it cuts between options. None touches a
    // lease.
    for (size_t len = 1; len < req.size(); ++len) {
        std::vector<uint8_t> cut(req.begin(), req.begin() + len);
        ReleaseRequestOutcome out = handle(cut);
        EXPECT_EQ(ReleaseRequestOutcome::Action::DROP, out.action) << len;
        EXPECT_EQ(ReleaseRequestOutcome::Kind::DISCARDED, out.kind) << len;
        EXPECT_FALSE(out.why.empty()) << len;
    }
    expectAllLeases();
    EXPECT_EQ("malformed (short)", handle({240, 0, 0}).why);
}

TEST_F(ReleaseRequestTest, draftValidationDiscards) {
    twoClients();
    struct Case {
        const char* why;
        void (*change)(Msg&);
    } cases[] = {
        {"no Relay Identifier option", [](Msg& m) { m.m.relay_id = {}; }},
        {"no Client Data option", [](Msg& m) { m.clients.clear(); }},
        {"no Server Identifier option", [](Msg& m) { m.m.server_id = {}; }},
        {"Server Identifier 00:03:00:01:02:00:00:00:0f:03 is not this server's",
         [](Msg& m) {
             static const uint8_t other[] = {0, 3, 0, 1, 2, 0, 0, 0, 0x0f, 3};
             m.m.server_id = {other, sizeof(other)};
         }},
    };
    for (auto const& c : cases) {
        Msg m;
        m.client(CLIENT_A);
        c.change(m);
        ReleaseRequestOutcome out = handle(m.bytes());
        EXPECT_EQ(ReleaseRequestOutcome::Action::DROP, out.action) << c.why;
        EXPECT_EQ(ReleaseRequestOutcome::Kind::DISCARDED, out.kind) << c.why;
        EXPECT_EQ(c.why, out.why);
    }
    expectAllLeases();
}

TEST_F(ReleaseRequestTest, clientDataWithoutClientIdIsDiscarded) {
    twoClients();
    Msg m;
    m.client(CLIENT_A);
    std::vector<uint8_t> req = m.bytes();
    // Client Data (45) at the end: 4 + 4 + 8. Drop its Client Identifier.
    ASSERT_EQ(45, req[req.size() - 16 + 1]);
    req.resize(req.size() - 12);
    req[req.size() - 2] = 0;
    req[req.size() - 1] = 0;
    ReleaseRequestOutcome out = handle(req);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::DISCARDED, out.kind);
    EXPECT_EQ("malformed (no_client_id)", out.why);
    expectAllLeases();
}

// --- refusals -----------------------------------------------------------

TEST_F(ReleaseRequestTest, untrustedRelayIsDroppedByDefault) {
    twoClients();
    Msg m;
    m.client(CLIENT_A);
    ReleaseRequestOutcome out = handle(m.bytes(), "{}");
    EXPECT_EQ(ReleaseRequestOutcome::Action::DROP, out.action);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ("relay-id 00:02:00:00:00:09:6c:67, not a trusted relay", out.why);
    expectAllLeases();
}

TEST_F(ReleaseRequestTest, untrustedRelayGetsNotAllowed) {
    twoClients();
    Msg m;
    m.m.ifid = {IFID.data(), uint16_t(IFID.size())};
    m.client(CLIENT_A);
    ReleaseRequestOutcome out = handle(m.bytes(), R"({ "untrusted": "not-allowed",
        "trusted-relays": [ { "relay-id": "00:02:00:00:00:09:6c:68" } ] })");
    ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    Reply r(out.reply);
    EXPECT_EQ(241, r.m.type);
    EXPECT_EQ(0x123456u, r.m.xid);
    ASSERT_TRUE(r.m.has_status);
    EXPECT_EQ(DR_STATUS_NOT_ALLOWED, r.m.status);
    EXPECT_EQ(std::vector<uint8_t>(r.m.server_id.data, r.m.server_id.data + r.m.server_id.len),
              SERVER);
    EXPECT_EQ(std::vector<uint8_t>(r.m.ifid.data, r.m.ifid.data + r.m.ifid.len), IFID);
    EXPECT_EQ(0, r.m.relay_id.len);
    EXPECT_EQ(0, r.m.n_clients);
    expectAllLeases();
}

TEST_F(ReleaseRequestTest, trustByRelayIdAddressOrBoth) {
    struct Case {
        const char* relays;
        bool trusted;
    } cases[] = {
        {R"([ { "relay-id": "00:02:00:00:00:09:6c:67" } ])", true},
        {R"([ { "relay-id": "00:02:00:00:00:09:6c" } ])", false},
        {R"([ { "address": "2001:db8:f::1" } ])", true},
        {R"([ { "address": "2001:db8:f::9" } ])", false},
        {R"([ { "relay-id": "00:02:00:00:00:09:6c:67", "address": "2001:db8:f::1" } ])", true},
        {R"([ { "relay-id": "00:02:00:00:00:09:6c:67", "address": "2001:db8:f::9" } ])", false},
        {R"([ { "address": "2001:db8:f::9" }, { "relay-id": "00:02:00:00:00:09:6c:67" } ])", true},
    };
    for (auto const& c : cases) {
        Msg m;
        m.client(CLIENT_B);
        ReleaseRequestOutcome out = handle(m.bytes(), std::string(
            R"({ "untrusted": "not-allowed", "trusted-relays": )") + c.relays + " }");
        ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action) << c.relays;
        EXPECT_EQ(c.trusted ? ReleaseRequestOutcome::Kind::PROCESSED :
                  ReleaseRequestOutcome::Kind::REFUSED, out.kind) << c.relays;
    }
}

TEST_F(ReleaseRequestTest, disabled) {
    twoClients();
    Msg m;
    m.client(CLIENT_A);
    std::string relays = R"("trusted-relays": [ { "address": "2001:db8:f::1" } ])";
    ReleaseRequestOutcome out = handle(m.bytes(), "{ \"enabled\": false, " + relays + " }");
    EXPECT_EQ(ReleaseRequestOutcome::Action::DROP, out.action);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ("relay-id 00:02:00:00:00:09:6c:67, disabled", out.why);

    out = handle(m.bytes(), "{ \"enabled\": false, \"when-disabled\":"
                 " \"not-configured\", " + relays + " }");
    ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action);
    Reply r(out.reply);
    EXPECT_EQ(DR_STATUS_NOT_CONFIGURED, r.m.status);
    EXPECT_EQ(0, r.m.n_clients);
    expectAllLeases();
}

// --- releases -------------------------------------------------------------

TEST_F(ReleaseRequestTest, allLeasesOfAClient) {
    twoClients();
    addLease(Lease::TYPE_PD, "2001:db8:200::", CLIENT_A, 2, 56, 2);
    Msg m;
    m.client(CLIENT_A);         // no IA: all of them
    ReleaseRequestOutcome out = handle(m.bytes());
    ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::PROCESSED, out.kind);
    EXPECT_EQ(1u, out.clients);
    EXPECT_EQ(3u, out.released);
    EXPECT_EQ(0u, out.failed_clients);
    Reply r(out.reply);
    EXPECT_EQ(DR_STATUS_SUCCESS, r.m.status);
    EXPECT_EQ(0, r.m.n_clients);        // only failures are listed
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1000"));
    EXPECT_FALSE(have(Lease::TYPE_PD, "2001:db8:100::"));
    EXPECT_FALSE(have(Lease::TYPE_PD, "2001:db8:200::"));
    EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
    EXPECT_EQ(1, stat("subnet[1].assigned-nas"));       // B's
    EXPECT_EQ(0, stat("subnet[1].assigned-pds"));
    EXPECT_EQ(0, stat("subnet[2].assigned-pds"));
}

TEST_F(ReleaseRequestTest, namedLeasesOnly) {
    twoClients();
    addLease(Lease::TYPE_NA, "2001:db8:1::1002", CLIENT_A, 1);
    Msg m;
    dr_client& a = m.client(CLIENT_A);
    Msg::lease(Msg::ia(a, DR_OPT_IA_NA, 1), "2001:db8:1::1000");
    Msg::lease(Msg::ia(a, DR_OPT_IA_PD, 2), "2001:db8:100::", 56);
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(2u, out.released);
    EXPECT_EQ(0, Reply(out.reply).m.n_clients);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1000"));
    EXPECT_FALSE(have(Lease::TYPE_PD, "2001:db8:100::"));
    EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1002"));  // not named
    EXPECT_EQ(2, stat("subnet[1].assigned-nas"));
}

TEST_F(ReleaseRequestTest, aLeaseListedTwiceIsReleasedOnce) {
    twoClients();
    Msg m;
    dr_ia& ia = Msg::ia(m.client(CLIENT_A), DR_OPT_IA_NA, 1);
    Msg::lease(ia, "2001:db8:1::1000");
    Msg::lease(ia, "2001:db8:1::1000");
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(1u, out.released);
    EXPECT_EQ(0, Reply(out.reply).m.n_clients);
    EXPECT_EQ(1, stat("subnet[1].assigned-nas"));
}

TEST_F(ReleaseRequestTest, iaWithoutLeasesReleasesTheIA) {
    twoClients();
    addLease(Lease::TYPE_NA, "2001:db8:1::1002", CLIENT_A, 1);
    addLease(Lease::TYPE_NA, "2001:db8:1::1003", CLIENT_A, 7);
    Msg m;
    Msg::ia(m.client(CLIENT_A), DR_OPT_IA_NA, 1);
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(2u, out.released);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1000"));
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1002"));
    EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1003"));  // IAID 7
    EXPECT_TRUE(have(Lease::TYPE_PD, "2001:db8:100::"));    // IA_PD
}

TEST_F(ReleaseRequestTest, unknownClientIsNoBinding) {
    twoClients();
    const std::vector<uint8_t> unknown = {0, 1, 0, 1, 0xc, 0xc, 0xc, 0xc};
    Msg m;
    m.client(CLIENT_B);
    dr_client& c = m.client(unknown);
    c.ifid = {IFID.data(), uint16_t(IFID.size())};
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(2u, out.clients);
    EXPECT_EQ(1u, out.released);
    EXPECT_EQ(1u, out.failed_clients);
    Reply r(out.reply);
    EXPECT_EQ(DR_STATUS_SUCCESS, r.m.status);
    ASSERT_EQ(1, r.m.n_clients);
    const dr_client& rc = r.m.clients[0];
    EXPECT_EQ(unknown, std::vector<uint8_t>(rc.duid.data, rc.duid.data + rc.duid.len));
    EXPECT_EQ(IFID, std::vector<uint8_t>(rc.ifid.data, rc.ifid.data + rc.ifid.len));
    ASSERT_TRUE(rc.has_status);
    EXPECT_EQ(DR_STATUS_NO_BINDING, rc.status);
    EXPECT_EQ(0, rc.n_ias);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
}

TEST_F(ReleaseRequestTest, secondReleaseIsNoBinding) {
    twoClients();
    Msg m;
    dr_client& a = m.client(CLIENT_A);
    Msg::lease(Msg::ia(a, DR_OPT_IA_NA, 1), "2001:db8:1::1000");
    std::vector<uint8_t> req = m.bytes();
    EXPECT_EQ(0, Reply(handle(req).reply).m.n_clients);
    // The reply was lost; the relay retransmits (draft 4.1.1).
    ReleaseRequestOutcome out = handle(req);
    EXPECT_EQ(0u, out.released);
    Reply r(out.reply);
    EXPECT_EQ(0x123456u, r.m.xid);
    ASSERT_EQ(1, r.m.n_clients);
    EXPECT_FALSE(r.m.clients[0].has_status);
    ASSERT_EQ(1, r.m.clients[0].n_ias);
    const dr_ia& ia = r.m.clients[0].ias[0];
    EXPECT_EQ(DR_OPT_IA_NA, ia.type);
    EXPECT_EQ(1u, ia.iaid);
    EXPECT_EQ(0, ia.n_leases);         // "No other options are included"
    ASSERT_TRUE(ia.has_status);
    EXPECT_EQ(DR_STATUS_NO_BINDING, ia.status);
    EXPECT_EQ(0, stat("subnet[1].assigned-nas") - 1);   // B's, once
}

TEST_F(ReleaseRequestTest, anotherClientsLeaseIsNotReleased) {
    twoClients();
    Msg m;
    dr_client& a = m.client(CLIENT_A);
    // B's address under A's DUID; A's prefix under the wrong IAID and with
    // the wrong length.
    Msg::lease(Msg::ia(a, DR_OPT_IA_NA, 1), "2001:db8:1::1001");
    Msg::lease(Msg::ia(a, DR_OPT_IA_PD, 3), "2001:db8:100::", 56);
    Msg::lease(Msg::ia(a, DR_OPT_IA_PD, 2), "2001:db8:100::", 48);
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(0u, out.released);
    Reply r(out.reply);
    ASSERT_EQ(1, r.m.n_clients);
    ASSERT_EQ(3, r.m.clients[0].n_ias);
    for (unsigned i = 0; i < 3; ++i) {
        EXPECT_EQ(DR_STATUS_NO_BINDING, r.m.clients[0].ias[i].status);
    }
    expectAllLeases();
}

TEST_F(ReleaseRequestTest, onlyBoundLeasesAreReleased) {
    twoClients();
    Lease6Ptr l = LeaseMgrFactory::instance().getLease6(Lease::TYPE_NA,
                                                         IOAddress("2001:db8:1::1000"));
    l->state_ = Lease::STATE_DECLINED;
    LeaseMgrFactory::instance().updateLease6(l);
    Msg m;
    Msg::lease(Msg::ia(m.client(CLIENT_A), DR_OPT_IA_NA, 1), "2001:db8:1::1000");
    Msg::lease(Msg::ia(m.client(CLIENT_B), DR_OPT_IA_NA, 1), "2001:db8:1::1001");
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(1u, out.released);
    Reply r(out.reply);
    ASSERT_EQ(1, r.m.n_clients);
    EXPECT_EQ(CLIENT_A, std::vector<uint8_t>(r.m.clients[0].duid.data,
                                             r.m.clients[0].duid.data + r.m.clients[0].duid.len));
    EXPECT_EQ(DR_STATUS_NO_BINDING, r.m.clients[0].ias[0].status);
    EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1000"));     // declined stays
}

TEST_F(ReleaseRequestTest, partlyKnownIAIsNoBinding) {
    twoClients();
    Msg m;
    dr_ia& ia = Msg::ia(m.client(CLIENT_A), DR_OPT_IA_NA, 1);
    Msg::lease(ia, "2001:db8:1::1000");
    Msg::lease(ia, "2001:db8:1::1fff");
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(1u, out.released);
    Reply r(out.reply);
    ASSERT_EQ(1, r.m.n_clients);
    EXPECT_EQ(DR_STATUS_NO_BINDING, r.m.clients[0].ias[0].status);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1000"));
}

TEST_F(ReleaseRequestTest, configuredMessageTypes) {
    twoClients();
    Msg m(200);
    m.client(CLIENT_B);
    std::string cfg = R"({ "release-request-type": 200, "release-reply-type": 201,
        "trusted-relays": [ { "address": "2001:db8:f::1" } ] })";
    ReleaseRequestOutcome out = handle(m.bytes(), cfg);
    ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action);
    EXPECT_EQ(201, Reply(out.reply).m.type);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
    Msg old;
    old.client(CLIENT_A);
    EXPECT_EQ(ReleaseRequestOutcome::Action::PASS, handle(old.bytes(), cfg).action);
}

TEST_F(ReleaseRequestTest, manyClientsInOneRequest) {
    // 400 clients, one lease each, every other one unknown to the server:
    // one request near 8 KiB, one reply listing the 200 unknown.
    std::vector<std::vector<uint8_t>> duids;
    for (int i = 0; i < 400; ++i) {
        duids.push_back({0, 1, 0, 1, 0, 0, uint8_t(i >> 8), uint8_t(i)});
    }
    Msg m;
    for (int i = 0; i < 400; ++i) {
        char addr[32];
        std::snprintf(addr, sizeof(addr), "2001:db8:1::%x", 0x1000 + i);
        if (i % 2 == 0) {
            addLease(Lease::TYPE_NA, addr, duids[i], 1);
        }
        Msg::lease(Msg::ia(m.client(duids[i]), DR_OPT_IA_NA, 1), addr);
    }
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(400u, out.clients);
    EXPECT_EQ(200u, out.released);
    std::vector<dr_client> all(400);
    dr_msg big = {};
    big.clients = all.data();
    big.max_clients = 400;
    ASSERT_EQ(DR_OK, dr_parse(out.reply.data(), out.reply.size(), &big));
    ASSERT_EQ(200, big.n_clients);
    for (int i = 0; i < 200; ++i) {
        EXPECT_EQ(duids[2 * i + 1][7], big.clients[i].duid.data[7]);
        EXPECT_EQ(DR_STATUS_NO_BINDING, big.clients[i].ias[0].status);
    }
    EXPECT_EQ(0, stat("subnet[1].assigned-nas"));
}

// --- through intermediate relays (draft 4.2) ---------------------------

// A RELAY-FORW (RFC 8415 section 9) around msg: hop-count, link and peer
// addresses, an Interface-Id when ifid is not empty, the Relay Message.
std::vector<uint8_t> relayForw(const std::vector<uint8_t>& msg, uint8_t hops,
                               const std::string& link, const std::string& peer,
                               const std::string& ifid = "",
                               const std::vector<uint8_t>& relay_id = {}) {
    std::vector<uint8_t> out = {12, hops};
    for (const std::string& a : {link, peer}) {
        std::vector<uint8_t> b = IOAddress(a).toBytes();
        out.insert(out.end(), b.begin(), b.end());
    }
    auto opt = [&out](uint16_t code, const uint8_t* p, size_t n) {
        uint8_t h[4] = {uint8_t(code >> 8), uint8_t(code), uint8_t(n >> 8), uint8_t(n)};
        out.insert(out.end(), h, h + 4);
        out.insert(out.end(), p, p + n);
    };
    if (!ifid.empty()) {
        opt(18, reinterpret_cast<const uint8_t*>(ifid.data()), ifid.size());
    }
    if (!relay_id.empty()) {
        opt(53, relay_id.data(), relay_id.size());
    }
    opt(9, msg.data(), msg.size());
    return (out);
}

TEST_F(ReleaseRequestTest, relayedRequestIsAnsweredThroughTheRelays) {
    twoClients();
    Msg m;
    m.client(CLIENT_B);
    std::vector<uint8_t> inner = relayForw(m.bytes(), 0, "::", "2001:db8:f::1", "up0");
    std::vector<uint8_t> outer = relayForw(inner, 1, "2001:db8:e::1", "fe80::1");
    // The originator's address is the inner RELAY-FORW's peer-address; the
    // two intermediate relays are the source and the outer peer-address.
    ReleaseRequestOutcome out = handle(outer, R"({ "trusted-relays":
        [ { "relay-id": "00:02:00:00:00:09:6c:67", "address": "2001:db8:f::1" } ],
        "trusted-intermediate-relays": [ { "address": "2001:db8:e::2" },
                                         { "address": "fe80::1" } ] })",
        IOAddress("2001:db8:e::2"));
    ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::PROCESSED, out.kind);
    EXPECT_EQ("relay-id 00:02:00:00:00:09:6c:67, through 2 relays", out.why);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1001"));

    // RELAY-REPL(hop 1, link, peer, RELAY-REPL(hop 0, link, peer,
    // Interface-Id "up0", reply)): each header as its RELAY-FORW's.
    const std::vector<uint8_t>& r = out.reply;
    ASSERT_GT(r.size(), 2u * 34 + 2 * 4 + 4 + 3);
    EXPECT_EQ(13, r[0]);
    EXPECT_TRUE(std::equal(r.begin() + 1, r.begin() + 34, outer.begin() + 1));
    EXPECT_EQ(9, get16(&r[34]));
    EXPECT_EQ(r.size() - 38, get16(&r[36]));
    const uint8_t* in = &r[38];
    EXPECT_EQ(13, in[0]);
    EXPECT_TRUE(std::equal(in + 1, in + 34, inner.begin() + 1));
    EXPECT_EQ(18, get16(in + 34));
    EXPECT_EQ(3, get16(in + 36));
    EXPECT_EQ("up0", std::string(in + 38, in + 41));
    EXPECT_EQ(9, get16(in + 41));
    size_t n = get16(in + 43);
    EXPECT_EQ(r.size() - 38 - 45, n);
    Reply reply(std::vector<uint8_t>(in + 45, in + 45 + n));
    EXPECT_EQ(241, reply.m.type);
    EXPECT_EQ(DR_STATUS_SUCCESS, reply.m.status);
}

TEST_F(ReleaseRequestTest, relayedRefusalAndDiscard) {
    twoClients();
    Msg m;
    m.client(CLIENT_B);
    std::vector<uint8_t> req = relayForw(m.bytes(), 0, "::", "2001:db8:f::1");
    ReleaseRequestOutcome out = handle(req, R"({ "untrusted": "not-allowed" })");
    ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ(13, out.reply[0]);
    EXPECT_EQ(DR_STATUS_NOT_ALLOWED, Reply(std::vector<uint8_t>(
        out.reply.begin() + 38, out.reply.end())).m.status);

    m.m.server_id = {};
    out = handle(relayForw(m.bytes(), 0, "::", "2001:db8:f::1"));
    EXPECT_EQ(ReleaseRequestOutcome::Action::DROP, out.action);
    EXPECT_EQ("no Server Identifier option, through 1 relay", out.why);
    expectAllLeases();
}

TEST_F(ReleaseRequestTest, otherRelayedMessagesPass) {
    twoClients();
    Msg m;
    m.client(CLIENT_B);
    std::vector<uint8_t> req = m.bytes();
    std::vector<uint8_t> solicit = req;
    solicit[0] = 1;
    std::vector<uint8_t> fw = relayForw(req, 0, "::", "2001:db8:f::1");
    struct Case {
        const char* what;
        std::vector<uint8_t> msg;
    } cases[] = {
        {"a relayed SOLICIT", relayForw(solicit, 0, "::", "fe80::1")},
        {"a RELAY-FORW cut short", std::vector<uint8_t>(fw.begin(), fw.end() - 1)},
        {"a RELAY-FORW header alone", std::vector<uint8_t>(fw.begin(), fw.begin() + 34)},
        {"a RELAY-FORW shorter than its header", std::vector<uint8_t>(fw.begin(), fw.begin() + 20)},
        {"two Relay Messages", relayForw(req, 0, "::", "fe80::1")},
    };
    // the last: a second Relay Message after the first
    std::vector<uint8_t>& two = cases[4].msg;
    std::vector<uint8_t> again(two.begin() + 34, two.end());
    two.insert(two.end(), again.begin(), again.end());
    for (auto const& c : cases) {
        EXPECT_EQ(ReleaseRequestOutcome::Action::PASS, handle(c.msg).action) << c.what;
    }
    // 33 relays: deeper than a relay may forward.
    std::vector<uint8_t> deep = req;
    for (int i = 0; i < 33; ++i) {
        deep = relayForw(deep, uint8_t(32 - i), "::", "fe80::1");
    }
    EXPECT_EQ(ReleaseRequestOutcome::Action::PASS, handle(deep).action);
    deep = std::vector<uint8_t>(deep.begin() + 38, deep.end());    // 32
    EXPECT_EQ(ReleaseRequestOutcome::Action::REPLY, handle(deep, R"({
        "trusted-relays": [ { "relay-id": "00:02:00:00:00:09:6c:67" } ],
        "trusted-intermediate-relays": [ { "address": "2001:db8:f::1" },
                                         { "address": "fe80::1" } ] })").action);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
}

// --- the trust model: originator and intermediate relays ---------------

const std::string TRUST_ID = R"({ "relay-id": "00:02:00:00:00:09:6c:67" })";

// Address trust: a request straight from the relay's address.
TEST_F(ReleaseRequestTest, addressTrustForAnUnrelayedRequest) {
    twoClients();
    const std::vector<uint8_t> other = {0, 2, 0, 0, 0, 9, 0, 1};
    Msg m;
    m.m.relay_id = {other.data(), uint16_t(other.size())};
    m.client(CLIENT_B);
    ReleaseRequestOutcome out = handle(m.bytes(),
        R"({ "trusted-relays": [ { "address": "2001:db8:f::1" } ] })");
    EXPECT_EQ(ReleaseRequestOutcome::Kind::PROCESSED, out.kind);
    EXPECT_EQ(1u, out.released);
}

// The issue's attack: a subscriber's RELEASE-REQUEST for another's lease,
// relayed (as any client message) by a relay whose address is trusted.
// The relay's address does not vouch for what it relays.
TEST_F(ReleaseRequestTest, addressTrustDoesNotCoverARelayedRequest) {
    twoClients();
    const std::vector<uint8_t> forged = {0, 3, 0, 1, 2, 0, 0, 0, 0x0b, 0x0b};
    Msg m;
    m.m.relay_id = {forged.data(), uint16_t(forged.size())};
    m.client(CLIENT_B);
    std::vector<uint8_t> req = relayForw(m.bytes(), 0, "2001:db8:1::1",
                                         "fe80::b", "acc0");
    // Trusted by address, not listed as an intermediate relay.
    std::string by_address = R"({ "untrusted": "not-allowed",
        "trusted-relays": [ { "address": "2001:db8:f::1" } ] })";
    ReleaseRequestOutcome out = handle(req, by_address);
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ("relay-id 00:03:00:01:02:00:00:00:0b:0b, relayed by"
              " 2001:db8:f::1, not a trusted intermediate relay, through 1"
              " relay", out.why);
    ASSERT_EQ(ReleaseRequestOutcome::Action::REPLY, out.action);
    EXPECT_EQ(13, out.reply[0]);        // NotAllowed, in a RELAY-REPL
    // Listed as an intermediate relay too: still not the originator.
    out = handle(req, R"({ "untrusted": "not-allowed",
        "trusted-relays": [ { "address": "2001:db8:f::1" } ],
        "trusted-intermediate-relays": [ { "address": "2001:db8:f::1" } ] })");
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ("relay-id 00:03:00:01:02:00:00:00:0b:0b, not a trusted relay"
              " (a relayed request needs a trusted relay-id; an address"
              " alone is trusted only unrelayed), through 1 relay", out.why);
    // Nor does a trusted Relay-Id with the originator's address, from
    // elsewhere: the peer-address is the subscriber's.
    m.m.relay_id = {RELAY.data(), uint16_t(RELAY.size())};
    req = relayForw(m.bytes(), 0, "2001:db8:1::1", "fe80::b", "acc0");
    out = handle(req, R"({ "trusted-relays": [ { "relay-id":
        "00:02:00:00:00:09:6c:67", "address": "2001:db8:e::1" } ],
        "trusted-intermediate-relays": [ { "address": "2001:db8:f::1" } ] })");
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ(ReleaseRequestOutcome::Action::DROP, out.action);
    expectAllLeases();
}

// A relayed request: its Relay-Id trusted, through a listed relay.
TEST_F(ReleaseRequestTest, relayedNeedsTrustedRelayIdAndIntermediate) {
    twoClients();
    Msg m;
    m.client(CLIENT_B);
    std::vector<uint8_t> req = relayForw(m.bytes(), 0, "::", "2001:db8:e::1");
    ReleaseRequestOutcome out = handle(req, "{ \"trusted-relays\": [ " + TRUST_ID + " ] }");
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ("relay-id 00:02:00:00:00:09:6c:67, relayed by 2001:db8:f::1,"
              " not a trusted intermediate relay, through 1 relay", out.why);
    EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
    // Another intermediate relay is listed: not this one.
    out = handle(req, "{ \"trusted-relays\": [ " + TRUST_ID + " ],"
                 " \"trusted-intermediate-relays\": [ { \"address\": \"2001:db8:f::9\" } ] }");
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    // The Relay-Id trusted with the originator's address: the peer-address.
    out = handle(req, R"({ "trusted-relays": [ { "relay-id":
        "00:02:00:00:00:09:6c:67", "address": "2001:db8:e::1" } ],
        "trusted-intermediate-relays": [ { "address": "2001:db8:f::1" } ] })");
    EXPECT_EQ(ReleaseRequestOutcome::Kind::PROCESSED, out.kind);
    EXPECT_EQ("relay-id 00:02:00:00:00:09:6c:67, through 1 relay", out.why);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
}

// An intermediate relay by the Relay-Id in its RELAY-FORW and its link.
TEST_F(ReleaseRequestTest, intermediateByRelayIdAndLinkAddress) {
    const std::vector<uint8_t> mid = {0, 2, 0, 0, 0, 9, 0, 1};
    std::string cfg = "{ \"trusted-relays\": [ " + TRUST_ID + " ],"
        " \"trusted-intermediate-relays\": [ { \"relay-id\": \"00:02:00:00:00:09:00:01\","
        " \"link-address\": \"2001:db8:e::\" } ] }";
    struct Case {
        const char* link;
        std::vector<uint8_t> relay_id;
        bool trusted;
    } cases[] = {
        {"2001:db8:e::", mid, true},
        {"2001:db8:e::", {}, false},
        {"2001:db8:e::", {0, 2, 0, 0, 0, 9, 0, 2}, false},
        {"2001:db8:d::", mid, false},
    };
    for (auto const& c : cases) {
        Msg m;
        m.client(CLIENT_B);
        ReleaseRequestOutcome out = handle(
            relayForw(m.bytes(), 0, c.link, "2001:db8:f::1", "", c.relay_id), cfg,
            IOAddress("2001:db8:e::2"));
        EXPECT_EQ(c.trusted ? ReleaseRequestOutcome::Kind::PROCESSED :
                  ReleaseRequestOutcome::Kind::REFUSED, out.kind) << c.link;
    }
}

// Through two relays, each must be listed: the outer by the source, the
// inner by the outer's peer-address.
TEST_F(ReleaseRequestTest, everyIntermediateRelayIsChecked) {
    twoClients();
    Msg m;
    m.client(CLIENT_B);
    std::vector<uint8_t> req = relayForw(relayForw(m.bytes(), 0, "::", "2001:db8:f::1"),
                                         1, "::", "fe80::7");
    ReleaseRequestOutcome out = handle(req, "{ \"trusted-relays\": [ " + TRUST_ID + " ],"
        " \"trusted-intermediate-relays\": [ { \"address\": \"2001:db8:e::2\" } ] }",
        IOAddress("2001:db8:e::2"));
    EXPECT_EQ(ReleaseRequestOutcome::Kind::REFUSED, out.kind);
    EXPECT_EQ("relay-id 00:02:00:00:00:09:6c:67, relayed by fe80::7, not a"
              " trusted intermediate relay, through 2 relays", out.why);
    out = handle(req, "{ \"trusted-relays\": [ " + TRUST_ID + " ],"
        " \"trusted-intermediate-relays\": [ { \"address\": \"fe80::7\" } ] }",
        IOAddress("2001:db8:e::2"));
    EXPECT_EQ("relay-id 00:02:00:00:00:09:6c:67, relayed by 2001:db8:e::2, not a"
              " trusted intermediate relay, through 2 relays", out.why);
    expectAllLeases();
}

// --- both layouts of a Client Data, and IA_TA ---------------------------

// RFC 5007's layout: IAADDR and IAPREFIX straight in the Client Data.
// Released as in their IAs, whatever the IAID.
TEST_F(ReleaseRequestTest, bareLeasesReleasedLikeContainers) {
    twoClients();
    addLease(Lease::TYPE_NA, "2001:db8:1::1002", CLIENT_A, 1);
    Msg m;
    dr_client& a = m.client(CLIENT_A);
    dr_ia& addrs = Msg::ia(a, DR_OPT_IAADDR, 0);
    Msg::lease(addrs, "2001:db8:1::1000");
    dr_ia& prefixes = Msg::ia(a, DR_OPT_IAPREFIX, 0);
    Msg::lease(prefixes, "2001:db8:100::", 56);
    ReleaseRequestOutcome out = handle(m.bytes());
    ASSERT_EQ(ReleaseRequestOutcome::Kind::PROCESSED, out.kind);
    EXPECT_EQ(2u, out.released);
    EXPECT_EQ(0, Reply(out.reply).m.n_clients);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1000"));
    EXPECT_FALSE(have(Lease::TYPE_PD, "2001:db8:100::"));
    EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1002"));  // not named
    EXPECT_EQ(2, stat("subnet[1].assigned-nas"));
    EXPECT_EQ(0, stat("subnet[1].assigned-pds"));
}

// What failed comes back in the same layout, each lease with its status.
TEST_F(ReleaseRequestTest, bareLeasesThatFailAreListed) {
    twoClients();
    Msg m;
    dr_client& a = m.client(CLIENT_A);
    dr_ia& addrs = Msg::ia(a, DR_OPT_IAADDR, 0);
    Msg::lease(addrs, "2001:db8:1::1001");      // B's
    Msg::lease(addrs, "2001:db8:1::1000");      // A's
    Msg::lease(addrs, "2001:db8:1::1000");      // twice
    Msg::lease(Msg::ia(a, DR_OPT_IAPREFIX, 0), "2001:db8:100::", 48);  // length
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(1u, out.released);
    Reply r(out.reply);
    ASSERT_EQ(1, r.m.n_clients);
    const dr_client& c = r.m.clients[0];
    EXPECT_FALSE(c.has_status);
    ASSERT_EQ(2, c.n_ias);
    EXPECT_EQ(DR_OPT_IAADDR, c.ias[0].type);
    ASSERT_EQ(1, c.ias[0].n_leases);
    EXPECT_EQ(IOAddress("2001:db8:1::1001"),
              IOAddress::fromBytes(AF_INET6, c.ias[0].leases[0].addr));
    EXPECT_TRUE(c.ias[0].leases[0].has_status);
    EXPECT_EQ(DR_STATUS_NO_BINDING, c.ias[0].leases[0].status);
    EXPECT_EQ(DR_OPT_IAPREFIX, c.ias[1].type);
    ASSERT_EQ(1, c.ias[1].n_leases);
    EXPECT_EQ(48, c.ias[1].leases[0].plen);
    EXPECT_EQ(DR_STATUS_NO_BINDING, c.ias[1].leases[0].status);
    EXPECT_FALSE(have(Lease::TYPE_NA, "2001:db8:1::1000"));
    EXPECT_TRUE(have(Lease::TYPE_NA, "2001:db8:1::1001"));
    EXPECT_TRUE(have(Lease::TYPE_PD, "2001:db8:100::"));
}

// IA_TA: temporary addresses, which Kea 2.2 does not assign, but its lease
// database may hold.
TEST_F(ReleaseRequestTest, iaTaReleased) {
    twoClients();
    addLease(Lease::TYPE_TA, "2001:db8:1::2000", CLIENT_A, 5);
    addLease(Lease::TYPE_TA, "2001:db8:1::2001", CLIENT_A, 5);
    addLease(Lease::TYPE_TA, "2001:db8:1::2002", CLIENT_A, 6);
    Msg m;
    dr_client& a = m.client(CLIENT_A);
    Msg::lease(Msg::ia(a, DR_OPT_IA_TA, 5), "2001:db8:1::2000");
    Msg::ia(a, DR_OPT_IA_TA, 9);                // A has no IA_TA 9
    Msg::lease(Msg::ia(a, DR_OPT_IAADDR, 0), "2001:db8:1::2002");     // bare
    ReleaseRequestOutcome out = handle(m.bytes());
    EXPECT_EQ(2u, out.released);
    EXPECT_FALSE(have(Lease::TYPE_TA, "2001:db8:1::2000"));
    EXPECT_TRUE(have(Lease::TYPE_TA, "2001:db8:1::2001"));
    EXPECT_FALSE(have(Lease::TYPE_TA, "2001:db8:1::2002"));
    Reply r(out.reply);
    ASSERT_EQ(1, r.m.n_clients);
    ASSERT_EQ(1, r.m.clients[0].n_ias);
    EXPECT_EQ(DR_OPT_IA_TA, r.m.clients[0].ias[0].type);
    EXPECT_EQ(9u, r.m.clients[0].ias[0].iaid);
    EXPECT_EQ(DR_STATUS_NO_BINDING, r.m.clients[0].ias[0].status);
    EXPECT_EQ(2, stat("subnet[1].assigned-nas"));   // no TA counted

    // An IA_TA that lists none: all of the IA's; no IA: the client's all.
    Msg all;
    Msg::ia(all.client(CLIENT_A), DR_OPT_IA_TA, 5);
    EXPECT_EQ(1u, handle(all.bytes()).released);
    EXPECT_FALSE(have(Lease::TYPE_TA, "2001:db8:1::2001"));
    addLease(Lease::TYPE_TA, "2001:db8:1::2003", CLIENT_A, 7);
    Msg every;
    every.client(CLIENT_A);
    EXPECT_EQ(3u, handle(every.bytes()).released);
    EXPECT_FALSE(have(Lease::TYPE_TA, "2001:db8:1::2003"));
}

// --- TAP ----------------------------------------------------------------

class TapListener : public ::testing::EmptyTestEventListener {
public:
    void OnTestProgramStart(const ::testing::UnitTest& u) override {
        std::printf("TAP version 13\n1..%d\n", u.test_to_run_count());
    }
    void OnTestPartResult(const ::testing::TestPartResult& r) override {
        if (r.failed()) {
            std::printf("# %s:%d: %s\n", r.file_name() ? r.file_name() : "?",
                        r.line_number(), r.summary());
        }
    }
    void OnTestEnd(const ::testing::TestInfo& t) override {
        std::printf("%sok %d - %s.%s\n", t.result()->Passed() ? "" : "not ",
                    ++n_, t.test_suite_name(), t.name());
        std::fflush(stdout);
    }

private:
    int n_ = 0;
};

} // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // Kea's loggers need initializing: errors to stderr, and no lock file
    // (its directory is the installed server's).
    setenv("KEA_LOCKFILE_DIR", "none", 0);
    isc::log::initLogger("release-request-unittests", isc::log::ERROR);
    ::testing::TestEventListeners& l = ::testing::UnitTest::GetInstance()->listeners();
    delete l.Release(l.default_result_printer());
    l.Append(new TapListener);
    return (RUN_ALL_TESTS());
}

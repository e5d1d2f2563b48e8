// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Unit tests of the hook's RFC 5007 LEASEQUERY answers (leasequery.h):
// who may ask, each status, each query type against Kea's real memfile
// lease manager (in memory) and subnets in Kea's configuration, and the
// reply's bytes. Queries are built, and replies read, with the codec
// leaseguardd uses; one reply is also checked octet for octet by hand.
// main() is release_request_unittest.cc's.
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/lease_mgr_factory.h>
#include <dhcpsrv/pool.h>
#include <dhcpsrv/shared_network.h>
#include <dhcpsrv/subnet.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "../leasequery.h"

using namespace isc::dhcp;
using isc::asiolink::IOAddress;
using isc::data::Element;
using isc::util::Triplet;
using namespace leaseguard;

namespace {

const std::vector<uint8_t> SERVER = {0, 3, 0, 1, 2, 0, 0, 0, 0x0f, 2};
const std::vector<uint8_t> RELAY = {0, 2, 0, 0, 0, 9, 0x6c, 0x67};
const std::vector<uint8_t> OTHER = {0, 2, 0, 0, 0, 9, 0x6c, 0x68};
const std::vector<uint8_t> CLIENT_A = {0, 1, 0, 1, 0xa, 0xa, 0xa, 0xa};
const std::vector<uint8_t> CLIENT_B = {0, 1, 0, 1, 0xb, 0xb, 0xb, 0xb};
const IOAddress RELAY_ADDR("2001:db8:f::1");
const time_t NOW = 1700000000;
const std::string TRUST_RELAY_ID =
    R"({ "trusted-relays": [ { "relay-id": "00:02:00:00:00:09:6c:67" } ] })";

std::vector<uint8_t> bytes16(const std::string& addr) {
    return (IOAddress(addr).toBytes());
}

// A LEASEQUERY built by the codec.
struct Query {
    lq_query q = {};
    std::vector<uint8_t> client_id = RELAY;
    std::vector<uint8_t> query_duid;

    Query(uint8_t type, const std::string& link = "::") {
        q.xid = 0x123456;
        q.query_type = type;
        std::vector<uint8_t> l = bytes16(link);
        std::copy(l.begin(), l.end(), q.link_addr);
    }

    static Query byAddress(const std::string& addr,
                           const std::string& link = "::") {
        Query q(LQ_QUERY_BY_ADDRESS, link);
        std::vector<uint8_t> a = bytes16(addr);
        std::copy(a.begin(), a.end(), q.q.addr);
        return (q);
    }

    static Query byClientId(const std::vector<uint8_t>& duid,
                            const std::string& link = "::") {
        Query q(LQ_QUERY_BY_CLIENTID, link);
        q.query_duid = duid;
        return (q);
    }

    std::vector<uint8_t> bytes() {
        q.client_id = {client_id.data(), uint16_t(client_id.size())};
        q.query_client_id = {query_duid.data(), uint16_t(query_duid.size())};
        std::vector<uint8_t> buf(65536);
        size_t n = lq_build_query(&q, buf.data(), buf.size());
        EXPECT_NE(0u, n);
        buf.resize(n);
        return (buf);
    }
};

// A parsed reply; the leases array outlives the view of it. r points
// into the vectors, whose buffers a move keeps and a copy would not.
struct Reply {
    std::vector<uint8_t> bytes;
    std::vector<lq_lease> leases = std::vector<lq_lease>(512);
    lq_reply r = {};

    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;
    Reply(Reply&&) = default;
    Reply& operator=(Reply&&) = default;

    explicit Reply(const std::vector<uint8_t>& b) : bytes(b) {
        r.leases = leases.data();
        r.max_leases = uint16_t(leases.size());
        EXPECT_EQ(LQ_OK, lq_parse_reply(bytes.data(), bytes.size(), &r));
    }

    std::string status_text() const {
        return (std::string(reinterpret_cast<const char*>(r.status_text.data),
                            r.status_text.len));
    }

    std::string lease(size_t i) const {
        const lq_lease& l = r.leases[i];
        std::string s = IOAddress::fromBytes(AF_INET6, l.addr).toText();
        if (l.prefix) {
            s += "/" + std::to_string(l.plen);
        }
        return (s + " " + std::to_string(l.preferred) + " " +
                std::to_string(l.valid));
    }

    std::string link(size_t i) const {
        return (IOAddress::fromBytes(AF_INET6, r.links + 16 * i).toText());
    }
};

class LeaseQueryTest : public ::testing::Test {
protected:
    void SetUp() override {
        CfgMgr::instance().clear();
        LeaseMgrFactory::create("type=memfile universe=6 persist=false");
        // Two links: 2001:db8:1::/64 with a PD pool of /56s, and
        // 2001:db8:2::/64, reached through the relay 2001:db8:f::2.
        Subnet6Ptr s1(new Subnet6(IOAddress("2001:db8:1::"), 64, 1000, 2000,
                                  3000, 4000, 1));
        s1->addPool(Pool6Ptr(new Pool6(Lease::TYPE_NA,
                                       IOAddress("2001:db8:1::1000"),
                                       IOAddress("2001:db8:1::1fff"))));
        s1->addPool(Pool6Ptr(new Pool6(Lease::TYPE_PD,
                                       IOAddress("2001:db8:100::"), 40, 56)));
        Subnet6Ptr s2(new Subnet6(IOAddress("2001:db8:2::"), 64, 1000, 2000,
                                  3000, 4000, 2));
        s2->addPool(Pool6Ptr(new Pool6(Lease::TYPE_NA,
                                       IOAddress("2001:db8:2::1000"),
                                       IOAddress("2001:db8:2::1fff"))));
        s2->addRelayAddress(IOAddress("2001:db8:f::2"));
        subnets()->add(s1);
        subnets()->add(s2);
    }

    void TearDown() override {
        LeaseMgrFactory::destroy();
        CfgMgr::instance().clear();
    }

    CfgSubnets6Ptr subnets() {
        return (CfgMgr::instance().getCurrentCfg()->getCfgSubnets6());
    }

    // A lease last renewed `ago` seconds before NOW: preferred 300, valid 600.
    Lease6Ptr addLease(Lease::Type type, const std::string& addr,
                       const std::vector<uint8_t>& duid, SubnetID subnet = 1,
                       uint8_t plen = 128, time_t ago = 100,
                       uint32_t preferred = 300, uint32_t valid = 600) {
        Lease6Ptr l(new Lease6(type, IOAddress(addr), DuidPtr(new DUID(duid)),
                               7, preferred, valid, subnet, HWAddrPtr(), plen));
        l->cltt_ = l->current_cltt_ = NOW - ago;
        EXPECT_TRUE(LeaseMgrFactory::instance().addLease(l));
        return (l);
    }

    LeaseQueryOutcome handle(const std::vector<uint8_t>& query,
                             const std::string& cfg = TRUST_RELAY_ID,
                             const IOAddress& from = RELAY_ADDR) {
        LeaseQueryHandler h(ReleaseRequestConfig::parse(Element::fromJSON(cfg)));
        return (h.handle(query.data(), query.size(), from, SERVER, NOW));
    }

    // The answer to q, which must be a reply of this status.
    Reply answer(Query q, uint16_t status = DR_STATUS_SUCCESS,
                 const std::string& cfg = TRUST_RELAY_ID,
                 const IOAddress& from = RELAY_ADDR) {
        LeaseQueryOutcome out = handle(q.bytes(), cfg, from);
        EXPECT_EQ(LeaseQueryOutcome::Action::REPLY, out.action) << out.why;
        EXPECT_EQ(status, out.status) << out.why;
        Reply r(out.reply);
        EXPECT_EQ(0x123456u, r.r.xid);
        // The requestor's Client Identifier, echoed.
        EXPECT_EQ(q.client_id, std::vector<uint8_t>(r.r.client_id.data,
                                              r.r.client_id.data + r.r.client_id.len));
        EXPECT_EQ(SERVER, std::vector<uint8_t>(r.r.server_id.data,
                                               r.r.server_id.data + r.r.server_id.len));
        EXPECT_TRUE(r.r.has_status);
        EXPECT_EQ(status, r.r.status);
        EXPECT_EQ(out.leases, r.r.has_client ? r.r.n_leases : 0u);
        EXPECT_EQ(out.links, r.r.n_links);
        return (r);
    }

    // A's address and prefix on link 1, B's address on link 1.
    void twoClients() {
        addLease(Lease::TYPE_NA, "2001:db8:1::1000", CLIENT_A);
        addLease(Lease::TYPE_PD, "2001:db8:100::", CLIENT_A, 1, 56);
        addLease(Lease::TYPE_NA, "2001:db8:1::1001", CLIENT_B, 1, 128, 30);
    }
};

// --- what it is not asked ---------------------------------------------

TEST_F(LeaseQueryTest, otherMessagesPass) {
    std::vector<uint8_t> m = Query::byAddress("2001:db8:1::1000").bytes();
    for (uint8_t type : {1, 3, 12, 15, 240}) {
        m[0] = type;
        EXPECT_EQ(LeaseQueryOutcome::Action::PASS, handle(m).action);
    }
    EXPECT_EQ(LeaseQueryOutcome::Action::PASS,
              handle(std::vector<uint8_t>()).action);
}

TEST_F(LeaseQueryTest, notAnsweredWhenTurnedOff) {
    twoClients();
    LeaseQueryOutcome out = handle(Query::byAddress("2001:db8:1::1000").bytes(),
        R"({ "leasequery": false, "trusted-relays": [
             { "relay-id": "00:02:00:00:00:09:6c:67" } ] })");
    EXPECT_EQ(LeaseQueryOutcome::Action::PASS, out.action);
    EXPECT_EQ(LeaseQueryOutcome::Kind::NONE, out.kind);
}

TEST_F(LeaseQueryTest, unparseableMessageIsDiscarded) {
    twoClients();
    std::vector<uint8_t> m = Query::byAddress("2001:db8:1::1000").bytes();
    // Cut inside the CLIENTID (before the LQ_QUERY): no one to answer.
    for (size_t len = 1; len < 4 + 4 + RELAY.size(); ++len) {
        std::vector<uint8_t> cut(m.begin(), m.begin() + len);
        LeaseQueryOutcome out = handle(cut);
        EXPECT_EQ(LeaseQueryOutcome::Action::DROP, out.action) << len;
        EXPECT_EQ(LeaseQueryOutcome::Kind::DISCARDED, out.kind) << len;
        EXPECT_TRUE(out.reply.empty());
    }
    // Cut inside the LQ_QUERY: an option runs past the message.
    std::vector<uint8_t> cut(m.begin(), m.end() - 1);
    EXPECT_EQ(LeaseQueryOutcome::Kind::DISCARDED, handle(cut).kind);
    EXPECT_NE(std::string::npos, handle(cut).why.find("opt_overrun"));
}

TEST_F(LeaseQueryTest, anotherServersQueryIsDiscarded) {
    twoClients();
    Query q = Query::byAddress("2001:db8:1::1000");
    std::vector<uint8_t> other = {0, 3, 0, 1, 2, 0, 0, 0, 0x0f, 3};
    q.q.server_id = {other.data(), uint16_t(other.size())};
    LeaseQueryOutcome out = handle(q.bytes());
    EXPECT_EQ(LeaseQueryOutcome::Kind::DISCARDED, out.kind);
    EXPECT_NE(std::string::npos, out.why.find("not this server's")) << out.why;

    q.q.server_id = {SERVER.data(), uint16_t(SERVER.size())};
    EXPECT_EQ(1u, answer(q).r.has_client);
}

// --- who may ask --------------------------------------------------------

TEST_F(LeaseQueryTest, untrustedGetsNotAllowedAndNoData) {
    twoClients();
    Query q = Query::byAddress("2001:db8:1::1000");
    // Nobody trusted.
    Reply r = answer(q, DR_STATUS_NOT_ALLOWED, "{}");
    EXPECT_FALSE(r.r.has_client);
    EXPECT_EQ("NotAllowed", r.status_text());
    EXPECT_EQ(LeaseQueryOutcome::Kind::REFUSED, handle(q.bytes(), "{}").kind);
    // Another relay-id.
    q.client_id = OTHER;
    EXPECT_FALSE(answer(q, DR_STATUS_NOT_ALLOWED).r.has_client);
    // Trusted by relay-id and address: the address must match too.
    q.client_id = RELAY;
    std::string both = R"({ "trusted-relays": [ { "relay-id":
        "00:02:00:00:00:09:6c:67", "address": "2001:db8:f::1" } ] })";
    EXPECT_TRUE(answer(q, DR_STATUS_SUCCESS, both).r.has_client);
    EXPECT_FALSE(answer(q, DR_STATUS_NOT_ALLOWED, both,
                        IOAddress("2001:db8:f::9")).r.has_client);
    // Trusted by address alone: any Client Identifier from there.
    q.client_id = OTHER;
    std::string addr = R"({ "trusted-relays": [ { "address": "2001:db8:f::1" } ] })";
    EXPECT_TRUE(answer(q, DR_STATUS_SUCCESS, addr).r.has_client);
}

TEST_F(LeaseQueryTest, untrustedMalformedIsNotAllowed) {
    Query q(LQ_QUERY_BY_ADDRESS);
    std::vector<uint8_t> m = q.bytes();
    m.resize(4 + 4 + RELAY.size());     // no LQ_QUERY
    LeaseQueryOutcome out = handle(m, "{}");
    EXPECT_EQ(DR_STATUS_NOT_ALLOWED, out.status);
}

// --- each status --------------------------------------------------------

TEST_F(LeaseQueryTest, malformedQuery) {
    twoClients();
    // No LQ_QUERY.
    std::vector<uint8_t> m = Query::byAddress("2001:db8:1::1000").bytes();
    m.resize(4 + 4 + RELAY.size());
    LeaseQueryOutcome out = handle(m);
    EXPECT_EQ(LeaseQueryOutcome::Kind::ANSWERED, out.kind);
    EXPECT_EQ(DR_STATUS_MALFORMED_QUERY, out.status);
    Reply r(out.reply);
    EXPECT_FALSE(r.r.has_client);
    EXPECT_EQ("MalformedQuery", r.status_text());

    // By client-id without a CLIENTID in it: built by hand.
    Query q(LQ_QUERY_BY_ADDRESS);
    m = q.bytes();
    m[4 + 4 + RELAY.size() + 4] = LQ_QUERY_BY_CLIENTID;    // query-type
    out = handle(m);
    EXPECT_EQ(DR_STATUS_MALFORMED_QUERY, out.status);
    EXPECT_NE(std::string::npos, out.why.find("no_query_data")) << out.why;
}

TEST_F(LeaseQueryTest, unknownQueryType) {
    twoClients();
    for (uint8_t type : {0, 3, 4, 5, 255}) {
        Reply r = answer(Query(type), DR_STATUS_UNKNOWN_QUERY_TYPE);
        EXPECT_FALSE(r.r.has_client);
        EXPECT_EQ(0u, r.r.n_links);
    }
}

TEST_F(LeaseQueryTest, notConfigured) {
    twoClients();
    // A link-address no subnet has.
    Reply r = answer(Query::byAddress("2001:db8:1::1000", "2001:db8:99::1"),
                     DR_STATUS_NOT_CONFIGURED);
    EXPECT_FALSE(r.r.has_client);
    answer(Query::byClientId(CLIENT_A, "2001:db8:99::1"),
           DR_STATUS_NOT_CONFIGURED);
    // No link-address and an address of no subnet nor PD pool.
    answer(Query::byAddress("2001:db8:77::1"), DR_STATUS_NOT_CONFIGURED);
    // In a subnet, or a PD pool, but not leased: no binding.
    r = answer(Query::byAddress("2001:db8:1::1fff"));
    EXPECT_FALSE(r.r.has_client);
    EXPECT_EQ("no binding", r.status_text());
    EXPECT_FALSE(answer(Query::byAddress("2001:db8:1ff::1")).r.has_client);
}

// --- QUERY_BY_ADDRESS ---------------------------------------------------

// The reply, octet for octet: RFC 5007 4.1.2.2 and 4.1.2.3.
TEST_F(LeaseQueryTest, byAddressReplyOctetForOctet) {
    twoClients();
    const std::vector<uint8_t> want = {
        0x0f, 0x12, 0x34, 0x56,             // LEASEQUERY-REPLY, xid
        0x00, 0x01, 0x00, 0x08,             // CLIENTID (the requestor)
        0x00, 0x02, 0x00, 0x00, 0x00, 0x09, 0x6c, 0x67,
        0x00, 0x02, 0x00, 0x0a,             // SERVERID
        0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0f, 0x02,
        0x00, 0x0d, 0x00, 0x09,             // STATUS_CODE: Success
        0x00, 0x00, 'S', 'u', 'c', 'c', 'e', 's', 's',
        0x00, 0x2d, 0x00, 0x4d,             // CLIENT_DATA, 77 octets:
        0x00, 0x01, 0x00, 0x08,             //   CLIENTID (A)
        0x00, 0x01, 0x00, 0x01, 0x0a, 0x0a, 0x0a, 0x0a,
        0x00, 0x05, 0x00, 0x18,             //   IAADDR 2001:db8:1::1000
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
        0x00, 0x00, 0x00, 0xc8,             //     preferred 300 - 100
        0x00, 0x00, 0x01, 0xf4,             //     valid 600 - 100
        0x00, 0x1a, 0x00, 0x19,             //   IAPREFIX
        0x00, 0x00, 0x00, 0xc8,             //     preferred 200
        0x00, 0x00, 0x01, 0xf4,             //     valid 500
        0x38,                               //     /56
        0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x2e, 0x00, 0x04,             //   CLT_TIME
        0x00, 0x00, 0x00, 0x64,             //     100 s
    };
    LeaseQueryOutcome out =
        handle(Query::byAddress("2001:db8:1::1000", "2001:db8:1::1").bytes());
    EXPECT_EQ(LeaseQueryOutcome::Kind::ANSWERED, out.kind);
    EXPECT_EQ(want, out.reply);
    EXPECT_EQ(2u, out.leases);
}

TEST_F(LeaseQueryTest, byAddressAllOfTheClientsLeasesOnTheLink) {
    twoClients();
    addLease(Lease::TYPE_NA, "2001:db8:2::1000", CLIENT_A, 2);  // link 2
    Reply r = answer(Query::byAddress("2001:db8:1::1000"));
    ASSERT_TRUE(r.r.has_client);
    EXPECT_EQ(CLIENT_A, std::vector<uint8_t>(r.r.client_duid.data,
              r.r.client_duid.data + r.r.client_duid.len));
    ASSERT_EQ(2u, r.r.n_leases);
    EXPECT_EQ("2001:db8:1::1000 200 500", r.lease(0));
    EXPECT_EQ("2001:db8:100::/56 200 500", r.lease(1));
    EXPECT_EQ(100u, r.r.clt_time);

    // The other client on the same link: only its own.
    r = answer(Query::byAddress("2001:db8:1::1001"));
    ASSERT_EQ(1u, r.r.n_leases);
    EXPECT_EQ("2001:db8:1::1001 270 570", r.lease(0));
    EXPECT_EQ(30u, r.r.clt_time);

    // Link 2's address: only the link 2 lease.
    r = answer(Query::byAddress("2001:db8:2::1000"));
    ASSERT_EQ(1u, r.r.n_leases);
    EXPECT_EQ("2001:db8:2::1000 200 500", r.lease(0));
}

TEST_F(LeaseQueryTest, byAddressInADelegatedPrefix) {
    twoClients();
    for (const char* a : {"2001:db8:100::", "2001:db8:100::1",
                          "2001:db8:100:ff:1:2:3:4"}) {
        Reply r = answer(Query::byAddress(a));
        ASSERT_TRUE(r.r.has_client) << a;
        EXPECT_EQ(2u, r.r.n_leases) << a;
    }
    // Just outside the /56.
    EXPECT_FALSE(answer(Query::byAddress("2001:db8:101::1")).r.has_client);
}

TEST_F(LeaseQueryTest, theIAsWhenTheOroAsks) {
    twoClients();       // A: address in IA_NA 7, /56 in IA_PD 7
    Query q = Query::byAddress("2001:db8:1::1000");
    Reply r = answer(q);
    ASSERT_EQ(2u, r.r.n_leases);
    EXPECT_FALSE(r.leases[0].has_iaid);
    EXPECT_FALSE(r.leases[1].has_iaid);

    q.q.n_oro = 2;
    q.q.oro[0] = DR_OPT_IA_NA;
    q.q.oro[1] = DR_OPT_IA_PD;
    r = answer(q);
    ASSERT_EQ(2u, r.r.n_leases);
    EXPECT_TRUE(r.leases[0].has_iaid);
    EXPECT_EQ(7u, r.leases[0].iaid);
    EXPECT_TRUE(r.leases[1].has_iaid);
    EXPECT_EQ(7u, r.leases[1].iaid);
    // Each lease twice on the wire: bare, then in its IA.
    EXPECT_EQ(answer(Query::byAddress("2001:db8:1::1000")).bytes.size() +
              (4 + 12 + 28) + (4 + 12 + 29), r.bytes.size());

    // Only IA_PD asked: only the prefix comes in its IA.
    q.q.n_oro = 1;
    q.q.oro[0] = DR_OPT_IA_PD;
    r = answer(q);
    EXPECT_FALSE(r.leases[0].has_iaid);
    EXPECT_TRUE(r.leases[1].has_iaid);
}

// RFC 5007 4.1.2.4, from what Kea 2.2 keeps with "store-extended-info"
// (the user context selftests/host/kea_leasequery.sh sees Kea write).
TEST_F(LeaseQueryTest, relayDataWhenAskedAndKept) {
    Lease6Ptr l = addLease(Lease::TYPE_NA, "2001:db8:1::1000", CLIENT_A);
    l->setContext(Element::fromJSON(R"({ "ISC": { "relays": [ { "hop": 0,
        "link": "2001:db8:1::1", "options": "0x0012000461636330",
        "peer": "fe80::bc" } ] } })"));
    LeaseMgrFactory::instance().updateLease6(l);
    addLease(Lease::TYPE_PD, "2001:db8:100::", CLIENT_A, 1, 56);   // none

    Query q = Query::byAddress("2001:db8:1::1000");
    EXPECT_FALSE(answer(q).r.has_relay_data);       // not asked
    q.q.n_oro = 1;
    q.q.oro[0] = LQ_OPT_LQ_RELAY_DATA;
    Reply r = answer(q);
    ASSERT_TRUE(r.r.has_relay_data);
    EXPECT_EQ("fe80::bc", IOAddress::fromBytes(AF_INET6, r.r.relay_peer).toText());
    const std::vector<uint8_t> want = {
        0x0c, 0x00,                         // RELAY-FORW, hop 0
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbc,
        0x00, 0x12, 0x00, 0x04, 'a', 'c', 'c', '0',  // Interface-Id
    };                                      // and no RELAY_MSG
    EXPECT_EQ(want, std::vector<uint8_t>(r.r.relay_msg.data,
                                         r.r.relay_msg.data + r.r.relay_msg.len));
    EXPECT_EQ(2u, r.r.n_leases);
}

TEST_F(LeaseQueryTest, relayDataOfTwoRelaysAndTheLatest) {
    Lease6Ptr old = addLease(Lease::TYPE_NA, "2001:db8:1::1000", CLIENT_A,
                             1, 128, 300);
    old->setContext(Element::fromJSON(R"({ "ISC": { "relays": [ { "hop": 0,
        "link": "2001:db8:1::1", "peer": "fe80::1" } ] } })"));
    LeaseMgrFactory::instance().updateLease6(old);
    Lease6Ptr l = addLease(Lease::TYPE_PD, "2001:db8:100::", CLIENT_A, 1, 56, 10);
    l->setContext(Element::fromJSON(R"({ "ISC": { "relays": [
        { "hop": 1, "link": "::", "peer": "2001:db8:e::1" },
        { "hop": 0, "link": "2001:db8:1::1", "peer": "fe80::bc",
          "options": "0x0012000461636330" } ] } })"));
    LeaseMgrFactory::instance().updateLease6(l);
    Query q = Query::byClientId(CLIENT_A);
    q.q.n_oro = 1;
    q.q.oro[0] = LQ_OPT_LQ_RELAY_DATA;
    Reply r = answer(q);
    ASSERT_TRUE(r.r.has_relay_data);
    EXPECT_EQ("2001:db8:e::1", IOAddress::fromBytes(AF_INET6, r.r.relay_peer).toText());
    const std::vector<uint8_t> want = {
        0x0c, 0x01,                         // the outer RELAY-FORW
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
        0x00, 0x09, 0x00, 0x2a,             // RELAY_MSG, 42 octets:
        0x0c, 0x00,                         //   the inner one
        0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
        0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbc,
        0x00, 0x12, 0x00, 0x04, 'a', 'c', 'c', '0',
    };
    EXPECT_EQ(want, std::vector<uint8_t>(r.r.relay_msg.data,
                                         r.r.relay_msg.data + r.r.relay_msg.len));
}

// Leases and relay data together too big for a Client Data: the leases,
// without the relay data.
TEST_F(LeaseQueryTest, relayDataLeftOutWhenItDoesNotFit) {
    std::string opt = "0x00ff" + std::string("e67c") + std::string(2 * 59004, 'a');
    for (int i = 0; i < 250; ++i) {
        char a[40];
        std::snprintf(a, sizeof(a), "2001:db8:1::%x", 0x2000 + i);
        Lease6Ptr l = addLease(Lease::TYPE_NA, a, CLIENT_A);
        if (!i) {
            l->setContext(Element::fromJSON(R"({ "ISC": { "relays": [ { "hop": 0,
                "link": "2001:db8:1::1", "peer": "fe80::bc", "options": ")" +
                opt + R"(" } ] } })"));
            LeaseMgrFactory::instance().updateLease6(l);
        }
    }
    Query q = Query::byClientId(CLIENT_A);
    q.q.n_oro = 1;
    q.q.oro[0] = LQ_OPT_LQ_RELAY_DATA;
    Reply r = answer(q);
    EXPECT_EQ(250u, r.r.n_leases);
    EXPECT_FALSE(r.r.has_relay_data);
    // With fewer leases it fits.
    for (int i = 100; i < 250; ++i) {
        char a[40];
        std::snprintf(a, sizeof(a), "2001:db8:1::%x", 0x2000 + i);
        LeaseMgrFactory::instance().deleteLease(
            LeaseMgrFactory::instance().getLease6(Lease::TYPE_NA, IOAddress(a)));
    }
    r = answer(q);
    EXPECT_EQ(100u, r.r.n_leases);
    EXPECT_TRUE(r.r.has_relay_data);
    EXPECT_EQ(34u + 4u + 59004u, r.r.relay_msg.len);
}

TEST_F(LeaseQueryTest, relayDataNotAsKeaWritesItIsLeftOut) {
    Lease6Ptr l = addLease(Lease::TYPE_NA, "2001:db8:1::1000", CLIENT_A);
    Query q = Query::byAddress("2001:db8:1::1000");
    q.q.n_oro = 1;
    q.q.oro[0] = LQ_OPT_LQ_RELAY_DATA;
    for (const char* ctx : {
             R"({ "other": 1 })", R"({ "ISC": { "relays": {} } })",
             R"({ "ISC": { "relays": [] } })", R"({ "ISC": { "relays": [ 1 ] } })",
             R"({ "ISC": { "relays": [ { "hop": "0", "link": "::", "peer": "::" } ] } })",
             R"({ "ISC": { "relays": [ { "hop": 256, "link": "::", "peer": "::" } ] } })",
             R"({ "ISC": { "relays": [ { "hop": 0, "link": "10.0.0.1", "peer": "::" } ] } })",
             R"({ "ISC": { "relays": [ { "hop": 0, "link": "::", "peer": "x" } ] } })",
             R"({ "ISC": { "relays": [ { "hop": 0, "peer": "::" } ] } })",
             R"({ "ISC": { "relays": [ { "hop": 0, "link": "::", "peer": "::",
                                         "options": "0xzz" } ] } })" }) {
        l->setContext(Element::fromJSON(ctx));
        LeaseMgrFactory::instance().updateLease6(l);
        Reply r = answer(q);
        EXPECT_TRUE(r.r.has_client) << ctx;
        EXPECT_FALSE(r.r.has_relay_data) << ctx;
    }
}

TEST_F(LeaseQueryTest, byAddressOnAnotherLink) {
    twoClients();
    // The link of 2001:db8:2::1, and of the relay 2001:db8:f::2: link 2.
    for (const char* link : {"2001:db8:2::1", "2001:db8:f::2"}) {
        Reply r = answer(Query::byAddress("2001:db8:1::1000", link));
        EXPECT_FALSE(r.r.has_client) << link;
        EXPECT_EQ(0u, r.r.n_links) << link;
        EXPECT_EQ("bound on another link", r.status_text());
    }
    // Its own link, by the subnet's prefix or by any address in it.
    for (const char* link : {"2001:db8:1::", "2001:db8:1::abcd"}) {
        EXPECT_TRUE(answer(Query::byAddress("2001:db8:1::1000", link))
                    .r.has_client) << link;
    }
}

TEST_F(LeaseQueryTest, expiredDeclinedAndReclaimedAreNotBound) {
    addLease(Lease::TYPE_NA, "2001:db8:1::1000", CLIENT_A, 1, 128, 600);
    Lease6Ptr d = addLease(Lease::TYPE_NA, "2001:db8:1::1001", CLIENT_A);
    d->state_ = Lease::STATE_DECLINED;
    LeaseMgrFactory::instance().updateLease6(d);
    Lease6Ptr e = addLease(Lease::TYPE_NA, "2001:db8:1::1002", CLIENT_A);
    e->state_ = Lease::STATE_EXPIRED_RECLAIMED;
    LeaseMgrFactory::instance().updateLease6(e);
    for (const char* a : {"2001:db8:1::1000", "2001:db8:1::1001",
                          "2001:db8:1::1002"}) {
        Reply r = answer(Query::byAddress(a));
        EXPECT_FALSE(r.r.has_client) << a;
        EXPECT_EQ("no binding", r.status_text());
    }
    EXPECT_FALSE(answer(Query::byClientId(CLIENT_A)).r.has_client);

    // One second short of expiry: bound, with a second left.
    addLease(Lease::TYPE_NA, "2001:db8:1::1003", CLIENT_A, 1, 128, 599);
    Reply r = answer(Query::byClientId(CLIENT_A));
    ASSERT_EQ(1u, r.r.n_leases);
    EXPECT_EQ("2001:db8:1::1003 0 1", r.lease(0));
}

TEST_F(LeaseQueryTest, infiniteLifetimesStayInfinite) {
    addLease(Lease::TYPE_NA, "2001:db8:1::1000", CLIENT_A, 1, 128, 100000,
             Lease::INFINITY_LFT, Lease::INFINITY_LFT);
    Reply r = answer(Query::byAddress("2001:db8:1::1000"));
    ASSERT_EQ(1u, r.r.n_leases);
    EXPECT_EQ("2001:db8:1::1000 4294967295 4294967295", r.lease(0));
    EXPECT_EQ(100000u, r.r.clt_time);
}

// --- QUERY_BY_CLIENTID --------------------------------------------------

TEST_F(LeaseQueryTest, byClientIdOnOneLink) {
    twoClients();
    Reply r = answer(Query::byClientId(CLIENT_A));
    ASSERT_TRUE(r.r.has_client);
    EXPECT_EQ(0u, r.r.n_links);
    ASSERT_EQ(2u, r.r.n_leases);
    EXPECT_EQ("2001:db8:1::1000 200 500", r.lease(0));
    EXPECT_EQ("2001:db8:100::/56 200 500", r.lease(1));
    EXPECT_TRUE(r.r.has_clt_time);

    r = answer(Query::byClientId(CLIENT_B, "2001:db8:1::1"));
    ASSERT_EQ(1u, r.r.n_leases);
    EXPECT_EQ("2001:db8:1::1001 270 570", r.lease(0));

    // Unknown, or on another link: no binding.
    std::vector<uint8_t> nobody = {0, 1, 0, 1, 0xc, 0xc, 0xc, 0xc};
    EXPECT_FALSE(answer(Query::byClientId(nobody)).r.has_client);
    r = answer(Query::byClientId(CLIENT_B, "2001:db8:2::1"));
    EXPECT_FALSE(r.r.has_client);
    EXPECT_EQ("no binding", r.status_text());
}

TEST_F(LeaseQueryTest, byClientIdOnTwoLinksGivesTheLinks) {
    twoClients();
    addLease(Lease::TYPE_NA, "2001:db8:2::1000", CLIENT_A, 2);
    // RFC 5007 4.1.2.5: no link given, several found: the links.
    Reply r = answer(Query::byClientId(CLIENT_A));
    EXPECT_FALSE(r.r.has_client);
    ASSERT_EQ(2u, r.r.n_links);
    EXPECT_EQ("2001:db8:1::", r.link(0));
    EXPECT_EQ("2001:db8:2::", r.link(1));
    EXPECT_EQ("client on 2 links", r.status_text());

    // Asked again on each link: that link's leases.
    r = answer(Query::byClientId(CLIENT_A, r.link(1)));
    ASSERT_EQ(1u, r.r.n_leases);
    EXPECT_EQ("2001:db8:2::1000 200 500", r.lease(0));
    r = answer(Query::byClientId(CLIENT_A, "2001:db8:1::"));
    EXPECT_EQ(2u, r.r.n_leases);
}

// RFC 5007 4.1.2.5: LQ_CLIENT_LINK answers a query with no link-address
// only. A link-address that names two links (link 1's prefix holds it, and
// link 2 lists it as a relay) gets the leases on both.
TEST_F(LeaseQueryTest, noClientLinkWhenALinkIsGiven) {
    subnets()->getSubnet(2)->addRelayAddress(IOAddress("2001:db8:1::1"));
    twoClients();
    addLease(Lease::TYPE_NA, "2001:db8:2::1000", CLIENT_A, 2);
    Reply r = answer(Query::byClientId(CLIENT_A, "2001:db8:1::1"));
    EXPECT_EQ(0u, r.r.n_links);
    EXPECT_EQ(3u, r.r.n_leases);
    EXPECT_EQ(2u, answer(Query::byClientId(CLIENT_A)).r.n_links);
}

TEST_F(LeaseQueryTest, aSharedNetworkIsOneLink) {
    SharedNetwork6Ptr net(new SharedNetwork6("access"));
    CfgMgr::instance().getCurrentCfg()->getCfgSharedNetworks6()->add(net);
    net->add(subnets()->getSubnet(1));
    net->add(subnets()->getSubnet(2));
    twoClients();
    addLease(Lease::TYPE_NA, "2001:db8:2::1000", CLIENT_A, 2);

    Reply r = answer(Query::byClientId(CLIENT_A));
    EXPECT_EQ(0u, r.r.n_links);
    ASSERT_EQ(3u, r.r.n_leases);
    EXPECT_EQ("2001:db8:1::1000 200 500", r.lease(0));
    EXPECT_EQ("2001:db8:2::1000 200 500", r.lease(1));
    EXPECT_EQ("2001:db8:100::/56 200 500", r.lease(2));
    // Either subnet's address names the network.
    EXPECT_EQ(3u, answer(Query::byAddress("2001:db8:1::1000", "2001:db8:2::1"))
              .r.n_leases);
}

TEST_F(LeaseQueryTest, byClientIdTooLongForKea) {
    std::vector<uint8_t> duid(DR_DUID_MAX, 0x42);
    EXPECT_FALSE(answer(Query::byClientId(duid)).r.has_client);
}

} // namespace

// Secrets at rest: XChaCha20-Poly1305 under a rotating master key file.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "events/secret_box.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
namespace fs = std::filesystem;

TEST_CASE("a sealed secret opens in its context only, and tampering is detected") {
    auto ring = events::MasterKeyring::generate();
    const auto sealed = ring.seal("JBSWY3DPEHPK3PXP", "totp:u_1");
    CHECK(sealed.starts_with("sy1:" + ring.current_id() + ":"));
    CHECK(sealed.find("JBSWY3DPEHPK3PXP") == std::string::npos);
    CHECK(ring.open(sealed, "totp:u_1").value() == "JBSWY3DPEHPK3PXP");
    CHECK_FALSE(ring.open(sealed, "totp:u_2"));  // bound to its user
    auto tampered = sealed;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    auto bad = ring.open(tampered, "totp:u_1");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "sealed");
    CHECK_FALSE(ring.open("plain text", "totp:u_1"));
    CHECK_FALSE(events::MasterKeyring::generate().open(sealed, "totp:u_1"));  // another key
    // Two seals of one secret differ (random nonces).
    CHECK(ring.seal("x", "c") != ring.seal("x", "c"));
}

TEST_CASE("the master key file is created 0600, reloads, rotates and retires") {
    testing::TempDir dir;
    const auto file = dir.path() / "master.key";
    auto ring = events::MasterKeyring::load_or_create(file);
    REQUIRE(ring);
    CHECK((fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
          fs::perms::none);
    const auto sealed = ring->seal("secret", "ctx");
    auto again = events::MasterKeyring::load_or_create(file);
    REQUIRE(again);
    CHECK(again->current_id() == ring->current_id());
    CHECK(again->open(sealed, "ctx").value() == "secret");

    again->rotate();
    REQUIRE(again->save(file));
    auto rotated = events::MasterKeyring::load_or_create(file);
    REQUIRE(rotated);
    CHECK(rotated->key_ids().size() == 2);
    CHECK(rotated->current_id() != ring->current_id());
    CHECK(rotated->open(sealed, "ctx").value() == "secret");  // the old key still opens
    CHECK_FALSE(rotated->sealed_with_current(sealed));
    const auto resealed = rotated->seal("secret", "ctx");
    CHECK(rotated->sealed_with_current(resealed));
    rotated->retire_old_keys();
    REQUIRE(rotated->save(file));
    auto retired = events::MasterKeyring::load_or_create(file);
    REQUIRE(retired);
    auto gone = retired->open(sealed, "ctx");
    REQUIRE_FALSE(gone);
    CHECK(gone.error().message.find("retired") != std::string::npos);
    CHECK(retired->open(resealed, "ctx").value() == "secret");

    // A key file others can read is refused.
    fs::permissions(file, fs::perms::others_read, fs::perm_options::add);
    auto loose = events::MasterKeyring::load_or_create(file);
    REQUIRE_FALSE(loose);
    CHECK(loose.error().field == "master_key");
}

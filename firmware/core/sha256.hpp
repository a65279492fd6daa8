// SHA-256 (FIPS 180-4), incremental, for the dock's OFFLOAD reply and the bench that checks it: the host
// recomputes the digest of the bytes it was sent to verify the transfer. Own
// implementation so the emulator needs no crypto library.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace bwc::fw {

class Sha256 {
public:
    Sha256();
    void update(const std::uint8_t* data, std::size_t size);
    void update(std::string_view bytes);
    /// Finishes the hash; the object must not be updated afterwards.
    std::string hex_digest();

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t total_bytes_ = 0;
};

} // namespace bwc::fw

// smtp_status internals: the word-at-a-time (SWAR) and SSE2 building blocks
// of the byte scans in extract.hpp and reply.hpp. Neither works in a
// constant expression: callers take a byte-by-byte path there.
#ifndef SMTP_STATUS_DETAIL_BYTES_HPP
#define SMTP_STATUS_DETAIL_BYTES_HPP

#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define SMTP_STATUS_HAS_SSE2 1
#else
#define SMTP_STATUS_HAS_SSE2 0
#endif

namespace smtp_status::detail {

// Byte i of p in bits 8i to 8i + 7, whatever the machine's byte order.
inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

inline unsigned lowest_bit(std::uint64_t m) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(m));
#else
  unsigned i = 0;
  for (; (m & 1) == 0; m >>= 1) ++i;
  return i;
#endif
}

constexpr bool constant_evaluated() noexcept {
#if defined(__cpp_lib_is_constant_evaluated)
  return std::is_constant_evaluated();
#elif defined(__GNUC__) || defined(__clang__) || (defined(_MSC_VER) && _MSC_VER >= 1925)
  return __builtin_is_constant_evaluated();
#else
  return true; // byte by byte everywhere
#endif
}

} // namespace smtp_status::detail

#endif

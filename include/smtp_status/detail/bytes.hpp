// smtp_status internals: the word-at-a-time (SWAR) and SSE2 building blocks
// of the byte scans in extract.hpp and reply.hpp. Neither works in a
// constant expression: callers take a byte-by-byte path there.
#ifndef SMTP_STATUS_DETAIL_BYTES_HPP
#define SMTP_STATUS_DETAIL_BYTES_HPP

#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define SMTP_STATUS_HAS_SSE2 1
#if !defined(__GNUC__) && !defined(__clang__)
#include <emmintrin.h>
#endif
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

#if SMTP_STATUS_HAS_SSE2
// 16 bytes in an SSE2 register, and the few operations the scans need. GCC
// and clang get them from their vector extension and one builtin: the
// <emmintrin.h> they would otherwise include (xmmintrin, mm_malloc, stdlib)
// costs more to compile than any one header of this library.
#if defined(__GNUC__) || defined(__clang__)
using bytes16 = char __attribute__((vector_size(16)));
inline bytes16 load16(const char* p) noexcept {
  bytes16 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline bytes16 splat16(char c) noexcept { return bytes16{} + c; }
inline bytes16 eq16(bytes16 a, bytes16 b) noexcept { return reinterpret_cast<bytes16>(a == b); }
// a < b, the bytes taken as signed.
inline bytes16 lt16(bytes16 a, bytes16 b) noexcept {
  using signed16 = signed char __attribute__((vector_size(16)));
  return reinterpret_cast<bytes16>(reinterpret_cast<signed16>(b) > reinterpret_cast<signed16>(a));
}
inline bytes16 or16(bytes16 a, bytes16 b) noexcept { return a | b; }
// Wrapping, as paddb does: in char (signed) lanes an overflow is undefined.
inline bytes16 add16(bytes16 a, bytes16 b) noexcept {
  using unsigned16 = unsigned char __attribute__((vector_size(16)));
  return reinterpret_cast<bytes16>(reinterpret_cast<unsigned16>(a) + reinterpret_cast<unsigned16>(b));
}
// Bit i: the high bit of byte i.
inline unsigned mask16(bytes16 v) noexcept {
  return static_cast<unsigned>(__builtin_ia32_pmovmskb128(v));
}
#else
using bytes16 = __m128i;
inline bytes16 load16(const char* p) noexcept {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
inline bytes16 splat16(char c) noexcept { return _mm_set1_epi8(c); }
inline bytes16 eq16(bytes16 a, bytes16 b) noexcept { return _mm_cmpeq_epi8(a, b); }
inline bytes16 lt16(bytes16 a, bytes16 b) noexcept { return _mm_cmplt_epi8(a, b); }
inline bytes16 or16(bytes16 a, bytes16 b) noexcept { return _mm_or_si128(a, b); }
inline bytes16 add16(bytes16 a, bytes16 b) noexcept { return _mm_add_epi8(a, b); }
inline unsigned mask16(bytes16 v) noexcept { return static_cast<unsigned>(_mm_movemask_epi8(v)); }
#endif
#endif

} // namespace smtp_status::detail

#endif

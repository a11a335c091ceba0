// A deterministic stream of SMTP server replies, as a client reads them off
// the wire (CRLF, pipelined one after the other), for the benchmarks.
//
// Replies come in sessions weighted like real client traffic: greeting, EHLO
// (8-12 lines), sometimes STARTTLS and a second EHLO, sometimes AUTH (334
// challenges, bare or base64), 1-3 transactions of MAIL, RCPT (mostly 250,
// some single-line 550 5.1.1, some multi-line 550/451/452 with the enhanced
// code on every line), DATA 354 and the queue id, then 221 (or 421 when the
// server gives up on the client).
//
// The stream depends only on (replies, seed): the random numbers are
// std::mt19937's, whose sequence the standard fixes, reduced without the
// library's distributions (whose results differ between implementations).
// A stream of n replies is the prefix of any longer stream with the same seed.
#ifndef SMTP_STATUS_BENCH_CORPUS_HPP
#define SMTP_STATUS_BENCH_CORPUS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace bench {

struct corpus_stats {
  std::size_t replies = 0;
  std::size_t lines = 0;
  std::uint64_t code_sum = 0; // the sum of every reply's code
};

namespace detail {

using texts = std::array<std::string_view, 4>;

constexpr std::array<std::string_view, 4> hosts{"mx.example.com", "mail.example.org",
                                                "smtp.example.net", "mx2.example.edu"};
constexpr std::array<std::string_view, 4> greetings{
    "ESMTP Postfix", "ESMTP Exim 4.96 Mon, 03 Jun 2024 10:22:13 +0000",
    "Microsoft ESMTP MAIL Service ready at Mon, 3 Jun 2024 10:22:13 +0000", "ESMTP ready"};
// EHLO keywords after the greeting line; a response takes 7-11 of them.
constexpr std::array<std::string_view, 14> extensions{"PIPELINING",
                                                      "SIZE 52428800",
                                                      "ETRN",
                                                      "STARTTLS",
                                                      "AUTH PLAIN LOGIN CRAM-MD5",
                                                      "AUTH=PLAIN LOGIN",
                                                      "ENHANCEDSTATUSCODES",
                                                      "8BITMIME",
                                                      "DSN",
                                                      "SMTPUTF8",
                                                      "CHUNKING",
                                                      "BINARYMIME",
                                                      "VRFY",
                                                      "DELIVERBY 300"};
constexpr std::array<std::string_view, 8> users{"alice", "bob",   "carol", "dave",
                                                "erin",  "frank", "grace", "heidi"};
constexpr std::array<std::string_view, 4> domains{"example.com", "example.org", "example.net",
                                                  "mail.example"};

// Multi-line rejections, about 70 characters a line, in the style of the big
// mailbox providers: 2-4 of these lines, then a final line with a tracking token.
constexpr texts no_such_user{"The mailbox you addressed does not exist at this domain. Check the",
                             "spelling of the recipient address, remove any stray spaces and try",
                             "again. Details about this error are on our postmaster help pages:",
                             "https://postmaster.example.net/errors?code=NoSuchMailbox for help."};
constexpr texts greylisted{"Greylisting is in effect for this sender and recipient combination.",
                           "Your server should queue the message and retry it in five minutes;",
                           "deliveries from well-behaved servers are accepted on a later attempt.",
                           "See https://postmaster.example.net/greylisting for the full policy."};
constexpr texts rate_limited{
    "This connection has been rate limited because the sending address",
    "exceeded our limit on unsolicited traffic in the last hour. Please",
    "lower the sending rate and try again later. For guidance, visit",
    "https://postmaster.example.net/ratelimits before contacting support."};
constexpr texts bulk_rejected{
    "The message was rejected because it looks like unsolicited bulk mail",
    "to our filters. To protect our users, messages with this profile",
    "are not accepted. Review the bulk sender guidelines published at",
    "https://postmaster.example.net/bulk and correct the listed problems."};
constexpr texts over_quota{"The mailbox of the recipient is full and cannot take more messages",
                           "right now. The owner has been told; please try again later, or use",
                           "another way to reach them if the message is urgent. More help is at",
                           "https://postmaster.example.net/errors?code=OverQuota for senders."};

class generator {
public:
  generator(std::size_t replies, std::uint32_t seed, corpus_stats& stats)
      : target_(replies), rng_(seed), stats_(stats) {
    out_.reserve(replies * 64);
  }

  std::string run() {
    while (!done()) session();
    return std::move(out_);
  }

private:
  bool done() const { return stats_.replies == target_; }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_()) % n; }
  bool percent(std::uint32_t p) { return below(100) < p; }
  template <class Array> std::string_view pick(const Array& a) {
    return a[below(static_cast<std::uint32_t>(a.size()))];
  }

  // A line "CODE-" or "CODE "; the caller appends the text, then end_line().
  void begin_line(unsigned code, bool last) {
    out_ += std::to_string(code);
    out_ += last ? ' ' : '-';
  }
  void end_line() {
    out_ += "\r\n";
    ++stats_.lines;
  }
  void end_reply(unsigned code) {
    ++stats_.replies;
    stats_.code_sum += code;
  }
  // One-line reply.
  void line(unsigned code, std::string_view text) {
    if (done()) return;
    begin_line(code, true);
    out_ += text;
    end_line();
    end_reply(code);
  }
  void hex(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out_ += "0123456789ABCDEF"[below(16)];
  }
  void base64(std::string_view in) {
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < in.size(); i += 3) {
      std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
      if (i + 1 < in.size())
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
      if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
      out_ += alphabet[v >> 18 & 63];
      out_ += alphabet[v >> 12 & 63];
      out_ += i + 1 < in.size() ? alphabet[v >> 6 & 63] : '=';
      out_ += i + 2 < in.size() ? alphabet[v & 63] : '=';
    }
  }

  // "550-5.1.1 text" on 3-5 lines, the enhanced code on every line.
  void multiline(unsigned code, std::string_view enhanced, const texts& text) {
    if (done()) return;
    const std::uint32_t n = 2 + below(3); // lines before the final one
    for (std::uint32_t i = 0; i < n; ++i) {
      begin_line(code, false);
      out_ += enhanced;
      out_ += ' ';
      out_ += text[i];
      end_line();
    }
    begin_line(code, true);
    out_ += enhanced;
    out_ += ' ';
    out_ += static_cast<char>('a' + below(26));
    out_ += std::to_string(below(100));
    out_ += "si";
    out_ += std::to_string(1000000 + below(9000000));
    out_ += static_cast<char>('a' + below(26));
    out_ += static_cast<char>('a' + below(26));
    out_ += '.';
    out_ += std::to_string(below(1000));
    out_ += " - esmtp";
    end_line();
    end_reply(code);
  }

  void ehlo(std::string_view host) {
    if (done()) return;
    std::array<std::string_view, extensions.size()> ext = extensions;
    const std::uint32_t n = 7 + below(5);   // keyword lines, after the greeting line
    for (std::uint32_t i = 0; i < n; ++i) { // partial Fisher-Yates: n distinct keywords
      const std::uint32_t j = i + below(static_cast<std::uint32_t>(ext.size()) - i);
      std::swap(ext[i], ext[j]);
    }
    begin_line(250, false);
    out_ += host;
    out_ += " Hello client.example.com [192.0.2.";
    out_ += std::to_string(1 + below(254));
    out_ += ']';
    end_line();
    for (std::uint32_t i = 0; i < n; ++i) {
      begin_line(250, i + 1 == n);
      out_ += ext[i];
      end_line();
    }
    end_reply(250);
  }

  void auth() {
    const std::uint32_t kind = below(10);
    if (kind < 5) { // LOGIN: base64 "Username:" and "Password:"
      line(334, "VXNlcm5hbWU6");
      line(334, "UGFzc3dvcmQ6");
    } else if (kind < 8) { // PLAIN without initial response: an empty challenge
      line(334, "");
    } else if (!done()) { // CRAM-MD5: a base64 nonce
      std::string nonce = "<" + std::to_string(below(100000)) + "." +
                          std::to_string(1700000000 + below(100000000)) + "@";
      nonce += pick(hosts);
      nonce += '>';
      begin_line(334, true);
      base64(nonce);
      end_line();
      end_reply(334);
    }
    if (percent(92))
      line(235, "2.7.0 Authentication successful");
    else
      line(535, "5.7.8 Error: authentication failed: authentication failure");
  }

  // One RCPT TO reply; true if the recipient was accepted.
  bool rcpt() {
    const std::uint32_t r = below(100);
    if (r < 74) {
      line(250, "2.1.5 Ok");
      return true;
    }
    if (r < 86) {
      if (done()) return false;
      begin_line(550, true);
      out_ += "5.1.1 <";
      out_ += pick(users);
      out_ += std::to_string(below(1000));
      out_ += '@';
      out_ += pick(domains);
      out_ += ">: Recipient address rejected: User unknown in virtual mailbox table";
      end_line();
      end_reply(550);
    } else if (r < 92) {
      multiline(550, "5.1.1", no_such_user);
    } else if (r < 97) {
      multiline(451, "4.7.1", greylisted);
    } else {
      multiline(452, "4.2.2", over_quota);
    }
    return false;
  }

  void session() {
    const std::string_view host = pick(hosts);
    if (done()) return;
    begin_line(220, true);
    out_ += host;
    out_ += ' ';
    out_ += pick(greetings);
    end_line();
    end_reply(220);
    ehlo(host);
    if (percent(30)) {
      line(220, "2.0.0 Ready to start TLS");
      ehlo(host);
    }
    if (percent(25)) auth();
    const std::uint32_t transactions = 1 + below(3);
    for (std::uint32_t t = 0; t < transactions; ++t) {
      line(250, "2.1.0 Ok");
      const std::uint32_t recipients = 1 + below(4);
      bool accepted = false;
      for (std::uint32_t i = 0; i < recipients; ++i) accepted = rcpt() || accepted;
      if (!accepted) {
        line(250, "2.0.0 Ok"); // RSET
        continue;
      }
      line(354, "End data with <CR><LF>.<CR><LF>");
      const std::uint32_t r = below(100);
      if (r < 93) {
        if (done()) return;
        begin_line(250, true);
        out_ += "2.0.0 Ok: queued as ";
        hex(7 + below(4));
        end_line();
        end_reply(250);
      } else if (r < 97) {
        multiline(550, "5.7.1", bulk_rejected);
      } else {
        line(451, "4.3.0 Error: queue file write error");
      }
    }
    if (percent(4))
      multiline(421, "4.7.0", rate_limited); // the server closes the connection
    else
      line(221, "2.0.0 Bye");
  }

  std::size_t target_;
  std::mt19937 rng_;
  corpus_stats& stats_;
  std::string out_;
};

} // namespace detail

// `replies` complete replies, CRLF line ends. `stats`, if given, receives the
// number of replies and lines and the sum of the reply codes.
inline std::string make_reply_stream(std::size_t replies, std::uint32_t seed,
                                     corpus_stats* stats = nullptr) {
  corpus_stats s;
  std::string out = detail::generator(replies, seed, s).run();
  if (stats != nullptr) *stats = s;
  return out;
}

} // namespace bench

#endif

// A deterministic stream of bounce messages (an mbox: "From " lines between
// them), for the extraction benchmarks.
//
// Each message is one of four styles: Postfix (human-readable part with the
// remote server's words, then a delivery-status part), Exim (an SMTP error
// with the host and its address), Microsoft Exchange (a diagnostic with
// 5.7.708-style codes and long version strings) and a raw SMTP transcript.
// All carry what makes extraction hard: Received lines full of IPv4 and IPv6
// addresses, MTA version strings (Exim 4.94.2, Postfix 3.7.1, 15.20.7633.12),
// dates and times, message ids, MIME boundaries with dots and digits, DKIM
// signatures in base64, and an enhanced or reply code every few hundred bytes.
//
// The stream depends only on (bytes, seed), like corpus.hpp: std::mt19937's
// sequence, reduced without the library's distributions.
#ifndef SMTP_STATUS_BENCH_BOUNCE_CORPUS_HPP
#define SMTP_STATUS_BENCH_BOUNCE_CORPUS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace bench {

namespace bounce_detail {

constexpr std::array<std::string_view, 6> domains{"example.com",        "example.org",
                                                  "example.net",        "mail.example",
                                                  "corp.example.co.uk", "students.example.edu"};
constexpr std::array<std::string_view, 4> host_names{"mx", "mail", "smtp", "mta"};
constexpr std::array<std::string_view, 8> users{"alice", "bob.smith", "carol_w", "dave2024",
                                                "erin",  "frank.o",   "grace",   "heidi.k"};
constexpr std::array<std::string_view, 6> mtas{"Postfix 3.7.1",
                                               "Exim 4.94.2",
                                               "Exim 4.96",
                                               "Postfix 2.10.1",
                                               "Sendmail 8.15.2/8.15.2",
                                               "Microsoft SMTP Server version 15.20.7633.12"};
constexpr std::array<std::string_view, 7> days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 6> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun"};

struct failure {
  std::string_view reply, enhanced, text;
};
constexpr std::array<failure, 10> failures{{
    {"550", "5.1.1", "Recipient address rejected: User unknown in virtual mailbox table"},
    {"550", "5.1.1", "The email account that you tried to reach does not exist"},
    {"552", "5.2.2", "Mailbox full: quota exceeded (4.4.22 retries exhausted)"},
    {"554", "5.7.1", "Service unavailable; Client host blocked using zen.example.org"},
    {"550", "5.7.708", "Service unavailable. Access denied, traffic not accepted from this IP"},
    {"451", "4.7.1", "Greylisted, please try again in 300 seconds"},
    {"421", "4.4.2", "Connection timed out after 120 seconds"},
    {"550", "5.7.26", "Unauthenticated email from this domain is not accepted due to DMARC"},
    {"452", "4.2.2", "The email account that you tried to reach is over quota"},
    {"553", "5.1.3", "Invalid address format; see RFC 5321 section 4.1.2"},
}};

class generator {
public:
  generator(std::size_t bytes, std::uint32_t seed) : target_(bytes), rng_(seed) {
    out_.reserve(bytes + 8192);
  }

  std::string run() {
    while (out_.size() < target_) message();
    out_.resize(target_);
    return std::move(out_);
  }

private:
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_()) % n; }
  bool percent(std::uint32_t p) { return below(100) < p; }
  template <class Array> const auto& pick(const Array& a) {
    return a[below(static_cast<std::uint32_t>(a.size()))];
  }
  void num(std::uint32_t v) { out_ += std::to_string(v); }
  void num2(std::uint32_t v) {
    out_ += static_cast<char>('0' + v / 10 % 10);
    out_ += static_cast<char>('0' + v % 10);
  }
  void chars(std::string_view alphabet, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      out_ += alphabet[below(static_cast<std::uint32_t>(alphabet.size()))];
  }
  void hex(std::size_t n) { chars("0123456789ABCDEF", n); }
  void base64(std::size_t n) {
    chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", n);
  }

  void ipv4() {
    num(1 + below(254));
    out_ += '.';
    num(below(256));
    out_ += '.';
    num(below(10)); // small octets: "10.5.1.1" looks like a code
    out_ += '.';
    num(1 + below(254));
  }
  void ipv6() {
    if (percent(50)) {
      out_ += "IPv6:2001:db8:";
      for (int i = 0; i < 3; ++i) {
        hex(1 + below(4));
        out_ += ':';
      }
      hex(4);
    } else {
      out_ += "::ffff:";
      ipv4();
    }
  }
  void host() {
    out_ += pick(host_names);
    num(1 + below(20));
    out_ += '.';
    out_ += pick(domains);
  }
  void address() {
    out_ += pick(users);
    out_ += '@';
    out_ += pick(domains);
  }
  // "Mon, 03 Jun 2024 10:22:13 +0000"
  void date() {
    out_ += pick(days);
    out_ += ", ";
    num2(1 + below(28));
    out_ += ' ';
    out_ += pick(months);
    out_ += " 2024 ";
    num2(below(24));
    out_ += ':';
    num2(below(60));
    out_ += ':';
    num2(below(60));
    out_ += percent(50) ? " +0000" : " -0700 (PDT)";
  }
  void received() {
    out_ += "Received: from ";
    host();
    out_ += " (";
    host();
    out_ += " [";
    if (percent(25))
      ipv6();
    else
      ipv4();
    out_ += "])\r\n\tby ";
    host();
    out_ += " (";
    out_ += pick(mtas);
    out_ += ") with ESMTPS id ";
    base64(14);
    out_ += "\r\n\tfor <";
    address();
    out_ += ">; ";
    date();
    out_ += "\r\n";
  }
  void headers(std::string_view boundary) {
    out_ += "From MAILER-DAEMON  ";
    date();
    out_ += "\nReturn-Path: <>\r\n";
    for (std::uint32_t i = 0, n = 2 + below(4); i < n; ++i) received();
    out_ += "Date: ";
    date();
    out_ += "\r\nFrom: Mail Delivery System <MAILER-DAEMON@";
    host();
    out_ += ">\r\nTo: <";
    address();
    out_ += ">\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <";
    num(20240000 + below(10000));
    out_ += '.';
    hex(12);
    out_ += '@';
    host();
    out_ += ">\r\nX-Mailer: ";
    out_ += pick(mtas);
    out_ += "\r\nX-MS-Exchange-Organization-Version: 15.";
    num(below(21));
    out_ += '.';
    num(1000 + below(9000));
    out_ += '.';
    num(below(100));
    out_ += "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; "
            "report-type=delivery-status;\r\n\tboundary=\"";
    out_ += boundary;
    out_ += "\"\r\n\r\nThis is a MIME-encapsulated message.\r\n\r\n";
  }
  void dkim() {
    out_ += "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=";
    out_ += pick(domains);
    out_ += "; s=20230601;\r\n\tt=";
    num(1717400000 + below(100000));
    out_ += "; x=";
    num(1718000000 + below(100000));
    out_ += "; bh=";
    base64(43);
    out_ += "=;\r\n\tb=";
    for (int i = 0; i < 4; ++i) {
      base64(70);
      out_ += "\r\n\t ";
    }
    base64(20);
    out_ += "==\r\n";
  }

  void postfix_text(const failure& f, std::string_view rcpt_host) {
    out_ += "This is the mail system at host ";
    host();
    out_ += ".\r\n\r\nI'm sorry to have to inform you that your message could not\r\n"
            "be delivered to one or more recipients. It's attached below.\r\n\r\n"
            "For further assistance, please send mail to postmaster.\r\n\r\n<";
    address();
    out_ += ">: host ";
    out_ += rcpt_host;
    out_ += '[';
    ipv4();
    out_ += "] said: ";
    out_ += f.reply;
    out_ += ' ';
    out_ += f.enhanced;
    out_ += ' ';
    out_ += f.text;
    out_ += " (in reply to RCPT TO command)\r\n";
  }
  void exim_text(const failure& f, std::string_view rcpt_host) {
    out_ += "This message was created automatically by mail delivery software.\r\n\r\n"
            "A message that you sent could not be delivered to one or more of its\r\n"
            "recipients. This is a permanent error. The following address(es) failed:\r\n\r\n  ";
    address();
    out_ += "\r\n    host ";
    out_ += rcpt_host;
    out_ += " [";
    ipv4();
    out_ += "]\r\n    SMTP error from remote mail server after RCPT TO:<";
    address();
    out_ += ">:\r\n    ";
    out_ += f.reply;
    out_ += '-';
    out_ += f.enhanced;
    out_ += ' ';
    out_ += f.text;
    out_ += "\r\n    ";
    out_ += f.reply;
    out_ += ' ';
    out_ += f.enhanced;
    out_ += " https://support.example.com/mail/?p=NoSuchUser ";
    base64(12);
    out_ += '.';
    num(below(1000));
    out_ += " - gsmtp\r\n";
  }
  void exchange_text(const failure& f) {
    out_ += "Delivery has failed to these recipients or groups:\r\n\r\n";
    address();
    out_ += "\r\nYour message couldn't be delivered. Contact your email admin.\r\n\r\n"
            "Diagnostic information for administrators:\r\n\r\nGenerating server: ";
    host();
    out_ += "\r\n\r\nRemote Server returned '";
    out_ += f.reply;
    out_ += ' ';
    out_ += f.enhanced;
    out_ += ' ';
    out_ += f.text;
    out_ += ". [";
    host();
    out_ += " ";
    date();
    out_ += "]'\r\n\r\nOriginal message headers:\r\n\r\nReceived: from ";
    host();
    out_ += " (2603:10b6:";
    hex(3);
    out_ += "::";
    hex(2);
    out_ += ") by ";
    host();
    out_ += "\r\n (2603:10a6:";
    hex(3);
    out_ += "::";
    hex(2);
    out_ += ") with Microsoft SMTP Server (version=TLS1_2,\r\n "
            "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.";
    num(7000 + below(900));
    out_ += '.';
    num(below(40));
    out_ += "; ";
    date();
    out_ += "\r\n";
  }
  void transcript(const failure& f, std::string_view rcpt_host) {
    out_ += "--- Transcript of session follows ---\r\n>>> connect to ";
    out_ += rcpt_host;
    out_ += "\r\n<<< 220 ";
    out_ += rcpt_host;
    out_ += " ESMTP ";
    out_ += pick(mtas);
    out_ += ' ';
    date();
    out_ += "\r\n>>> EHLO ";
    host();
    out_ += "\r\n<<< 250-";
    out_ += rcpt_host;
    out_ += " Hello [";
    ipv4();
    out_ += "]\r\n<<< 250-SIZE 52428800\r\n<<< 250-8BITMIME\r\n<<< 250 ENHANCEDSTATUSCODES\r\n"
            ">>> MAIL FROM:<";
    address();
    out_ += "> SIZE=";
    num(1000 + below(90000));
    out_ += "\r\n<<< 250 2.1.0 Ok\r\n>>> RCPT TO:<";
    address();
    out_ += ">\r\n<<< ";
    out_ += f.reply;
    out_ += ' ';
    out_ += f.enhanced;
    out_ += ' ';
    out_ += f.text;
    out_ += "\r\n>>> QUIT\r\n<<< 221 2.0.0 Bye\r\n";
  }
  void delivery_status(const failure& f, std::string_view rcpt_host) {
    out_ += "Content-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; ";
    host();
    out_ += "\r\nX-Postfix-Queue-ID: ";
    hex(10);
    out_ += "\r\nArrival-Date: ";
    date();
    out_ += "\r\n\r\nFinal-Recipient: rfc822; ";
    address();
    out_ += "\r\nOriginal-Recipient: rfc822;";
    address();
    out_ += "\r\nAction: ";
    out_ += f.reply[0] == '4' ? "delayed" : "failed";
    out_ += "\r\nStatus: ";
    out_ += percent(30) ? (f.reply[0] == '4' ? "4.0.0" : "5.0.0") : f.enhanced;
    out_ += "\r\nRemote-MTA: dns; ";
    out_ += rcpt_host;
    out_ += "\r\nDiagnostic-Code: smtp; ";
    out_ += f.reply;
    out_ += percent(50) ? '-' : ' ';
    out_ += f.enhanced;
    out_ += ' ';
    out_ += f.text;
    out_ += "\r\n    ";
    base64(10);
    out_ += ".";
    num(below(100));
    out_ += " - gsmtp\r\nLast-Attempt-Date: ";
    date();
    out_ += "\r\n\r\n";
  }

  void message() {
    std::string boundary = "==_Boundary_";
    boundary += std::to_string(1717400000 + below(100000));
    boundary += '.';
    boundary += std::to_string(below(100000));
    boundary += "/";
    boundary += "mx.example.com==";
    headers(boundary);
    const failure& f = pick(failures);
    std::string rcpt_host = "mx";
    rcpt_host += std::to_string(1 + below(9));
    rcpt_host += '.';
    rcpt_host += pick(domains);

    out_ += "--";
    out_ += boundary;
    out_ += "\r\nContent-Description: Notification\r\nContent-Type: text/plain; "
            "charset=us-ascii\r\n\r\n";
    switch (below(4)) {
    case 0: postfix_text(f, rcpt_host); break;
    case 1: exim_text(f, rcpt_host); break;
    case 2: exchange_text(f); break;
    default: transcript(f, rcpt_host); break;
    }
    out_ += "\r\n--";
    out_ += boundary;
    out_ += "\r\n";
    delivery_status(f, rcpt_host);
    out_ += "--";
    out_ += boundary;
    out_ += "\r\nContent-Description: Undelivered Message Headers\r\n"
            "Content-Type: text/rfc822-headers\r\n\r\n";
    for (std::uint32_t i = 0, n = 1 + below(3); i < n; ++i) received();
    dkim();
    out_ += "Date: ";
    date();
    out_ += "\r\nFrom: <";
    address();
    out_ += ">\r\nSubject: Invoice 2024-05-01 version 4.0.994.63 (v2.4.1)\r\n\r\n--";
    out_ += boundary;
    out_ += "--\r\n\r\n";
  }

  std::size_t target_;
  std::mt19937 rng_;
  std::string out_;
};

} // namespace bounce_detail

// Exactly `bytes` bytes of bounce messages (the last one cut off).
inline std::string make_bounce_stream(std::size_t bytes, std::uint32_t seed) {
  return bounce_detail::generator(bytes, seed).run();
}

} // namespace bench

#endif

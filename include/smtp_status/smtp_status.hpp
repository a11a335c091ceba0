// smtp_status: every SMTP status code, header-only.
// The umbrella header: value types, parse, registry lookup, classification,
// literals, wire replies, codes in free text, delivery-status reports and
// whole bounce messages. Opt-in extras: string.hpp (to_string), ostream.hpp,
// fmt.hpp, std_format.hpp.
#ifndef SMTP_STATUS_SMTP_STATUS_HPP
#define SMTP_STATUS_SMTP_STATUS_HPP

#include "bounce.hpp"
#include "build.hpp"
#include "classify.hpp"
#include "code.hpp"
#include "dsn.hpp"
#include "extract.hpp"
#include "literals.hpp"
#include "reply.hpp"
#include "parse.hpp"
#include "registry.hpp"

#define SMTP_STATUS_VERSION_MAJOR 0
#define SMTP_STATUS_VERSION_MINOR 1
#define SMTP_STATUS_VERSION_PATCH 0

#endif

/* mail-autoconfig-report.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-autoconfig-parser.h"
#include "mail-certificate-info.h"
#include "mail-error.h"
#include "mail-protocol.h"

G_BEGIN_DECLS

/**
 * MailAutoconfigSource:
 * @MAIL_AUTOCONFIG_SOURCE_LOCAL: a config-v1.1 file in a local provider directory ("local")
 * @MAIL_AUTOCONFIG_SOURCE_HTTPS: the provider's own autoconfig file over HTTPS ("https")
 * @MAIL_AUTOCONFIG_SOURCE_ISPDB: the ISPDB ("ispdb")
 * @MAIL_AUTOCONFIG_SOURCE_MX: autoconfig or ISPDB for the domain of the MX host ("mx")
 * @MAIL_AUTOCONFIG_SOURCE_SRV: DNS SRV records, RFC 6186 and RFC 8314 ("srv")
 * @MAIL_AUTOCONFIG_SOURCE_HTTP: the provider's autoconfig file over plain HTTP ("http")
 * @MAIL_AUTOCONFIG_SOURCE_GUESS: probing likely host names and ports ("guess")
 * @MAIL_AUTOCONFIG_SOURCE_CERTIFICATE: the host named by the certificate of a server that a
 *   source pointed at ("certificate")
 *
 * Where a candidate came from, best first: the order is the priority rule.
 */
typedef enum
{
  MAIL_AUTOCONFIG_SOURCE_LOCAL,
  MAIL_AUTOCONFIG_SOURCE_HTTPS,
  MAIL_AUTOCONFIG_SOURCE_ISPDB,
  MAIL_AUTOCONFIG_SOURCE_MX,
  MAIL_AUTOCONFIG_SOURCE_SRV,
  MAIL_AUTOCONFIG_SOURCE_HTTP,
  MAIL_AUTOCONFIG_SOURCE_GUESS,
  MAIL_AUTOCONFIG_SOURCE_CERTIFICATE,
  MAIL_AUTOCONFIG_N_SOURCES,
} MailAutoconfigSource;

const char *mail_autoconfig_source_to_string (MailAutoconfigSource source);

/**
 * MailAutoconfigTrust:
 * @MAIL_AUTOCONFIG_TRUST_VERIFIED: a local file, an autoconfig file fetched over HTTPS from
 *   within the address's domain, or a server whose certificate proves a host name within
 *   that domain ("verified")
 * @MAIL_AUTOCONFIG_TRUST_PLAUSIBLE: HTTPS at another domain, or the ISPDB ("plausible")
 * @MAIL_AUTOCONFIG_TRUST_INSECURE: plain HTTP, or a DNS answer pointing outside the domain
 *   ("insecure")
 *
 * How far a candidate can be believed. Anything below verified needs the user's approval,
 * shown with the domains involved.
 */
typedef enum
{
  MAIL_AUTOCONFIG_TRUST_VERIFIED,
  MAIL_AUTOCONFIG_TRUST_PLAUSIBLE,
  MAIL_AUTOCONFIG_TRUST_INSECURE,
} MailAutoconfigTrust;

const char *mail_autoconfig_trust_to_string (MailAutoconfigTrust trust);

/**
 * MailAutoconfigCandidate:
 * @protocol: IMAP, POP3 or SMTP
 * @host: the host name in ASCII (IDNA) form, as used on the wire
 * @port: the port
 * @security: implicit TLS, STARTTLS or none
 * @username: the user name to sign in with (placeholders substituted)
 * @auth: (array zero-terminated=1): SASL mechanisms, upper case: the server's own list after
 *   TLS when it was probed, otherwise what the file names
 * @source: where it came from
 * @origin: the URL, DNS name or host that source read
 * @trust: how far it can be believed
 * @domains: (array zero-terminated=1): the domains involved (of the file's URL and of the
 *   server), for the approval question
 * @probed: a connection was made and secured as @security says
 * @reachable: that connection worked (only meaningful when @probed)
 * @verified: a sign-in with the user's password succeeded
 * @has_pop3_hints: @pop3_hints comes from the file
 * @pop3_hints: the file's POP3 advice
 * @certificate: (nullable): the server's certificate, when probed over TLS
 * @error_category: why the probe or the sign-in failed, or NONE
 * @error_message: (nullable): that failure in plain language
 *
 * One server setting that could be used.
 */
typedef struct
{
  MailProtocol             protocol;
  char                    *host;
  guint16                  port;
  MailSecurity             security;
  char                    *username;
  char                   **auth;
  MailAutoconfigSource     source;
  char                    *origin;
  MailAutoconfigTrust      trust;
  char                   **domains;
  gboolean                 probed;
  gboolean                 reachable;
  gboolean                 verified;
  gboolean                 has_pop3_hints;
  MailAutoconfigPop3Hints  pop3_hints;
  MailCertificateInfo     *certificate;
  MailErrorCategory        error_category;
  char                    *error_message;
} MailAutoconfigCandidate;

#define MAIL_TYPE_AUTOCONFIG_CANDIDATE (mail_autoconfig_candidate_get_type ())

GType                    mail_autoconfig_candidate_get_type (void) G_GNUC_CONST;
MailAutoconfigCandidate *mail_autoconfig_candidate_new  (MailProtocol                   protocol,
                                                         const char                    *host,
                                                         guint16                        port,
                                                         MailSecurity                   security);
MailAutoconfigCandidate *mail_autoconfig_candidate_copy (const MailAutoconfigCandidate *candidate);
void                     mail_autoconfig_candidate_free (MailAutoconfigCandidate       *candidate);
char                    *mail_autoconfig_candidate_describe (const MailAutoconfigCandidate *candidate)
    G_GNUC_WARN_UNUSED_RESULT;

gboolean mail_autoconfig_candidate_needs_approval (const MailAutoconfigCandidate *candidate);
gboolean mail_autoconfig_candidate_may_sign_in    (const MailAutoconfigCandidate *candidate,
                                                   const char * const            *approved_hosts,
                                                   gboolean                       plaintext_approved);

/**
 * MailAutoconfigStep:
 * @source: the source this step belongs to
 * @target: what was asked (a URL, a DNS name, host:port); never a secret
 * @outcome: what came of it, in a few words
 * @ms: how long it took
 * @at_ms: when it ended, counted from the start of the detection
 *
 * One step of the detection, for the trace.
 */
typedef struct
{
  MailAutoconfigSource  source;
  char                 *target;
  char                 *outcome;
  gint64                ms;
  gint64                at_ms;
} MailAutoconfigStep;

#define MAIL_TYPE_AUTOCONFIG_STEP (mail_autoconfig_step_get_type ())

GType               mail_autoconfig_step_get_type (void) G_GNUC_CONST;
MailAutoconfigStep *mail_autoconfig_step_copy     (const MailAutoconfigStep *step);
void                mail_autoconfig_step_free     (MailAutoconfigStep       *step);

/**
 * MailAutoconfigReport:
 * @address: the address as the user typed it
 * @incoming: (element-type MailAutoconfigCandidate): IMAP and POP3 candidates, best first
 * @outgoing: (element-type MailAutoconfigCandidate): SMTP candidates, best first
 * @instructions: (element-type utf8): the provider's instructions (what to enable first,
 *   documentation links), in plain text
 * @trace: (element-type MailAutoconfigStep): every step, in the order they ended
 * @elapsed_ms: the whole detection
 * @incoming_error: (nullable): why no usable incoming server was found or signed in to
 * @outgoing_error: (nullable): the same for outgoing
 * @incoming_category: the category of @incoming_error
 * @outgoing_category: the category of @outgoing_error
 * @rejected: (element-type MailAutoconfigCandidate): servers a source named, or guessing
 *   found, that answered badly or not at all: each with its error and, for a refused
 *   certificate, the certificate
 *
 * What a detection found. Usable when both @incoming and @outgoing have a first candidate
 * and neither error is set.
 */
typedef struct
{
  char              *address;
  GPtrArray         *incoming;
  GPtrArray         *outgoing;
  GPtrArray         *instructions;
  GPtrArray         *trace;
  gint64             elapsed_ms;
  GError            *incoming_error;
  GError            *outgoing_error;
  MailErrorCategory  incoming_category;
  MailErrorCategory  outgoing_category;
  GPtrArray         *rejected;
} MailAutoconfigReport;

MailAutoconfigReport *mail_autoconfig_report_new       (const char           *address);
void                  mail_autoconfig_report_free      (MailAutoconfigReport *report);
gboolean              mail_autoconfig_report_is_usable (const MailAutoconfigReport *report);
gboolean              mail_autoconfig_report_needs_approval (const MailAutoconfigReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigCandidate, mail_autoconfig_candidate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigReport, mail_autoconfig_report_free)

G_END_DECLS

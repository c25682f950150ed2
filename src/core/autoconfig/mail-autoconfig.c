/* mail-autoconfig.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The orchestrator of account autodetection: from an address (and a password) to ranked,
 * probed and verified server settings.
 *
 * Lookups. Every source starts at once, each as one or more lookups kept in priority
 * order: local files, the provider's HTTPS autoconfig (autoconfig.DOMAIN, then
 * DOMAIN/.well-known), the ISPDB, the MX-derived lookups (inserted where the MX lookup
 * stands once the MX host is known), SRV, plain-HTTP autoconfig, and guessing. A lookup
 * that answers yields candidates; each candidate is probed (connect, secure the
 * connection as it says, read the capabilities, no password) on a shared pool of worker
 * threads, and identical host/port/security triples are probed once.
 *
 * The priority rule. For each direction (incoming, outgoing) the winner is the first
 * lookup, in priority order, that has a reachable candidate once everything above that
 * candidate (higher lookups, and better-ranked candidates of the same lookup) is finished.
 * A faster lower lookup therefore never beats a slower higher one; once both directions
 * have a winner every other lookup and probe is cancelled. Plaintext candidates only count
 * when no lookup has anything encrypted.
 *
 * Guessing is a lookup like the others, whose candidates are the likely host names and
 * ports, probed with a small stagger in rank order: it is decided as soon as the best
 * possible guess is confirmed.
 *
 * Time. The whole detection has a hard budget; at five seconds, when an HTTPS or SRV
 * lookup has answered, lookups still waiting are given up. Cancelling the caller's
 * GCancellable returns at once and shuts every socket and request down.
 *
 * Verification. With a password, the best incoming and outgoing candidates are signed in
 * to at the same time, with at most two user-name forms each. Nothing carries the password
 * before a TLS connection to the right host is up: probes never send it, and sign-ins
 * only go to encrypted candidates.
 *
 * Everything here runs on the caller's thread-default main context; only the probes and
 * sign-ins run on worker threads, as plain mail_server_check_sync() calls.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-address.h"
#include "mail-autoconfig.h"
#include "mail-autoconfig-private.h"
#include "mail-autoconfig-dns.h"
#include "mail-autoconfig-fetch.h"
#include "mail-autoconfig-local.h"
#include "mail-autoconfig-prober.h"
#include "mail-net-error.h"
#include "mail-server-check.h"

#define PROBE_TIMEOUT_SECONDS  4
#define LOGIN_TIMEOUT_SECONDS  10
#define HTTP_TIMEOUT_SECONDS   8
#define GUESS_STAGGER_MS       30
/* Guessing knocks on a couple of dozen ports; when a published answer comes first, as it
 * usually does within this time, it never has to. */
#define GUESS_HEAD_START_MS    300
/* Leaves half a second of the five for signing in. */
#define EARLY_ANSWER_MS        4500
#define MAX_LOGIN_CANDIDATES   3
#define MAX_PER_DIRECTION      8

enum
{
  DIRECTION_INCOMING,
  DIRECTION_OUTGOING,
  N_DIRECTIONS,
};

enum
{
  SIGNAL_STEP,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

struct _MailAutoconfig
{
  GObject       parent_instance;
  GTlsDatabase *database;
  char         *ispdb_url;
  char        **local_dirs;
  guint         budget;
  gboolean      verify;
  gboolean      approved;
};

G_DEFINE_FINAL_TYPE (MailAutoconfig, mail_autoconfig, G_TYPE_OBJECT)

typedef enum
{
  LOOKUP_PENDING,
  LOOKUP_ANSWERED,
  LOOKUP_FAILED,
} LookupState;

typedef enum
{
  ENTRY_WAITING,
  ENTRY_PROBING,
  ENTRY_DONE,
} EntryState;

typedef struct _Detection Detection;
typedef struct _Lookup Lookup;

typedef struct
{
  MailAutoconfigCandidate *candidate;
  Lookup                  *lookup;
  EntryState               state;
  guint                    index;
} Entry;

struct _Lookup
{
  MailAutoconfigSource  source;
  char                 *target;
  LookupState           state;
  GCancellable         *cancellable;
  GPtrArray            *entries;
  MailAutoconfigResult *config;
  gint64                started;
  gboolean              ispdb;
};

typedef struct
{
  char                  *key;
  gboolean               done;
  MailServerCheckResult *result;
  GPtrArray             *waiting;
  gint64                 started;
} Probe;

typedef enum
{
  PHASE_DISCOVERY,
  PHASE_VERIFICATION,
  PHASE_FINISHED,
} Phase;

struct _Detection
{
  MailAutoconfig  *self;
  GTask           *task;
  GMainContext    *context;
  char            *address;
  char            *local_part;
  char            *domain;
  char            *domain_ascii;
  char            *password;
  gboolean         verify;
  Phase            phase;
  gint64           started;

  GCancellable    *cancellable;
  GCancellable    *verify_cancellable;
  GSource         *cancel_source;
  GSource         *budget_source;
  GSource         *early_source;
  GSource         *guess_source;
  guint            guess_next;
  gboolean         guess_started;

  MailAutoconfigFetcher *fetcher;
  GPtrArray       *lookups;
  Lookup          *guess;
  GHashTable      *probes;

  gboolean         decided[N_DIRECTIONS];
  GPtrArray       *chosen[N_DIRECTIONS];
  Lookup          *winner[N_DIRECTIONS];
  guint            verifying;
  /* What the caller approved in advance (mail_autoconfig_set_approved()): the host first
   * chosen for each direction, and nothing else; %NULL-terminated. */
  char            *approved_hosts[N_DIRECTIONS + 1];

  MailAutoconfigReport *report;
};

/* Detection lifetime ---------------------------------------------------------------- */

static void
entry_free (Entry *entry)
{
  mail_autoconfig_candidate_free (entry->candidate);
  g_free (entry);
}

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->target);
  g_clear_object (&lookup->cancellable);
  g_ptr_array_unref (lookup->entries);
  g_clear_pointer (&lookup->config, mail_autoconfig_result_free);
  g_free (lookup);
}

static void
probe_free (Probe *probe)
{
  g_free (probe->key);
  g_clear_pointer (&probe->result, mail_server_check_result_free);
  g_ptr_array_unref (probe->waiting);
  g_free (probe);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
detection_clear (Detection *det)
{
  destroy_source (&det->cancel_source);
  destroy_source (&det->budget_source);
  destroy_source (&det->early_source);
  destroy_source (&det->guess_source);
  g_clear_object (&det->task);
  g_clear_object (&det->self);
  g_clear_pointer (&det->context, g_main_context_unref);
  g_free (det->address);
  g_free (det->local_part);
  g_free (det->domain);
  g_free (det->domain_ascii);
  for (guint d = 0; d < N_DIRECTIONS; d++)
    g_free (det->approved_hosts[d]);
  if (det->password != NULL)
    {
      memset (det->password, 0, strlen (det->password));
      g_free (det->password);
    }
  g_clear_object (&det->cancellable);
  g_clear_object (&det->verify_cancellable);
  g_clear_pointer (&det->fetcher, mail_autoconfig_fetcher_free);
  g_clear_pointer (&det->lookups, g_ptr_array_unref);
  g_clear_pointer (&det->probes, g_hash_table_unref);
  for (guint d = 0; d < N_DIRECTIONS; d++)
    g_clear_pointer (&det->chosen[d], g_ptr_array_unref);
  g_clear_pointer (&det->report, mail_autoconfig_report_free);
}

static Detection *
detection_ref (Detection *det)
{
  return g_atomic_rc_box_acquire (det);
}

static void
detection_unref (Detection *det)
{
  g_atomic_rc_box_release_full (det, (GDestroyNotify) detection_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Detection, detection_unref)

static gint64
detection_elapsed_ms (Detection *det)
{
  return (g_get_monotonic_time () - det->started) / 1000;
}

static GSource *
detection_add_timeout (Detection   *det,
                       guint        ms,
                       GSourceFunc  func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, detection_ref (det), (GDestroyNotify) detection_unref);
  g_source_attach (source, det->context);

  return source;
}

static void
add_step (Detection            *det,
          MailAutoconfigSource  source,
          const char           *target,
          gint64                started,
          const char           *outcome)
{
  MailAutoconfigStep *step = g_new0 (MailAutoconfigStep, 1);

  step->source = source;
  step->target = g_strdup (target);
  step->outcome = g_strdup (outcome);
  step->at_ms = detection_elapsed_ms (det);
  step->ms = (g_get_monotonic_time () - started) / 1000;
  g_debug ("autoconfig: [%s] %s: %s (%" G_GINT64_FORMAT " ms)",
           mail_autoconfig_source_to_string (source), target, outcome, step->ms);
  g_ptr_array_add (det->report->trace, step);
  g_signal_emit (det->self, signals[SIGNAL_STEP], 0, step);
}

static void advance (Detection *det);
static void finish (Detection *det);

/* Candidates and trust --------------------------------------------------------------- */

#define CANDIDATE_FREE ((GDestroyNotify) mail_autoconfig_candidate_free)

static Entry *
entry_at (GPtrArray *entries,
          guint      index)
{
  return g_ptr_array_index (entries, index);
}

static guint
direction_of (MailProtocol protocol)
{
  return protocol == MAIL_PROTOCOL_SMTP ? DIRECTION_OUTGOING : DIRECTION_INCOMING;
}

static guint
security_rank (MailSecurity security)
{
  switch (security)
    {
    case MAIL_SECURITY_TLS:
      return 0;
    case MAIL_SECURITY_STARTTLS:
      return 1;
    case MAIL_SECURITY_NONE:
    default:
      return 2;
    }
}

/* IMAP before POP3, then implicit TLS before STARTTLS before nothing, then the source's
 * own order. */
static int
entry_compare (gconstpointer a,
               gconstpointer b)
{
  const Entry *x = *(const Entry * const *) a;
  const Entry *y = *(const Entry * const *) b;

  if (x->candidate->protocol != y->candidate->protocol)
    return x->candidate->protocol < y->candidate->protocol ? -1 : 1;
  if (x->candidate->security != y->candidate->security)
    return security_rank (x->candidate->security) < security_rank (y->candidate->security) ? -1 : 1;
  if (x->index != y->index)
    return x->index < y->index ? -1 : 1;
  return 0;
}

static char *
host_of_url (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL ? g_strdup (g_uri_get_host (uri)) : NULL;
}

static void
add_domain (GPtrArray  *domains,
            const char *host)
{
  g_autofree char *registrable = NULL;
  const char *domain;

  if (host == NULL)
    return;
  registrable = mail_autoconfig_domain_registrable (host);
  domain = registrable != NULL ? registrable : host;
  for (guint i = 0; i < domains->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (domains, i), domain) == 0)
      return;
  g_ptr_array_add (domains, g_strdup (domain));
}

static void
candidate_set_domains (MailAutoconfigCandidate *candidate,
                       const char              *origin_host)
{
  GPtrArray *domains = g_ptr_array_new ();

  add_domain (domains, origin_host);
  add_domain (domains, candidate->host);
  g_ptr_array_add (domains, NULL);
  g_strfreev (candidate->domains);
  candidate->domains = (char **) g_ptr_array_free (domains, FALSE);
}

static const char *
auth_to_mechanisms (MailAutoconfigAuth auth)
{
  switch (auth)
    {
    case MAIL_AUTOCONFIG_AUTH_PASSWORD_CLEARTEXT:
      return "PLAIN LOGIN";
    case MAIL_AUTOCONFIG_AUTH_PASSWORD_ENCRYPTED:
      return "CRAM-MD5";
    case MAIL_AUTOCONFIG_AUTH_OAUTH2:
      return "XOAUTH2 OAUTHBEARER";
    case MAIL_AUTOCONFIG_AUTH_GSSAPI:
      return "GSSAPI";
    case MAIL_AUTOCONFIG_AUTH_NTLM:
      return "NTLM";
    case MAIL_AUTOCONFIG_AUTH_TLS_CLIENT_CERT:
      return "EXTERNAL";
    case MAIL_AUTOCONFIG_AUTH_CLIENT_IP_ADDRESS:
    case MAIL_AUTOCONFIG_AUTH_SMTP_AFTER_POP:
    case MAIL_AUTOCONFIG_AUTH_NONE:
    default:
      return NULL;
    }
}

static char **
mechanisms_from_file (GArray *methods)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; methods != NULL && i < methods->len; i++)
    {
      const char *names = auth_to_mechanisms (g_array_index (methods, MailAutoconfigAuth, i));
      g_auto (GStrv) split = NULL;

      if (names == NULL)
        continue;
      split = g_strsplit (names, " ", -1);
      g_strv_builder_addv (builder, (const char **) split);
    }

  return g_strv_builder_end (builder);
}

static Lookup *
lookup_new (Detection            *det,
            MailAutoconfigSource  source,
            const char           *target)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->source = source;
  lookup->target = g_strdup (target);
  lookup->state = LOOKUP_PENDING;
  lookup->cancellable = g_cancellable_new ();
  lookup->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  lookup->started = g_get_monotonic_time ();

  return lookup;
}

/* Whether @host (ASCII, as candidates keep it) can be a server: an IP address, or labels of
 * letters, digits and hyphens. A file or DNS answer may hold anything. */
static gboolean
host_is_usable (const char *host)
{
  gsize length = strlen (host);
  gsize label = 0;

  if (g_hostname_is_ip_address (host))
    return TRUE;
  if (length == 0 || length > 253 || host[0] == '.' || host[0] == '-')
    return FALSE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (label == 0 || p[-1] == '-')
            return FALSE;
          label = 0;
          continue;
        }
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
      if (++label > 63)
        return FALSE;
    }

  return label > 0;
}

static char *probe_key (const MailAutoconfigCandidate *candidate);

/* Whether @lookup may take one more candidate like @candidate: a hostile file or DNS answer
 * with a thousand servers must not turn into a thousand connections. */
static gboolean
lookup_accepts (Lookup                        *lookup,
                const MailAutoconfigCandidate *candidate)
{
  g_autofree char *key = probe_key (candidate);
  guint same_direction = 0;

  if (!host_is_usable (candidate->host) || candidate->port == 0)
    return FALSE;

  for (guint i = 0; i < lookup->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (lookup->entries, i);
      g_autofree char *other = probe_key (entry->candidate);

      if (strcmp (key, other) == 0)
        return FALSE;
      if ((entry->candidate->protocol == MAIL_PROTOCOL_SMTP) ==
          (candidate->protocol == MAIL_PROTOCOL_SMTP))
        same_direction++;
    }

  return same_direction < MAX_PER_DIRECTION;
}

static Entry *
lookup_add_candidate (Lookup                  *lookup,
                      MailAutoconfigCandidate *candidate)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->candidate = candidate;
  entry->lookup = lookup;
  entry->state = ENTRY_WAITING;
  entry->index = lookup->entries->len;
  g_ptr_array_add (lookup->entries, entry);

  return entry;
}

/* Adds @candidate (taking it) if @lookup accepts it. A file that says "no encryption" is
 * often just old: the same port is tried with STARTTLS as well, which ranks first when
 * the server has it. */
static void
lookup_add_with_upgrade (Lookup                  *lookup,
                         MailAutoconfigCandidate *candidate)
{
  if (candidate->security == MAIL_SECURITY_NONE)
    {
      MailAutoconfigCandidate *upgraded = mail_autoconfig_candidate_copy (candidate);

      upgraded->security = MAIL_SECURITY_STARTTLS;
      if (lookup_accepts (lookup, upgraded))
        lookup_add_candidate (lookup, upgraded);
      else
        mail_autoconfig_candidate_free (upgraded);
    }

  if (lookup_accepts (lookup, candidate))
    lookup_add_candidate (lookup, candidate);
  else
    mail_autoconfig_candidate_free (candidate);
}

/* One probe per protocol, host, port and security, however many sources name it. */
static char *
make_probe_key (MailProtocol  protocol,
                const char   *host,
                guint16       port,
                MailSecurity  security)
{
  return g_strdup_printf ("%s %s %u %s", mail_protocol_to_string (protocol), host, port,
                          mail_security_to_string (security));
}

static char *
probe_key (const MailAutoconfigCandidate *candidate)
{
  return make_probe_key (candidate->protocol, candidate->host, candidate->port,
                         candidate->security);
}

/* Probing ---------------------------------------------------------------------------- */

static void entry_start_probe (Detection *det, Entry *entry);

static gboolean
certificate_names_usable_host (MailCertificateInfo  *info,
                               const char           *host,
                               char                **proposed)
{
  GTlsCertificate *certificate;
  g_autoptr (GPtrArray) names = NULL;

  if (info == NULL ||
      mail_certificate_info_get_errors (info) != G_TLS_CERTIFICATE_BAD_IDENTITY)
    return FALSE;

  certificate = mail_certificate_info_get_certificate (info);
  names = certificate != NULL ? g_tls_certificate_get_dns_names (certificate) : NULL;
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      gsize size;
      const char *data = g_bytes_get_data (g_ptr_array_index (names, i), &size);
      g_autofree char *name = g_strndup (data, size);

      if (strlen (name) != size || name[0] == '\0' || strchr (name, ' ') != NULL)
        continue;
      if (g_str_has_prefix (name, "*."))
        {
          const char *dot = strchr (host, '.');
          g_autofree char *first = dot != NULL ? g_strndup (host, dot - host) : g_strdup (host);

          /* *.provider.net for imap.example.com: offer imap.provider.net. */
          g_free (name);
          name = g_strconcat (first, name + 1, NULL);
        }
      if (strchr (name, '*') != NULL || strchr (name, '.') == NULL ||
          g_ascii_strcasecmp (name, host) == 0)
        continue;
      *proposed = g_ascii_strdown (name, -1);
      return TRUE;
    }

  return FALSE;
}

/* Whether a password can sign in where @result connected: some mechanism that takes one,
 * when the server lists any (IMAP has its LOGIN command besides, unless LOGINDISABLED; a
 * server that lists nothing is given the benefit of the doubt). */
static gboolean
offers_password_sign_in (const MailServerCheckResult *result)
{
  const char * const *mechanisms = (const char * const *) result->auth_mechanisms;

  if (mechanisms == NULL || mechanisms[0] == NULL)
    return result->protocol != MAIL_PROTOCOL_IMAP || result->capabilities == NULL ||
           !g_strv_contains ((const char * const *) result->capabilities, "LOGINDISABLED");
  if (g_strv_contains (mechanisms, "PLAIN") || g_strv_contains (mechanisms, "LOGIN"))
    return TRUE;

  return result->protocol == MAIL_PROTOCOL_IMAP && result->capabilities != NULL &&
         !g_strv_contains ((const char * const *) result->capabilities, "LOGINDISABLED");
}

static void
apply_probe_result (Detection                   *det,
                    Entry                       *entry,
                    const MailServerCheckResult *result)
{
  MailAutoconfigCandidate *candidate = entry->candidate;
  g_autofree char *proposed = NULL;

  entry->state = ENTRY_DONE;
  candidate->probed = TRUE;
  candidate->reachable = result->ok;
  if (result->auth_mechanisms != NULL && result->auth_mechanisms[0] != NULL)
    {
      g_strfreev (candidate->auth);
      candidate->auth = g_strdupv (result->auth_mechanisms);
    }
  g_set_object (&candidate->certificate, result->certificate);
  candidate->error_category = result->ok ? MAIL_ERROR_CATEGORY_NONE : result->category;
  g_free (candidate->error_message);
  candidate->error_message = g_strdup (result->message);

  if (result->ok && !offers_password_sign_in (result))
    {
      g_autofree char *mechanisms = g_strjoinv (" ", result->auth_mechanisms);

      /* It answers, but a password cannot sign in there (OAuth only, say). */
      candidate->reachable = FALSE;
      candidate->error_category = MAIL_ERROR_CATEGORY_MISSING_CAPABILITY;
      g_free (candidate->error_message);
      candidate->error_message =
        g_strdup_printf (_("The server %s offers no way of signing in with a password (it "
                           "offers %s)."), candidate->host, mechanisms);
      return;
    }

  if (result->ok)
    return;

  /* The server answered, in plaintext only: keep that as a last resort, never silently.
   * Not when bytes were slipped in after the STARTTLS reply, or the server claimed the
   * user was signed in before TLS: someone is tampering with that connection. */
  if (result->category == MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE &&
      candidate->security == MAIL_SECURITY_STARTTLS &&
      !g_error_matches (result->error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION) &&
      !g_error_matches (result->error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_PREAUTH))
    {
      MailAutoconfigCandidate *plain = mail_autoconfig_candidate_copy (candidate);
      Entry *twin;

      plain->security = MAIL_SECURITY_NONE;
      plain->trust = MAIL_AUTOCONFIG_TRUST_INSECURE;
      plain->reachable = TRUE;
      plain->error_category = MAIL_ERROR_CATEGORY_NONE;
      g_clear_pointer (&plain->error_message, g_free);
      if (!lookup_accepts (entry->lookup, plain))
        {
          /* The file named the plaintext form itself; its own probe says more. */
          mail_autoconfig_candidate_free (plain);
          return;
        }
      twin = lookup_add_candidate (entry->lookup, plain);
      twin->state = ENTRY_DONE;
      return;
    }

  /* A valid certificate for another host: propose that host rather than an override. */
  if (result->category == MAIL_ERROR_CATEGORY_TLS_CERTIFICATE &&
      candidate->source != MAIL_AUTOCONFIG_SOURCE_CERTIFICATE &&
      certificate_names_usable_host (result->certificate, candidate->host, &proposed))
    {
      MailAutoconfigCandidate *other = mail_autoconfig_candidate_copy (candidate);
      Entry *entry_other;

      g_free (other->host);
      other->host = g_steal_pointer (&proposed);
      g_free (other->origin);
      other->origin = g_strdup (candidate->host);
      other->source = MAIL_AUTOCONFIG_SOURCE_CERTIFICATE;
      other->probed = other->reachable = FALSE;
      other->error_category = MAIL_ERROR_CATEGORY_NONE;
      g_clear_pointer (&other->error_message, g_free);
      g_clear_object (&other->certificate);
      if (!mail_autoconfig_domain_contains (det->domain_ascii, other->host) &&
          other->trust == MAIL_AUTOCONFIG_TRUST_VERIFIED)
        other->trust = MAIL_AUTOCONFIG_TRUST_PLAUSIBLE;
      candidate_set_domains (other, candidate->host);
      if (!host_is_usable (other->host))
        {
          mail_autoconfig_candidate_free (other);
          return;
        }
      entry_other = lookup_add_candidate (entry->lookup, other);
      /* Rank it right after the host it replaces. */
      entry_other->index = entry->index;
      entry_start_probe (det, entry_other);
    }
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (Detection) det = user_data;
  g_autoptr (GPtrArray) results = mail_autoconfig_prober_run_finish (result, NULL);
  Probe *probe;
  g_autofree char *key = NULL;
  g_autoptr (GPtrArray) waiting = NULL;
  MailServerCheckResult *check;
  g_autofree char *outcome = NULL;
  g_autofree char *target = NULL;
  MailAutoconfigSource source;

  if (det->phase != PHASE_DISCOVERY || results == NULL || results->len == 0)
    return;

  check = g_ptr_array_index (results, 0);
  key = make_probe_key (check->protocol, check->host, check->port, check->security);
  probe = g_hash_table_lookup (det->probes, key);
  if (probe == NULL || probe->done)
    return;

  check = g_ptr_array_steal_index (results, 0);
  probe->done = TRUE;
  probe->result = check;
  waiting = g_steal_pointer (&probe->waiting);
  probe->waiting = g_ptr_array_new ();

  if (check->ok)
    {
      g_autofree char *mechanisms = check->auth_mechanisms != NULL
                                    ? g_strjoinv (" ", check->auth_mechanisms) : g_strdup ("");

      if (check->tls_version != NULL)
        outcome = g_strdup_printf (_("answered over %s; sign-in: %s"), check->tls_version,
                                   *mechanisms != '\0' ? mechanisms : _("no mechanism listed"));
      else
        outcome = g_strdup_printf (_("answered without encryption; sign-in: %s"),
                                   *mechanisms != '\0' ? mechanisms : _("no mechanism listed"));
    }
  else
    {
      outcome = g_strdup_printf ("%s: %s", mail_error_category_to_string (check->category),
                                 check->message != NULL ? check->message : "");
    }

  /* Several sources may have named this server; the step belongs to the best of them. */
  source = MAIL_AUTOCONFIG_SOURCE_CERTIFICATE;
  for (guint i = 0; i < waiting->len; i++)
    source = MIN (source, ((Entry *) g_ptr_array_index (waiting, i))->candidate->source);
  target = g_strdup_printf ("%s %s:%u (%s)", mail_protocol_to_display_name (check->protocol),
                            check->host, check->port, mail_security_to_string (check->security));
  add_step (det, source, target, probe->started, outcome);

  for (guint i = 0; i < waiting->len; i++)
    apply_probe_result (det, g_ptr_array_index (waiting, i), check);

  /* A name that does not exist does not exist on the other ports either. */
  if (g_error_matches (check->error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) &&
      det->guess != NULL)
    for (guint i = 0; i < det->guess->entries->len; i++)
      {
        Entry *entry = g_ptr_array_index (det->guess->entries, i);

        if (entry->state == ENTRY_WAITING &&
            g_ascii_strcasecmp (entry->candidate->host, check->host) == 0)
          apply_probe_result (det, entry, check);
      }

  advance (det);
}

static void
entry_start_probe (Detection *det,
                   Entry     *entry)
{
  g_autofree char *key = probe_key (entry->candidate);
  Probe *probe = g_hash_table_lookup (det->probes, key);

  if (entry->state != ENTRY_WAITING)
    return;

  entry->state = ENTRY_PROBING;

  if (probe != NULL && probe->done)
    {
      apply_probe_result (det, entry, probe->result);
      return;
    }
  if (probe != NULL)
    {
      g_ptr_array_add (probe->waiting, entry);
      return;
    }

  probe = g_new0 (Probe, 1);
  probe->key = g_strdup (key);
  probe->waiting = g_ptr_array_new ();
  probe->started = g_get_monotonic_time ();
  g_ptr_array_add (probe->waiting, entry);
  g_hash_table_insert (det->probes, probe->key, probe);

  mail_autoconfig_prober_run_async (entry->candidate, NULL, NULL, det->self->database,
                                    PROBE_TIMEOUT_SECONDS, det->cancellable, probe_done_cb,
                                    detection_ref (det));
}

/* Lookups answering ------------------------------------------------------------------ */

static gboolean
lookup_is_pending (Lookup *lookup)
{
  return lookup->state == LOOKUP_PENDING;
}

static void
lookup_fail (Detection  *det,
             Lookup     *lookup,
             const char *outcome)
{
  if (lookup->state != LOOKUP_PENDING)
    return;
  lookup->state = LOOKUP_FAILED;
  g_cancellable_cancel (lookup->cancellable);
  add_step (det, lookup->source, lookup->target, lookup->started, outcome);
}

/* HTTPS all the way from within the address's own domain is the domain speaking for
 * itself; HTTPS anywhere else (the ISPDB, a redirect away) is someone else's word; plain
 * HTTP anywhere, or a domain an MX record pointed at, can be anyone's. */
static MailAutoconfigTrust
trust_of_fetch (Detection  *det,
                Lookup     *lookup,
                const char *url,
                gboolean    all_https)
{
  g_autofree char *host = host_of_url (url);

  if (!all_https || lookup->source == MAIL_AUTOCONFIG_SOURCE_HTTP)
    return MAIL_AUTOCONFIG_TRUST_INSECURE;
  if (!lookup->ispdb && lookup->source != MAIL_AUTOCONFIG_SOURCE_ISPDB &&
      host != NULL && mail_autoconfig_domain_contains (det->domain_ascii, host))
    return MAIL_AUTOCONFIG_TRUST_VERIFIED;
  /* The MX record chose where to ask, and DNS can be spoofed: whoever answers there,
   * even over HTTPS, is only as good as that record. */
  if (lookup->source == MAIL_AUTOCONFIG_SOURCE_MX)
    return MAIL_AUTOCONFIG_TRUST_INSECURE;
  return MAIL_AUTOCONFIG_TRUST_PLAUSIBLE;
}

static char *
describe_candidates (Lookup *lookup)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < lookup->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (lookup->entries, i);
      g_autofree char *one = mail_autoconfig_candidate_describe (entry->candidate);

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, one);
    }

  return g_string_free (text, FALSE);
}

static void
lookup_answer_config (Detection            *det,
                      Lookup               *lookup,
                      MailAutoconfigResult *config,
                      const char           *origin,
                      MailAutoconfigTrust   trust)
{
  g_autofree char *origin_host = origin != NULL && strstr (origin, "://") != NULL
                                 ? host_of_url (origin) : NULL;
  g_autofree char *found = NULL;
  g_autofree char *outcome = NULL;

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *servers = pass == 0 ? config->incoming_servers : config->outgoing_servers;

      for (guint i = 0; i < servers->len; i++)
        {
          MailAutoconfigServer *server = g_ptr_array_index (servers, i);
          MailAutoconfigCandidate *candidate;
          guint16 port = server->port;

          if (server->hostname == NULL || *server->hostname == '\0')
            continue;
          if (port == 0)
            port = mail_protocol_default_port (server->protocol, server->security);
          candidate = mail_autoconfig_candidate_new (server->protocol, server->hostname, port,
                                                     server->security);
          candidate->username = g_strdup (server->username != NULL && *server->username != '\0'
                                          ? server->username : det->address);
          g_strfreev (candidate->auth);
          candidate->auth = mechanisms_from_file (server->auth_methods);
          candidate->source = lookup->source;
          candidate->origin = g_strdup (origin);
          candidate->trust = trust;
          candidate->has_pop3_hints = server->has_pop3_hints;
          candidate->pop3_hints = server->pop3_hints;
          candidate_set_domains (candidate, origin_host);
          lookup_add_with_upgrade (lookup, candidate);
        }
    }

  lookup->config = config;
  if (lookup->entries->len == 0)
    {
      lookup->state = LOOKUP_FAILED;
      add_step (det, lookup->source, lookup->target, lookup->started,
                _("the file names no usable server"));
      return;
    }

  lookup->state = LOOKUP_ANSWERED;
  found = describe_candidates (lookup);
  outcome = g_strdup_printf (_("found %s"), found);
  add_step (det, lookup->source, lookup->target, lookup->started, outcome);
  for (guint i = 0; i < config->warnings->len; i++)
    add_step (det, lookup->source, lookup->target, lookup->started,
              g_ptr_array_index (config->warnings, i));

  for (guint i = 0; i < lookup->entries->len; i++)
    entry_start_probe (det, g_ptr_array_index (lookup->entries, i));
}

typedef struct
{
  Detection *det;
  Lookup    *lookup;
} LookupCall;

static LookupCall *
lookup_call_new (Detection *det,
                 Lookup    *lookup)
{
  LookupCall *call = g_new0 (LookupCall, 1);

  call->det = detection_ref (det);
  call->lookup = lookup;

  return call;
}

static void
lookup_call_free (LookupCall *call)
{
  detection_unref (call->det);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LookupCall, lookup_call_free)

static gboolean
lookup_call_is_current (LookupCall *call)
{
  return call->det->phase == PHASE_DISCOVERY && call->lookup->state == LOOKUP_PENDING;
}

static char *
fetch_failure (const GError *error)
{
  return g_strdup_printf (_("nothing: %s"), error->message);
}

static void
fetch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (LookupCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAutoconfigFetched) fetched = mail_autoconfig_fetcher_fetch_finish (result, &error);
  Detection *det = call->det;
  MailAutoconfigTrust trust;

  if (!lookup_call_is_current (call))
    return;

  if (fetched == NULL)
    {
      g_autofree char *outcome = fetch_failure (error);

      lookup_fail (det, call->lookup, outcome);
      advance (det);
      return;
    }

  trust = trust_of_fetch (det, call->lookup, fetched->final_url, fetched->all_https);
  lookup_answer_config (det, call->lookup, g_steal_pointer (&fetched->config),
                        fetched->final_url, trust);
  advance (det);
}

static Lookup *
start_fetch (Detection            *det,
             MailAutoconfigSource  source,
             const char           *url,
             gint                  position)
{
  Lookup *lookup = lookup_new (det, source, url);

  if (position < 0)
    g_ptr_array_add (det->lookups, lookup);
  else
    g_ptr_array_insert (det->lookups, position, lookup);

  mail_autoconfig_fetcher_fetch_async (det->fetcher, url, det->address, lookup->cancellable,
                                       fetch_done_cb, lookup_call_new (det, lookup));

  return lookup;
}

static void
local_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (LookupCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  MailAutoconfigResult *config;

  config = mail_autoconfig_local_lookup_finish (result, &path, &error);
  if (!lookup_call_is_current (call))
    {
      g_clear_pointer (&config, mail_autoconfig_result_free);
      return;
    }

  if (config == NULL)
    {
      g_autofree char *outcome = fetch_failure (error);

      lookup_fail (call->det, call->lookup, outcome);
    }
  else
    {
      g_free (call->lookup->target);
      call->lookup->target = g_strdup (path);
      lookup_answer_config (call->det, call->lookup, config, path,
                            MAIL_AUTOCONFIG_TRUST_VERIFIED);
    }
  advance (call->det);
}

static char *
ispdb_url (Detection  *det,
           const char *domain)
{
  const char *base = det->self->ispdb_url;

  if (base == NULL || *base == '\0')
    return NULL;
  if (strstr (base, "{{domain}}") != NULL)
    {
      g_autoptr (GString) url = g_string_new (base);

      g_string_replace (url, "{{domain}}", domain, 0);
      return g_string_free (g_steal_pointer (&url), FALSE);
    }
  return g_strconcat (base, g_str_has_suffix (base, "/") ? "" : "/", domain, NULL);
}

static void
mx_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (LookupCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *mx = mail_autoconfig_dns_lookup_mx_finish (result, &error);
  Detection *det = call->det;
  Lookup *lookup = call->lookup;
  g_autofree char *outcome = NULL;
  const char *domains[2] = { NULL, NULL };
  g_autofree char *parent = NULL;
  g_autofree char *registrable = NULL;
  guint position;

  if (!lookup_call_is_current (call))
    return;

  if (mx == NULL)
    {
      outcome = fetch_failure (error);
      lookup_fail (det, lookup, outcome);
      advance (det);
      return;
    }

  parent = mail_autoconfig_domain_parent (mx);
  registrable = mail_autoconfig_domain_registrable (mx);
  /* What the address's own domain publishes is asked for anyway. */
  if (parent != NULL && g_ascii_strcasecmp (parent, det->domain_ascii) != 0)
    domains[0] = parent;
  if (registrable != NULL && g_strcmp0 (registrable, parent) != 0 &&
      g_ascii_strcasecmp (registrable, det->domain_ascii) != 0)
    domains[1] = registrable;

  /* The MX lookup itself is done; what it leads to takes its place in the order. */
  lookup->state = LOOKUP_FAILED;
  if (domains[0] == NULL && domains[1] == NULL)
    outcome = g_strdup_printf (_("%s, within the address’s own domain"), mx);
  else
    outcome = g_strdup_printf (_("%s: asking its domain"), mx);
  add_step (det, lookup->source, lookup->target, lookup->started, outcome);

  g_ptr_array_find (det->lookups, lookup, &position);
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      g_autofree char *https = NULL;
      g_autofree char *ispdb = NULL;

      if (domains[i] == NULL)
        continue;
      /* The address itself stays with its own domain. */
      https = g_strdup_printf ("https://autoconfig.%s/mail/config-v1.1.xml", domains[i]);
      start_fetch (det, MAIL_AUTOCONFIG_SOURCE_MX, https, (gint) ++position);
      ispdb = ispdb_url (det, domains[i]);
      if (ispdb != NULL)
        start_fetch (det, MAIL_AUTOCONFIG_SOURCE_MX, ispdb, (gint) ++position)->ispdb = TRUE;
    }

  advance (det);
}

static void
srv_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (LookupCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailAutoconfigSrvAnswer) answer = NULL;
  Detection *det = call->det;
  Lookup *lookup = call->lookup;
  g_autofree char *found = NULL;
  g_autofree char *outcome = NULL;

  answer = mail_autoconfig_dns_lookup_srv_finish (result, &error);
  if (!lookup_call_is_current (call))
    return;

  if (answer == NULL)
    {
      outcome = fetch_failure (error);
      lookup_fail (det, lookup, outcome);
      advance (det);
      return;
    }

  for (guint i = 0; i < answer->not_offered->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("_%s._tcp.%s",
                                               (char *) g_ptr_array_index (answer->not_offered, i),
                                               det->domain_ascii);

      add_step (det, lookup->source, name, lookup->started, _("not offered (target “.”)"));
    }

  for (guint i = 0; i < answer->records->len; i++)
    {
      MailAutoconfigSrv *record = g_ptr_array_index (answer->records, i);
      MailAutoconfigCandidate *candidate;

      candidate = mail_autoconfig_candidate_new (record->protocol, record->host, record->port,
                                                 record->security);
      candidate->username = g_strdup (det->address);
      candidate->source = MAIL_AUTOCONFIG_SOURCE_SRV;
      candidate->origin = g_strdup_printf ("_%s._tcp.%s", record->service, det->domain_ascii);
      candidate->trust = mail_autoconfig_domain_contains (det->domain_ascii, record->host)
                         ? MAIL_AUTOCONFIG_TRUST_VERIFIED : MAIL_AUTOCONFIG_TRUST_INSECURE;
      candidate_set_domains (candidate, det->domain_ascii);
      if (lookup_accepts (lookup, candidate))
        lookup_add_candidate (lookup, candidate);
      else
        mail_autoconfig_candidate_free (candidate);
    }

  if (lookup->entries->len == 0)
    {
      lookup_fail (det, lookup, answer->not_offered->len > 0
                                ? _("no service offered") : _("no records"));
      advance (det);
      return;
    }

  lookup->state = LOOKUP_ANSWERED;
  found = describe_candidates (lookup);
  outcome = g_strdup_printf (_("found %s"), found);
  add_step (det, lookup->source, lookup->target, lookup->started, outcome);
  for (guint i = 0; i < lookup->entries->len; i++)
    entry_start_probe (det, g_ptr_array_index (lookup->entries, i));
  advance (det);
}

/* Guessing: the likely hosts and ports. Each wave interleaves its groups host by host, so
 * that the best incoming and the best outgoing guess are both probed first; the order of
 * creation is also the rank within a protocol and security (entry_compare). */
static void
add_guesses (Detection *det)
{
  typedef struct
  {
    MailProtocol  protocol;
    guint16       port;
    MailSecurity  security;
    const char   *prefixes[5];
  } Group;
  static const Group imaps = {
    MAIL_PROTOCOL_IMAP, 993, MAIL_SECURITY_TLS, { "imap.", "mail.", "", NULL }
  };
  static const Group smtps = {
    MAIL_PROTOCOL_SMTP, 465, MAIL_SECURITY_TLS, { "smtp.", "mail.", "", NULL }
  };
  static const Group pop3s = {
    MAIL_PROTOCOL_POP3, 995, MAIL_SECURITY_TLS, { "pop3.", "pop.", "mail.", "", NULL }
  };
  static const Group imap = {
    MAIL_PROTOCOL_IMAP, 143, MAIL_SECURITY_STARTTLS, { "imap.", "mail.", "", NULL }
  };
  static const Group submission = {
    MAIL_PROTOCOL_SMTP, 587, MAIL_SECURITY_STARTTLS, { "smtp.", "mail.", "", NULL }
  };
  static const Group pop3 = {
    MAIL_PROTOCOL_POP3, 110, MAIL_SECURITY_STARTTLS, { "pop3.", "pop.", "mail.", "", NULL }
  };
  static const Group smtp = {
    MAIL_PROTOCOL_SMTP, 25, MAIL_SECURITY_STARTTLS, { "smtp.", "mail.", "", NULL }
  };
  static const Group * const waves[][2] = {
    { &imaps, &smtps }, { &pop3s, NULL }, { &imap, &submission }, { &pop3, NULL }, { &smtp, NULL },
  };
  Lookup *lookup = lookup_new (det, MAIL_AUTOCONFIG_SOURCE_GUESS, det->domain_ascii);

  for (guint w = 0; w < G_N_ELEMENTS (waves); w++)
    for (guint j = 0; j < G_N_ELEMENTS (imaps.prefixes); j++)
      for (guint g = 0; g < G_N_ELEMENTS (waves[w]); g++)
        {
          const Group *group = waves[w][g];
          g_autofree char *host = NULL;
          MailAutoconfigCandidate *candidate;

          if (group == NULL || j >= g_strv_length ((char **) group->prefixes))
            continue;
          host = g_strconcat (group->prefixes[j], det->domain_ascii, NULL);
          candidate = mail_autoconfig_candidate_new (group->protocol, host, group->port,
                                                     group->security);
          candidate->username = g_strdup (det->address);
          candidate->source = MAIL_AUTOCONFIG_SOURCE_GUESS;
          candidate->origin = g_strdup (det->domain_ascii);
          candidate->trust = MAIL_AUTOCONFIG_TRUST_VERIFIED;
          candidate_set_domains (candidate, NULL);
          lookup_add_candidate (lookup, candidate);
        }

  lookup->state = LOOKUP_ANSWERED;
  det->guess = lookup;
  g_ptr_array_add (det->lookups, lookup);
}

static gboolean
guess_next_cb (gpointer data)
{
  Detection *det = data;

  /* Skip what an earlier source already asked for. */
  while (det->guess_next < det->guess->entries->len)
    {
      Entry *entry = g_ptr_array_index (det->guess->entries, det->guess_next++);
      g_autofree char *key = probe_key (entry->candidate);
      gboolean known = entry->state != ENTRY_WAITING || g_hash_table_contains (det->probes, key);

      entry_start_probe (det, entry);
      if (!known)
        break;
    }

  if (det->guess_next < det->guess->entries->len)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&det->guess_source, g_source_unref);
  advance (det);
  return G_SOURCE_REMOVE;
}

static void
start_guessing (Detection *det)
{
  if (det->guess_started || det->phase != PHASE_DISCOVERY)
    return;

  det->guess_started = TRUE;
  destroy_source (&det->guess_source);
  det->guess_source = detection_add_timeout (det, GUESS_STAGGER_MS, guess_next_cb);
}

static gboolean
guess_head_start_cb (gpointer data)
{
  Detection *det = data;

  g_clear_pointer (&det->guess_source, g_source_unref);
  start_guessing (det);

  return G_SOURCE_REMOVE;
}

/* Whether every source above guessing has finished without a server that answered. */
static gboolean
published_sources_exhausted (Detection *det)
{
  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      if (lookup == det->guess || lookup->state == LOOKUP_FAILED)
        continue;
      if (lookup->state == LOOKUP_PENDING)
        return FALSE;
      for (guint j = 0; j < lookup->entries->len; j++)
        {
          Entry *entry = g_ptr_array_index (lookup->entries, j);

          if (entry->state != ENTRY_DONE || entry->candidate->reachable)
            return FALSE;
        }
    }

  return TRUE;
}

/* Deciding ---------------------------------------------------------------------------- */

typedef enum
{
  DECISION_WAIT,
  DECISION_FOUND,
  DECISION_NONE,
} Decision;

/* @lookup's candidates for @direction (without plaintext ones unless @allow_plain), best
 * first. */
static GPtrArray *
ranked_entries (Lookup   *lookup,
                guint     direction,
                gboolean  allow_plain)
{
  GPtrArray *ranked = g_ptr_array_new ();

  for (guint j = 0; j < lookup->entries->len; j++)
    {
      Entry *entry = g_ptr_array_index (lookup->entries, j);

      if (direction_of (entry->candidate->protocol) == direction &&
          (allow_plain || entry->candidate->security != MAIL_SECURITY_NONE))
        g_ptr_array_add (ranked, entry);
    }
  g_ptr_array_sort (ranked, entry_compare);

  return ranked;
}

static Decision
decide (Detection  *det,
        guint       direction,
        gboolean    allow_plain,
        Lookup    **winner)
{
  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);
      g_autoptr (GPtrArray) ranked = NULL;

      if (lookup->state == LOOKUP_PENDING)
        return DECISION_WAIT;
      if (lookup->state == LOOKUP_FAILED)
        continue;

      ranked = ranked_entries (lookup, direction, allow_plain);
      for (guint j = 0; j < ranked->len; j++)
        {
          Entry *entry = g_ptr_array_index (ranked, j);

          if (entry->state != ENTRY_DONE)
            return DECISION_WAIT;
          if (entry->candidate->reachable)
            {
              *winner = lookup;
              return DECISION_FOUND;
            }
        }
    }

  return DECISION_NONE;
}

static GPtrArray *
chosen_candidates (Lookup   *lookup,
                   guint     direction,
                   gboolean  allow_plain)
{
  g_autoptr (GPtrArray) ranked = ranked_entries (lookup, direction, allow_plain);
  GPtrArray *chosen = g_ptr_array_new_with_free_func (CANDIDATE_FREE);

  for (guint j = 0; j < ranked->len; j++)
    {
      Entry *entry = entry_at (ranked, j);

      /* What a source named but was not probed before the decision stays, as named. */
      if (entry->state == ENTRY_DONE ? entry->candidate->reachable
                                     : lookup->source != MAIL_AUTOCONFIG_SOURCE_GUESS)
        g_ptr_array_add (chosen, mail_autoconfig_candidate_copy (entry->candidate));
    }

  return chosen;
}

/* What answered badly: every failed server a source named, and the guessed ones that
 * exist but could not be used as they are (a certificate, no TLS). */
static void
collect_rejected (Detection *det,
                  GPtrArray *rejected)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      for (guint j = 0; j < lookup->entries->len; j++)
        {
          Entry *entry = g_ptr_array_index (lookup->entries, j);
          MailAutoconfigCandidate *candidate = entry->candidate;
          MailErrorCategory category = candidate->error_category;
          char *key;

          if (entry->state != ENTRY_DONE || category == MAIL_ERROR_CATEGORY_NONE)
            continue;
          if (lookup == det->guess && category != MAIL_ERROR_CATEGORY_TLS_CERTIFICATE &&
              category != MAIL_ERROR_CATEGORY_TLS_REQUIRED &&
              category != MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE)
            continue;
          key = probe_key (candidate);
          if (!g_hash_table_add (seen, key))
            continue;
          g_ptr_array_add (rejected, mail_autoconfig_candidate_copy (candidate));
        }
    }
}

/* " Its SHA-256 fingerprint is …" after a refused certificate, so that the user can
 * compare it with what the provider publishes; "" otherwise. */
static char *
describe_fingerprint (const MailAutoconfigCandidate *candidate)
{
  const char *fingerprint;

  if (candidate->error_category != MAIL_ERROR_CATEGORY_TLS_CERTIFICATE ||
      candidate->certificate == NULL)
    return g_strdup ("");
  fingerprint = mail_certificate_info_get_fingerprint (candidate->certificate);

  return g_strdup_printf (_(" Its SHA-256 fingerprint is %s."), fingerprint);
}

/* The most telling failure for a direction when nothing is usable: the first server that
 * answered badly (report->rejected, in priority order), or nothing found at all. */
static void
set_not_found (Detection *det,
               guint      direction)
{
  MailAutoconfigReport *report = det->report;
  GError **error = direction == DIRECTION_INCOMING ? &report->incoming_error
                                                    : &report->outgoing_error;
  MailErrorCategory *category = direction == DIRECTION_INCOMING ? &report->incoming_category
                                                                 : &report->outgoing_category;

  for (guint i = 0; i < report->rejected->len; i++)
    {
      MailAutoconfigCandidate *candidate = g_ptr_array_index (report->rejected, i);
      g_autofree char *fingerprint = NULL;

      if (direction_of (candidate->protocol) != direction)
        continue;
      fingerprint = describe_fingerprint (candidate);
      *category = candidate->error_category;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s server %s:%u was found (%s) but could not be used: %s%s"),
                   mail_protocol_to_display_name (candidate->protocol), candidate->host,
                   candidate->port, mail_autoconfig_source_to_string (candidate->source),
                   candidate->error_message != NULL ? candidate->error_message : "",
                   fingerprint);
      return;
    }

  *category = MAIL_ERROR_CATEGORY_NOT_FOUND;
  if (direction == DIRECTION_INCOMING)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No incoming mail server (IMAP or POP3) was found for %s."), det->domain);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No outgoing mail server (SMTP) was found for %s."), det->domain);
}

static void
stop_discovery (Detection *det)
{
  destroy_source (&det->early_source);
  destroy_source (&det->guess_source);
  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      lookup_fail (det, lookup, _("not needed: a better source answered"));
      g_cancellable_cancel (lookup->cancellable);
    }
  g_cancellable_cancel (det->cancellable);
}

static void start_verification (Detection *det);

static void
advance (Detection *det)
{
  if (det->phase != PHASE_DISCOVERY)
    return;

  if (!det->guess_started && published_sources_exhausted (det))
    start_guessing (det);

  for (guint d = 0; d < N_DIRECTIONS; d++)
    {
      Lookup *winner = NULL;
      Decision decision;
      gboolean plain = FALSE;

      if (det->decided[d])
        continue;

      decision = decide (det, d, FALSE, &winner);
      if (decision == DECISION_NONE)
        {
          plain = TRUE;
          decision = decide (det, d, TRUE, &winner);
        }
      if (decision == DECISION_WAIT)
        continue;

      det->decided[d] = TRUE;
      det->winner[d] = winner;
      if (decision == DECISION_FOUND)
        det->chosen[d] = chosen_candidates (winner, d, plain);
      else
        det->chosen[d] = g_ptr_array_new_with_free_func (CANDIDATE_FREE);
    }

  if (!det->decided[DIRECTION_INCOMING] || !det->decided[DIRECTION_OUTGOING])
    return;

  stop_discovery (det);
  collect_rejected (det, det->report->rejected);
  for (guint d = 0; d < N_DIRECTIONS; d++)
    if (det->chosen[d]->len == 0)
      set_not_found (det, d);

  det->phase = PHASE_VERIFICATION;
  start_verification (det);
}

/* Gives up on whatever has not answered yet and decides with the rest. */
static void
give_up_pending (Detection  *det,
                 const char *reason)
{
  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      if (lookup_is_pending (lookup))
        lookup_fail (det, lookup, reason);
    }
}

/* Gives up on the probes of @lookup that have not answered yet. */
static void
give_up_entries (Detection *det,
                 Lookup    *lookup)
{
  if (lookup == NULL)
    return;

  for (guint j = 0; j < lookup->entries->len; j++)
    {
      Entry *entry = g_ptr_array_index (lookup->entries, j);
      EntryState was = entry->state;

      if (was == ENTRY_DONE)
        continue;
      entry->state = ENTRY_DONE;
      entry->candidate->reachable = FALSE;
      if (was == ENTRY_PROBING)
        {
          entry->candidate->error_category = MAIL_ERROR_CATEGORY_TIMEOUT;
          g_free (entry->candidate->error_message);
          entry->candidate->error_message = g_strdup (_("No answer within the time limit."));
        }
    }
}

/* Gives up on every lookup and probe still running: what has not answered by now counts
 * as not answering. */
static void
give_up_everything (Detection  *det,
                    const char *reason)
{
  give_up_pending (det, reason);
  for (guint i = 0; i < det->lookups->len; i++)
    give_up_entries (det, g_ptr_array_index (det->lookups, i));
}

static gboolean
early_answer_cb (gpointer data)
{
  Detection *det = data;
  gboolean have_answer = FALSE;

  g_clear_pointer (&det->early_source, g_source_unref);

  for (guint i = 0; i < det->lookups->len; i++)
    {
      Lookup *lookup = g_ptr_array_index (det->lookups, i);

      if (lookup->state == LOOKUP_ANSWERED &&
          (lookup->source == MAIL_AUTOCONFIG_SOURCE_HTTPS ||
           lookup->source == MAIL_AUTOCONFIG_SOURCE_ISPDB ||
           lookup->source == MAIL_AUTOCONFIG_SOURCE_MX ||
           lookup->source == MAIL_AUTOCONFIG_SOURCE_SRV))
        have_answer = TRUE;
    }

  /* What answered goes on being probed (each probe has its own short timeouts); what has
   * not answered by now, and guessing, are given up. */
  if (have_answer)
    {
      give_up_pending (det, _("given up: a settings file or SRV record answered, and the "
                              "answer is due within five seconds"));
      give_up_entries (det, det->guess);
      destroy_source (&det->guess_source);
      advance (det);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
budget_cb (gpointer data)
{
  Detection *det = data;

  g_clear_pointer (&det->budget_source, g_source_unref);

  if (det->phase == PHASE_DISCOVERY)
    {
      give_up_everything (det, _("given up: the time limit was reached"));
      advance (det);
    }
  else if (det->phase == PHASE_VERIFICATION)
    {
      g_cancellable_cancel (det->verify_cancellable);
    }

  return G_SOURCE_REMOVE;
}

/* Verification ------------------------------------------------------------------------ */

typedef struct
{
  Detection *det;
  guint      direction;
  guint      index;
  gint64     started;
} VerifyCall;

static void verify_candidate (Detection *det, guint direction, guint index);

static char **
username_forms (Detection                     *det,
                const MailAutoconfigCandidate *candidate)
{
  const char *forms[] = { candidate->username, det->address, det->local_part };
  GPtrArray *users = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (forms) && users->len < 2; i++)
    {
      gboolean seen = FALSE;

      if (forms[i] == NULL || *forms[i] == '\0')
        continue;
      for (guint j = 0; j < users->len; j++)
        seen = seen || strcmp (g_ptr_array_index (users, j), forms[i]) == 0;
      if (!seen)
        g_ptr_array_add (users, g_strdup (forms[i]));
    }
  g_ptr_array_add (users, NULL);

  return (char **) g_ptr_array_free (users, FALSE);
}

/**
 * mail_autoconfig_text_asks_for_app_password:
 * @text: (nullable): what a server said when it refused a sign-in
 *
 * Providers that want an app password, or IMAP/POP3 turned on in their web settings,
 * refuse the ordinary password with a telling text (Gmail's "[ALERT] Application-specific
 * password required", Yahoo's and Outlook's "web login required", ...).
 *
 * Returns: whether @text says so
 */
gboolean
mail_autoconfig_text_asks_for_app_password (const char *text)
{
  static const char * const hints[] = {
    "application-specific password", "app password", "app-specific password",
    "apppassword", "webalert", "web login required", "log in via your web browser",
    "enable imap", "imap access is disabled", "imap is disabled", "not enabled for imap",
    "pop access is disabled", "enable pop", "less secure app",
  };
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  for (guint i = 0; i < G_N_ELEMENTS (hints); i++)
    if (strstr (lower, hints[i]) != NULL)
      return TRUE;

  return FALSE;
}

static void
set_direction_error (Detection         *det,
                     guint              direction,
                     MailErrorCategory  category,
                     const char        *message)
{
  MailAutoconfigReport *report = det->report;

  if (direction == DIRECTION_INCOMING)
    {
      g_clear_error (&report->incoming_error);
      report->incoming_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
      report->incoming_category = category;
    }
  else
    {
      g_clear_error (&report->outgoing_error);
      report->outgoing_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
      report->outgoing_category = category;
    }
}

/* Whether the password may go to @candidate: the same gate for the first sign-in and for
 * every fallback. When not, the trace says why it was not tried. */
static gboolean
may_sign_in (Detection                     *det,
             const MailAutoconfigCandidate *candidate)
{
  g_autofree char *target = NULL;

  /* The password never goes over an unencrypted connection from here, nor to a server
   * that only someone else's word (the ISPDB, DNS, plain HTTP, another host's certificate)
   * named, unless the caller approved exactly that host. */
  if (mail_autoconfig_candidate_may_sign_in (candidate,
                                             (const char * const *) det->approved_hosts, FALSE))
    return TRUE;

  target = g_strdup_printf (_("sign in to %s:%u"), candidate->host, candidate->port);
  add_step (det, candidate->source, target, g_get_monotonic_time (),
            candidate->security == MAIL_SECURITY_NONE
            ? _("not attempted: the connection is not encrypted")
            : _("not attempted: these settings need your approval first"));

  return FALSE;
}

/* The first chosen candidate of @direction from @from on that may be signed in to, or -1. */
static int
next_sign_in (Detection *det,
              guint      direction,
              guint      from)
{
  GPtrArray *chosen = det->chosen[direction];

  for (guint i = from; i < chosen->len && i < MAX_LOGIN_CANDIDATES; i++)
    if (may_sign_in (det, g_ptr_array_index (chosen, i)))
      return (int) i;

  return -1;
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  VerifyCall *call = user_data;
  g_autoptr (Detection) det = call->det;
  g_autoptr (GPtrArray) results = mail_autoconfig_prober_run_finish (result, NULL);
  guint direction = call->direction;
  guint index = call->index;
  MailAutoconfigCandidate *candidate;
  MailServerCheckResult *last;
  gint64 started = call->started;
  g_auto (GStrv) users = NULL;
  int next;

  g_free (call);
  if (det->phase != PHASE_VERIFICATION)
    return;

  candidate = g_ptr_array_index (det->chosen[direction], index);
  users = username_forms (det, candidate);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      MailServerCheckResult *attempt = g_ptr_array_index (results, i);
      g_autofree char *target = g_strdup_printf (_("sign in to %s:%u"), candidate->host,
                                                 candidate->port);
      g_autofree char *outcome = NULL;

      if (attempt->authenticated)
        outcome = g_strdup_printf (_("signed in as “%s”"), users[i]);
      else if (attempt->category == MAIL_ERROR_CATEGORY_AUTH_FAILED)
        outcome = g_strdup_printf (_("refused “%s”: %s"), users[i],
                                   attempt->message != NULL ? attempt->message : "");
      else
        outcome = g_strdup_printf ("%s: %s", mail_error_category_to_string (attempt->category),
                                   attempt->message != NULL ? attempt->message : "");
      add_step (det, candidate->source, target, started, outcome);
    }

  last = results != NULL && results->len > 0 ? g_ptr_array_index (results, results->len - 1) : NULL;

  if (last != NULL && last->authenticated)
    {
      candidate->verified = TRUE;
      g_free (candidate->username);
      candidate->username = g_strdup (users[results->len - 1]);
      if (last->auth_mechanisms != NULL && last->auth_mechanisms[0] != NULL)
        {
          g_strfreev (candidate->auth);
          candidate->auth = g_strdupv (last->auth_mechanisms);
        }
      /* The best candidate works: it goes first. */
      if (index > 0)
        {
          MailAutoconfigCandidate *moved = g_ptr_array_steal_index (det->chosen[direction], index);

          g_ptr_array_insert (det->chosen[direction], 0, moved);
        }
    }
  else if (last == NULL || g_cancellable_is_cancelled (det->verify_cancellable))
    {
      set_direction_error (det, direction, MAIL_ERROR_CATEGORY_TIMEOUT,
                           _("Signing in took longer than the time limit."));
    }
  else if (last->category == MAIL_ERROR_CATEGORY_AUTH_FAILED ||
           mail_autoconfig_text_asks_for_app_password (last->message))
    {
      g_autofree char *message = NULL;
      gboolean app = mail_autoconfig_text_asks_for_app_password (last->message);

      candidate->error_category = app ? MAIL_ERROR_CATEGORY_APP_PASSWORD : last->category;
      g_free (candidate->error_message);
      candidate->error_message = g_strdup (last->message);
      if (app)
        message = g_strdup_printf (_("%s does not let mail applications sign in with this "
                                     "password: it asks for an app password, or for mail "
                                     "access to be turned on in its web settings (%s)."),
                                   candidate->host, last->message);
      else if (results->len > 1)
        message = g_strdup_printf (_("The %s server %s did not accept the password for %s "
                                     "(tried as “%s” and as “%s”)."),
                                   mail_protocol_to_display_name (candidate->protocol),
                                   candidate->host, det->address, users[0], users[1]);
      else
        message = g_strdup_printf (_("The %s server %s did not accept the password for %s."),
                                   mail_protocol_to_display_name (candidate->protocol),
                                   candidate->host, det->address);
      set_direction_error (det, direction, candidate->error_category, message);
    }
  else if ((next = next_sign_in (det, direction, index + 1)) >= 0)
    {
      /* That server failed for another reason; the next candidate may work, if the
       * password may go there as well. */
      candidate->error_category = last->category;
      g_free (candidate->error_message);
      candidate->error_message = g_strdup (last->message);
      verify_candidate (det, direction, next);
      return;
    }
  else
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not sign in to the %s server %s: %s"),
                                 mail_protocol_to_display_name (candidate->protocol),
                                 candidate->host, last->message != NULL ? last->message : "");

      candidate->error_category = last->category;
      set_direction_error (det, direction, last->category, message);
    }

  if (--det->verifying == 0)
    finish (det);
}

static void
verify_candidate (Detection *det,
                  guint      direction,
                  guint      index)
{
  MailAutoconfigCandidate *candidate = g_ptr_array_index (det->chosen[direction], index);
  g_auto (GStrv) users = username_forms (det, candidate);
  VerifyCall *call = g_new0 (VerifyCall, 1);
  gint64 left;
  guint timeout;

  call->det = detection_ref (det);
  call->direction = direction;
  call->index = index;
  call->started = g_get_monotonic_time ();
  /* What is left of the budget, but time for a slow server to say hello all the same. */
  left = (gint64) det->self->budget - detection_elapsed_ms (det) / 1000;
  timeout = (guint) CLAMP (left, 2, LOGIN_TIMEOUT_SECONDS);
  mail_autoconfig_prober_run_async (candidate, (const char * const *) users, det->password,
                                    det->self->database, timeout, det->verify_cancellable,
                                    verify_done_cb, call);
}

static void
start_verification (Detection *det)
{
  if (det->password == NULL || !det->verify)
    {
      finish (det);
      return;
    }

  /* Approving in advance approves what the user is shown: the first choice of each
   * direction, by its host. A fallback to another host is not covered. */
  for (guint d = 0; d < N_DIRECTIONS; d++)
    if (det->self->approved && det->chosen[d]->len > 0)
      {
        MailAutoconfigCandidate *best = g_ptr_array_index (det->chosen[d], 0);

        if (best->security != MAIL_SECURITY_NONE)
          det->approved_hosts[d] = g_strdup (best->host);
      }

  for (guint d = 0; d < N_DIRECTIONS; d++)
    {
      /* When the first choice may not be signed in to, the next is not tried in its place:
       * the first choice is what the user will be asked to approve. */
      if (det->chosen[d]->len == 0 || !may_sign_in (det, g_ptr_array_index (det->chosen[d], 0)))
        continue;
      det->verifying++;
      verify_candidate (det, d, 0);
    }

  if (det->verifying == 0)
    finish (det);
}

/* Finishing ---------------------------------------------------------------------------- */

static void
add_instructions (Detection *det,
                  Lookup    *lookup)
{
  GPtrArray *instructions = det->report->instructions;

  if (lookup == NULL || lookup->config == NULL)
    return;

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *links = pass == 0 ? lookup->config->instructions : lookup->config->documentation;

      for (guint i = 0; i < links->len; i++)
        {
          MailAutoconfigLink *link = g_ptr_array_index (links, i);
          const char *text = NULL;
          g_autofree char *line = NULL;
          gboolean seen = FALSE;

          if (link->texts != NULL && link->texts->len > 0)
            text = ((MailAutoconfigText *) g_ptr_array_index (link->texts, 0))->text;
          if (text != NULL && link->url != NULL)
            line = g_strdup_printf ("%s (%s)", text, link->url);
          else
            line = g_strdup (text != NULL ? text : link->url);
          if (line == NULL)
            continue;
          for (guint j = 0; j < instructions->len; j++)
            seen = seen || strcmp (g_ptr_array_index (instructions, j), line) == 0;
          if (!seen)
            g_ptr_array_add (instructions, g_steal_pointer (&line));
        }
    }
}

static void
finish (Detection *det)
{
  MailAutoconfigReport *report;
  GTask *task;

  if (det->phase == PHASE_FINISHED)
    return;
  if (det->phase == PHASE_DISCOVERY)
    stop_discovery (det);
  det->phase = PHASE_FINISHED;
  g_cancellable_cancel (det->verify_cancellable);
  destroy_source (&det->cancel_source);
  destroy_source (&det->budget_source);
  destroy_source (&det->early_source);
  destroy_source (&det->guess_source);

  report = det->report;
  for (guint d = 0; d < N_DIRECTIONS; d++)
    {
      GPtrArray *target = d == DIRECTION_INCOMING ? report->incoming : report->outgoing;

      if (det->chosen[d] != NULL)
        for (guint i = 0; i < det->chosen[d]->len; i++)
          g_ptr_array_add (target,
                           mail_autoconfig_candidate_copy (g_ptr_array_index (det->chosen[d], i)));
    }
  add_instructions (det, det->winner[DIRECTION_INCOMING]);
  if (det->winner[DIRECTION_OUTGOING] != det->winner[DIRECTION_INCOMING])
    add_instructions (det, det->winner[DIRECTION_OUTGOING]);
  report->elapsed_ms = detection_elapsed_ms (det);
  det->report = NULL;

  task = g_steal_pointer (&det->task);
  g_task_return_pointer (task, report, (GDestroyNotify) mail_autoconfig_report_free);
  g_object_unref (task);
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      data)
{
  Detection *det = data;
  GTask *task;

  g_clear_pointer (&det->cancel_source, g_source_unref);
  if (det->phase == PHASE_FINISHED)
    return G_SOURCE_REMOVE;

  det->phase = PHASE_FINISHED;
  g_cancellable_cancel (det->cancellable);
  g_cancellable_cancel (det->verify_cancellable);
  for (guint i = 0; i < det->lookups->len; i++)
    g_cancellable_cancel (((Lookup *) g_ptr_array_index (det->lookups, i))->cancellable);
  destroy_source (&det->budget_source);
  destroy_source (&det->early_source);
  destroy_source (&det->guess_source);

  task = g_steal_pointer (&det->task);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Automatic setup was cancelled."));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* GObject ------------------------------------------------------------------------------ */

static void
mail_autoconfig_finalize (GObject *object)
{
  MailAutoconfig *self = MAIL_AUTOCONFIG (object);

  g_clear_object (&self->database);
  g_free (self->ispdb_url);
  g_strfreev (self->local_dirs);

  G_OBJECT_CLASS (mail_autoconfig_parent_class)->finalize (object);
}

static void
mail_autoconfig_class_init (MailAutoconfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mail_autoconfig_finalize;

  /**
   * MailAutoconfig::step:
   * @self: the detector
   * @step: (type MailAutoconfigStep): the step that just ended, valid during the emission
   *
   * Emitted on the detection's main context as each step of a detection ends: for a
   * progress display.
   */
  signals[SIGNAL_STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
mail_autoconfig_init (MailAutoconfig *self)
{
  self->ispdb_url = g_strdup (MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL);
  self->local_dirs = mail_autoconfig_default_local_dirs ();
  self->budget = MAIL_AUTOCONFIG_DEFAULT_BUDGET;
  self->verify = TRUE;
}

/**
 * mail_autoconfig_new:
 *
 * Returns: (transfer full): a detector with the default ISPDB, local directories and budget
 */
MailAutoconfig *
mail_autoconfig_new (void)
{
  return g_object_new (MAIL_TYPE_AUTOCONFIG, NULL);
}

/**
 * mail_autoconfig_set_tls_database:
 * @self: a detector
 * @database: (nullable): the certificate authorities to trust; %NULL for the system's
 */
void
mail_autoconfig_set_tls_database (MailAutoconfig *self,
                                  GTlsDatabase   *database)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_set_object (&self->database, database);
}

/**
 * mail_autoconfig_set_ispdb_url:
 * @self: a detector
 * @url: (nullable): the ISPDB base URL (the domain is appended, or replaces `{{domain}}`);
 *   %NULL or "" to not ask the ISPDB
 */
void
mail_autoconfig_set_ispdb_url (MailAutoconfig *self,
                               const char     *url)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_free (self->ispdb_url);
  self->ispdb_url = g_strdup (url);
}

/**
 * mail_autoconfig_set_local_dirs:
 * @self: a detector
 * @dirs: (array zero-terminated=1): directories of `DOMAIN.xml` provider files, first wins
 */
void
mail_autoconfig_set_local_dirs (MailAutoconfig     *self,
                                const char * const *dirs)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  g_strfreev (self->local_dirs);
  self->local_dirs = g_strdupv ((char **) dirs);
}

/**
 * mail_autoconfig_set_budget:
 * @self: a detector
 * @seconds: the hard limit of a detection; 0 for the default
 */
void
mail_autoconfig_set_budget (MailAutoconfig *self,
                            guint           seconds)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->budget = seconds > 0 ? seconds : MAIL_AUTOCONFIG_DEFAULT_BUDGET;
}

/**
 * mail_autoconfig_set_verify:
 * @self: a detector
 * @verify: whether to sign in with the password given to a detection
 */
void
mail_autoconfig_set_verify (MailAutoconfig *self,
                            gboolean        verify)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->verify = verify;
}

/**
 * mail_autoconfig_set_approved:
 * @self: a detector
 * @approved: whether the user approves, in advance, settings that are less than verified
 *
 * Without approval a detection signs in only to servers whose settings are verified (see
 * #MailAutoconfigTrust); the others come back unverified, for the user to approve and then
 * check. `mail-tool detect --approve` sets this. The approval covers the host chosen first
 * for each direction, the one the user is shown, over an encrypted connection: when signing
 * in there fails, a fallback to another host whose settings are less than verified is not
 * tried (see mail_autoconfig_candidate_may_sign_in()).
 */
void
mail_autoconfig_set_approved (MailAutoconfig *self,
                              gboolean        approved)
{
  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));

  self->approved = approved;
}

/**
 * mail_autoconfig_default_local_dirs:
 *
 * The user's provider directory, then each system configuration directory's, then the
 * one installed with the application.
 *
 * Returns: (transfer full): the directories searched for `DOMAIN.xml`
 */
char **
mail_autoconfig_default_local_dirs (void)
{
  const char * const *system_dirs = g_get_system_config_dirs ();
  GPtrArray *dirs = g_ptr_array_new ();

  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), APP_ID, "providers", NULL));
  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (dirs, g_build_filename (system_dirs[i], APP_ID, "providers", NULL));
  g_ptr_array_add (dirs, g_build_filename (PKGDATADIR, "providers", NULL));
  g_ptr_array_add (dirs, NULL);

  return (char **) g_ptr_array_free (dirs, FALSE);
}

/**
 * mail_autoconfig_detect_async:
 * @self: a detector
 * @address: the email address, as the user typed it
 * @password: (nullable): the password, to verify the result by signing in
 * @cancellable: (nullable): cancels the whole detection at once
 * @callback: called on the caller's thread-default main context
 * @user_data: for @callback
 *
 * Finds the server settings for @address (see the top of this file for how). A report is
 * returned whenever the detection ran, even when nothing usable was found: its errors
 * say why.
 */
void
mail_autoconfig_detect_async (MailAutoconfig      *self,
                              const char          *address,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (Detection) det = NULL;
  g_autofree char *local_part = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  g_autofree char *srv_target = NULL;
  Lookup *lookup;

  g_return_if_fail (MAIL_IS_AUTOCONFIG (self));
  g_return_if_fail (address != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_autoconfig_detect_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!mail_address_parse (address, &local_part, &domain))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not an email address."), address);
      return;
    }

  det = g_atomic_rc_box_new0 (Detection);
  det->self = g_object_ref (self);
  det->task = g_object_ref (task);
  det->context = g_main_context_ref_thread_default ();
  det->address = g_strdup (address);
  det->local_part = g_steal_pointer (&local_part);
  det->domain = g_hostname_to_unicode (domain);
  det->domain_ascii = g_hostname_to_ascii (domain);
  if (det->domain == NULL)
    det->domain = g_strdup (domain);
  if (det->domain_ascii == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a valid domain name."), domain);
      return;
    }
  {
    char *lower = g_ascii_strdown (det->domain_ascii, -1);

    g_free (det->domain_ascii);
    det->domain_ascii = lower;
  }
  det->password = g_strdup (password);
  det->verify = self->verify;
  det->started = g_get_monotonic_time ();
  det->cancellable = g_cancellable_new ();
  det->verify_cancellable = g_cancellable_new ();
  det->fetcher = mail_autoconfig_fetcher_new (self->database, MIN (HTTP_TIMEOUT_SECONDS,
                                                                   self->budget));
  det->lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) lookup_free);
  det->probes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) probe_free);
  det->report = mail_autoconfig_report_new (address);

  if (cancellable != NULL)
    {
      det->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (det->cancel_source, G_SOURCE_FUNC (cancelled_cb),
                             detection_ref (det), (GDestroyNotify) detection_unref);
      g_source_attach (det->cancel_source, det->context);
    }
  det->budget_source = detection_add_timeout (det, self->budget * 1000, budget_cb);
  det->early_source = detection_add_timeout (det, EARLY_ANSWER_MS, early_answer_cb);

  /* 1. Local provider files. */
  if (self->local_dirs != NULL && self->local_dirs[0] != NULL)
    {
      lookup = lookup_new (det, MAIL_AUTOCONFIG_SOURCE_LOCAL, det->domain_ascii);
      g_ptr_array_add (det->lookups, lookup);
      mail_autoconfig_local_lookup_async ((const char * const *) self->local_dirs,
                                          det->domain_ascii, det->address, lookup->cancellable,
                                          local_done_cb, lookup_call_new (det, lookup));
    }

  /* 2. The provider's own file over HTTPS; the address lets it answer per user. */
  escaped = g_uri_escape_string (det->address, NULL, FALSE);
  url = g_strdup_printf ("https://autoconfig.%s/mail/config-v1.1.xml?emailaddress=%s",
                         det->domain_ascii, escaped);
  start_fetch (det, MAIL_AUTOCONFIG_SOURCE_HTTPS, url, -1);
  g_free (url);
  url = g_strdup_printf ("https://%s/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=%s",
                         det->domain_ascii, escaped);
  start_fetch (det, MAIL_AUTOCONFIG_SOURCE_HTTPS, url, -1);
  g_free (url);

  /* 3. The ISPDB. */
  url = ispdb_url (det, det->domain_ascii);
  if (url != NULL)
    start_fetch (det, MAIL_AUTOCONFIG_SOURCE_ISPDB, url, -1)->ispdb = TRUE;
  g_clear_pointer (&url, g_free);

  /* 4. MX; its lookups are inserted here once the MX host is known. */
  lookup = lookup_new (det, MAIL_AUTOCONFIG_SOURCE_MX, det->domain_ascii);
  g_ptr_array_add (det->lookups, lookup);
  mail_autoconfig_dns_lookup_mx_async (NULL, det->domain_ascii,
                                       lookup->cancellable, mx_done_cb,
                                       lookup_call_new (det, lookup));

  /* 5. SRV. */
  srv_target = g_strdup_printf ("_*._tcp.%s", det->domain_ascii);
  lookup = lookup_new (det, MAIL_AUTOCONFIG_SOURCE_SRV, srv_target);
  g_ptr_array_add (det->lookups, lookup);
  mail_autoconfig_dns_lookup_srv_async (NULL, det->domain_ascii,
                                        lookup->cancellable, srv_done_cb,
                                        lookup_call_new (det, lookup));

  /* 6. Plain HTTP, last of the files, and without the address. */
  url = g_strdup_printf ("http://autoconfig.%s/mail/config-v1.1.xml", det->domain_ascii);
  start_fetch (det, MAIL_AUTOCONFIG_SOURCE_HTTP, url, -1);

  /* 7. Guessing, staggered, after a head start for the published sources. */
  add_guesses (det);
  det->guess_source = detection_add_timeout (det, GUESS_HEAD_START_MS, guess_head_start_cb);
}

/**
 * mail_autoconfig_detect_finish:
 * @self: a detector
 * @result: the result given to the callback
 * @error: return location for an error: cancelled, or an invalid address
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
MailAutoconfigReport *
mail_autoconfig_detect_finish (MailAutoconfig  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

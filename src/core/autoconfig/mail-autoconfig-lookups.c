/* mail-autoconfig-lookups.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The sources of a detection, each as one or more lookups in priority order: local
 * provider files, the provider's HTTPS autoconfig, the ISPDB, the MX-derived lookups,
 * SRV, plain-HTTP autoconfig, and guessing. A lookup that answers yields candidates and
 * starts their probes. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-autoconfig-private.h"
#include "mail-autoconfig-dns.h"
#include "mail-autoconfig-local.h"

/* Lookups and their candidates ------------------------------------------------------------ */

static void
entry_free (Entry *entry)
{
  mail_autoconfig_candidate_free (entry->candidate);
  g_free (entry);
}

void
_mail_autoconfig_lookup_free (Lookup *lookup)
{
  g_free (lookup->target);
  g_clear_object (&lookup->cancellable);
  g_ptr_array_unref (lookup->entries);
  g_clear_pointer (&lookup->config, mail_autoconfig_result_free);
  g_free (lookup);
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

void
_mail_autoconfig_candidate_set_domains (MailAutoconfigCandidate *candidate,
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
gboolean
_mail_autoconfig_host_is_usable (const char *host)
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

/* Whether @lookup may take one more candidate like @candidate: a hostile file or DNS answer
 * with a thousand servers must not turn into a thousand connections. */
gboolean
_mail_autoconfig_lookup_accepts (Lookup                        *lookup,
                                 const MailAutoconfigCandidate *candidate)
{
  g_autofree char *key = _mail_autoconfig_probe_key (candidate);
  guint same_direction = 0;

  if (!_mail_autoconfig_host_is_usable (candidate->host) || candidate->port == 0)
    return FALSE;

  for (guint i = 0; i < lookup->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (lookup->entries, i);
      g_autofree char *other = _mail_autoconfig_probe_key (entry->candidate);

      if (strcmp (key, other) == 0)
        return FALSE;
      if ((entry->candidate->protocol == MAIL_PROTOCOL_SMTP) ==
          (candidate->protocol == MAIL_PROTOCOL_SMTP))
        same_direction++;
    }

  return same_direction < MAX_PER_DIRECTION;
}

Entry *
_mail_autoconfig_lookup_add_candidate (Lookup                  *lookup,
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
      if (_mail_autoconfig_lookup_accepts (lookup, upgraded))
        _mail_autoconfig_lookup_add_candidate (lookup, upgraded);
      else
        mail_autoconfig_candidate_free (upgraded);
    }

  if (_mail_autoconfig_lookup_accepts (lookup, candidate))
    _mail_autoconfig_lookup_add_candidate (lookup, candidate);
  else
    mail_autoconfig_candidate_free (candidate);
}

/* Lookups answering ----------------------------------------------------------------------- */

gboolean
_mail_autoconfig_lookup_is_pending (Lookup *lookup)
{
  return lookup->state == LOOKUP_PENDING;
}

void
_mail_autoconfig_lookup_fail (Detection  *det,
                              Lookup     *lookup,
                              const char *outcome)
{
  if (lookup->state != LOOKUP_PENDING)
    return;
  lookup->state = LOOKUP_FAILED;
  g_cancellable_cancel (lookup->cancellable);
  _mail_autoconfig_add_step (det, lookup->source, lookup->target, lookup->started, outcome);
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
          _mail_autoconfig_candidate_set_domains (candidate, origin_host);
          lookup_add_with_upgrade (lookup, candidate);
        }
    }

  lookup->config = config;
  if (lookup->entries->len == 0)
    {
      lookup->state = LOOKUP_FAILED;
      _mail_autoconfig_add_step (det, lookup->source, lookup->target, lookup->started,
                                 _("the file names no usable server"));
      return;
    }

  lookup->state = LOOKUP_ANSWERED;
  found = describe_candidates (lookup);
  outcome = g_strdup_printf (_("found %s"), found);
  _mail_autoconfig_add_step (det, lookup->source, lookup->target, lookup->started, outcome);
  for (guint i = 0; i < config->warnings->len; i++)
    _mail_autoconfig_add_step (det, lookup->source, lookup->target, lookup->started,
                               g_ptr_array_index (config->warnings, i));

  for (guint i = 0; i < lookup->entries->len; i++)
    _mail_autoconfig_entry_start_probe (det, g_ptr_array_index (lookup->entries, i));
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

  call->det = _mail_autoconfig_detection_ref (det);
  call->lookup = lookup;

  return call;
}

static void
lookup_call_free (LookupCall *call)
{
  _mail_autoconfig_detection_unref (call->det);
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

      _mail_autoconfig_lookup_fail (det, call->lookup, outcome);
      _mail_autoconfig_advance (det);
      return;
    }

  trust = trust_of_fetch (det, call->lookup, fetched->final_url, fetched->all_https);
  lookup_answer_config (det, call->lookup, g_steal_pointer (&fetched->config),
                        fetched->final_url, trust);
  _mail_autoconfig_advance (det);
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

      _mail_autoconfig_lookup_fail (call->det, call->lookup, outcome);
    }
  else
    {
      g_free (call->lookup->target);
      call->lookup->target = g_strdup (path);
      lookup_answer_config (call->det, call->lookup, config, path,
                            MAIL_AUTOCONFIG_TRUST_VERIFIED);
    }
  _mail_autoconfig_advance (call->det);
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
      _mail_autoconfig_lookup_fail (det, lookup, outcome);
      _mail_autoconfig_advance (det);
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
  _mail_autoconfig_add_step (det, lookup->source, lookup->target, lookup->started, outcome);

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

  _mail_autoconfig_advance (det);
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
      _mail_autoconfig_lookup_fail (det, lookup, outcome);
      _mail_autoconfig_advance (det);
      return;
    }

  for (guint i = 0; i < answer->not_offered->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("_%s._tcp.%s",
                                               (char *) g_ptr_array_index (answer->not_offered, i),
                                               det->domain_ascii);

      _mail_autoconfig_add_step (det, lookup->source, name, lookup->started,
                                 _("not offered (target “.”)"));
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
      _mail_autoconfig_candidate_set_domains (candidate, det->domain_ascii);
      if (_mail_autoconfig_lookup_accepts (lookup, candidate))
        _mail_autoconfig_lookup_add_candidate (lookup, candidate);
      else
        mail_autoconfig_candidate_free (candidate);
    }

  if (lookup->entries->len == 0)
    {
      _mail_autoconfig_lookup_fail (det, lookup, answer->not_offered->len > 0
                                                 ? _("no service offered") : _("no records"));
      _mail_autoconfig_advance (det);
      return;
    }

  lookup->state = LOOKUP_ANSWERED;
  found = describe_candidates (lookup);
  outcome = g_strdup_printf (_("found %s"), found);
  _mail_autoconfig_add_step (det, lookup->source, lookup->target, lookup->started, outcome);
  for (guint i = 0; i < lookup->entries->len; i++)
    _mail_autoconfig_entry_start_probe (det, g_ptr_array_index (lookup->entries, i));
  _mail_autoconfig_advance (det);
}

/* Guessing -------------------------------------------------------------------------------- */

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
          _mail_autoconfig_candidate_set_domains (candidate, NULL);
          _mail_autoconfig_lookup_add_candidate (lookup, candidate);
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
      g_autofree char *key = _mail_autoconfig_probe_key (entry->candidate);
      gboolean known = entry->state != ENTRY_WAITING || g_hash_table_contains (det->probes, key);

      _mail_autoconfig_entry_start_probe (det, entry);
      if (!known)
        break;
    }

  if (det->guess_next < det->guess->entries->len)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&det->guess_source, g_source_unref);
  _mail_autoconfig_advance (det);
  return G_SOURCE_REMOVE;
}

void
_mail_autoconfig_start_guessing (Detection *det)
{
  if (det->guess_started || det->phase != PHASE_DISCOVERY)
    return;

  det->guess_started = TRUE;
  _mail_autoconfig_destroy_source (&det->guess_source);
  det->guess_source = _mail_autoconfig_detection_add_timeout (det, GUESS_STAGGER_MS, guess_next_cb);
}

static gboolean
guess_head_start_cb (gpointer data)
{
  Detection *det = data;

  g_clear_pointer (&det->guess_source, g_source_unref);
  _mail_autoconfig_start_guessing (det);

  return G_SOURCE_REMOVE;
}

/* Whether every source above guessing has finished without a server that answered. */
gboolean
_mail_autoconfig_published_sources_exhausted (Detection *det)
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

/* Starting -------------------------------------------------------------------------------- */

/* Starts every source, in priority order (see the top of mail-autoconfig.c). */
void
_mail_autoconfig_start_lookups (Detection *det)
{
  MailAutoconfig *self = det->self;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  g_autofree char *srv_target = NULL;
  Lookup *lookup;

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
  det->guess_source = _mail_autoconfig_detection_add_timeout (det, GUESS_HEAD_START_MS,
                                                              guess_head_start_cb);
}
